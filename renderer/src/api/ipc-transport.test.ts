import { describe, expect, it, vi } from 'vitest';
import { createClient } from './client.js';
import type { BridgeReply, CoursedockBridge } from './ipc-bridge.js';
import { createIpcTransport } from './ipc-transport.js';
import { ApiCallError } from './transport.js';

function fakeBridge() {
  const handlers = new Map<string, (p: unknown) => void>();
  const invoke = vi.fn(
    (method: string): Promise<BridgeReply> =>
      Promise.resolve(method === 'service.stop' ? { ok: false, error: { code: 'invalid-input', message: 'No service "x".' } } : { ok: true, result: { method } }),
  );
  const bridge: CoursedockBridge = {
    invoke,
    on: vi.fn((event: string, cb: (p: unknown) => void) => {
      handlers.set(event, cb);
      return () => handlers.delete(event);
    }),
  };
  return { bridge, invoke, push: (event: string, payload: unknown) => handlers.get(event)?.(payload), handlers };
}

describe('IPC transport', () => {
  it('invokes methods through the bridge', async () => {
    const { bridge, invoke } = fakeBridge();
    const client = createClient(createIpcTransport(bridge));
    await expect(client.call('courses.list', {})).resolves.toEqual({ method: 'courses.list' });
    expect(invoke).toHaveBeenCalledWith('courses.list', {});
    // The desktop has native file pickers ("Choose…" buttons).
    expect(client.canChooseFiles).toBe(true);
  });

  it("turns the main process's errors into ApiCallErrors with the engine's words", async () => {
    const { bridge } = fakeBridge();
    const client = createClient(createIpcTransport(bridge));
    const err = await client.call('service.stop', { project: 'p', service: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiCallError);
    expect(err).toMatchObject({ code: 'invalid-input', message: 'No service "x".' });
  });

  it('subscribes to every contract event and forwards them', () => {
    const { bridge, push, handlers } = fakeBridge();
    const t = createIpcTransport(bridge);
    const client = createClient(t);
    expect([...handlers.keys()].sort()).toEqual([
      'backup.progress',
      'courses.installProgress',
      'docker.status',
      'env.notice',
      'env.state',
      'logs.end',
      'logs.lines',
      'terminal.data',
      'terminal.exit',
    ]);
    const cb = vi.fn();
    client.on('docker.status', cb);
    push('docker.status', { state: 'connecting' });
    expect(cb).toHaveBeenCalledWith({ state: 'connecting' });
    const conn = vi.fn();
    client.onConnection(conn);
    expect(conn).toHaveBeenCalledWith('open');
    t.close();
    expect(handlers.size).toBe(0);
  });
});
