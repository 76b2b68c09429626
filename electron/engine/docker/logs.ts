// A service's output, line by line: the last N lines, then (when following) each new line as
// Docker streams it. Containers without a TTY multiplex stdout and stderr in one stream.
import { StringDecoder } from 'node:string_decoder';
import { setTimeout as sleep } from 'node:timers/promises';
import type Dockerode from 'dockerode';
import { FrameReader } from './demux.js';
import { ChunkQueue } from './chunk-queue.js';
import { LiveJoin } from './live-join.js';

export interface LogLine {
  stream: 'stdout' | 'stderr';
  text: string;
}

export interface LogHandle {
  /** Resolves when the stream ends (at once for a non-following read, after the last line). */
  done: Promise<void>;
  stop(): void;
}

/** Whole lines of one output stream; a character or line cut between chunks is joined. */
class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private rest = '';

  constructor(
    private readonly stream: LogLine['stream'],
    private readonly onLine: (l: LogLine) => void,
  ) {}

  write(chunk: Buffer): void {
    const parts = (this.rest + this.decoder.write(chunk)).split('\n');
    this.rest = parts.pop() ?? '';
    for (const text of parts) this.onLine({ stream: this.stream, text: text.endsWith('\r') ? text.slice(0, -1) : text });
  }

  end(): void {
    const text = this.rest + this.decoder.end();
    this.rest = '';
    if (text) this.onLine({ stream: this.stream, text });
  }
}

export async function followLogs(
  docker: Dockerode,
  containerId: string,
  options: { tail?: number; follow?: boolean },
  onLine: (line: LogLine) => void,
): Promise<LogHandle> {
  const container = docker.getContainer(containerId);
  const info = await container.inspect();
  const tty = info.Config.Tty;
  const tail = options.tail ?? 200;
  if (!options.follow) {
    readLines(await container.logs({ ...PAST, tail, follow: false }), tty, onLine);
    return { done: Promise.resolve(), stop: () => undefined };
  }
  if (info.State.Running) {
    const live = await followLive(container, tty, tail, onLine).catch(() => undefined);
    if (live) return live;
  }
  return followLog(container, tty, tail, onLine);
}

const PAST = { stdout: true, stderr: true, timestamps: false } as const;

/** Splits a whole (non-following) output into lines. */
function readLines(buf: Buffer, tty: boolean, onLine: (line: LogLine) => void): void {
  const reader = lineReader(tty, onLine);
  reader.take(buf);
  reader.end();
}

/** Chunks of a stream in, whole lines out: multiplexed frames, or raw for a TTY. */
function lineReader(tty: boolean, onLine: (line: LogLine) => void): { take: (chunk: Buffer) => void; end: () => void } {
  const out = new LineSplitter('stdout', onLine);
  const err = new LineSplitter('stderr', onLine);
  const frames = new FrameReader((s, payload) => {
    (s === 'stderr' ? err : out).write(payload);
  });
  return {
    take: (chunk) => (tty ? out.write(chunk) : frames.push(chunk)),
    end: () => {
      out.end();
      err.end();
    },
  };
}

type ClosableStream = NodeJS.ReadableStream & { destroy(): void };

/** Resolves once `stream` has ended, closed or failed. */
function ended(stream: NodeJS.ReadableStream): Promise<void> {
  return new Promise<void>((resolve) => {
    stream.once('end', resolve);
    stream.once('close', resolve);
    stream.once('error', () => resolve());
  });
}

/**
 * A stopped container (or one that cannot be attached to): Docker's log, followed. Docker reads
 * it back from the log file and decodes every line again, which costs dockerd a core at ~80 000
 * lines a second; a running container is followed through an attach instead (followLive).
 */
async function followLog(container: Dockerode.Container, tty: boolean, tail: number, onLine: (line: LogLine) => void): Promise<LogHandle> {
  const stream = (await container.logs({ ...PAST, tail, follow: true })) as ClosableStream;
  const reader = lineReader(tty, onLine);
  stream.on('data', reader.take);
  return { done: ended(stream).then(() => reader.end()), stop: () => stream.destroy() };
}

/**
 * A running container: its live output through an attach (what the container writes, as Docker
 * copies it, in large chunks: no log file read back), opened first; then the last `tail` lines
 * of its log, joined without repeats or gaps (live-join.ts). A log driver that cannot be read
 * (none, syslog) still shows the live output.
 *
 * An attach outlives a container that stops: it would wait for the next start. So the stream is
 * also ended when Docker says the container is no longer running; Docker closes attached streams
 * before it says so, so by then every line has been sent, and a stream still open (attached just
 * after the close) gets nothing more.
 */
async function followLive(container: Dockerode.Container, tty: boolean, tail: number, onLine: (line: LogLine) => void): Promise<LogHandle> {
  const stream = (await container.attach({ stream: true, stdout: true, stderr: true, logs: false })) as unknown as ClosableStream;
  const join = new LiveJoin(onLine);
  const reader = lineReader(tty, (l) => join.live(l));
  const chunks = new ChunkQueue(stream, reader.take);
  const stopped = new AbortController();
  const streamEnded = ended(stream);
  void container
    .wait({ condition: 'not-running', abortSignal: stopped.signal })
    .then(() => Promise.race([streamEnded, new Promise((r) => setTimeout(r, STREAM_GRACE_MS).unref())]))
    .catch(() => undefined)
    .finally(() => stream.destroy());
  const joined = joinPast(container, tty, tail, join, chunks, stopped.signal);
  return {
    done: streamEnded.then(async () => {
      stopped.abort();
      await chunks.caughtUp();
      reader.end();
      await joined; // the past is read even when the container stopped at once
      join.settle(true);
    }),
    stop: () => {
      join.close(); // nothing more after stop, not even what had arrived
      chunks.clear();
      stream.destroy();
    },
  };
}

/**
 * Reads the last `tail` lines once the live output has begun (or has stayed quiet a moment), and
 * again every SETTLE_MS while no read has joined the live lines (see live-join.ts), for at most
 * MAX_JOIN_MS. Once the stream has ended, the read then is the last (by then the log holds every
 * line).
 */
async function joinPast(container: Dockerode.Container, tty: boolean, tail: number, join: LiveJoin, chunks: ChunkQueue, ended: AbortSignal): Promise<void> {
  await join.firstLine(FIRST_LINE_MS);
  const giveUp = Date.now() + MAX_JOIN_MS;
  while (!join.closed) {
    const past: LogLine[] = [];
    if (tail > 0) {
      const buf = await container.logs({ ...PAST, tail, follow: false }).catch(() => Buffer.alloc(0));
      readLines(buf, tty, (l) => past.push(l));
    }
    join.past(past);
    // Lines on their way through the attach when the past was read arrive within moments.
    await sleep(SETTLE_MS, undefined, { signal: ended, ref: false }).catch(() => undefined);
    await chunks.caughtUp();
    if (join.settle(Date.now() >= giveUp || ended.aborted)) return;
  }
}

/** How long the live output may stay quiet before the past is read without it. */
const FIRST_LINE_MS = 100;
/** How long live lines may be held while the past's last line is looked for among them. */
const SETTLE_MS = 300;
/**
 * How long the past is read again while no read joins: in a flood the attach's delivery may lag
 * the log by seconds, or Docker's log writer the attach. After it the newest read is sent as is.
 */
const MAX_JOIN_MS = 10_000;

/** After Docker says the container stopped, how long its attached stream may take to end by itself. */
const STREAM_GRACE_MS = 1000;
