import { describe, expect, it } from 'vitest';
import { backupsToRemove, type RetainedBackup } from './retention.js';

const DAY = 24 * 3600 * 1000;
const NOW = Date.parse('2030-03-10T12:00:00Z');
const b = (id: string, daysAgo: number, automatic: boolean, totalBytes = 100): RetainedBackup => ({
  id,
  createdAt: new Date(NOW - daysAgo * DAY).toISOString(),
  automatic,
  totalBytes,
});

describe('retention of backups', () => {
  it('removes automatic backups older than the kept days, never manual ones', () => {
    const list = [b('old-auto', 8, true), b('old-manual', 30, false), b('new-auto', 6.9, true)];
    expect(backupsToRemove(list, { keepDays: 7, maxBytes: 1e9 }, NOW).map((x) => x.id)).toEqual(['old-auto']);
  });

  it('keeps automatic backups under the size cap by removing the oldest first', () => {
    const list = [b('c', 1, true, 400), b('a', 3, true, 400), b('m', 5, false, 10_000), b('b', 2, true, 400)];
    expect(backupsToRemove(list, { keepDays: 7, maxBytes: 900 }, NOW).map((x) => x.id)).toEqual(['a']);
    expect(backupsToRemove(list, { keepDays: 7, maxBytes: 500 }, NOW).map((x) => x.id)).toEqual(['a', 'b']);
  });

  it('keeps the newest automatic backup even when it alone is over the cap (it may be an undo)', () => {
    expect(backupsToRemove([b('big', 0, true, 5000)], { keepDays: 7, maxBytes: 10 }, NOW)).toEqual([]);
  });

  it('depends on the "now" it is given, not the clock', () => {
    const list = [b('x', 3, true)];
    expect(backupsToRemove(list, { keepDays: 7, maxBytes: 1e9 }, NOW)).toEqual([]);
    expect(backupsToRemove(list, { keepDays: 7, maxBytes: 1e9 }, NOW + 5 * DAY).map((x) => x.id)).toEqual(['x']);
  });
});
