// Joins a running container's past lines (Docker's log, read after the attach is open) to its
// live output (the attach). The two reads race:
// - lines written around the time the past was read come through both, and either read may
//   deliver them first;
// - in a flood, Docker's log writer lags the attach, so a past read just now may end before the
//   first live line: lines between them are in neither read.
// So each output stream's live lines are held until the past's last line is found among them
// (everything up to it is in the past). When the live output had begun before the past was
// read, the past itself is held until that join is found, and a past that never joins is
// reported (settle returns false) so the caller can read it again. Stdout and stderr are
// separate pipes whose interleaving may differ between the two reads: each is matched alone.
import type { LogLine } from './logs.js';

/** How many live lines beyond the past's length are searched for the past's end. */
const MAX_AHEAD = 100_000;

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

/** One output stream's live lines while the past's end is looked for among them. */
class StreamJoin {
  private held: LogLine[] = [];
  private readonly texts: string[] = [];
  private past: readonly string[] = [];
  /** Index of the past's last line among the held lines, once found. */
  end = -1;
  open = false;

  constructor(private readonly emit: (line: LogLine) => void) {}

  get holding(): boolean {
    return this.held.length > 0;
  }

  get found(): boolean {
    return this.end >= 0;
  }

  setPast(past: readonly string[]): void {
    this.past = past;
    this.end = pastEndIn(past, this.texts);
  }

  take(line: LogLine): void {
    if (this.open) {
      this.emit(line);
      return;
    }
    this.held.push(line);
    this.texts.push(line.text);
    if (!this.found) this.end = pastEndIn(this.past, this.texts, this.texts.length - 1);
  }

  /** Past sent: sends the held lines not in it (all of them if its end was not found), then passes lines through. */
  release(): void {
    if (this.open) return;
    this.open = true;
    const held = this.held.slice(this.end + 1);
    this.held = [];
    this.texts.length = 0;
    for (const l of held) this.emit(l);
  }

  /** The past has none of this stream's lines, or its end is among the held ones, or it cannot be any more. */
  get ready(): boolean {
    return this.past.length === 0 || this.found || this.held.length > this.past.length + MAX_AHEAD;
  }
}

/** Holds live lines (and, when they had begun, the past) until they join; then sends each line once, in order. */
export class LiveJoin {
  private readonly streams: Record<Stream, StreamJoin>;
  private pastLines: readonly LogLine[] | undefined;
  /** Streams whose live lines had begun when the past arrived: the past waits for their join. */
  private waitFor: Stream[] = [];
  private shown = false;
  /** Stopped by its reader: nothing more is sent. */
  closed = false;
  private firstLive: (() => void) | undefined;

  constructor(private readonly emit: (line: LogLine) => void) {
    const send = (l: LogLine) => {
      if (!this.closed) this.emit(l);
    };
    this.streams = { stdout: new StreamJoin(send), stderr: new StreamJoin(send) };
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
    s.take(line);
    this.firstLive?.();
    this.firstLive = undefined;
    if (s.open || !s.ready) return;
    if (this.shown) s.release();
    else this.showWhenJoined();
  }

  /** The past as read now; replaces one read earlier that has not joined yet. */
  past(lines: readonly LogLine[]): void {
    if (this.shown) return;
    this.pastLines = lines;
    for (const s of STREAMS) this.streams[s].setPast(lines.filter((l) => l.stream === s).map((l) => l.text));
    this.waitFor = STREAMS.filter((s) => this.streams[s].holding);
    this.showWhenJoined();
  }

  /**
   * The settle time is over: live lines still held are new (the past's end was written before the
   * attach). Returns false, sending nothing, when the past has not joined lines that had begun
   * before it (it is behind them: read it again); `force` sends it anyway.
   */
  settle(force = false): boolean {
    if (!this.shown) {
      if (!force && this.pastLines) return false;
      this.show();
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
    if (this.pastLines && this.waitFor.every((s) => this.streams[s].ready)) this.show();
  }

  private show(): void {
    this.shown = true;
    for (const l of this.pastLines ?? []) if (!this.closed) this.emit(l);
    for (const s of STREAMS) if (this.streams[s].ready) this.streams[s].release();
  }
}
