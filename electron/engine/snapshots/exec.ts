// A command in a running container through Docker exec, without a TTY: stdout and stderr come
// multiplexed on one stream and are split with the modem's demuxer. Bounded in time and size.
import { Writable } from 'node:stream';
import type Dockerode from 'dockerode';
import { demux } from '../docker/demux.js';
import { describeError } from '../describe-error.js';

export interface ExecOptions {
  env?: string[];
  user?: string;
  workingDir?: string;
  timeoutMs?: number;
  /** Output beyond this many bytes (per stream) is an error: something is wrong. */
  maxBytes?: number;
}

export interface ExecResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

const DEFAULT_TIMEOUT = 120_000;
const DEFAULT_MAX = 64 * 1024 * 1024;

export async function execInContainer(
  docker: Dockerode,
  containerId: string,
  cmd: string[],
  options: ExecOptions = {},
): Promise<ExecResult> {
  const container = docker.getContainer(containerId);
  let exec: Dockerode.Exec;
  try {
    exec = await container.exec({
      Cmd: cmd,
      AttachStdout: true,
      AttachStderr: true,
      AttachStdin: false,
      Tty: false,
      ...(options.env ? { Env: options.env } : {}),
      ...(options.user ? { User: options.user } : {}),
      ...(options.workingDir ? { WorkingDir: options.workingDir } : {}),
    });
  } catch (err) {
    throw new Error(`Could not run a command in the container: ${describeError(err)}`);
  }
  const stream = (await exec.start({ hijack: true, stdin: false })) as unknown as NodeJS.ReadableStream & {
    destroy(): void;
  };
  const maxBytes = options.maxBytes ?? DEFAULT_MAX;
  const chunks = { out: [] as Buffer[], err: [] as Buffer[] };
  const sizes = { out: 0, err: 0 };
  let failure: Error | undefined;
  // Writables that keep each chunk as it is written (synchronously), so nothing is still in
  // flight when the exec stream ends.
  const collector = (key: 'out' | 'err') =>
    new Writable({
      write(b: Buffer, _enc, cb) {
        sizes[key] += b.length;
        if (sizes[key] > maxBytes) {
          failure ??= new Error(`The command printed more than ${Math.round(maxBytes / 1024 / 1024)} MB: stopped.`);
          stream.destroy();
        } else {
          chunks[key].push(Buffer.from(b));
        }
        cb();
      },
    });
  demux(stream, collector('out'), collector('err'));

  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      failure ??= new Error(`The command did not finish within ${Math.round(timeoutMs / 1000)} s: stopped waiting.`);
      stream.destroy();
      resolve();
    }, timeoutMs);
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    stream.on('end', done);
    stream.on('close', done);
    stream.on('error', (e: Error) => {
      failure ??= new Error(`Lost the connection to the command: ${e.message}`);
      done();
    });
  });
  if (failure) throw failure;
  // The stream can end a moment before Docker records the exit code.
  let exitCode: number | null | undefined;
  for (let i = 0; i < 50; i++) {
    const info = await exec.inspect();
    exitCode = info.ExitCode;
    if (!info.Running && exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 20));
  }
  return {
    stdout: Buffer.concat(chunks.out).toString('utf8'),
    stderr: Buffer.concat(chunks.err).toString('utf8'),
    exitCode: exitCode ?? -1,
  };
}
