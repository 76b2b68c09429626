// A shell on this computer (the user's own), through node-pty. Offered by the desktop app;
// the browser shell offers it only when started with --host-shell, since it hands a shell on
// this machine to whoever holds the panel's URL.
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { batched, type Terminal } from './terminal.js';

export function defaultShell(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') return env.COMSPEC ?? 'powershell.exe';
  return env.SHELL || (platform === 'darwin' ? '/bin/zsh' : '/bin/bash');
}

/**
 * The shell's arguments. macOS: a login shell (`-l`), as Terminal.app starts it, so the student's
 * profile runs and `docker` / `brew` are on PATH (an app started from the Finder gets a bare PATH).
 */
export function hostShellArgs(platform: NodeJS.Platform = process.platform): string[] {
  return platform === 'darwin' ? ['-l'] : [];
}

export async function openHostShell(options: { cols?: number; rows?: number; cwd?: string } = {}): Promise<Terminal> {
  // Loaded on demand: a native module the browser shell and the CLI need only for this.
  const pty = await import('node-pty');
  const shell = defaultShell();
  const proc = pty.spawn(shell, hostShellArgs(), {
    name: 'xterm-256color',
    cols: options.cols ?? 80,
    rows: options.rows ?? 24,
    cwd: options.cwd ?? os.homedir(),
    env: { ...process.env, TERM: 'xterm-256color' },
  });
  const dataListeners: Array<(d: string) => void> = [];
  const exitListeners: Array<(i: { code?: number; reason: string }) => void> = [];
  const out = batched((d) => dataListeners.forEach((l) => l(d)));
  let ended = false;
  proc.onData((d) => out.push(d));
  proc.onExit(({ exitCode }) => {
    ended = true;
    out.flush();
    exitListeners.forEach((l) => l({ code: exitCode, reason: `the shell exited (code ${exitCode})` }));
  });
  return {
    id: randomUUID(),
    title: `This computer (${shell})`,
    write: (data) => {
      if (!ended) proc.write(data);
    },
    resize: (c, r) =>
      new Promise<void>((resolve) => {
        if (!ended) proc.resize(c, r);
        resolve();
      }),
    close: () => {
      if (!ended) proc.kill();
    },
    onData: (l) => dataListeners.push(l),
    onExit: (l) => exitListeners.push(l),
  };
}
