// Coursedock processes for the Docker tests: the CLI and the browser shell as real child
// processes (each with its own engine), so tests can check what happens between processes —
// the project lock, the operation journal — as a student running two of them would meet it.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import WebSocket from 'ws';
import { REPO_ROOT, type CourseCopy } from './course-copy.js';
import { messageText } from '../../api/ws-text.js';

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Starts `coursedock <args>` as a child; `done` resolves when it exits. */
export function startCli(copy: CourseCopy, args: string[]): { child: ChildProcess; done: Promise<CliRun> } {
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin/coursedock.js'), ...args], {
    env: { ...process.env, ...copy.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<CliRun>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal, get stdout() { return stdout; }, get stderr() { return stderr; } })),
  );
  return { child, done };
}

export const runCli = (copy: CourseCopy, args: string[]): Promise<CliRun> => startCli(copy, args).done;

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
}

/** A browser shell child (`coursedock serve`) driven through its WebSocket API like the panel. */
export class ShellProcess {
  private ws?: WebSocket;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  readonly events: Array<{ event: string; payload: unknown }> = [];
  output = '';

  private constructor(readonly child: ChildProcess) {}

  static async start(copy: CourseCopy, course: string): Promise<ShellProcess> {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin/coursedock.js'), 'serve', '--port', '0', '--course', course], {
      env: { ...process.env, ...copy.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const shell = new ShellProcess(child);
    child.stderr.on('data', (d: Buffer) => (shell.output += d.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        shell.output += d.toString();
        const m = out.match(/Coursedock panel: (\S+)/);
        if (m) resolve(m[1]!);
      });
      child.once('exit', (code) => reject(new Error(`serve exited (${code}): ${shell.output}`)));
    });
    await shell.connect(new URL(url));
    return shell;
  }

  /** As the panel does: read index.html (with the token), then open /api with its key. */
  private async connect(url: URL): Promise<void> {
    const html = await (await fetch(`http://${url.host}/`, { headers: { Authorization: `token ${url.searchParams.get('token') ?? ''}` } })).text();
    const key = html.match(/<meta name="coursedock-api-key" content="([^"]+)"/)?.[1];
    const origin = `http://${url.host}`;
    const protocols = ['coursedock.v1', ...(key ? [`key.${key}`] : [])];
    const ws = new WebSocket(`ws://${url.host}/api`, protocols, { headers: { Origin: origin } });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    ws.on('message', (data) => {
      const msg = JSON.parse(messageText(data)) as { id?: number; result?: unknown; error?: { message: string }; event?: string; payload?: unknown };
      if (msg.event) this.events.push({ event: msg.event, payload: msg.payload });
      if (typeof msg.id !== 'number') return;
      const p = this.pending.get(msg.id);
      this.pending.delete(msg.id);
      if (msg.error) p?.reject(new Error(msg.error.message));
      else p?.resolve(msg.result);
    });
    this.ws = ws;
  }

  call<T = unknown>(method: string, params: unknown): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.ws!.send(JSON.stringify({ id, method, params }));
    });
  }

  /** Notices the shell pushed (what the panel shows). */
  notices(): string[] {
    return this.events.filter((e) => e.event === 'env.notice').map((e) => (e.payload as { notice: { message: string } }).notice.message);
  }

  async stop(): Promise<void> {
    this.ws?.close();
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((r) => this.child.once('exit', () => r()));
    this.child.kill('SIGTERM');
    await exited;
  }
}
