// A clock for timer-driven code in tests: time moves only when told, firing what falls due.
import type { Clock } from '../backups/schedule.js';

/** A clock that moves only when told, firing the timers that fall due. */
export class FakeClock implements Clock {
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
