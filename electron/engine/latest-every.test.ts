// LatestEvery: the first update goes at once, then at most one per interval (the latest), the
// end at once; no timer is left once updates stop. Fake timers: no wall-clock windows.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LatestEvery } from './latest-every.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('LatestEvery', () => {
  it('passes the first update at once and then the latest once per interval', () => {
    const seen: Array<[string, number | undefined]> = [];
    const t = new LatestEvery<string, number>(250, (k, v) => seen.push([k, v]));
    for (let i = 1; i <= 100; i++) t.push('a', i);
    expect(seen).toEqual([['a', 1]]);
    vi.advanceTimersByTime(250);
    expect(seen).toEqual([
      ['a', 1],
      ['a', 100],
    ]);
    t.push('a', 101);
    t.push('a', 102);
    vi.advanceTimersByTime(250);
    expect(seen.at(-1)).toEqual(['a', 102]);
    // Nothing more came: the interval closes and no timer is left.
    vi.advanceTimersByTime(250);
    expect(t.pending('a')).toBe(false);
    expect(vi.getTimerCount()).toBe(0);
    expect(seen).toHaveLength(3);
  });

  it('keeps keys apart', () => {
    const seen: Array<[string, number | undefined]> = [];
    const t = new LatestEvery<string, number>(250, (k, v) => seen.push([k, v]));
    t.push('a', 1);
    t.push('b', 1);
    t.push('a', 2);
    expect(seen).toEqual([
      ['a', 1],
      ['b', 1],
    ]);
    vi.advanceTimersByTime(250);
    expect(seen.at(-1)).toEqual(['a', 2]);
  });

  it('tells the end at once and drops the update held', () => {
    const seen: Array<[string, number | undefined]> = [];
    const t = new LatestEvery<string, number>(250, (k, v) => seen.push([k, v]));
    t.push('a', 1);
    t.push('a', 2);
    t.end('a');
    expect(seen).toEqual([
      ['a', 1],
      ['a', undefined],
    ]);
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(1000);
    expect(seen).toHaveLength(2);
    // A new run starts afresh: its first update goes at once.
    t.push('a', 3);
    expect(seen.at(-1)).toEqual(['a', 3]);
  });
});
