// The tunnel through the gateway's CONNECT proxy, against a stand-in proxy: the bytes that come
// right after the proxy's answer reach the caller, a refusal is an error in words, and only
// service names are ever sent in a CONNECT line.
import net, { type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { connectThrough } from './gateway.js';

let proxy: net.Server | undefined;
const seen: string[] = [];

async function fakeProxy(answer: (line: string) => string): Promise<number> {
  proxy = net.createServer((socket) => {
    let head = '';
    const onData = (chunk: Buffer) => {
      head += chunk.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      socket.off('data', onData);
      const line = head.split('\r\n')[0]!;
      seen.push(line);
      // The answer and the upstream's first bytes in one write: the caller must not lose them.
      socket.write(answer(line));
      socket.on('data', (d: Buffer) => socket.write(`echo:${d.toString()}`));
    };
    socket.on('data', onData);
  });
  await new Promise<void>((r) => proxy!.listen(0, '127.0.0.1', () => r()));
  return (proxy.address() as AddressInfo).port;
}

afterEach(async () => {
  seen.length = 0;
  await new Promise((r) => (proxy ? proxy.close(r) : r(undefined)));
  proxy = undefined;
});

const read = (s: NodeJS.ReadableStream): Promise<string> =>
  new Promise((resolve) => s.once('data', (d: Buffer) => resolve(d.toString())));

describe('connectThrough', () => {
  it('opens a tunnel with CONNECT and keeps the bytes that follow the answer', async () => {
    const port = await fakeProxy(() => 'HTTP/1.1 200 Connection established\r\nProxy-agent: x\r\n\r\nHELLO');
    const socket = await connectThrough(port, 'tm351-ann_notebook', 8888);
    expect(seen).toEqual(['CONNECT tm351-ann_notebook:8888 HTTP/1.1']);
    expect(await read(socket)).toBe('HELLO');
    socket.write('ping');
    expect(await read(socket)).toBe('echo:ping');
    socket.destroy();
  });

  it('says when the gateway refuses', async () => {
    const port = await fakeProxy(() => 'HTTP/1.0 403 Access violation\r\n\r\n');
    await expect(connectThrough(port, 'tm351-ann_notebook', 8888)).rejects.toThrow(/cannot be reached through the classroom gateway \(HTTP\/1.0 403/);
  });

  it('sends nothing but a service name', async () => {
    const port = await fakeProxy(() => 'HTTP/1.1 200 OK\r\n\r\n');
    await expect(connectThrough(port, 'evil\r\nHost: x', 8888)).rejects.toThrow(/Not a service name/);
    expect(seen).toEqual([]);
  });
});
