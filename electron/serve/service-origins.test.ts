// A service's own origin end to end, against a stand-in upstream on loopback that records what
// it receives (HTTP and a WebSocket): the ticket opens it once and turns into a cookie named
// with the port, nothing of ours reaches upstream, the service cannot set our cookies, and only
// the panel may frame it.
import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { ServiceOrigins, serviceBasePath, underBase, webCookieName } from './service-origins.js';
import { messageText } from '../api/ws-text.js';

interface Seen {
  url: string;
  headers: IncomingHttpHeaders;
}

let upstream: http.Server;
let upstreamPort: number;
const seen: Seen[] = [];
/** Made by the tests that need it; closed and forgotten after each. */
let origins: ServiceOrigins | undefined;
let running = true;

const BASE = '/p/demo/notebook/';

beforeAll(async () => {
  upstream = http.createServer((req, res) => {
    seen.push({ url: req.url ?? '', headers: req.headers });
    res.writeHead(req.url?.includes('/redirect') ? 302 : 200, {
      'Content-Type': 'text/plain',
      'Set-Cookie': ['coursedock_panel_8350=evil; Path=/', '_xsrf=fine; Path=/'],
      'Content-Security-Policy': "frame-ancestors 'self'",
      Location: `http://127.0.0.1:${upstreamPort}${BASE}tree`,
    });
    res.end('hello from the service');
  });
  const wss = new WebSocketServer({ server: upstream });
  wss.on('headers', (headers) => headers.push('Set-Cookie: coursedock_web_1=evil'));
  wss.on('connection', (ws, req) => {
    seen.push({ url: req.url ?? '', headers: req.headers });
    ws.on('message', (m) => ws.send(`echo ${messageText(m)}`));
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', () => r()));
  upstreamPort = (upstream.address() as AddressInfo).port;
});

afterAll(async () => {
  upstream.closeAllConnections();
  await new Promise((r) => upstream.close(r));
});

function newOrigins(ttlMs?: number): ServiceOrigins {
  origins = new ServiceOrigins({
    resolve: (project, service) =>
      project === 'demo' && service === 'notebook'
        ? running
          ? { port: upstreamPort, path: `${BASE}tree`, token: 'service-token' }
          : 'Jupyter Notebook is not running: start it first.'
        : `No service ${service} in ${project}.`,
    panelOrigin: () => 'http://127.0.0.1:8350',
    ...(ttlMs !== undefined ? { ticketTtlMs: ttlMs } : {}),
  });
  return origins;
}

afterEach(async () => {
  running = true;
  seen.length = 0;
  await origins?.close();
  origins = undefined;
});

function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers }, (res) => {
      let body = '';
      res.on('data', (c: Buffer | string) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
  });
}

/** Redeems a fresh ticket; returns the origin and the cookie it set. */
async function enter(o: ServiceOrigins): Promise<{ origin: string; port: number; cookie: string }> {
  const { url } = await o.webView('demo', 'notebook');
  const u = new URL(url);
  const first = await get(url);
  expect(first.status).toBe(302);
  return { origin: u.origin, port: Number(u.port), cookie: String(first.headers['set-cookie']).split(';')[0]! };
}

describe('a service origin', () => {
  it('opens with a one-time ticket that becomes an HttpOnly cookie named with its port, scoped to the service', async () => {
    const o = newOrigins();
    const { url } = await o.webView('demo', 'notebook');
    const u = new URL(url);
    expect(u.hostname).toBe('127.0.0.1');
    expect(u.pathname).toBe(`${BASE}tree`);
    expect(u.searchParams.get('coursedock_ticket')).toMatch(/^[\w-]{32}$/);
    expect(url).not.toContain('service-token');

    const first = await get(url);
    expect(first.status).toBe(302);
    expect(first.headers.location).toBe(`${BASE}tree`);
    const setCookie = String(first.headers['set-cookie']);
    expect(setCookie).toMatch(new RegExp(`^${webCookieName(Number(u.port))}=`));
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);
    expect(setCookie).toContain(`Path=${BASE}`);

    // The same ticket again, without the cookie: refused.
    expect((await get(url)).status).toBe(401);
    const page = await get(`${u.origin}${BASE}tree`, { Cookie: setCookie.split(';')[0]! });
    expect(page.status).toBe(200);
    expect(page.body).toBe('hello from the service');
  });

  it('keeps one origin per service for the life of the shell', async () => {
    const o = newOrigins();
    const a = new URL((await o.webView('demo', 'notebook')).url);
    const b = new URL((await o.webView('demo', 'notebook')).url);
    expect(a.origin).toBe(b.origin);
    expect(a.searchParams.get('coursedock_ticket')).not.toBe(b.searchParams.get('coursedock_ticket'));
    expect(o.ports()).toEqual([Number(a.port)]);
  });

  it('refuses an expired ticket', async () => {
    const o = newOrigins(0);
    const { url } = await o.webView('demo', 'notebook');
    await new Promise((r) => setTimeout(r, 5));
    expect((await get(url)).status).toBe(401);
  });

  it('refuses without its cookie, with another port\'s cookie, or with the panel\'s', async () => {
    const o = newOrigins();
    const { origin, cookie } = await enter(o);
    const value = cookie.split('=')[1];
    expect((await get(`${origin}${BASE}tree`)).status).toBe(401);
    expect((await get(`${origin}${BASE}tree`, { Cookie: `coursedock_web_1=${value}` })).status).toBe(401);
    expect((await get(`${origin}${BASE}tree`, { Cookie: `coursedock_panel_8350=${value}` })).status).toBe(401);
    // A planted same-named cookie beside the right one does not lock the student out.
    expect((await get(`${origin}${BASE}tree`, { Cookie: `${cookie.split('=')[0]}=junk; ${cookie}` })).status).toBe(200);
    expect(seen).toHaveLength(1);
  });

  it('serves only the service\'s base path, and only on a loopback Host', async () => {
    const o = newOrigins();
    const { origin, port, cookie } = await enter(o);
    expect((await get(`${origin}/api`, { Cookie: cookie })).status).toBe(404);
    expect((await get(`${origin}/p/demo/other/tree`, { Cookie: cookie })).status).toBe(404);
    expect((await get(`${origin}${BASE}../../../api`, { Cookie: cookie })).status).toBe(404);
    expect((await get(`${origin}${BASE}tree`, { Cookie: cookie, Host: `evil.example:${port}` })).status).toBe(403);
    expect((await get(`${origin}${BASE}tree`, { Cookie: cookie, Origin: 'http://127.0.0.1:8350' })).status).toBe(403);
    expect(seen).toHaveLength(0);
  });

  it('never forwards our cookies, ticket or tokens, adds the service token, filters Set-Cookie and sets frame-ancestors', async () => {
    const o = newOrigins();
    const { origin, cookie } = await enter(o);
    const res = await get(`${origin}${BASE}api/contents?token=panel-token&coursedock_other=x&keep=1`, {
      Cookie: `${cookie}; coursedock_panel_8350=panel-token; _xsrf=x`,
      Authorization: 'token panel-token',
    });
    expect(res.status).toBe(200);
    expect(seen).toHaveLength(1);
    const up = seen[0]!;
    expect(up.url).toBe(`${BASE}api/contents?keep=1`);
    expect(up.headers.cookie).toBe('_xsrf=x');
    expect(up.headers.authorization).toBe('token service-token');
    expect(JSON.stringify(up)).not.toMatch(/panel-token|coursedock_/);
    expect(res.headers['set-cookie']).toEqual(['_xsrf=fine; Path=/']);
    expect(res.headers['content-security-policy']).toBe('frame-ancestors http://127.0.0.1:8350');
    const redirect = await get(`${origin}${BASE}redirect`, { Cookie: cookie });
    expect(redirect.headers.location).toBe(`${BASE}tree`);
  });

  it('carries WebSockets with the same rules, and refuses them without the cookie or from another origin', async () => {
    const o = newOrigins();
    const { origin, cookie } = await enter(o);
    const wsUrl = `${origin.replace('http', 'ws')}${BASE}api/kernels/k/channels?session_id=s&token=panel-token`;
    const refused = (headers: Record<string, string>) =>
      new Promise<number>((resolve, reject) => {
        const ws = new WebSocket(wsUrl, { headers });
        ws.once('unexpected-response', (_q, r) => resolve(r.statusCode ?? 0));
        ws.once('open', () => reject(new Error('opened')));
        ws.once('error', () => undefined);
      });
    expect(await refused({})).toBe(401);
    expect(await refused({ Cookie: cookie, Origin: 'http://127.0.0.1:8350' })).toBe(401);

    const ws = new WebSocket(wsUrl, { headers: { Cookie: `${cookie}; coursedock_panel_8350=p`, Origin: origin, Authorization: 'token panel-token' } });
    const handshake = new Promise<IncomingHttpHeaders>((r) => ws.once('upgrade', (res) => r(res.headers)));
    await new Promise((r, j) => (ws.once('open', r), ws.once('error', j)));
    expect((await handshake)['set-cookie']).toBeUndefined();
    const echo = new Promise<string>((r) => ws.once('message', (m) => r(messageText(m))));
    ws.send('ping');
    expect(await echo).toBe('echo ping');
    ws.close();
    const up = seen.at(-1)!;
    expect(up.url).toBe(`${BASE}api/kernels/k/channels?session_id=s`);
    expect(up.headers.cookie).toBeUndefined();
    expect(up.headers.authorization).toBe('token service-token');
    expect(up.headers.origin).toBe(`http://127.0.0.1:${upstreamPort}`);
  });

  it('says why when the service is not running, without starting an origin', async () => {
    const o = newOrigins();
    running = false;
    await expect(o.webView('demo', 'notebook')).rejects.toThrow(/not running/);
    await expect(o.webView('demo', 'nope')).rejects.toThrow(/No service/);
    expect(o.ports()).toEqual([]);
  });

  it('answers 502 in words when the service stops after the origin opened', async () => {
    const o = newOrigins();
    const { origin, cookie } = await enter(o);
    running = false;
    const res = await get(`${origin}${BASE}tree`, { Cookie: cookie });
    expect(res.status).toBe(502);
    expect(res.body).toMatch(/not running/);
  });
});

describe('base paths', () => {
  it('are the /p/<project>/<service>/ prefix when the page uses it, else the root', () => {
    expect(serviceBasePath('demo', 'notebook', '/p/demo/notebook/tree')).toBe(BASE);
    expect(serviceBasePath('demo', 'notebook', '/lab')).toBe('/');
    expect(underBase('/p/demo/notebook', BASE)).toBe(true);
    expect(underBase('/p/demo/notebookx/a', BASE)).toBe(false);
  });
});
