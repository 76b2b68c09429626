// Small helpers shared by the benchmarks: timing, statistics, a WebSocket client of the
// browser shell, and the CLI/serve child processes. Benchmarks print numbers; they assert nothing.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import type { EventName, Events, MethodInput, MethodName, MethodOutput } from '../electron/api/contract.js';
import { parseWire } from '../electron/engine/testing/ws-wire.js';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const now = (): number => performance.now();

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}

export function table(rows: Array<Record<string, string | number>>): string {
  const keys = Object.keys(rows[0] ?? {});
  const cell = (v: string | number | undefined) => (typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(2)) : (v ?? ''));
  const widths = keys.map((k) => Math.max(k.length, ...rows.map((r) => cell(r[k]).length)));
  const line = (vals: string[]) => `| ${vals.map((v, i) => v.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(keys), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map((r) => line(keys.map((k) => cell(r[k]))))].join('\n');
}

/** CPU seconds (user + system) a process has used so far (Linux /proc). */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/**
 * Starts `coursedock serve` and resolves with its URL once it prints it. The e2e set-up of
 * someone working beside us rebuilds dist/renderer (emptied first), and serve refuses to start
 * without the panel's page: then it waits for the page and tries again, for up to 5 minutes.
 */
export async function startServe(env: Record<string, string>, args: string[] = []): Promise<{ child: ChildProcess; url: URL }> {
  const page = path.join(REPO, 'dist/renderer/index.html');
  for (let attempt = 0; ; attempt++) {
    await waitUntil(() => existsSync(page), 300_000, `the panel's page (${page}; npm run build)`);
    try {
      return await startServeOnce(env, args);
    } catch (err) {
      if (attempt >= 5 || existsSync(page)) throw err;
    }
  }
}

function startServeOnce(env: Record<string, string>, args: string[]): Promise<{ child: ChildProcess; url: URL }> {
  const child = spawn(process.execPath, [path.join(REPO, 'bin/coursedock.js'), 'serve', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const m = out.match(/Coursedock panel: (\S+)/);
      if (m) resolve({ child, url: new URL(m[1]!) });
    });
    child.once('exit', (code) => reject(new Error(`serve exited (${code})`)));
  });
}

/** An event the browser shell pushes, its payload typed by its name (the contract's Events). */
export type ShellEvent = { [E in EventName]: { event: E; payload: Events[E] } }[EventName];

interface Answer {
  result?: unknown;
  error?: { message: string };
}

export class ShellClient {
  private next = 1;
  private pending = new Map<number, (m: Answer) => void>();
  readonly listeners = new Set<(e: ShellEvent) => void>();

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (raw) => {
      const msg = parseWire(raw);
      if (msg.event !== undefined) {
        // The server sends each event with the payload the contract names for it.
        const e = { event: msg.event, payload: msg.payload } as ShellEvent;
        for (const l of this.listeners) l(e);
      } else if (typeof msg.id === 'number') this.pending.get(msg.id)?.(msg);
    });
  }

  /** Connects as the panel page does: the page's API key (from its <meta>), the panel's Origin. */
  static async open(url: URL): Promise<ShellClient> {
    // The link sets the panel's cookie and sends the browser on to the page, as a browser follows it.
    const first = await fetch(url, { redirect: 'manual' });
    const cookie = first.headers.get('set-cookie')?.split(';')[0];
    const page = first.status === 200 ? await first.text() : await (await fetch(new URL('/', url), { headers: cookie ? { Cookie: cookie } : {} })).text();
    const key = /<meta name="coursedock-api-key" content="([\w-]+)"/.exec(page)?.[1];
    if (!key) throw new Error('the panel page carries no API key');
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`ws://${url.host}/api`, ['coursedock.v1', `key.${key}`], { headers: { Origin: `http://${url.host}` } });
      ws.once('open', () => resolve(new ShellClient(ws)));
      ws.once('error', reject);
    });
  }

  async call<M extends MethodName>(method: M, params: MethodInput<M>): Promise<MethodOutput<M>> {
    const id = this.next++;
    const reply = await new Promise<Answer>((r) => {
      this.pending.set(id, r);
      this.ws.send(JSON.stringify({ id, method, params }));
    });
    this.pending.delete(id);
    if (reply.error) throw new Error(reply.error.message);
    return reply.result as MethodOutput<M>;
  }

  close(): void {
    this.ws.close();
  }
}

export async function waitUntil(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Runs a bench's `main` as the whole process: exit 0 when it finished, 1 with the error printed. */
export function runBench(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
