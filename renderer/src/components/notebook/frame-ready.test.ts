// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isReadyMessage, ReadyWatch } from './frame-ready.js';

const ORIGIN = 'http://127.0.0.1:41000';

afterEach(() => {
  vi.useRealTimers();
  document.body.innerHTML = '';
});

function watched(timeoutMs = 1000) {
  const frame = document.createElement('iframe');
  document.body.appendChild(frame);
  const calls: string[] = [];
  const watch = new ReadyWatch({
    frameWindow: () => frame.contentWindow,
    origin: ORIGIN,
    timeoutMs,
    onSilent: () => calls.push('silent'),
    onReady: () => calls.push('ready'),
  });
  return { win: frame.contentWindow!, watch, calls };
}

const ready = { coursedock: 'ready' };

describe('isReadyMessage', () => {
  it('takes exactly {coursedock: "ready"} and nothing else', () => {
    expect(isReadyMessage(ready)).toBe(true);
    expect(isReadyMessage({ coursedock: 'ready', extra: 1 })).toBe(false);
    expect(isReadyMessage({ coursedock: 'save-answer' })).toBe(false);
    expect(isReadyMessage({ coursedock: 'READY' })).toBe(false);
    expect(isReadyMessage(['ready'])).toBe(false);
    expect(isReadyMessage('ready')).toBe(false);
    expect(isReadyMessage(null)).toBe(false);
    expect(isReadyMessage(undefined)).toBe(false);
  });
});

describe('ReadyWatch', () => {
  it('a ready from the frame before the timeout: ready, and no timer goes off later', () => {
    vi.useFakeTimers();
    const { win, watch, calls } = watched();
    watch.loaded();
    vi.advanceTimersByTime(999);
    watch.message({ data: ready, origin: ORIGIN, source: win });
    vi.advanceTimersByTime(10_000);
    expect(calls).toEqual(['ready']);
    expect(watch.current).toBe('ready');
  });

  it('a ready that came before the load event counts too, and the load then starts no timer', () => {
    vi.useFakeTimers();
    const { win, watch, calls } = watched();
    watch.message({ data: ready, origin: ORIGIN, source: win });
    watch.loaded();
    vi.advanceTimersByTime(10_000);
    expect(calls).toEqual(['ready']);
  });

  it('ignores another window, another origin and other shapes, then says silent once', () => {
    vi.useFakeTimers();
    const { win, watch, calls } = watched();
    watch.loaded();
    watch.message({ data: ready, origin: ORIGIN, source: window });
    watch.message({ data: ready, origin: ORIGIN, source: null });
    watch.message({ data: ready, origin: 'http://127.0.0.1:41001', source: win });
    watch.message({ data: ready, origin: 'null', source: win });
    watch.message({ data: { coursedock: 'ready', also: 'x' }, origin: ORIGIN, source: win });
    vi.advanceTimersByTime(1000);
    expect(calls).toEqual(['silent']);
    vi.advanceTimersByTime(60_000);
    expect(calls).toEqual(['silent']);
  });

  it('one timer per watched load: later load events (the student navigating) start none', () => {
    vi.useFakeTimers();
    const { watch, calls } = watched();
    watch.loaded();
    vi.advanceTimersByTime(600);
    watch.loaded();
    vi.advanceTimersByTime(400);
    expect(calls).toEqual(['silent']);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a late ready after silence still counts', () => {
    vi.useFakeTimers();
    const { win, watch, calls } = watched();
    watch.loaded();
    vi.advanceTimersByTime(1000);
    watch.message({ data: ready, origin: ORIGIN, source: win });
    watch.message({ data: ready, origin: ORIGIN, source: win });
    expect(calls).toEqual(['silent', 'ready']);
  });

  it('disposed: no timer left, nothing heard', () => {
    vi.useFakeTimers();
    const { win, watch, calls } = watched();
    watch.loaded();
    watch.dispose();
    expect(vi.getTimerCount()).toBe(0);
    watch.message({ data: ready, origin: ORIGIN, source: win });
    expect(calls).toEqual([]);
  });
});
