// Starting the engine onboarding offers: the app launched, `colima start` / `podman machine
// start` let go in the background, a system service started through the desktop's privilege
// prompt (pkexec asks for the password in a window; run directly when we are root already).
// Returns what was run and what it said; it never waits for the engine itself to answer (the
// engine watcher does).
import { spawn } from 'node:child_process';
import type { StartAction } from './detect.js';

export interface StartOutcome {
  ok: boolean;
  /** The command line that ran, as a student could type it. */
  ran: string;
  message: string;
}

export interface StartOptions {
  uid?: number;
  /** Waiting for a non-detached command (e.g. systemctl start): at most this long. */
  timeoutMs?: number;
}

/** The argv actually run: privileged commands go through pkexec unless we are root. */
export function commandLine(action: StartAction, uid: number | undefined): string[] {
  return action.privileged && uid !== 0 && process.platform === 'linux' ? ['pkexec', ...action.command] : action.command;
}

export function startEngine(action: StartAction, options: StartOptions = {}): Promise<StartOutcome> {
  const argv = commandLine(action, options.uid ?? process.getuid?.());
  const ran = argv.join(' ');
  const [command, ...args] = argv;
  if (command === undefined) return Promise.resolve({ ok: false, ran, message: 'There is no command to start the engine with.' });
  return new Promise((resolve) => {
    let out = '';
    const child = spawn(command, args, {
      detached: action.detached,
      stdio: action.detached ? 'ignore' : ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
    });
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    child.once('error', (err) => resolve({ ok: false, ran, message: `Could not run ${ran}: ${err.message}` }));
    if (action.detached) {
      child.once('spawn', () => {
        child.unref();
        resolve({ ok: true, ran, message: `Started: ${ran}. Waiting for the engine to answer…` });
      });
      return;
    }
    const timer = setTimeout(() => {
      child.kill();
      resolve({ ok: false, ran, message: `${ran} did not finish within ${Math.round((options.timeoutMs ?? 60_000) / 1000)} s.` });
    }, options.timeoutMs ?? 60_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      const said = out.trim().split('\n').pop()?.trim();
      if (code === 0) resolve({ ok: true, ran, message: `Ran ${ran}. Waiting for the engine to answer…` });
      else if (code === 126 || code === 127 && argv[0] === 'pkexec') resolve({ ok: false, ran, message: 'The administrator password was not given, so the engine was not started.' });
      else resolve({ ok: false, ran, message: `${ran} failed (exit code ${code})${said ? `: ${said}` : ''}.` });
    });
  });
}
