import { afterEach, describe, expect, it, vi } from 'vitest';
import { watchClockJumps } from './after-sleep.js';

afterEach(() => vi.useRealTimers());

describe('resume noticed as a clock jump', () => {
  it('a gap far longer than the timer interval is a resume, with the gap; regular ticks are not', () => {
    vi.useFakeTimers();
    let clock = 1_000_000;
    const resumes: number[] = [];
    const stop = watchClockJumps((gap) => resumes.push(gap), { intervalMs: 10_000, jumpMs: 30_000, now: () => clock });
    for (let i = 0; i < 5; i++) {
      clock += 10_000;
      vi.advanceTimersByTime(10_000);
    }
    expect(resumes).toEqual([]);
    clock += 10_000 + 15 * 60_000; // the process was frozen for a quarter of an hour
    vi.advanceTimersByTime(10_000);
    expect(resumes).toEqual([10_000 + 15 * 60_000]);
    stop();
  });
});
