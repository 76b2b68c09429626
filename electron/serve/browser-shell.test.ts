// The browser shell's door: token, Host/Origin checks, and a WebSocket API that survives bad
// input. No Docker needed: the engine points at a socket that does not exist.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { Engine } from '../engine/engine.js';
import { startBrowserShell, type BrowserShell } from './browser-shell.js';
import { API_PROTOCOL } from './panel-access.js';
import { MAX_MESSAGE_BYTES } from './ws-binding.js';
import { offlineEngine } from '../engine/testing/offline-engine.js';
import { parseWire } from '../engine/testing/ws-wire.js';
import { stringMatching } from '../engine/testing/matchers.js';

let shell: BrowserShell;
let engine: Engine;
const logged: string[] = [];

function get(pathAndQuery: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port: shell.port, path: pathAndQuery, headers }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
  });
}

/** An API socket as the panel opens it (its Origin, the key from index.html); `headers` add to it. */
function open(headers: Record<string, string>): Promise<WebSocket> {
  return openRaw([API_PROTOCOL, `key.${shell.apiKey}`], { Origin: shell.origin, ...headers });
}

function openRaw(protocols: string[], headers: Record<string, string>): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${shell.port}/api`, protocols, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
}

function reply(ws: WebSocket, msg: string | Buffer): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    ws.once('message', (data) => resolve(parseWire(data)));
    ws.send(msg);
  });
}

beforeAll(async () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'cd-shell-'));
  const rendererDir = path.join(root, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><html><head><title>Coursedock</title></head></html>');
  engine = offlineEngine(root).start();
  shell = await startBrowserShell({ engine, rendererDir, log: (m) => logged.push(m) });
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
    expect((await get('/', { Cookie: `coursedock_panel_${shell.port}=wrong` })).status).toBe(401);
    expect((await get('/', { Cookie: `coursedock_token=${shell.token}` })).status).toBe(401);
    expect((await get('/', { Cookie: `coursedock_panel_${shell.port + 1}=${shell.token}` })).status).toBe(401);
  });

  it('moves the token into an HttpOnly cookie and serves the panel with a CSP', async () => {
    const first = await get(`/?token=${shell.token}`);
    expect(first.status).toBe(302);
    expect(first.headers.location).toBe('/');
    const cookie = String(first.headers['set-cookie']);
    expect(cookie).toMatch(new RegExp(`^coursedock_panel_${shell.port}=`));
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const page = await get('/', { Cookie: cookie.split(';')[0]! });
    expect(page.status).toBe(200);
    expect(page.body).toContain('Coursedock');
    expect(page.headers['content-security-policy']).toMatch(/default-src 'self'/);
    expect(page.headers['content-security-policy']).toMatch(/frame-src http:\/\/127\.0\.0\.1:\*/);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.body).toContain(`<meta name="coursedock-api-key" content="${shell.apiKey}" />`);
  });

  it('serves no service pages on the panel origin', async () => {
    const auth = { Authorization: `token ${shell.token}` };
    // Paths the notebook used to be proxied under get the panel itself (a single-page app), never a service.
    for (const p of ['/p/tm351/notebook/tree', '/p/tm351/notebook/api/contents']) expect((await get(p, auth)).body).toContain('<title>Coursedock</title>');
    expect((await get('/p/tm351/notebook/static/x.js', auth)).status).toBe(404);
  });

  it('refuses a foreign Host or Origin even with the token (DNS rebinding, cross-site pages)', async () => {
    const auth = { Authorization: `token ${shell.token}` };
    expect((await get('/', { ...auth, Host: `evil.example:${shell.port}` })).status).toBe(403);
    expect((await get('/', { ...auth, Origin: 'http://evil.example' })).status).toBe(403);
    expect((await get('/', { ...auth, Host: `localhost:${shell.port}` })).status).toBe(200);
  });

  it('opens the API only to its own Origin with the API key in the subprotocol, never to a cookie', async () => {
    const cookie = { Cookie: `coursedock_panel_${shell.port}=${shell.token}` };
    await expect(openRaw([], {})).rejects.toThrow(/403/);
    await expect(openRaw([], { ...cookie, Origin: shell.origin })).rejects.toThrow(/403/);
    await expect(openRaw([API_PROTOCOL], { ...cookie, Origin: shell.origin })).rejects.toThrow(/403/);
    await expect(openRaw([API_PROTOCOL, 'key.wrong'], { ...cookie, Origin: shell.origin })).rejects.toThrow(/403/);
    await expect(openRaw([API_PROTOCOL, `key.${shell.apiKey}`], { ...cookie })).rejects.toThrow(/403/);
    await expect(openRaw([API_PROTOCOL, `key.${shell.apiKey}`], { Origin: 'http://evil.example' })).rejects.toThrow(/403/);
    // A service page: another loopback port.
    await expect(openRaw([API_PROTOCOL, `key.${shell.apiKey}`], { Origin: `http://127.0.0.1:${shell.port + 1}` })).rejects.toThrow(/403/);
    const ws = await open({});
    expect(ws.protocol).toBe(API_PROTOCOL);
    ws.close();
    expect(logged.filter((l) => l.startsWith('Refused an API connection'))).toHaveLength(7);
  });

  it('says why service.webView has nothing to show', async () => {
    const ws = await open({});
    expect(await reply(ws, JSON.stringify({ id: 1, method: 'service.webView', params: { project: 'tm351', service: 'notebook' } }))).toMatchObject({
      id: 1,
      error: { code: 'invalid-input', message: stringMatching(/not open/) },
    });
    ws.close();
    expect(logged).toContain(`API call service.webView (Origin ${shell.origin}).`);
  });
});

describe('browser shell API', () => {
  it('answers calls and says Docker is unreachable in words', async () => {
    const ws = await open({ Cookie: `coursedock_token=${shell.token}` });
    // The answer to one call (events such as docker.status may come in between).
    const call = (id: number, method: string) =>
      new Promise<Record<string, unknown>>((resolve) => {
        const onMessage = (data: WebSocket.RawData) => {
          const msg = parseWire(data);
          if (msg.id !== id) return;
          ws.off('message', onMessage);
          resolve(msg);
        };
        ws.on('message', onMessage);
        ws.send(JSON.stringify({ id, method, params: {} }));
      });
    // docker.retry answers once an attempt has been made, so the state is settled (not "connecting").
    const tried = await call(1, 'docker.retry');
    const status = await call(2, 'docker.status');
    ws.close();
    expect(tried.id).toBe(1);
    expect(status).toEqual({ id: 2, result: tried.result });
    // What was tried, why it failed and what to do, in words a student can act on.
    expect(status.result).toEqual({
      state: 'unreachable',
      attempts: [{ endpoint: { source: 'Coursedock settings', url: stringMatching(/^unix:\/\/.+\/no-docker\.sock$/) }, error: 'no such socket' }],
      hint: stringMatching(/^Start the Docker engine .*Coursedock will notice by itself\.$/),
      message: stringMatching(/^Docker is not reachable\. Tried:\n {2}- unix:\/\/.+no-docker\.sock \(Coursedock settings\): no such socket\nStart the Docker engine/),
    });
  });

  it('rejects malformed, invalid and oversized messages without falling over', async () => {
    const ws = await open({ Cookie: `coursedock_token=${shell.token}` });
    expect(await reply(ws, 'not json')).toMatchObject({ id: null, error: { code: 'invalid-input' } });
    expect(await reply(ws, '[1,2]')).toMatchObject({ id: null, error: { code: 'invalid-input' } });
    expect(await reply(ws, JSON.stringify({ id: 2, method: 'nope' }))).toMatchObject({ id: 2, error: { code: 'unknown-method' } });
    expect(await reply(ws, JSON.stringify({ id: 3, method: 'service.reset', params: { project: 'tm351', service: 'postgres' } }))).toMatchObject({
      id: 3,
      error: { code: 'invalid-input', message: stringMatching(/confirm/) },
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
