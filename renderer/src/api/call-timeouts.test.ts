// A call whose answer never comes fails after its time with words saying so, instead of waiting
// forever (the browser shell drops messages to a panel far behind). Driven over a real WebSocket
// server that reads calls and never answers them.
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { ApiCallError } from './transport.js';
import { callTimeoutMs, OPERATION_CALL_MS, QUICK_CALL_MS, waitWords } from './call-timeouts.js';
import { createWsTransport } from './ws-transport.js';

let server: WebSocketServer | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** A shell that takes every call and answers only the ones named in `answer`. */
async function silentShell(answer: string[] = []): Promise<string> {
  server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  server.on('connection', (ws) =>
    ws.on('message', (data) => {
      const { id, method } = JSON.parse((data as Buffer).toString('utf8')) as { id: number; method: string };
      if (answer.includes(method)) ws.send(JSON.stringify({ id, result: { ok: true } }));
    }),
  );
  await new Promise((resolve) => server!.once('listening', resolve));
  return `ws://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
}

describe('call timeouts', () => {
  it('operations get an hour, other calls a minute', () => {
    expect(callTimeoutMs('env.up')).toBe(OPERATION_CALL_MS);
    expect(callTimeoutMs('service.reinstall')).toBe(OPERATION_CALL_MS);
    expect(callTimeoutMs('env.state')).toBe(QUICK_CALL_MS);
    expect(callTimeoutMs('no.such')).toBe(QUICK_CALL_MS);
    expect(waitWords(OPERATION_CALL_MS)).toBe('60 minutes');
    expect(waitWords(QUICK_CALL_MS)).toBe('1 minute');
    expect(waitWords(300)).toBe('1 second');
  });

  it('a call never answered fails in words; answered calls and the connection are unaffected', async () => {
    const url = await silentShell(['docker.status']);
    const transport = createWsTransport({ url, WebSocketImpl: WebSocket as never, callTimeoutMs: (m) => (m === 'env.state' ? 300 : 5000) });
    try {
      const lost = transport.request('env.state', { project: 'tm351' }).catch((e: unknown) => e);
      await expect(transport.request('docker.status', {})).resolves.toEqual({ ok: true });
      const err = await lost;
      expect(err).toBeInstanceOf(ApiCallError);
      expect((err as ApiCallError).message).toMatch(/^Coursedock did not answer env\.state within 1 second\..*reload the panel/);
      // The connection stays up: the next call goes through.
      await expect(transport.request('docker.status', {})).resolves.toEqual({ ok: true });
    } finally {
      transport.close();
    }
  });
});
