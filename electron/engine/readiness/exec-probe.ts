// Runs a service's healthcheck command once inside its container (Docker exec), the way Docker
// runs it: same user, same environment, its output kept for the words of a failure.
import { PassThrough } from 'node:stream';
import type Dockerode from 'dockerode';
import { demux } from '../docker/demux.js';
import { describeError } from '../describe-error.js';
import type { ExecOutcome } from './rules.js';

const OUTPUT_LIMIT = 4096;

export async function execHealthcheck(docker: Dockerode, containerId: string, cmd: string[], timeoutMs: number): Promise<ExecOutcome> {
  let exec: Dockerode.Exec;
  let stream: NodeJS.ReadableStream & { destroy?: () => void };
  try {
    exec = await docker.getContainer(containerId).exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
    stream = (await exec.start({})) as NodeJS.ReadableStream & { destroy?: () => void };
  } catch (err) {
    return { kind: 'impossible', reason: describeError(err) };
  }
  let output = '';
  const sink = new PassThrough();
  sink.on('data', (c: Buffer) => {
    if (output.length < OUTPUT_LIMIT) output += c.toString('utf8');
  });
  demux(stream, sink, sink);
  const finished = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => {
      stream.destroy?.();
      resolve(false);
    }, timeoutMs);
    const done = () => {
      clearTimeout(timer);
      resolve(true);
    };
    stream.on('end', done);
    stream.on('close', done);
    stream.on('error', done);
  });
  if (!finished) return { kind: 'exit', code: -1, output: `the check took longer than ${Math.round(timeoutMs / 1000)} s` };
  try {
    const info = await exec.inspect();
    return { kind: 'exit', code: info.ExitCode ?? -1, output: output.trim() };
  } catch (err) {
    return { kind: 'impossible', reason: describeError(err) };
  }
}
