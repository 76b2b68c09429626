import net from 'node:net';
import { describe, expect, it } from 'vitest';
import type { ActualState } from '../plan/actual.js';
import { serviceFixture, specFixture } from '../testing/spec-fixture.js';
import { isPortFree, resolvePorts, type PortMemory } from './host-ports.js';

const nb = serviceFixture('notebook', {
  meta: { title: 'Jupyter Notebook' },
  ports: [{ target: 8888, published: 8351, hostIp: '127.0.0.1', protocol: 'tcp' }],
});
const db = serviceFixture('db', { ports: [{ target: 5432, published: 8352, hostIp: '127.0.0.1', protocol: 'tcp' }] });
const spec = specFixture([nb, db]);
const none: ActualState = { containers: [], images: {}, networkExists: true, volumes: new Set() };

function memory(initial: Record<string, number> = {}): PortMemory & { saved: Map<string, number> } {
  const saved = new Map(Object.entries(initial));
  return {
    saved,
    get: (s, k) => saved.get(`${s} ${k}`),
    set: (s, k, p) => {
      if (p === undefined) saved.delete(`${s} ${k}`);
      else saved.set(`${s} ${k}`, p);
    },
  };
}

const stopped = (service: string, hostPorts: Record<string, number> = {}) => ({
  id: service, name: `c-${service}-1`, service, number: 1, oneoff: false, configHash: '', imageId: '', state: 'exited' as const, hostPorts,
});

describe('port auto-correct', () => {
  it('keeps free ports as asked, without remembering anything', async () => {
    const mem = memory();
    const { ports, notices } = await resolvePorts(spec, none, mem, () => Promise.resolve(true));
    expect(ports.notebook).toEqual([{ target: 8888, protocol: 'tcp', hostIp: '127.0.0.1', hostPort: 8351, requested: 8351 }]);
    expect(notices).toEqual([]);
    expect(Object.fromEntries(mem.saved)).toEqual({});
  });

  it('moves a busy port to the next free one, says so, remembers it, and never gives two services one port', async () => {
    const mem = memory();
    const busy = new Set([8351]);
    const { ports, notices } = await resolvePorts(spec, none, mem, (_h, p) => Promise.resolve(!busy.has(p)));
    expect(ports.notebook![0]!.hostPort).toBe(8352);
    expect(ports.db![0]!.hostPort).toBe(8353); // 8352 went to the notebook
    expect(notices[0]!.message).toBe('Port 8351 is in use by another program — Coursedock uses 8352 for Jupyter Notebook instead.');
    expect(Object.fromEntries(mem.saved)).toEqual({ 'notebook 8888/tcp': 8352, 'db 5432/tcp': 8353 });
  });

  it('reuses a remembered port, and counts a port our own running container holds as ours', async () => {
    const mem = memory({ 'notebook 8888/tcp': 8400 });
    const actual: ActualState = {
      ...none,
      containers: [
        { id: 'a', name: 'c-notebook-1', service: 'notebook', number: 1, oneoff: false, configHash: '', imageId: '', state: 'running', hostPorts: { '8888/tcp': 8400 } },
      ],
    };
    const { ports } = await resolvePorts(spec, actual, mem, () => Promise.resolve(false), ['notebook']);
    expect(ports.notebook![0]!.hostPort).toBe(8400);
  });

  it('goes back to the wanted port at the next start once it is free again, and says so', async () => {
    const mem = memory({ 'db 5432/tcp': 8353 });
    const actual: ActualState = { ...none, containers: [stopped('db', { '5432/tcp': 8353 })] };
    const { ports, notices } = await resolvePorts(spec, actual, mem, () => Promise.resolve(true), ['db']);
    expect(ports.db![0]).toMatchObject({ hostPort: 8352, requested: 8352 });
    expect(notices.map((n) => [n.level, n.message])).toEqual([['info', 'Port 8352 is free again — db is back on 8352.']]);
    expect(Object.fromEntries(mem.saved)).toEqual({});
  });

  it('keeps the remembered port (without a new notice) while the wanted one is still taken', async () => {
    const mem = memory({ 'db 5432/tcp': 8360 });
    const busy = new Set([8352]);
    const { ports, notices } = await resolvePorts(spec, none, mem, (_h, p) => Promise.resolve(!busy.has(p)), ['db']);
    expect(ports.db![0]!.hostPort).toBe(8360);
    expect(notices).toEqual([]);
    expect(Object.fromEntries(mem.saved)).toEqual({ 'db 5432/tcp': 8360 });
  });

  it('never moves the port a running container holds, even when the wanted one is free', async () => {
    const mem = memory({ 'db 5432/tcp': 8353 });
    const actual: ActualState = { ...none, containers: [{ ...stopped('db', { '5432/tcp': 8353 }), state: 'running' }] };
    const { ports, notices } = await resolvePorts(spec, actual, mem, () => Promise.resolve(true), ['db']);
    expect(ports.db![0]!.hostPort).toBe(8353);
    expect(notices).toEqual([]);
  });

  it('a pinned port is the wanted one: kept while free, moved (and said) only while taken', async () => {
    const mem = { ...memory({}), pin: (s: string, k: string) => (s === 'db' && k === '5432/tcp' ? 9000 : undefined) };
    const first = await resolvePorts(spec, none, mem, () => Promise.resolve(true), ['db']);
    expect(first.ports.db![0]).toMatchObject({ hostPort: 9000, requested: 9000 });
    expect(first.notices).toEqual([]);
    const taken = await resolvePorts(spec, none, mem, (_h, p) => Promise.resolve(p !== 9000), ['db']);
    expect(taken.ports.db![0]!.hostPort).toBe(9001);
    expect(taken.notices[0]!.message).toBe('Port 9000 (pinned) is in use by another program — Coursedock uses 9001 for db instead.');
  });

  it('probes a real socket', async () => {
    const server = net.createServer();
    await new Promise<void>((r) => server.listen({ host: '127.0.0.1', port: 0 }, () => r()));
    const port = (server.address() as net.AddressInfo).port;
    expect(await isPortFree('127.0.0.1', port, 'tcp')).toBe(false);
    await new Promise((r) => server.close(r));
    expect(await isPortFree('127.0.0.1', port, 'tcp')).toBe(true);
  });
});
