// A fixed-size buffer of the most recent items: pushing past capacity drops the oldest, in O(1)
// per item, so thousands of log lines a second cost no copying.
export class RingBuffer<T> {
  private readonly items: Array<T | undefined>;
  private start = 0;
  private count = 0;
  /** Items ever pushed (also counts the dropped ones): a cheap "something changed" marker. */
  total = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('capacity must be a positive integer');
    this.items = new Array<T | undefined>(capacity);
  }

  get size(): number {
    return this.count;
  }

  push(...values: T[]): void {
    this.pushAll(values);
  }

  pushAll(values: readonly T[]): void {
    // Only the last `capacity` of a big batch can survive: skip the rest outright.
    const from = Math.max(0, values.length - this.capacity);
    this.total += values.length;
    for (let i = from; i < values.length; i++) {
      const end = (this.start + this.count) % this.capacity;
      this.items[end] = values[i];
      if (this.count < this.capacity) this.count++;
      else this.start = (this.start + 1) % this.capacity;
    }
  }

  /** The i-th oldest item still kept. */
  at(i: number): T | undefined {
    if (i < 0 || i >= this.count) return undefined;
    return this.items[(this.start + i) % this.capacity];
  }

  toArray(): T[] {
    const out: T[] = new Array<T>(this.count);
    for (let i = 0; i < this.count; i++) out[i] = this.items[(this.start + i) % this.capacity] as T;
    return out;
  }

  clear(): void {
    this.items.fill(undefined);
    this.start = 0;
    this.count = 0;
    this.total = 0;
  }
}

/** Lines containing the filter text (case-insensitive); every line for an empty filter. */
export function filterLines<T extends { text: string }>(lines: T[], filter: string): T[] {
  const needle = filter.trim().toLowerCase();
  if (!needle) return lines;
  return lines.filter((l) => l.text.toLowerCase().includes(needle));
}
