// Progress of long work (a bundle read, a database dump) comes from streams: hundreds of
// updates a second. A panel needs a few. `LatestEvery` passes the first update of a key at
// once, then at most one per interval, always the latest; `end` passes the end at once and
// drops what was held. A timer runs only while updates keep coming: nothing ticks when idle.

export class LatestEvery<K, V> {
  private readonly slots = new Map<K, { timer: NodeJS.Timeout; held?: { value: V } }>();

  constructor(
    private readonly intervalMs: number,
    private readonly deliver: (key: K, value: V | undefined) => void,
  ) {}

  push(key: K, value: V): void {
    const slot = this.slots.get(key);
    if (slot) {
      slot.held = { value };
      return;
    }
    this.deliver(key, value);
    this.open(key);
  }

  /** The work of `key` is over: told now (as `undefined`), anything held is dropped. */
  end(key: K): void {
    const slot = this.slots.get(key);
    if (slot) clearTimeout(slot.timer);
    this.slots.delete(key);
    this.deliver(key, undefined);
  }

  /** Whether an interval is open for `key` (for tests: no timer outlives the updates). */
  pending(key: K): boolean {
    return this.slots.has(key);
  }

  private open(key: K): void {
    const slot: { timer: NodeJS.Timeout; held?: { value: V } } = {
      timer: setTimeout(() => {
        this.slots.delete(key);
        if (!slot.held) return;
        this.deliver(key, slot.held.value);
        this.open(key);
      }, this.intervalMs),
    };
    slot.timer.unref();
    this.slots.set(key, slot);
  }
}
