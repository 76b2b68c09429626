// Moving backup data in and out of containers without holding it in memory: a command's
// standard output streamed (demultiplexed) straight into a file with its sha256 computed on
// the way, files put into a container as a tar stream, and one-off helper containers run to
// the end with their output kept for the error message.
import { createHash } from 'node:crypto';
import { createWriteStream, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { PassThrough, Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type Dockerode from 'dockerode';
import { demux } from '../docker/demux.js';
import { pack } from 'tar-fs';
import { describeError } from '../docker/connect.js';
import { execInContainer, type ExecResult } from '../snapshots/exec.js';

export { execInContainer, type ExecResult };

export interface WrittenFile {
  bytes: number;
  sha256: string;
}

/** Runs `cmd` in the container and writes its stdout to `file`; stderr is kept for the error. */
export async function execToFile(docker: Dockerode, containerId: string, cmd: string[], file: string, onBytes?: (n: number) => void): Promise<WrittenFile> {
  mkdirSync(path.dirname(file), { recursive: true });
  const exec = await docker.getContainer(containerId).exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true, Tty: false });
  const stream = (await exec.start({ hijack: true, stdin: false })) as unknown as NodeJS.ReadableStream;
  const out = new PassThrough({ highWaterMark: 1024 * 1024 });
  const errChunks: Buffer[] = [];
  let errBytes = 0;
  const err = new Writable({
    write(b: Buffer, _e, cb) {
      if (errBytes < 64 * 1024) errChunks.push(Buffer.from(b));
      errBytes += b.length;
      cb();
    },
  });
  demux(stream, out, err);
  const ended = new Promise<void>((resolve, reject) => {
    stream.on('end', resolve);
    stream.on('close', resolve);
    stream.on('error', reject);
  }).finally(() => out.end());
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
  await Promise.all([pipeline(out, hashing, createWriteStream(file)), ended]);
  const code = await exitCode(exec);
  if (code !== 0) {
    const said = Buffer.concat(errChunks).toString('utf8').trim().slice(0, 600);
    throw new Error(`${cmd[0]} failed (exit code ${code})${said ? `: ${said}` : ''}`);
  }
  return { bytes: statSync(file).size, sha256: hash.digest('hex') };
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
    Labels: { 'org.coursedock.role': 'backup-helper', ...(run.labels ?? {}) },
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
