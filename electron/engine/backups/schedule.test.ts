import { describe, expect, it } from 'vitest';
import { FakeClock } from '../testing/fake-clock.js';
import { BackupScheduler, nextDue, RETRY_MS } from './schedule.js';

const HOUR = 3600 * 1000;
const DAY = 24 * HOUR;

/** A scheduler whose backups only count themselves (and leave no newer backup behind). */
function counting(clock: FakeClock, enabled: () => boolean = () => true): { s: BackupScheduler; count: () => number } {
  let calls = 0;
  const backup = () => {
    calls++;
    return Promise.resolve();
  };
  return { s: new BackupScheduler({ enabled, lastBackupAt: () => undefined, backup }, DAY, clock), count: () => calls };
}

describe('scheduled backups', () => {
  it('is due an interval after the last backup, or now', () => {
    expect(nextDue(undefined, DAY, 1000)).toBe(1000);
    expect(nextDue(1000, DAY, 2000)).toBe(1000 + DAY);
    expect(nextDue(1000, DAY, 1000 + 2 * DAY)).toBe(1000 + 2 * DAY);
  });

  it('backs up daily while running, counted from the last backup, and not while stopped', async () => {
    const clock = new FakeClock();
    const taken: number[] = [];
    let last: number | undefined = clock.t - 20 * HOUR; // a manual backup this morning
    const backup = () => {
      taken.push((last = clock.t));
      return Promise.resolve();
    };
    const s = new BackupScheduler({ enabled: () => true, lastBackupAt: () => last, backup }, DAY, clock);
    s.setRunning(true);
    await clock.advance(3 * HOUR);
    expect(taken).toEqual([]);
    await clock.advance(1 * HOUR);
    expect(taken).toEqual([Date.parse('2030-01-01T12:00:00Z')]);
    await clock.advance(DAY);
    expect(taken).toHaveLength(2);
    s.setRunning(false);
    expect(clock.pending()).toBe(0);
    await clock.advance(3 * DAY);
    expect(taken).toHaveLength(2);
    s.setRunning(true); // overdue: at once
    await clock.advance(0);
    expect(taken).toHaveLength(3);
    s.dispose();
    expect(clock.pending()).toBe(0);
  });

  it('a failed backup is tried again an hour later, not in a loop', async () => {
    const clock = new FakeClock();
    let calls = 0;
    const failing = new BackupScheduler(
      {
        enabled: () => true,
        lastBackupAt: () => undefined,
        backup: () => {
          calls++;
          return Promise.reject(new Error('disk full'));
        },
      },
      DAY,
      clock,
    );
    failing.setRunning(true);
    await clock.advance(0);
    expect(calls).toBe(1);
    await clock.advance(RETRY_MS - 1);
    expect(calls).toBe(1);
    await clock.advance(1);
    expect(calls).toBe(2);
    failing.dispose();
  });

  it('switched off, nothing is armed; switched on, it is due at once', async () => {
    const clock = new FakeClock();
    let on = false;
    const { s, count } = counting(clock, () => on);
    s.setRunning(true);
    expect(clock.pending()).toBe(0);
    await clock.advance(DAY);
    expect(count()).toBe(0);
    on = true;
    s.refresh();
    await clock.advance(0);
    expect(count()).toBe(1);
    on = false;
    s.refresh();
    expect(clock.pending()).toBe(0);
    s.dispose();
  });

  it('a backup that leaves no newer backup behind is not tried again at once (no loop)', async () => {
    const clock = new FakeClock();
    const { s, count } = counting(clock);
    s.setRunning(true);
    await clock.advance(0);
    await clock.advance(0);
    expect(count()).toBe(1);
    await clock.advance(DAY - 1);
    expect(count()).toBe(1);
    await clock.advance(1);
    expect(count()).toBe(2);
    s.dispose();
  });
});
