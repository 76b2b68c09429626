import { describe, expect, it } from 'vitest';
import { runBounded } from './bounded.js';
import { usageFromStats } from './usage.js';

describe('runBounded', () => {
  it('runs every item, never more than the limit at once, in order of taking', async () => {
    let running = 0;
    let most = 0;
    const taken: number[] = [];
    await runBounded([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      taken.push(n);
      running++;
      most = Math.max(most, running);
      await new Promise((r) => setImmediate(r));
      running--;
    });
    expect(taken).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(most).toBe(3);
    await runBounded([], 4, () => Promise.resolve(undefined));
  });
});

describe('usageFromStats', () => {
  it('gives CPU as docker stats does (100 = one core) and memory without page cache', () => {
    const u = usageFromStats({
      cpu_stats: { cpu_usage: { total_usage: 3_000 }, system_cpu_usage: 20_000, online_cpus: 2 },
      precpu_stats: { cpu_usage: { total_usage: 1_000 }, system_cpu_usage: 10_000 },
      memory_stats: { usage: 300, stats: { inactive_file: 100 } },
    });
    expect(u).toEqual({ cpuPercent: 40, memoryBytes: 200 });
    expect(usageFromStats({})).toEqual({ cpuPercent: 0, memoryBytes: 0 });
  });
});
