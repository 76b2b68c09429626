// Joins a running container's past lines (Docker's log, read once) to its live output (an
// attach, opened first so nothing falls between the two). Lines the container wrote while the
// past was being read arrive twice: at the end of the past and at the start of the live output.
// Each output stream is matched on its own (stdout and stderr are separate pipes, so their
// interleaving may differ between the two reads): the longest run at the start of a stream's
// held live lines that equals the end of its past lines is dropped.
import type { LogLine } from './logs.js';

/** How far back the past is searched for the live output's first lines. */
const MAX_OVERLAP = 5000;

/** The longest k such that `past` ends with the first k of `live`. */
export function overlapLength(past: readonly string[], live: readonly string[]): number {
  for (let k = Math.min(past.length, live.length, MAX_OVERLAP); k > 0; k--) {
    let same = true;
    for (let i = 0, p = past.length - k; i < k; i++, p++) {
      if (past[p] !== live[i]) {
        same = false;
        break;
      }
    }
    if (same) return k;
  }
  return 0;
}

/** Holds live lines until the past is known, then emits past, the new part of the held, and the rest. */
export class LiveJoin {
  private held: LogLine[] | undefined = [];

  constructor(private readonly emit: (line: LogLine) => void) {}

  live(line: LogLine): void {
    if (this.held) this.held.push(line);
    else this.emit(line);
  }

  past(lines: readonly LogLine[]): void {
    const held = this.held;
    if (!held) return;
    this.held = undefined;
    for (const l of lines) this.emit(l);
    const skip = { stdout: 0, stderr: 0 };
    for (const stream of ['stdout', 'stderr'] as const) {
      const texts = (ls: readonly LogLine[]) => ls.filter((l) => l.stream === stream).map((l) => l.text);
      skip[stream] = overlapLength(texts(lines), texts(held));
    }
    for (const l of held) {
      if (skip[l.stream] > 0) skip[l.stream]--;
      else this.emit(l);
    }
  }
}
