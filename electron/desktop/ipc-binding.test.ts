// The contract over IPC, end to end without Electron: the preload's bridge → an in-memory
// ipcRenderer/ipcMain → the binding → a real ApiSession over a real Engine (whose Docker
// endpoint does not exist, so nothing here needs Docker).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ApiSession } from '../api/api-session.js';
import { apiError, eventNames, methodNames, type Events } from '../api/contract.js';
import { Engine } from '../engine/engine.js';
import { REPO_ROOT } from '../engine/testing/course-copy.js';
import { CALL_PREFIX, EVENT_CHANNEL, callChannel, isContractName } from './channels.js';
import { bindIpc, type IpcBinding, type SessionEmit, type SessionLike } from './ipc-binding.js';
import type { BridgeReply } from '../../renderer/src/api/ipc-bridge.js';
import { createBridge } from './preload-bridge.js';
import { Frame, InMemoryIpcMain, InMemoryWindow } from './testing/in-memory-ipc.js';
import { offlineEngine } from '../engine/testing/offline-engine.js';
import { stringMatching } from '../engine/testing/matchers.js';

const APP_URL = 'file:///opt/Coursedock/resources/app.asar/dist/renderer/index.html';

let root: string;
let engine: Engine;

beforeAll(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'cd-ipc-'));
  engine = offlineEngine(root, { specsDir: path.join(REPO_ROOT, 'compose-specs') });
});

afterAll(() => {
  engine.close();
  rmSync(root, { recursive: true, force: true });
});

interface Rig {
  ipcMain: InMemoryIpcMain;
  win: InMemoryWindow;
  binding: IpcBinding;
  sessions: ApiSession[];
  emits: SessionEmit[];
  calls: ReturnType<typeof vi.fn>;
}

const rigs: Rig[] = [];
afterEach(() => {
  for (const r of rigs.splice(0)) r.binding.dispose();
});

/** A window bound to a real ApiSession; `calls` records what reached the session. */
function rig(): Rig {
  const ipcMain = new InMemoryIpcMain();
  const win = new InMemoryWindow(ipcMain, `${APP_URL}?course=tm351`);
  const sessions: ApiSession[] = [];
  const emits: SessionEmit[] = [];
  const calls = vi.fn();
  const binding = bindIpc({
    ipcMain,
    webContents: win,
    appUrl: APP_URL,
    createSession: (emit) => {
      emits.push(emit);
      const s = new ApiSession(engine, emit, { allowHostShell: true });
      sessions.push(s);
      const call = s.call.bind(s);
      s.call = (method, input) => {
        calls(method, input);
        return call(method, input);
      };
      return s;
    },
  });
  const r = { ipcMain, win, binding, sessions, emits, calls };
  rigs.push(r);
  return r;
}

/** The error of a call that must fail; the result of one that must succeed. */
const failure = async (p: Promise<BridgeReply>): Promise<unknown> => {
  const reply = await p;
  return reply.ok ? expect.unreachable('should have been refused') : reply.error;
};
/** What a raw IPC call (not through the bridge) was rejected with. */
const rejection = (p: Promise<unknown>) => p.then(() => expect.unreachable('should have been refused'), (e: unknown) => e);
const result = async (p: Promise<BridgeReply>): Promise<unknown> => {
  const reply = await p;
  return reply.ok ? reply.result : expect.unreachable(`failed: ${reply.error.message}`);
};

describe('IPC binding: generated from the contract', () => {
  it('binds one channel per contract method, and only those', () => {
    const { ipcMain, binding } = rig();
    const expected = methodNames.map((m) => `${CALL_PREFIX}${m}`).sort();
    expect([...binding.channels].sort()).toEqual(expected);
    expect([...ipcMain.handlers.keys()].sort()).toEqual(expected);
    expect(methodNames.length).toBeGreaterThanOrEqual(20);
  });

  it("the preload lets every contract name through, and nothing that could name another channel", () => {
    for (const name of [...methodNames, ...eventNames]) expect(isContractName(name)).toBe(true);
    for (const x of ['', 'toString', '__proto__', 'constructor', 'docker', 'env.up ', 'ENV.UP', 'env..up', 'env.up:x', '../env.up', 'coursedock:event', `env.${'x'.repeat(100)}`, 42, null]) {
      expect(isContractName(x)).toBe(false);
    }
  });

  it('a call goes from the bridge through IPC to the session and back', async () => {
    const { win, calls } = rig();
    const bridge = createBridge(win.ipcRenderer());
    await expect(result(bridge.invoke('docker.status', {}))).resolves.toMatchObject({ state: stringMatching(/^(connecting|unreachable)$/) });
    const courses = (await result(bridge.invoke('courses.list', {}))) as Array<{ id: string; title: string }>;
    expect(courses.map((c) => c.id)).toContain('tm351');
    expect(calls).toHaveBeenCalledWith('courses.list', {});
  });

  it("every method reaches the session through its own channel (what the bridge sends is what the session gets)", async () => {
    const { win, calls } = rig();
    const ipc = win.ipcRenderer();
    for (const method of methodNames) {
      // `{}` is invalid for most methods: the point here is that each channel is answered.
      const reply = (await ipc.invoke(callChannel(method), {})) as { ok: boolean };
      expect(typeof reply.ok).toBe('boolean');
    }
    expect(calls.mock.calls.map(([m]: unknown[]) => m)).toEqual(methodNames);
  });
});

describe('IPC binding: input is validated at the boundary', () => {
  it.each([
    ['env.up', { project: '../../etc' }],
    ['env.up', { project: 'tm351', extra: 1 }],
    ['service.reset', { project: 'tm351', service: 'postgres' }],
    ['service.reset', { project: 'tm351', service: 'postgres', confirm: 'yes' }],
    ['terminal.input', { terminal: 't', data: 'x'.repeat(64 * 1024 + 1) }],
    ['terminal.resize', { terminal: 't', cols: 1e9, rows: 1 }],
    ['terminal.open', { host: false }],
    ['logs.subscribe', { project: 'tm351', service: 'postgres', tail: -1 }],
    ['settings.set', { dockerEndpoint: 42 }],
    ['env.open', 'tm351'],
    ['docker.status', []],
  ] as const)('%s %j is rejected with invalid-input', async (method, input) => {
    const { win } = rig();
    const bridge = createBridge(win.ipcRenderer());
    const err = await failure(bridge.invoke(method, input));
    expect(err).toMatchObject({ code: 'invalid-input' });
    expect((err as { message: string }).message).toMatch(new RegExp(`^Invalid input for ${method.replace('.', '\\.')}`));
  });

  it('invalid input never reaches the engine', async () => {
    const { win } = rig();
    const open = vi.spyOn(engine, 'open');
    const bridge = createBridge(win.ipcRenderer());
    await failure(bridge.invoke('env.open', { course: 'x'.repeat(5000) }));
    await failure(bridge.invoke('env.open', { course: 'tm351', reload: true }));
    expect(open).not.toHaveBeenCalled();
    open.mockRestore();
  });

  it("the engine's own errors come back as {code, message} with its words", async () => {
    const { win } = rig();
    const bridge = createBridge(win.ipcRenderer());
    const err = await failure(bridge.invoke('env.state', { project: 'nope' }));
    expect(err).toEqual({ code: 'invalid-input', message: 'Environment "nope" is not open: open its course first.' });
    const missing = await failure(bridge.invoke('env.open', { course: 'no-such-course' }));
    expect(missing).toMatchObject({ code: 'failed', message: stringMatching(/^No course "no-such-course"/) });
  });
});

describe('IPC binding: events', () => {
  it("the engine's events reach the renderer side", () => {
    const { win } = rig();
    const bridge = createBridge(win.ipcRenderer());
    const seen = vi.fn();
    bridge.on('docker.status', seen);
    const status: Events['docker.status'] = { state: 'unreachable', message: 'Docker is not running.' } as Events['docker.status'];
    engine.connection.emit('status', status);
    expect(seen).toHaveBeenCalledWith(status);
    expect(win.sent.at(-1)).toEqual({ channel: EVENT_CHANNEL, args: [{ event: 'docker.status', payload: status }] });
  });

  it('every contract event is forwarded by name, each to its own listeners', () => {
    const { win, emits } = rig();
    const bridge = createBridge(win.ipcRenderer());
    const got: Array<[string, unknown]> = [];
    for (const e of eventNames) bridge.on(e, (p) => got.push([e, p]));
    const emit = emits[0]!;
    for (const e of eventNames) (emit as (e: string, p: unknown) => void)(e, { n: e });
    expect(got).toEqual(eventNames.map((e) => [e, { n: e }]));
  });

  it('sends only contract events, only while the window lives, as plain JSON', () => {
    const { win, emits } = rig();
    const emit = emits[0]! as (e: string, p: unknown) => void;
    emit('not.an.event', {});
    expect(win.sent).toHaveLength(0);
    emit('logs.end', { subscription: 's', at: new Date(0), skip: undefined });
    expect(win.sent[0]!.args[0]).toEqual({ event: 'logs.end', payload: { subscription: 's', at: '1970-01-01T00:00:00.000Z' } });
    win.destroyed = true;
    emit('logs.end', { subscription: 's' });
    expect(win.sent).toHaveLength(1);
  });

  it('an unsubscribed listener hears nothing more, and the bridge lets go of the channel', () => {
    const { win, emits } = rig();
    const ipc = win.ipcRenderer();
    const bridge = createBridge(ipc);
    const cb = vi.fn();
    const off = bridge.on('env.state', cb);
    expect(ipc.listenerCount(EVENT_CHANNEL)).toBe(1);
    off();
    (emits[0]! as (e: string, p: unknown) => void)('env.state', { project: 'p' });
    expect(cb).not.toHaveBeenCalled();
    expect(ipc.listenerCount(EVENT_CHANNEL)).toBe(0);
  });
});

describe('IPC binding: what is refused', () => {
  it('an unknown channel is refused (no handler), and so is an unknown method through the bridge', async () => {
    const { win, calls } = rig();
    const ipc = win.ipcRenderer();
    for (const channel of [`${CALL_PREFIX}docker.rm`, `${CALL_PREFIX}__proto__`, 'coursedock:call', EVENT_CHANNEL, 'electron-store-get-data']) {
      const err = await rejection(ipc.invoke(channel, {}));
      expect(String(err)).toContain(`No handler registered for '${channel}'`);
    }
    const bridge = createBridge(ipc);
    for (const method of ['docker.rm', 'shell.openExternal', 'toString', '__proto__', 'constructor', '', 'env.up:x']) {
      expect(await failure(bridge.invoke(method, {}))).toEqual({ code: 'unknown-method', message: `Unknown method "${method}".` });
    }
    expect(() => bridge.on('coursedock:event', () => undefined)).toThrow(/Not an event name/);
    expect(calls).not.toHaveBeenCalled();
  });

  it('a call from a frame inside the page is refused before the session sees it', async () => {
    const { win, calls } = rig();
    const iframe = new Frame(APP_URL, win.mainFrame);
    const err = await failure(createBridge(win.ipcRenderer(iframe)).invoke('docker.status', {}));
    expect(err).toMatchObject({ code: 'failed', message: stringMatching(/^Refused: the call came from a frame inside the page/) });
    expect(calls).not.toHaveBeenCalled();
  });

  it('a call from a page that is not ours (the window navigated away) is refused', async () => {
    const { win, calls } = rig();
    const bridge = createBridge(win.ipcRenderer());
    for (const url of ['https://evil.example/', 'http://127.0.0.1:8351/tree', 'file:///tmp/evil/index.html', 'data:text/html,hi', 'about:blank']) {
      win.mainFrame.url = url;
      expect(await failure(bridge.invoke('docker.status', {}))).toMatchObject({ message: stringMatching(/^Refused: the calling page is not Coursedock's/) });
    }
    expect(calls).not.toHaveBeenCalled();
    win.mainFrame.url = `${APP_URL}#/service/postgres`;
    await expect(result(bridge.invoke('docker.status', {}))).resolves.toMatchObject({ state: stringMatching(/^(connecting|unreachable)$/) });
  });

  it('a call from another window (another webContents on the same ipcMain) is refused', async () => {
    const { ipcMain, calls } = rig();
    const other = new InMemoryWindow(ipcMain, APP_URL);
    const err = await failure(createBridge(other.ipcRenderer()).invoke('docker.status', {}));
    expect(err).toMatchObject({ message: 'Refused: the call came from another window.' });
    expect(calls).not.toHaveBeenCalled();
  });

  it('a call whose frame is gone is refused', async () => {
    const { win } = rig();
    const ipc = win.ipcRenderer(null as unknown as Frame);
    expect(await failure(createBridge(ipc).invoke('docker.status', {}))).toMatchObject({ message: 'Refused: the calling frame is gone.' });
  });

  it('after dispose every channel is gone and the session has ended', async () => {
    const { ipcMain, win, binding, sessions } = rig();
    const dispose = vi.spyOn(sessions[0]!, 'dispose');
    binding.dispose();
    expect(ipcMain.handlers.size).toBe(0);
    expect(dispose).toHaveBeenCalledOnce();
    expect(String(await rejection(win.ipcRenderer().invoke(callChannel('docker.status'), {})))).toContain('No handler registered');
  });
});

describe('IPC binding: sessions', () => {
  it('a reload ends the old session (its log follows and terminals) and starts a new one', async () => {
    const { win, binding, sessions } = rig();
    const dispose = vi.spyOn(sessions[0]!, 'dispose');
    binding.resetSession();
    expect(dispose).toHaveBeenCalledOnce();
    expect(sessions).toHaveLength(2);
    await expect(result(createBridge(win.ipcRenderer()).invoke('docker.status', {}))).resolves.toMatchObject({ state: stringMatching(/^(connecting|unreachable)$/) });
  });

  it('errors that are not ApiFailures still reach the panel as {code: failed, message}', async () => {
    const ipcMain = new InMemoryIpcMain();
    const win = new InMemoryWindow(ipcMain, APP_URL);
    const session: SessionLike = {
      call: (method) =>
        Promise.reject(method === 'env.up' ? apiError('docker-unreachable', 'Docker is not running.', { hint: 'Start Docker Desktop.' }) : new TypeError('boom')),
      dispose: () => undefined,
    };
    const binding = bindIpc({ ipcMain, webContents: win, appUrl: APP_URL, createSession: () => session });
    const bridge = createBridge(win.ipcRenderer());
    expect(await failure(bridge.invoke('env.up', { project: 'p' }))).toEqual({
      code: 'docker-unreachable',
      message: 'Docker is not running.',
      details: { hint: 'Start Docker Desktop.' },
    });
    expect(await failure(bridge.invoke('env.down', { project: 'p' }))).toEqual({ code: 'failed', message: 'boom' });
    binding.dispose();
  });
});
