// @vitest-environment jsdom
// The stand-in terminal while xterm.js loads: nothing said to it before the load is lost, it
// answers in order once the real emulator is there, and it then asks for a fit (a window resize).
// The load is a promise the test resolves, the emulator a recording stand-in.
import { describe, expect, it, vi } from 'vitest';
import type { TermHandle } from './terminal-manager.js';
import { createLazyXterm } from './lazy-xterm.js';

function recorder() {
  const calls: string[] = [];
  const listeners: Array<(d: string) => void> = [];
  const handle: TermHandle = {
    open: (p) => void calls.push(`open ${p.id}`),
    write: (d) => void calls.push(`write ${d}`),
    fit: () => (calls.push('fit'), { cols: 120, rows: 40 }),
    cols: 120,
    rows: 40,
    onData: (cb) => void listeners.push(cb),
    focus: () => void calls.push('focus'),
    dispose: () => void calls.push('dispose'),
  };
  return { calls, listeners, handle };
}

function deferredModule(handle: TermHandle) {
  let resolve!: () => void;
  const loaded = new Promise<void>((r) => (resolve = r));
  const load = vi.fn(async () => {
    await loaded;
    return { createXterm: () => handle, SCROLLBACK: 5000 } as unknown as typeof import('./xterm-handle.js');
  });
  return { load, resolve };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('createLazyXterm', () => {
  it('keeps what it is told before xterm has loaded and replays it in order, then asks for a fit', async () => {
    const { calls, listeners, handle } = recorder();
    const { load, resolve } = deferredModule(handle);
    const resized = vi.fn();
    window.addEventListener('resize', resized);
    const term = createLazyXterm(load);
    const host = Object.assign(document.createElement('div'), { id: 'host' });
    const typed: string[] = [];
    term.open(host);
    term.onData((d) => typed.push(d));
    term.write('$ ');
    term.focus();
    expect(term.fit()).toBeUndefined();
    expect([term.cols, term.rows]).toEqual([80, 24]);
    expect(calls).toEqual([]);

    resolve();
    await flush();
    expect(calls).toEqual(['open host', 'write $ ', 'focus']);
    expect(resized).toHaveBeenCalledTimes(1);
    listeners[0]!('ls\r');
    expect(typed).toEqual(['ls\r']);
    // Loaded: straight through.
    expect(term.fit()).toEqual({ cols: 120, rows: 40 });
    term.write('x');
    expect(calls.at(-1)).toBe('write x');
    term.dispose();
    expect(calls.at(-1)).toBe('dispose');
    window.removeEventListener('resize', resized);
  });

  it('a terminal closed before xterm arrived never makes one', async () => {
    const { calls, handle } = recorder();
    const create = vi.fn(() => handle);
    let resolve!: () => void;
    const loaded = new Promise<void>((r) => (resolve = r));
    const term = createLazyXterm(async () => {
      await loaded;
      return { createXterm: create } as unknown as typeof import('./xterm-handle.js');
    });
    term.write('lost on purpose');
    term.dispose();
    resolve();
    await flush();
    expect(create).not.toHaveBeenCalled();
    expect(calls).toEqual([]);
  });
});
