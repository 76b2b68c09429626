// The preload's surface: `window.coursedock` is exactly renderer/src/api/ipc-bridge.ts's
// CoursedockBridge, and it never hands the page IPC itself.
import { describe, expect, expectTypeOf, it, vi } from 'vitest';
import type { CoursedockBridge } from '../../renderer/src/api/ipc-bridge.js';
import { BRIDGE_KEY, CALL_PREFIX, EVENT_CHANNEL } from './channels.js';
import { createBridge, exposeBridge, type IpcRendererLike } from './preload-bridge.js';

function fakeIpc(reply: unknown = { ok: true, result: 42 }) {
  const listeners = new Map<string, Set<(e: unknown, ...a: unknown[]) => void>>();
  const ipc = {
    invoke: vi.fn((_channel: string, ..._args: unknown[]) => Promise.resolve(reply)),
    on: vi.fn((channel: string, l: (e: unknown, ...a: unknown[]) => void) => {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel)!.add(l);
    }),
    removeListener: vi.fn((channel: string, l: (e: unknown, ...a: unknown[]) => void) => {
      listeners.get(channel)?.delete(l);
    }),
  } satisfies IpcRendererLike;
  const push = (message: unknown) => {
    for (const l of listeners.get(EVENT_CHANNEL) ?? []) l({ senderId: 0, ports: [], sender: 'the IpcRenderer' }, message);
  };
  return { ipc, push, listeners };
}

describe('preload bridge', () => {
  it('exposes exactly { invoke, on } as window.coursedock, once', () => {
    const { ipc } = fakeIpc();
    const exposeInMainWorld = vi.fn();
    const bridge = exposeBridge({ exposeInMainWorld }, ipc);
    expect(exposeInMainWorld).toHaveBeenCalledOnce();
    expect(exposeInMainWorld).toHaveBeenCalledWith(BRIDGE_KEY, bridge);
    expect(BRIDGE_KEY).toBe('coursedock');
    expect(Object.keys(bridge).sort()).toEqual(['invoke', 'on']);
    expect(typeof bridge.invoke).toBe('function');
    expect(typeof bridge.on).toBe('function');
    // Nothing of Electron leaks through: no ipcRenderer, no channel names, no send.
    expect(Object.values(bridge).every((v) => typeof v === 'function')).toBe(true);
    expectTypeOf(bridge).toEqualTypeOf<CoursedockBridge>();
  });

  it('invoke(method, input) uses that method\'s channel with the input as the one argument, and answers with the reply', async () => {
    const { ipc } = fakeIpc({ ok: true, result: { state: 'connected' } });
    const bridge = createBridge(ipc);
    await expect(bridge.invoke('docker.status', { a: 1 })).resolves.toEqual({ ok: true, result: { state: 'connected' } });
    expect(ipc.invoke).toHaveBeenCalledWith(`${CALL_PREFIX}docker.status`, { a: 1 });
  });

  it('answers a failure with the {code, message} object the main process sent (a rejection would lose the code)', async () => {
    const error = { code: 'docker-unreachable', message: 'Docker is not running.' };
    const bridge = createBridge(fakeIpc({ ok: false, error }).ipc);
    await expect(bridge.invoke('env.up', { project: 'p' })).resolves.toEqual({ ok: false, error });
  });

  it('refuses names that are not method-shaped without touching IPC, and odd replies with code failed', async () => {
    const { ipc } = fakeIpc('not a reply');
    const bridge = createBridge(ipc);
    for (const m of [42, 'coursedock:event', '../x', 'x', '']) {
      await expect(bridge.invoke(m as string, {})).resolves.toMatchObject({ ok: false, error: { code: 'unknown-method' } });
    }
    expect(ipc.invoke).not.toHaveBeenCalled();
    await expect(bridge.invoke('docker.status', {})).resolves.toEqual({ ok: false, error: { code: 'failed', message: 'No answer from Coursedock for docker.status.' } });
  });

  it("a method the main process does not handle is unknown-method; other IPC failures are 'failed'", async () => {
    const { ipc } = fakeIpc();
    ipc.invoke.mockRejectedValueOnce(new Error("Error invoking remote method 'coursedock:call:docker.rm': Error: No handler registered for 'coursedock:call:docker.rm'"));
    const bridge = createBridge(ipc);
    await expect(bridge.invoke('docker.rm', {})).resolves.toEqual({ ok: false, error: { code: 'unknown-method', message: 'Unknown method "docker.rm".' } });
    ipc.invoke.mockRejectedValueOnce(new Error('An object could not be cloned.'));
    await expect(bridge.invoke('docker.status', {})).resolves.toEqual({ ok: false, error: { code: 'failed', message: 'Coursedock did not answer docker.status.' } });
  });

  it('on(event, cb) hands the callback the payload only (never the IPC event), and returns its unsubscribe', () => {
    const { ipc, push, listeners } = fakeIpc();
    const bridge = createBridge(ipc);
    const cb = vi.fn();
    const off = bridge.on('env.state', cb);
    push({ event: 'env.state', payload: { project: 'p' } });
    push({ event: 'docker.status', payload: {} });
    push({ event: 'not a name', payload: {} });
    push(null);
    push('garbage');
    expect(cb).toHaveBeenCalledOnce();
    expect(cb.mock.calls[0]).toEqual([{ project: 'p' }]);
    off();
    push({ event: 'env.state', payload: { project: 'p' } });
    expect(cb).toHaveBeenCalledOnce();
    expect(listeners.get(EVENT_CHANNEL)?.size ?? 0).toBe(0);
  });

  it('listens on the event channel once, however many subscriptions; a failing listener does not stop the others', () => {
    const { ipc, push } = fakeIpc();
    const bridge = createBridge(ipc);
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const a = vi.fn(() => {
      throw new Error('listener bug');
    });
    const b = vi.fn();
    bridge.on('logs.lines', a);
    bridge.on('logs.lines', b);
    bridge.on('logs.end', b);
    expect(ipc.on).toHaveBeenCalledOnce();
    push({ event: 'logs.lines', payload: { subscription: 's', lines: [] } });
    expect(b).toHaveBeenCalledOnce();
    expect(error).toHaveBeenCalled();
    error.mockRestore();
  });

  it('refuses to subscribe to anything that is not an event name', () => {
    const bridge = createBridge(fakeIpc().ipc);
    expect(() => bridge.on('coursedock:event', () => undefined)).toThrow(/Not an event name/);
    expect(() => bridge.on('docker.status', 'nope' as unknown as () => void)).toThrow(/callback/);
  });
});

describe('preload bundle', () => {
  it('is one small CommonJS file that requires nothing but electron (a sandboxed preload can load nothing else)', async () => {
    const { build } = await import('esbuild');
    const out = await build({
      entryPoints: ['electron/preload.ts'],
      bundle: true,
      write: false,
      platform: 'browser',
      format: 'cjs',
      external: ['electron'],
      logLevel: 'silent',
    });
    const code = out.outputFiles[0]!.text;
    expect([...code.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1])).toEqual(['electron']);
    expect(code).not.toMatch(/\bimport\s*\(|^import /m);
    // No zod, no engine: the contract's schemas are checked in the main process.
    expect(code.length).toBeLessThan(20_000);
  });
});
