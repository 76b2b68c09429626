// A service's output, line by line: the last N lines, then (when following) each new line as
// Docker streams it. Containers without a TTY multiplex stdout and stderr in one stream.
import { StringDecoder } from 'node:string_decoder';
import type Dockerode from 'dockerode';
import { FrameReader } from './demux.js';

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
  const params = { stdout: true, stderr: true, tail: options.tail ?? 200, timestamps: false } as const;
  const out = new LineSplitter('stdout', onLine);
  const err = new LineSplitter('stderr', onLine);
  const frames = new FrameReader((s, payload) => {
    (s === 'stderr' ? err : out).write(payload);
  });
  const take = (chunk: Buffer) => {
    if (tty) out.write(chunk);
    else frames.push(chunk);
  };
  if (!options.follow) {
    take(await container.logs({ ...params, follow: false }));
    out.end();
    err.end();
    return { done: Promise.resolve(), stop: () => undefined };
  }
  const stream = (await container.logs({ ...params, follow: true })) as NodeJS.ReadableStream & {
    destroy(): void;
  };
  stream.on('data', take);
  const done = new Promise<void>((resolve) => {
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      out.end();
      err.end();
      resolve();
    };
    stream.on('end', finish);
    stream.on('close', finish);
    stream.on('error', finish);
  });
  return { done, stop: () => stream.destroy() };
}
