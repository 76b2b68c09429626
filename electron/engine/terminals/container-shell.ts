// A shell inside a service's container through Docker exec with a TTY: bash when the image has
// it, else sh. Resized with exec resize, so full-screen programs draw right; ends when the
// shell exits or the container stops.
import { randomUUID } from 'node:crypto';
import { StringDecoder } from 'node:string_decoder';
import type Dockerode from 'dockerode';
import { batched, type Terminal } from './terminal.js';

const SHELL = 'if command -v bash >/dev/null 2>&1; then exec bash -l; else exec sh -l; fi';

export interface ContainerShellOptions {
  cols?: number;
  rows?: number;
  /** Run as this user (default: the image's user). */
  user?: string;
  /** Start the shell in this container folder (default: the image's). */
  workingDir?: string;
  /** Who the shell runs as, in words (Terminal.runsAs). */
  runsAs?: string;
}

export async function openContainerShell(
  docker: Dockerode,
  containerId: string,
  title: string,
  options: ContainerShellOptions = {},
): Promise<Terminal> {
  const container = docker.getContainer(containerId);
  const info = await container.inspect();
  if (!info.State.Running) throw new Error(`${title} is not running: start it to open a terminal.`);
  const cols = options.cols ?? 80;
  const rows = options.rows ?? 24;
  const exec = await container.exec({
    Cmd: ['sh', '-c', SHELL],
    AttachStdin: true,
    AttachStdout: true,
    AttachStderr: true,
    Tty: true,
    // No COLUMNS/LINES here: programs would prefer them to the TTY size and ignore resizes.
    Env: ['TERM=xterm-256color'],
    ...(options.user ? { User: options.user } : {}),
    ...(options.workingDir ? { WorkingDir: options.workingDir } : {}),
  });
  const stream = await exec.start({ hijack: true, stdin: true, Tty: true });
  const dataListeners: Array<(d: string) => void> = [];
  const exitListeners: Array<(i: { code?: number; reason: string }) => void> = [];
  const out = batched((d) => dataListeners.forEach((l) => l(d)));
  const decoder = new StringDecoder('utf8');
  let ended = false;

  stream.on('data', (chunk: Buffer) => out.push(decoder.write(chunk)));
  const finish = async (reason?: string) => {
    if (ended) return;
    ended = true;
    out.push(decoder.end());
    out.flush();
    let code: number | undefined;
    try {
      code = (await exec.inspect()).ExitCode ?? undefined;
    } catch {
      /* container gone */
    }
    const why = reason ?? (code === undefined ? `${title} stopped` : `the shell exited (code ${code})`);
    exitListeners.forEach((l) => l({ ...(code !== undefined ? { code } : {}), reason: why }));
  };
  stream.on('end', () => void finish());
  stream.on('close', () => void finish());
  stream.on('error', (e) => void finish(`connection lost: ${e.message}`));

  // Docker applies the size only once the process runs; set it right away.
  await exec.resize({ h: rows, w: cols }).catch(() => undefined);

  return {
    id: randomUUID(),
    title,
    ...(options.runsAs ? { runsAs: options.runsAs } : {}),
    write: (data) => {
      if (!ended) stream.write(data);
    },
    resize: async (c, r) => {
      if (!ended) await exec.resize({ h: r, w: c }).catch(() => undefined);
    },
    close: () => {
      if (ended) return;
      stream.end();
      stream.destroy();
      void finish('closed');
    },
    onData: (l) => dataListeners.push(l),
    onExit: (l) => exitListeners.push(l),
  };
}
