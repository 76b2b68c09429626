import { describe, expect, it, vi } from 'vitest';
import type { SettingsStore } from '../engine/settings/settings-store.js';
import { parseDesktopArgs } from './args.js';
import { EnvironmentActions } from './environment-actions.js';
import { ON_QUIT_KEY, QUIT_BUTTONS, rememberedChoice, runQuitFlow, type QuitAnswer } from './quit-flow.js';

function memoryStore(init: Record<string, unknown> = {}): SettingsStore & { data: Map<string, unknown> } {
  const data = new Map(Object.entries(init));
  return {
    data,
    get: (k: string) => data.get(k),
    set: (k: string, v: unknown) => {
      data.set(k, v);
    },
    delete: (k: string) => {
      data.delete(k);
    },
  };
}

const question = (answer: QuitAnswer, remember = false) => ({ ask: vi.fn(() => Promise.resolve({ answer, remember })) });

describe('quitting', () => {
  it('nothing running: quits without asking', async () => {
    const q = question('stop');
    const stopAll = vi.fn(() => Promise.resolve());
    expect(await runQuitFlow({ store: memoryStore(), anyRunning: () => false, question: q, stopAll })).toBe('keep');
    expect(q.ask).not.toHaveBeenCalled();
    expect(stopAll).not.toHaveBeenCalled();
  });

  it.each([
    ['stop', true],
    ['keep', false],
  ] as const)('asks; "%s" stops the services: %s; not remembered unless ticked', async (answer, stops) => {
    const store = memoryStore();
    const stopAll = vi.fn(() => Promise.resolve());
    expect(await runQuitFlow({ store, anyRunning: () => true, question: question(answer), stopAll })).toBe(answer);
    expect(stopAll).toHaveBeenCalledTimes(stops ? 1 : 0);
    expect(store.data.get(ON_QUIT_KEY)).toBeUndefined();
  });

  it('cancel: nothing stopped, nothing remembered, no quitting', async () => {
    const store = memoryStore();
    const stopAll = vi.fn(() => Promise.resolve());
    expect(await runQuitFlow({ store, anyRunning: () => true, question: question('cancel', true), stopAll })).toBe('cancel');
    expect(stopAll).not.toHaveBeenCalled();
    expect(Object.fromEntries(store.data)).toEqual({});
  });

  it('"Remember my choice" is kept in settings and used next time without asking', async () => {
    const store = memoryStore();
    await runQuitFlow({ store, anyRunning: () => true, question: question('stop', true), stopAll: () => Promise.resolve() });
    expect(store.data.get(ON_QUIT_KEY)).toBe('stop');
    const q = question('keep');
    const stopAll = vi.fn(() => Promise.resolve());
    expect(await runQuitFlow({ store, anyRunning: () => true, question: q, stopAll })).toBe('stop');
    expect(q.ask).not.toHaveBeenCalled();
    expect(stopAll).toHaveBeenCalledOnce();
  });

  it('ignores a remembered value it does not know', () => {
    expect(rememberedChoice(memoryStore({ [ON_QUIT_KEY]: 'explode' }))).toBeUndefined();
    expect(rememberedChoice(memoryStore({ [ON_QUIT_KEY]: 'keep' }))).toBe('keep');
  });

  it('a stop that fails does not keep the app from quitting', async () => {
    const log = vi.fn();
    const failing = () => Promise.reject(new Error('Docker went away'));
    expect(await runQuitFlow({ store: memoryStore({ [ON_QUIT_KEY]: 'stop' }), anyRunning: () => true, question: question('stop'), stopAll: failing, log })).toBe('stop');
    expect(log).toHaveBeenCalledWith(expect.stringContaining('Docker went away'));
  });

  it('a stop that hangs holds quitting up for the timeout only (on a fake clock)', async () => {
    vi.useFakeTimers();
    try {
      const log = vi.fn();
      const hanging = () => new Promise<never>(() => undefined);
      let outcome: QuitAnswer | undefined;
      void runQuitFlow({ store: memoryStore({ [ON_QUIT_KEY]: 'stop' }), anyRunning: () => true, question: question('stop'), stopAll: hanging, stopTimeoutMs: 30_000, log }).then(
        (answer) => (outcome = answer),
      );
      await vi.advanceTimersByTimeAsync(29_999);
      expect(outcome).toBeUndefined();
      await vi.advanceTimersByTimeAsync(1);
      expect(outcome).toBe('stop');
      expect(log).toHaveBeenLastCalledWith(expect.stringContaining('took over 30 s: quitting anyway'));
    } finally {
      vi.useRealTimers();
    }
  });

  it('the dialog buttons map to answers in order', () => {
    expect(QUIT_BUTTONS.map((b) => b.answer)).toEqual(['stop', 'keep', 'cancel']);
  });
});

describe('environment actions (tray, dock, quit)', () => {
  const env = (project: string, states: Array<{ status: string; service?: string; ports?: Array<{ hostPort: number }>; webUrl?: string }>) => ({
    project,
    states: () => states.map((s) => ({ service: 's', ports: [], ...s })),
  });

  it('start/stop all go through the contract for every open environment', async () => {
    const api = { call: vi.fn(() => Promise.resolve({ ok: true, services: [] })) };
    const engine = { opened: () => [env('tm351', []), env('other', [])] };
    const actions = new EnvironmentActions(engine as never, api);
    await actions.startAll();
    await actions.stopAll();
    expect(api.call.mock.calls).toEqual([
      ['env.up', { project: 'tm351' }],
      ['env.up', { project: 'other' }],
      ['env.down', { project: 'tm351' }],
      ['env.down', { project: 'other' }],
    ]);
  });

  it('knows what runs, which ports are published and where the notebook is', async () => {
    const engine = {
      opened: () => [
        env('tm351', [
          { status: 'stopped' },
          { status: 'healthy', service: 'notebook', ports: [{ hostPort: 8351 }], webUrl: 'http://127.0.0.1:8351/p/tm351/notebook/tree' },
          { status: 'running', ports: [{ hostPort: 15432 }] },
        ]),
      ],
    };
    const ticketed = 'http://127.0.0.1:40001/p/tm351/notebook/tree?coursedock_ticket=once';
    const api = { call: vi.fn(() => Promise.resolve({ url: ticketed })) };
    const actions = new EnvironmentActions(engine as never, api);
    expect(actions.anyRunning()).toBe(true);
    expect([...actions.publishedPorts()].sort()).toEqual([15432, 8351]);
    // The notebook window gets a one-time URL on the notebook's own origin, never its token.
    expect(actions.notebookService()).toEqual({ project: 'tm351', service: 'notebook' });
    await expect(actions.notebookUrl()).resolves.toBe(ticketed);
    expect(api.call).toHaveBeenCalledWith('service.webView', { project: 'tm351', service: 'notebook' });
    const idle = new EnvironmentActions({ opened: () => [env('tm351', [{ status: 'stopped' }, { status: 'exited' }, { status: 'missing' }])] } as never, { call: vi.fn() });
    expect(idle.anyRunning()).toBe(false);
    await expect(idle.notebookUrl()).resolves.toBeUndefined();
  });
});

describe('command line', () => {
  it.each([
    [['/usr/bin/electron', '.', '--course', 'tm351'], { course: 'tm351' }],
    [['Coursedock.exe', '--course=C:\\specs\\tm351'], { course: 'C:\\specs\\tm351' }],
    [['electron', '--remote-debugging-port=0', '/repo'], {}],
    [['electron', '--course'], {}],
    [['electron', '--course', '--inspect'], {}],
  ])('%j → %j', (argv, expected) => {
    expect(parseDesktopArgs(argv)).toEqual(expected);
  });
});
