// The browser shell over a real environment: terminals into containers through Docker exec,
// and the notebook (HTTP and kernel WebSockets) through the shell's own origin. Real engine,
// real Jupyter, real PostgreSQL; the client is a plain WebSocket like the panel's.
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Environment } from '../engine/environment.js';
import { newTestEngine, type TestEngine } from '../engine/testing/test-engine.js';
import { startBrowserShell, type BrowserShell } from './browser-shell.js';

let t: TestEngine;
let env: Environment;
let shell: BrowserShell;

class Client {
  private next = 1;
  private pending = new Map<number, (m: { result?: unknown; error?: { message: string } }) => void>();
  readonly events: Array<{ event: string; payload: Record<string, unknown> }> = [];
  private waiters: Array<() => void> = [];

  constructor(readonly ws: WebSocket) {
    ws.on('message', (raw) => {
      const msg = JSON.parse(raw.toString());
      if (msg.event) {
        this.events.push(msg);
        this.waiters.splice(0).forEach((w) => w());
      } else this.pending.get(msg.id)?.(msg);
    });
  }

  static open(): Promise<Client> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${shell.port}/api`, { headers: { Cookie: `coursedock_token=${shell.token}` } });
      ws.once('open', () => resolve(new Client(ws)));
      ws.once('error', reject);
    });
  }

  async call<T = unknown>(method: string, params: unknown): Promise<T> {
    const id = this.next++;
    const reply = await new Promise<{ result?: unknown; error?: { message: string } }>((r) => {
      this.pending.set(id, r);
      this.ws.send(JSON.stringify({ id, method, params }));
    });
    if (reply.error) throw new Error(reply.error.message);
    return reply.result as T;
  }

  /** Everything a terminal printed so far. */
  output(terminal: string): string {
    return this.events
      .filter((e) => e.event === 'terminal.data' && e.payload.terminal === terminal)
      .map((e) => e.payload.data as string)
      .join('');
  }

  async waitFor(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!check()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((r) => {
        this.waiters.push(r);
        setTimeout(r, 500);
      });
    }
  }
}

beforeAll(async () => {
  t = newTestEngine();
  await t.engine.connection.require();
  env = await t.engine.open(t.copy.project);
  const result = await env.up(['notebook']);
  expect(result.ok).toBe(true);
  const rendererDir = mkdtempSync(path.join(os.tmpdir(), 'cd-renderer-'));
  mkdirSync(rendererDir, { recursive: true });
  writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Coursedock</title>');
  shell = await startBrowserShell({ engine: t.engine, rendererDir });
});

afterAll(async () => {
  await shell?.close();
  await t?.destroy();
});

describe('terminals into containers', () => {
  it('runs a shell in the notebook container and follows resizes', async () => {
    const c = await Client.open();
    const { terminal, title } = await c.call<{ terminal: string; title: string }>('terminal.open', {
      project: t.copy.project,
      service: 'notebook',
      cols: 100,
      rows: 30,
    });
    expect(title).toBe('Jupyter Notebook');
    await c.call('terminal.input', { terminal, data: 'echo $((6*7))\r' });
    await c.waitFor(() => /[\r\n]42\r?\n/.test(c.output(terminal)), '42');
    await c.call('terminal.input', { terminal, data: 'tput cols\r' });
    await c.waitFor(() => /[\r\n]100\r?\n/.test(c.output(terminal)), 'tput cols = 100');
    await c.call('terminal.resize', { terminal, cols: 132, rows: 40 });
    await c.call('terminal.input', { terminal, data: 'tput cols\r' });
    await c.waitFor(() => /[\r\n]132\r?\n/.test(c.output(terminal)), 'tput cols = 132');
    await c.call('terminal.input', { terminal, data: 'exit\r' });
    await c.waitFor(() => c.events.some((e) => e.event === 'terminal.exit' && e.payload.terminal === terminal), 'exit');
    c.ws.close();
  });

  it('runs psql in the postgres container against the seeded database', async () => {
    const c = await Client.open();
    const { terminal } = await c.call<{ terminal: string }>('terminal.open', { project: t.copy.project, service: 'postgres' });
    await c.call('terminal.input', { terminal, data: "psql -U testuser -d testdb -tAc 'select count(*) from anscombe'\r" });
    await c.waitFor(() => /[\r\n]44\r?\n/.test(c.output(terminal)), 'the seeded count');
    await c.call('terminal.close', { terminal });
    c.ws.close();
  });

  it('says so when the service is not running, and keeps the host shell off', async () => {
    const c = await Client.open();
    await expect(c.call('terminal.open', { project: t.copy.project, service: 'mongo' })).rejects.toThrow(/not running/);
    await expect(c.call('terminal.open', { host: true })).rejects.toThrow(/--host-shell/);
    c.ws.close();
  });
});

describe('the notebook through the shell origin', () => {
  const base = () => `http://127.0.0.1:${shell.port}/p/${t.copy.project}/notebook`;
  const auth = () => ({ Cookie: `coursedock_token=${shell.token}` });

  it('serves the notebook without the student giving a token, and refuses requests without the shell token', async () => {
    const tree = await fetch(`${base()}/tree`, { headers: auth(), redirect: 'manual' });
    expect(tree.status).toBe(200);
    expect(await tree.text()).toContain('Jupyter');
    expect((await fetch(`${base()}/api/contents`, { redirect: 'manual' })).status).toBe(401);
    expect((await fetch(`${base()}/api/contents`, { headers: { Cookie: 'coursedock_token=nope' } })).status).toBe(401);
  });

  it('runs code in a kernel over a proxied WebSocket and reaches PostgreSQL by service name', async () => {
    const kernel = await fetch(`${base()}/api/kernels`, { method: 'POST', headers: { ...auth(), 'Content-Type': 'application/json' }, body: '{}' });
    expect(kernel.status).toBe(201);
    const { id } = (await kernel.json()) as { id: string };
    const ws = new WebSocket(`ws://127.0.0.1:${shell.port}/p/${t.copy.project}/notebook/api/kernels/${id}/channels`, {
      headers: auth(),
    });
    await new Promise((r, j) => (ws.once('open', r), ws.once('error', j)));
    const msgId = randomUUID();
    const code = [
      'import os, psycopg2',
      "c = psycopg2.connect(host=os.environ['PGHOST'], user=os.environ['PGUSER'], password=os.environ['PGPASSWORD'], dbname=os.environ['PGDATABASE'])",
      'cur = c.cursor(); cur.execute("select count(*) from anscombe"); print("rows:", cur.fetchone()[0])',
    ].join('\n');
    const output = new Promise<string>((resolve) => {
      ws.on('message', (raw) => {
        const msg = JSON.parse(raw.toString());
        if (msg.parent_header?.msg_id === msgId && msg.msg_type === 'stream') resolve(msg.content.text);
      });
    });
    ws.send(
      JSON.stringify({
        header: { msg_id: msgId, username: 'test', session: randomUUID(), msg_type: 'execute_request', version: '5.3' },
        parent_header: {},
        metadata: {},
        content: { code, silent: false, store_history: false, user_expressions: {}, allow_stdin: false },
        channel: 'shell',
      }),
    );
    expect(await output).toBe('rows: 44\n');
    ws.close();
    await fetch(`${base()}/api/kernels/${id}`, { method: 'DELETE', headers: auth() });
  });
});
