// Joins a running container's past lines (Docker's log, read after the attach is open) to its
// live output (the attach). The two reads race:
// - lines written around the time the past was read come through both, and either read may
//   deliver them first. In a flood the attach's delivery lags far (tens of thousands of lines
//   queued), so the past is usually read well *ahead* of the live lines handled so far;
// - Docker's log writer may also lag the attach, so a past read just now may end *behind* the
//   first live line: lines between them are in neither read.
// So each output stream's live lines are held until a past's last line is found among them
// (everything up to it is in that past). When the live output had begun before the past was
// read, the past itself is held until that join is found. Every read of the past is kept as a
// candidate while none has joined: one behind never joins and a later read is needed, one ahead
// joins once the live lines catch up, so reading again must not discard it. Stdout and stderr
// are separate pipes whose interleaving may differ between the two reads: each is matched alone.
import type { LogLine } from './logs.js';

/** Live lines held at most while no past has joined (a bound on memory: ~40 MB of short lines). */
const MAX_HELD = 1_000_000;
/** Reads of the past kept as candidates; the oldest is dropped first. */
const MAX_CANDIDATES = 8;

type Stream = LogLine['stream'];
const STREAMS: readonly Stream[] = ['stdout', 'stderr'];

/**
 * The first live index j at which the live lines end with the past's last lines (the last
 * min(j + 1, past.length) of them), searching from `from`; -1 if none yet.
 */
export function pastEndIn(past: readonly string[], live: readonly string[], from = 0): number {
  const last = past.length - 1;
  if (last < 0) return -1;
  for (let j = from; j < live.length; j++) {
    if (live[j] !== past[last]) continue;
    const k = Math.min(j + 1, past.length);
    let same = true;
    for (let i = 1; i < k && same; i++) same = live[j - i] === past[last - i];
    if (same) return j;
  }
  return -1;
}

/** One output stream's live lines while each candidate past's end is looked for among them. */
class StreamJoin {
  /** The live lines held, as text (the stream is this one's). */
  private held: string[] = [];
  /** This stream's lines of each candidate past, and the index of its last line among the held ones (-1: not found). */
  private pasts: { lines: readonly string[]; end: number }[] = [];
  open = false;

  constructor(
    private readonly stream: Stream,
    private readonly emit: (line: LogLine) => void,
  ) {}

  get holding(): boolean {
    return this.held.length > 0;
  }

  addPast(lines: readonly string[]): void {
    this.pasts.push({ lines, end: pastEndIn(lines, this.held) });
  }

  dropOldest(): void {
    this.pasts.shift();
  }

  /** Keeps only candidate `c` (the one shown), or none. */
  choose(c: number): void {
    this.pasts = this.pasts.slice(c, c + 1);
  }

  /** Holds a live line; true when this made a candidate ready. */
  take(line: LogLine): boolean {
    if (this.open) {
      this.emit(line);
      return false;
    }
    this.held.push(line.text);
    let changed = this.held.length === MAX_HELD + 1;
    for (const p of this.pasts) {
      if (p.end >= 0) continue;
      p.end = pastEndIn(p.lines, this.held, this.held.length - 1);
      if (p.end >= 0) changed = true;
    }
    return changed;
  }

  /** Candidate `c` has none of this stream's lines, or its end is among the held ones, or it cannot be any more. */
  readyFor(c: number): boolean {
    const p = this.pasts[c];
    return (p !== undefined && (p.lines.length === 0 || p.end >= 0)) || this.held.length > MAX_HELD;
  }

  /** The chosen past sent: sends the held lines not in it (all of them if its end was not found), then passes lines through. */
  release(): void {
    if (this.open) return;
    this.open = true;
    const held = this.held.slice((this.pasts[0]?.end ?? -1) + 1);
    this.held = [];
    for (const text of held) this.emit({ stream: this.stream, text });
  }
}

/** Holds live lines (and, when they had begun, the past) until they join; then sends each line once, in order. */
export class LiveJoin {
  private readonly streams: Record<Stream, StreamJoin>;
  /** Reads of the past not yet joined, oldest first, each with the streams whose live lines had begun when it arrived. */
  private candidates: { lines: readonly LogLine[]; waitFor: Stream[] }[] = [];
  private shown = false;
  /** Stopped by its reader: nothing more is sent. */
  closed = false;
  private firstLive: (() => void) | undefined;

  constructor(private readonly emit: (line: LogLine) => void) {
    const send = (l: LogLine) => {
      if (!this.closed) this.emit(l);
    };
    this.streams = { stdout: new StreamJoin('stdout', send), stderr: new StreamJoin('stderr', send) };
  }

  /** Resolves when the first live line arrives, or after `ms`. */
  firstLine(ms: number): Promise<void> {
    if (STREAMS.some((s) => this.streams[s].holding)) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      timer.unref();
      this.firstLive = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  live(line: LogLine): void {
    const s = this.streams[line.stream];
    const changed = s.take(line);
    this.firstLive?.();
    this.firstLive = undefined;
    if (s.open || !changed) return;
    if (this.shown) s.release();
    else this.showWhenJoined();
  }

  /** The past as read now: a new candidate beside earlier reads that have not joined yet. */
  past(lines: readonly LogLine[]): void {
    if (this.shown) return;
    this.candidates.push({ lines, waitFor: STREAMS.filter((s) => this.streams[s].holding) });
    for (const s of STREAMS) this.streams[s].addPast(lines.filter((l) => l.stream === s).map((l) => l.text));
    if (this.candidates.length > MAX_CANDIDATES) {
      this.candidates.shift();
      for (const s of STREAMS) this.streams[s].dropOldest();
    }
    this.showWhenJoined();
  }

  /**
   * The settle time is over: live lines still held are new (the past's end was written before the
   * attach). Returns false, sending nothing, when no read of the past has joined lines that had
   * begun before it (each is behind them, or ahead and not caught up yet: read it again); `force`
   * sends the newest anyway.
   */
  settle(force = false): boolean {
    if (!this.shown) {
      if (!force && this.candidates.length) return false;
      this.show(this.candidates.length - 1);
    }
    for (const s of STREAMS) this.streams[s].release();
    return true;
  }

  /** Nothing more is sent. */
  close(): void {
    this.closed = true;
    this.firstLive?.();
  }

  private showWhenJoined(): void {
    const c = this.candidates.findIndex((k, i) => k.waitFor.every((s) => this.streams[s].readyFor(i)));
    if (c >= 0) this.show(c);
  }

  /** Sends candidate `c` (none if -1), then the live lines after it on each stream where it has joined. */
  private show(c: number): void {
    this.shown = true;
    for (const l of this.candidates[c]?.lines ?? []) if (!this.closed) this.emit(l);
    this.candidates = [];
    for (const s of STREAMS) {
      const stream = this.streams[s];
      const ready = stream.readyFor(c);
      stream.choose(c);
      if (ready) stream.release();
    }
  }
}
