// The tracker's progress publishing: a burst of progress (a pull's layers) is published at most
// once per 100 ms, but the first at once and the last always, so an operation over within 100 ms
// (a build from cache) still showed that it ran.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { load, spec } from '../spec/test-helpers.js';
import { StateTracker } from './state-tracker.js';
import type { ProgressState } from '../docker/progress.js';

const build = (lines: number, done = false): ProgressState => ({ kind: 'build', image: 'img', layers: [], lines: Array.from({ length: lines }, (_, i) => `Step ${i + 1}`), done });

describe('StateTracker progress', () => {
  let tracker: StateTracker;
  let seen: Array<ProgressState | undefined>;
  beforeEach(() => {
    vi.useFakeTimers();
    tracker = new StateTracker(load(spec('services:\n  db:\n    image: postgres:15\n')), () => undefined);
    seen = [];
    tracker.on('state', (s) => seen.push(s.progress));
  });
  afterEach(() => {
    tracker.dispose();
    vi.useRealTimers();
  });

  it('publishes the first progress at once and the last always, even within 100 ms', () => {
    tracker.setProgress('db', build(1));
    expect(seen.map((p) => p?.done)).toEqual([false]);
    tracker.setProgress('db', build(2));
    tracker.setProgress('db', build(3, true));
    expect(seen.map((p) => [p?.lines.length, p?.done])).toEqual([
      [1, false],
      [3, true],
    ]);
    vi.advanceTimersByTime(1000);
    expect(seen).toHaveLength(2);
  });

  it('publishes a burst at most once per 100 ms, with what arrived last', () => {
    for (let i = 1; i <= 50; i++) {
      tracker.setProgress('db', build(i));
      vi.advanceTimersByTime(10); // 500 ms of progress
    }
    vi.advanceTimersByTime(200);
    expect(seen.length).toBeGreaterThanOrEqual(5);
    expect(seen.length).toBeLessThanOrEqual(6);
    expect(seen.at(-1)?.lines.length).toBe(50);
  });
});
