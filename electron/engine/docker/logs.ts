// A service's output, line by line: the last N lines, then (when following) each new line as
// Docker streams it. Containers without a TTY multiplex stdout and stderr in one stream.
import { PassThrough } from 'node:stream';
import type Dockerode from 'dockerode';

export interface LogLine {
  stream: 'stdout' | 'stderr';
  text: string;
}

export interface LogHandle {
  /** Resolves when the stream ends (at once for a non-following read, after the last line). */
  done: Promise<void>;
  stop(): void;
}

function lineSplitter(stream: LogLine['stream'], onLine: (l: LogLine) => void): PassThrough {
  const pass = new PassThrough();
  let rest = '';
  pass.on('data', (chunk: Buffer) => {
    const parts = (rest + chunk.toString('utf8')).split('\n');
    rest = parts.pop() ?? '';
    for (const text of parts) onLine({ stream, text: text.replace(/\r$/, '') });
  });
  pass.on('end', () => {
    if (rest) onLine({ stream, text: rest });
  });
  return pass;
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
  const out = lineSplitter('stdout', onLine);
  const err = lineSplitter('stderr', onLine);
  if (!options.follow) {
    const buf = (await container.logs({ ...params, follow: false })) as unknown as Buffer;
    const raw = new PassThrough();
    if (tty) raw.pipe(out);
    else docker.modem.demuxStream(raw, out, err);
    raw.end(buf);
    await new Promise((r) => raw.on('end', r));
    out.end();
    err.end();
    return { done: Promise.resolve(), stop: () => undefined };
  }
  const stream = (await container.logs({ ...params, follow: true })) as NodeJS.ReadableStream & {
    destroy(): void;
  };
  if (tty) stream.pipe(out);
  else docker.modem.demuxStream(stream, out, err);
  const done = new Promise<void>((resolve) => {
    const finish = () => {
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
