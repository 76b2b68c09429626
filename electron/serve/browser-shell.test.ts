// The browser shell's door: token, Host/Origin checks, and a WebSocket API that survives bad
// input. No Docker needed: the engine points at a socket that does not exist.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { Engine } from '../engine/engine.js';
import { FileSettingsStore } from '../engine/settings/settings-store.js';
import { startBrowserShell, type BrowserShell } from './browser-shell.js';
import { MAX_MESSAGE_BYTES } from './ws-binding.js';

let shell: BrowserShell;
let engine: Engine;

function get(pathAndQuery: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port: shell.port, path: pathAndQuery, headers }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
  });
}

function open(headers: Record<string, string>): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${shell.port}/api`, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
}

function reply(ws: WebSocket, msg: string | Buffer): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    ws.once('message', (data) => resolve(JSON.parse(data.toString())));
    ws.send(msg);
  });
}

beforeAll(async () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'cd-shell-'));
  const rendererDir = path.join(root, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Coursedock</title>');
  engine = new Engine({
    store: new FileSettingsStore(path.join(root, 'settings.json')),
    specsDir: path.join(root, 'specs'),
    env: {},
    discovery: () => ({ env: {}, home: root, platform: 'linux', configured: `unix://${root}/no-docker.sock` }),
  }).start();
  shell = await startBrowserShell({ engine, rendererDir });
});

afterAll(async () => {
  await shell.close();
  engine.close();
});

describe('browser shell access', () => {
  it('binds 127.0.0.1 and prints a URL carrying a random token', () => {
    expect(shell.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${shell.port}/\\?token=[\\w-]{32}$`));
  });

  it('refuses requests without the token or with a wrong one', async () => {
    expect((await get('/')).status).toBe(401);
    expect((await get('/?token=wrong')).status).toBe(401);
    expect((await get('/', { Cookie: 'coursedock_token=wrong' })).status).toBe(401);
  });

  it('moves the token into an HttpOnly cookie and serves the panel with a CSP', async () => {
    const first = await get(`/?token=${shell.token}`);
    expect(first.status).toBe(302);
    expect(first.headers.location).toBe('/');
    const cookie = String(first.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const page = await get('/', { Cookie: cookie.split(';')[0]! });
    expect(page.status).toBe(200);
    expect(page.body).toContain('Coursedock');
    expect(page.headers['content-security-policy']).toMatch(/default-src 'self'/);
  });

  it('refuses a foreign Host or Origin even with the token (DNS rebinding, cross-site pages)', async () => {
    const auth = { Authorization: `token ${shell.token}` };
    expect((await get('/', { ...auth, Host: `evil.example:${shell.port}` })).status).toBe(403);
    expect((await get('/', { ...auth, Origin: 'http://evil.example' })).status).toBe(403);
    expect((await get('/', { ...auth, Host: `localhost:${shell.port}` })).status).toBe(200);
  });

  it('refuses WebSocket upgrades without the token or from another origin', async () => {
    await expect(open({})).rejects.toThrow(/401/);
    await expect(open({ Cookie: `coursedock_token=${shell.token}`, Origin: 'http://evil.example' })).rejects.toThrow(/401/);
    const ws = await open({ Cookie: `coursedock_token=${shell.token}`, Origin: `http://127.0.0.1:${shell.port}` });
    ws.close();
  });
});

describe('browser shell API', () => {
  it('answers calls and says Docker is unreachable in words', async () => {
    const ws = await open({ Cookie: `coursedock_token=${shell.token}` });
    const r = await reply(ws, JSON.stringify({ id: 1, method: 'docker.status', params: {} }));
    expect(r.id).toBe(1);
    const status = r.result as { state: string; attempts?: unknown[]; hint?: string };
    expect(['connecting', 'unreachable']).toContain(status.state);
    ws.close();
  });

  it('rejects malformed, invalid and oversized messages without falling over', async () => {
    const ws = await open({ Cookie: `coursedock_token=${shell.token}` });
    expect(await reply(ws, 'not json')).toMatchObject({ id: null, error: { code: 'invalid-input' } });
    expect(await reply(ws, '[1,2]')).toMatchObject({ id: null, error: { code: 'invalid-input' } });
    expect(await reply(ws, JSON.stringify({ id: 2, method: 'nope' }))).toMatchObject({ id: 2, error: { code: 'unknown-method' } });
    expect(await reply(ws, JSON.stringify({ id: 3, method: 'service.reset', params: { project: 'tm351', service: 'postgres' } }))).toMatchObject({
      id: 3,
      error: { code: 'invalid-input', message: expect.stringMatching(/confirm/) },
    });
    expect(await reply(ws, JSON.stringify({ id: 4, method: 'env.up', params: { project: '../../etc' } }))).toMatchObject({
      error: { code: 'invalid-input' },
    });
    expect(await reply(ws, JSON.stringify({ id: 5, method: 'env.state', params: { project: 'x', extra: 1 } }))).toMatchObject({
      error: { code: 'invalid-input' },
    });
    const closed = new Promise<number>((r) => ws.once('close', (code) => r(code)));
    ws.send('x'.repeat(MAX_MESSAGE_BYTES + 10));
    expect(await closed).toBe(1009); // message too big: the socket is closed, the server lives on
    const again = await open({ Cookie: `coursedock_token=${shell.token}` });
    expect(await reply(again, JSON.stringify({ id: 6, method: 'courses.list' }))).toEqual({ id: 6, result: [] });
    again.close();
  });
});
