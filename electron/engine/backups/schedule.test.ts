import { describe, expect, it } from 'vitest';
import { BackupScheduler, nextDue, RETRY_MS, type Clock } from './schedule.js';

const HOUR = 3600 * 1000;
const DAY = 24 * HOUR;

/** A clock that moves only when told, firing the timers that fall due. */
class FakeClock implements Clock {
  t = Date.parse('2030-01-01T08:00:00Z');
  private timers: Array<{ at: number; fn: () => void; id: number }> = [];
  private next = 1;
  now = () => this.t;
  setTimeout = (fn: () => void, ms: number) => {
    const id = this.next++;
    this.timers.push({ at: this.t + ms, fn, id });
    return id;
  };
  clearTimeout = (h: unknown) => {
    this.timers = this.timers.filter((x) => x.id !== h);
  };
  pending = () => this.timers.length;
  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    for (;;) {
      this.timers.sort((x, y) => x.at - y.at);
      const due = this.timers[0];
      if (!due || due.at > end) break;
      this.timers.shift();
      this.t = due.at;
      due.fn();
      for (let i = 0; i < 5; i++) await Promise.resolve();
      await new Promise((r) => setImmediate(r));
    }
    this.t = end;
  }
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
    const s = new BackupScheduler({ lastBackupAt: () => last, backup: async () => void taken.push((last = clock.t)) }, DAY, clock);
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
    const s = new BackupScheduler({ lastBackupAt: () => undefined, backup: async () => void calls++ }, DAY, clock);
    const failing = new BackupScheduler(
      {
        lastBackupAt: () => undefined,
        backup: async () => {
          calls++;
          throw new Error('disk full');
        },
      },
      DAY,
      clock,
    );
    void s;
    failing.setRunning(true);
    await clock.advance(0);
    expect(calls).toBe(1);
    await clock.advance(RETRY_MS - 1);
    expect(calls).toBe(1);
    await clock.advance(1);
    expect(calls).toBe(2);
    failing.dispose();
  });
});
