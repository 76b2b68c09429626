// The browser shell over a real environment: terminals into containers through Docker exec,
// and the notebook (HTTP and kernel WebSockets) through its own origin (service.webView), with
// a recording relay in front of Jupyter to show that nothing of ours reaches it. Real engine,
// real Jupyter, real PostgreSQL; the client is a plain WebSocket like the panel's.
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Environment } from '../engine/environment.js';
import { newTestEngine, type TestEngine } from '../engine/testing/test-engine.js';
import { Teardown } from '../engine/testing/teardown.js';
import { startBrowserShell, type BrowserShell } from './browser-shell.js';
import { API_PROTOCOL, panelCookieName } from './panel-access.js';
import { engineWebUis, ServiceOrigins } from './service-origins.js';
import { frameText, parseWire } from '../engine/testing/ws-wire.js';

const teardown = new Teardown();
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
      const msg = parseWire(raw);
      if (msg.event) {
        this.events.push({ event: msg.event, payload: msg.payload ?? {} });
        this.waiters.splice(0).forEach((w) => w());
      } else if (typeof msg.id === 'number') this.pending.get(msg.id)?.(msg);
    });
  }

  static open(): Promise<Client> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${shell.port}/api`, [API_PROTOCOL, `key.${shell.apiKey}`], { headers: { Origin: shell.origin } });
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
  t = teardown.add(newTestEngine(), (made) => made.destroy());
  await t.engine.connection.require();
  env = await t.engine.open(t.copy.project);
  const result = await env.up(['notebook']);
  expect(result.ok).toBe(true);
  const rendererDir = mkdtempSync(path.join(os.tmpdir(), 'cd-renderer-'));
  mkdirSync(rendererDir, { recursive: true });
  writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Coursedock</title>');
  shell = teardown.add(await startBrowserShell({ engine: t.engine, rendererDir }), (made) => made.close());
});

afterAll(async () => {
  await teardown.run();
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

/** Opens a one-time URL like a browser: follows the ticket redirect, keeps the cookie. */
async function enter(url: string): Promise<{ origin: string; cookie: string }> {
  const first = await fetch(url, { redirect: 'manual' });
  expect(first.status).toBe(302);
  const u = new URL(url);
  expect(first.headers.get('location')).toBe(u.pathname);
  return { origin: u.origin, cookie: first.headers.get('set-cookie')!.split(';')[0]! };
}

/** Runs code in a kernel over the origin's proxied WebSocket; resolves with what it printed. */
async function runInKernel(origin: string, cookie: string, code: string): Promise<string> {
  const base = `${origin}/p/${t.copy.project}/notebook`;
  const kernel = await fetch(`${base}/api/kernels`, { method: 'POST', headers: { Cookie: cookie, 'Content-Type': 'application/json' }, body: '{}' });
  expect(kernel.status).toBe(201);
  const { id } = (await kernel.json()) as { id: string };
  const ws = new WebSocket(`${base.replace('http', 'ws')}/api/kernels/${id}/channels?token=${shell.token}`, { headers: { Cookie: cookie, Origin: origin } });
  try {
    await new Promise((r, j) => (ws.once('open', r), ws.once('error', j)));
    const msgId = randomUUID();
    const output = new Promise<string>((resolve) => {
      ws.on('message', (raw) => {
        const msg = JSON.parse(frameText(raw)) as { parent_header?: { msg_id?: string }; msg_type?: string; content?: { text?: string } };
        if (msg.parent_header?.msg_id === msgId && msg.msg_type === 'stream') resolve(msg.content?.text ?? '');
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
    return await output;
  } finally {
    ws.close();
    await fetch(`${base}/api/kernels/${id}`, { method: 'DELETE', headers: { Cookie: cookie } });
  }
}

const PSQL_CODE = [
  'import os, psycopg2',
  "c = psycopg2.connect(host=os.environ['PGHOST'], user=os.environ['PGUSER'], password=os.environ['PGPASSWORD'], dbname=os.environ['PGDATABASE'])",
  'cur = c.cursor(); cur.execute("select count(*) from anscombe"); print("rows:", cur.fetchone()[0])',
].join('\n');

describe('the notebook on its own origin', () => {
  it('never sends the notebook token to the panel: not in env.open, env.state or state events', async () => {
    const c = await Client.open();
    const token = t.engine.opened()[0]!.webTarget('notebook')!.token!;
    expect(token).toMatch(/^[0-9a-f]{48}$/);
    const info = await c.call('env.open', { course: t.copy.project });
    const states = await c.call('env.state', { project: t.copy.project });
    await c.call('service.restart', { project: t.copy.project, service: 'notebook' });
    await c.waitFor(() => c.events.some((e) => e.event === 'env.state' && (e.payload.state as { status?: string }).status === 'healthy'), 'healthy again', 120_000);
    expect((states as Array<{ service: string; webUrl?: string }>).find((s) => s.service === 'notebook')!.webUrl).toMatch(/\/notebook\/tree$/);
    expect(JSON.stringify([info, states, c.events])).not.toContain(token);
    c.ws.close();
  });

  it('opens from service.webView without the student giving a token, on another port than the panel', async () => {
    const c = await Client.open();
    const { url } = await c.call<{ url: string }>('service.webView', { project: t.copy.project, service: 'notebook' });
    c.ws.close();
    const u = new URL(url);
    expect(u.hostname).toBe('127.0.0.1');
    expect(Number(u.port)).not.toBe(shell.port);
    expect(url).not.toContain(t.engine.opened()[0]!.webTarget('notebook')!.token!);
    const { origin, cookie } = await enter(url);
    expect(cookie).toMatch(new RegExp(`^coursedock_web_${u.port}=`));
    const tree = await fetch(`${origin}${u.pathname}`, { headers: { Cookie: cookie }, redirect: 'manual' });
    expect(tree.status).toBe(200);
    expect(await tree.text()).toContain('Jupyter');
    expect(tree.headers.get('content-security-policy')).toMatch(new RegExp(`frame-ancestors ${shell.origin}$`));
    // The ticket was spent; without the cookie, or with the panel's, the origin refuses.
    expect((await fetch(url, { redirect: 'manual' })).status).toBe(401);
    expect((await fetch(`${origin}${u.pathname}`, { redirect: 'manual' })).status).toBe(401);
    expect((await fetch(`${origin}${u.pathname}`, { headers: { Cookie: `${panelCookieName(shell.port)}=${shell.token}` } })).status).toBe(401);
    // And the panel's origin serves no notebook at all.
    const onPanel = await fetch(`${shell.origin}/p/${t.copy.project}/notebook/api/contents`, { headers: { Cookie: `${panelCookieName(shell.port)}=${shell.token}` } });
    expect(await onPanel.text()).not.toContain('"content"');
  });

  it('runs code in a kernel over a proxied WebSocket and reaches PostgreSQL by service name', async () => {
    const c = await Client.open();
    const { url } = await c.call<{ url: string }>('service.webView', { project: t.copy.project, service: 'notebook' });
    c.ws.close();
    const { origin, cookie } = await enter(url);
    expect(await runInKernel(origin, cookie, PSQL_CODE)).toBe('rows: 44\n');
  });

  it('upstream never sees our cookies, tickets or tokens (a recording relay in front of Jupyter)', async () => {
    const seen: Buffer[] = [];
    const relay = net.createServer((client) => {
      const target = t.engine.opened()[0]!.webTarget('notebook')!;
      const up = net.connect({ host: '127.0.0.1', port: target.port });
      client.on('data', (d: Buffer) => seen.push(d));
      client.pipe(up);
      up.pipe(client);
      const close = () => (client.destroy(), up.destroy());
      client.on('error', close);
      up.on('error', close);
      client.on('close', close);
      up.on('close', close);
    });
    await new Promise<void>((r) => relay.listen(0, '127.0.0.1', () => r()));
    const relayPort = (relay.address() as net.AddressInfo).port;
    const resolve = engineWebUis(t.engine);
    const origins = new ServiceOrigins({
      resolve: (p, s) => {
        const target = resolve(p, s);
        return typeof target === 'string' ? target : { ...target, port: relayPort };
      },
      panelOrigin: () => shell.origin,
    });
    try {
      const { url } = await origins.webView(t.copy.project, 'notebook');
      const ticket = new URL(url).searchParams.get('coursedock_ticket')!;
      const { origin, cookie } = await enter(url);
      const secret = cookie.split('=')[1]!;
      const ours = `${cookie}; ${panelCookieName(shell.port)}=${shell.token}`;
      const base = `${origin}/p/${t.copy.project}/notebook`;
      const contents = await fetch(`${base}/api/contents?token=${shell.token}&coursedock_ticket=${ticket}`, {
        headers: { Cookie: ours, Authorization: `token ${shell.token}` },
        redirect: 'manual',
      });
      expect(contents.status).toBe(302); // a spent ticket in the URL is taken out first, never forwarded
      const listed = await fetch(`${base}/api/contents?token=${shell.token}`, { headers: { Cookie: ours, Authorization: `token ${shell.token}` } });
      expect(listed.status).toBe(200);
      expect(await runInKernel(origin, ours, 'print(6*7)')).toBe('42\n');
      const upstream = Buffer.concat(seen).toString('latin1');
      expect(upstream).toMatch(/GET \/p\/[^ ]+\/api\/contents HTTP/);
      expect(upstream).toMatch(/\/channels HTTP/);
      expect(upstream).toContain(`authorization: token ${t.engine.opened()[0]!.webTarget('notebook')!.token}`);
      for (const s of [shell.token, ticket, secret, 'coursedock_', shell.apiKey]) expect(upstream).not.toContain(s);
    } finally {
      await origins.close();
      relay.close();
    }
  });
});
