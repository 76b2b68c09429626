// Starts the browser shell as a child process, as a student would (`coursedock serve`), and
// reads the URL it prints.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from './paths.js';

export interface Shell {
  /** The URL with the access token, as printed. */
  url: string;
  origin: string;
  port: number;
  token: string;
  /** Everything the process wrote so far (for failure messages). */
  output(): string;
  stop(): Promise<void>;
}

export interface ShellOptions {
  course: string;
  env: Record<string, string>;
  args?: string[];
  timeoutMs?: number;
}

const URL_LINE = /Coursedock panel: (http:\/\/127\.0\.0\.1:(\d+)\/\?token=([A-Za-z0-9_-]+))/;

/** `coursedock serve` as a student runs it: the built command line (bin rebuilds it when stale). */
const SERVE = [path.join(REPO_ROOT, 'bin/coursedock.js'), 'serve'];

export async function startShell(options: ShellOptions): Promise<Shell> {
  const child: ChildProcess = spawn(process.execPath, [...SERVE, '--course', options.course, ...(options.args ?? [])], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const match = await new Promise<RegExpMatchArray>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`coursedock serve printed no URL in time:\n${out}`)), options.timeoutMs ?? 60_000);
    const check = () => {
      const m = out.match(URL_LINE);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`coursedock serve exited (${code}) before printing its URL:\n${out}`));
    });
  });

  return {
    url: match[1]!,
    origin: `http://127.0.0.1:${match[2]}`,
    port: Number(match[2]),
    token: match[3]!,
    output: () => out,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      // serve sometimes does not exit on SIGTERM (reported); do not let that stall the suite.
      const killed = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(killed);
    },
  };
}
