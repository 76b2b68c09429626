// Moving backup data in and out of containers without holding it in memory: a command's
// standard output streamed (demultiplexed) straight into a file with its sha256 computed on
// the way, files put into a container as a tar stream, and one-off helper containers run to
// the end with their output kept for the error message.
import { createHash } from 'node:crypto';
import { createWriteStream, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { PassThrough, Transform, Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type Dockerode from 'dockerode';
import { demux } from '../docker/demux.js';
import { pack } from 'tar-fs';
import { describeError } from '../docker/connect.js';
import { execInContainer, type ExecResult } from '../snapshots/exec.js';
import { LABEL, ROLE_BACKUP_HELPER } from '../plan/labels.js';

export { execInContainer, type ExecResult };

export interface WrittenFile {
  bytes: number;
  sha256: string;
}

/**
 * A process whose bytes are streamed: its standard output (demultiplexed), its standard input
 * when asked for (end it to close the process's input), and its end.
 */
export interface ProcessStreams {
  stdout: Readable;
  stdin: Writable | undefined;
  /** Settles once the process has ended; rejects, with what it printed on stderr, unless it exits 0. */
  ended: Promise<void>;
  /** Gives up on it (the other end of a pipeline failed); settles once it is gone. */
  abort(): Promise<void>;
}

type Hijacked = NodeJS.ReadWriteStream & { destroy(): void };

/** Splits a hijacked stream: stdout into a readable, stderr kept (bounded) for the error message. */
function splitOutput(stream: Hijacked): { stdout: PassThrough; stderr: () => string; closed: Promise<void> } {
  const stdout = new PassThrough({ highWaterMark: 1024 * 1024 });
  const errChunks: Buffer[] = [];
  let errBytes = 0;
  const stderr = new Writable({
    write(b: Buffer, _e, cb) {
      if (errBytes < 64 * 1024) errChunks.push(Buffer.from(b));
      errBytes += b.length;
      cb();
    },
  });
  demux(stream, stdout, stderr);
  const closed = new Promise<void>((resolve, reject) => {
    stream.on('end', resolve);
    stream.on('close', resolve);
    stream.on('error', reject);
  }).finally(() => stdout.end());
  return { stdout, stderr: () => Buffer.concat(errChunks).toString('utf8').trim().slice(0, 600), closed };
}

const failed = (what: string, code: number, said: string) => new Error(`${what} failed (exit code ${code})${said ? `: ${said}` : ''}`);

/** Runs `cmd` in the running container through Docker exec, its bytes streamed. */
export async function execStreams(docker: Dockerode, containerId: string, cmd: string[], options: { stdin?: boolean } = {}): Promise<ProcessStreams> {
  const stdin = options.stdin ?? false;
  const exec = await docker.getContainer(containerId).exec({ Cmd: cmd, AttachStdin: stdin, AttachStdout: true, AttachStderr: true, Tty: false });
  const stream = (await exec.start({ hijack: true, stdin })) as unknown as Hijacked;
  const out = splitOutput(stream);
  const ended = out.closed.then(async () => {
    const code = await exitCode(exec);
    if (code !== 0) throw failed(cmd[0] ?? 'the command', code, out.stderr());
  });
  ended.catch(() => undefined); // awaited by the caller; a pipeline that failed first may not
  return { stdout: out.stdout, stdin: stdin ? (stream as unknown as Writable) : undefined, ended, abort: () => {
      stream.destroy();
      return Promise.resolve();
    },
  };
}

/**
 * A short-lived helper container (no network) as a filter: what is written to its stdin (if
 * asked for) goes to its command, whose stdout is streamed back. Removed once it has ended.
 */
export async function helperStreams(docker: Dockerode, run: HelperRun & { stdin?: boolean }): Promise<ProcessStreams> {
  const stdin = run.stdin ?? false;
  const container = await docker.createContainer({
    Image: run.image,
    Cmd: run.cmd,
    Labels: { [LABEL.role]: ROLE_BACKUP_HELPER, ...(run.labels ?? {}) },
    NetworkDisabled: true,
    ...(stdin ? { OpenStdin: true, StdinOnce: true, AttachStdin: true } : {}),
    AttachStdout: true,
    AttachStderr: true,
    // Not logged: the bytes are ours to stream, and the json-file log would write each one again (3× slower).
    HostConfig: { Binds: [...run.binds, ...(run.volumes ?? [])], AutoRemove: false, LogConfig: { Type: 'none', Config: {} } },
  });
  const remove = (): Promise<void> => container.remove({ force: true }).then(
    () => undefined,
    () => undefined,
  );
  try {
    const stream = (await container.attach({ stream: true, stdin, stdout: true, stderr: true, hijack: true })) as unknown as Hijacked;
    const out = splitOutput(stream);
    await container.start();
    const ended = Promise.all([container.wait() as Promise<{ StatusCode: number }>, out.closed])
      .then(([{ StatusCode }]) => {
        if (StatusCode !== 0) throw failed(run.cmd.join(' ').slice(0, 40), StatusCode, out.stderr());
      })
      .finally(remove);
    ended.catch(() => undefined);
    return {
      stdout: out.stdout,
      stdin: stdin ? (stream as unknown as Writable) : undefined,
      ended,
      abort: () => {
        stream.destroy();
        return remove();
      },
    };
  } catch (err) {
    await remove();
    throw new Error(describeError(err));
  }
}

/** Streams `source` into `file`, its sha256 and size computed on the way. */
export async function writeHashed(source: Readable, file: string, onBytes?: (n: number) => void): Promise<WrittenFile> {
  mkdirSync(path.dirname(file), { recursive: true });
  const hash = createHash('sha256');
  let bytes = 0;
  const hashing = new Transform({
    highWaterMark: 1024 * 1024,
    transform(b: Buffer, _e, cb) {
      hash.update(b);
      bytes += b.length;
      onBytes?.(bytes);
      cb(null, b);
    },
  });
  await pipeline(source, hashing, createWriteStream(file));
  return { bytes: statSync(file).size, sha256: hash.digest('hex') };
}

/**
 * Runs the processes as one pipeline: the stdout of each into the stdin of the next, the last
 * one's stdout into `sink`. If any part fails, every process is given up on and the first
 * failure is thrown (a process's own exit status before a broken pipe it caused).
 */
export async function pipeProcesses<T>(processes: ProcessStreams[], sink: (stdout: Readable) => Promise<T>): Promise<T> {
  const last = processes[processes.length - 1];
  if (!last) throw new Error('nothing to run');
  // A process's own failure explains the broken pipes and aborts that follow it: the first kept.
  let own: unknown;
  for (const p of processes) p.ended.catch((err: unknown) => (own ??= err));
  const links: Array<Promise<void>> = [];
  processes.reduce((prev, next) => {
    if (!next.stdin) throw new Error('a process in the middle of a pipeline needs its stdin');
    links.push(pipeline(prev.stdout, next.stdin));
    return next;
  });
  const sinking = sink(last.stdout);
  try {
    await Promise.all([...processes.map((p) => p.ended), ...links, sinking]);
  } catch (err) {
    // A broken pipe is often seen before the exit status of the process that caused it.
    await Promise.race([Promise.allSettled(processes.map((p) => p.ended)), new Promise((r) => setTimeout(r, 2000).unref())]);
    const first = own;
    await Promise.all(processes.map((p) => p.abort()));
    throw first ?? err;
  }
  return sinking;
}

/** Runs `cmd` in the container and writes its stdout to `file`; stderr is kept for the error. */
export async function execToFile(docker: Dockerode, containerId: string, cmd: string[], file: string, onBytes?: (n: number) => void): Promise<WrittenFile> {
  const p = await execStreams(docker, containerId, cmd);
  return pipeProcesses([p], (stdout) => writeHashed(stdout, file, onBytes));
}

async function exitCode(exec: Dockerode.Exec): Promise<number> {
  for (let i = 0; i < 100; i++) {
    const info = await exec.inspect();
    if (!info.Running && info.ExitCode !== null) return info.ExitCode;
    await new Promise((r) => setTimeout(r, 20));
  }
  return -1;
}

/** Runs a command in the container and fails in words unless it exits 0. */
export async function execChecked(docker: Dockerode, containerId: string, cmd: string[], timeoutMs = 30 * 60_000): Promise<ExecResult> {
  const r = await execInContainer(docker, containerId, cmd, { timeoutMs });
  if (r.exitCode !== 0) throw new Error(`${cmd[0]} failed (exit code ${r.exitCode}): ${(r.stderr || r.stdout).trim().slice(0, 600)}`);
  return r;
}

/** Copies the files (local paths) into a folder inside the container, streamed as a tar. */
export async function putFiles(docker: Dockerode, containerId: string, files: Array<{ local: string; name: string }>, intoDir: string): Promise<void> {
  await execChecked(docker, containerId, ['mkdir', '-p', intoDir]);
  for (const f of files) {
    const tar = pack(path.dirname(f.local), { entries: [path.basename(f.local)], map: (h) => ({ ...h, name: f.name, mode: 0o644 }) });
    await docker.getContainer(containerId).putArchive(tar as unknown as NodeJS.ReadableStream, { path: intoDir });
  }
}

export interface HelperRun {
  image: string;
  cmd: string[];
  binds: string[];
  /** Volumes mounted by name: `<volume>:<path>[:ro]`. */
  volumes?: string[];
  labels?: Record<string, string>;
}

/** Runs a short-lived helper container to its end and removes it; fails with its output. */
export async function runHelper(docker: Dockerode, run: HelperRun): Promise<string> {
  const container = await docker.createContainer({
    Image: run.image,
    Cmd: run.cmd,
    Labels: { [LABEL.role]: ROLE_BACKUP_HELPER, ...(run.labels ?? {}) },
    NetworkDisabled: true,
    HostConfig: { Binds: [...run.binds, ...(run.volumes ?? [])], AutoRemove: false },
  });
  try {
    await container.start();
    const { StatusCode } = (await container.wait()) as { StatusCode: number };
    const logs = await container.logs({ stdout: true, stderr: true, follow: false });
    const text = demuxText(logs);
    if (StatusCode !== 0) throw new Error(`the copy failed (exit code ${StatusCode}): ${text.trim().slice(0, 600)}`);
    return text;
  } catch (err) {
    throw new Error(describeError(err));
  } finally {
    await container.remove({ force: true }).catch(() => undefined);
  }
}

/** Docker's multiplexed log frames as plain text. */
function demuxText(buf: Buffer): string {
  const parts: Buffer[] = [];
  let i = 0;
  while (i + 8 <= buf.length) {
    const len = buf.readUInt32BE(i + 4);
    parts.push(buf.subarray(i + 8, i + 8 + len));
    i += 8 + len;
  }
  return i === buf.length ? Buffer.concat(parts).toString('utf8') : buf.toString('utf8');
}
