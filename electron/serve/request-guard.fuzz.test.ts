// Hostile input never takes the browser shell down (issue 11): a real shell, started in-process
// without Docker, gets a few thousand generated requests and upgrades over raw sockets —
// garbage request lines, huge headers, bad percent-encoding in cookie, path and query, foreign
// or broken Host/Origin, truncated upgrades, bad WebSocket keys, binary junk — and after every
// batch must still serve the panel and answer an API call. The generator has a fixed seed and
// a fixed count, so every run sends the same bytes. The exact request from the issue is also
// sent, with curl, to a real `coursedock serve` process.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { REPO_ROOT } from '../engine/testing/course-copy.js';
import { startBrowserShell, type BrowserShell } from './browser-shell.js';
import { API_KEY_PROTOCOL_PREFIX, API_PROTOCOL, panelCookieName } from './panel-access.js';
import { ServiceOrigins, webCookieName } from './service-origins.js';
import { offlineEngine } from '../engine/testing/offline-engine.js';
import { Teardown } from '../engine/testing/teardown.js';
import { messageText } from '../api/ws-text.js';

const SEED = 20261129;
const BATCHES = 12;
const PER_BATCH = 250;
const PARALLEL = 25;
/** A connection the shell neither answers nor closes is cut after this; it is not a failure. */
const SOCKET_LIMIT_MS = 3000;

let root: string;
let shell: BrowserShell;
const teardown = new Teardown();
const logged: string[] = [];

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'cd-fuzz-'));
  const rendererDir = path.join(root, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Coursedock</title>');
  const engine = teardown.add(offlineEngine(root).start(), (e) => e.close());
  shell = teardown.add(await startBrowserShell({ engine, rendererDir, log: (l) => logged.push(l) }), (s) => s.close());
});

afterAll(async () => {
  await teardown.run();
  rmSync(root, { recursive: true, force: true });
});

/** Sends raw bytes, half-closes, and collects whatever comes back until the shell closes. */
function rawExchange(bytes: Buffer, port = shell.port): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const socket = net.connect({ host: '127.0.0.1', port });
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(Buffer.concat(chunks).toString('latin1'));
    };
    const timer = setTimeout(done, SOCKET_LIMIT_MS);
    // A complete request is answered before we hang up (a proxy must not lose its answer to a
    // half-close); anything else is half-closed at once, so the shell sees the end of it.
    // (A request that announces a body is not complete: it gets its end instead.)
    const text = bytes.toString('latin1');
    const complete = /^\S+ \S+ HTTP\/1\.[01]\r\n/.test(text) && text.endsWith('\r\n\r\n') && !/\r\n(content-length|transfer-encoding|expect):/i.test(text);
    socket.on('data', (c: Buffer) => {
      chunks.push(c);
      if (complete) socket.end();
    });
    socket.on('error', done);
    socket.on('close', done);
    socket.on('connect', () => {
      socket.write(bytes, () => complete || socket.end());
    });
  });
}

function get(pathAndQuery: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port: shell.port, path: pathAndQuery, headers }, (res) => {
      let body = '';
      res.on('data', (c: Buffer | string) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
  });
}

/** The shell still does its job: the panel page and one API call over a fresh WebSocket. */
const panelCookie = () => `${panelCookieName(shell.port)}=${shell.token}`;

async function stillAnswers(): Promise<void> {
  const page = await get('/', { Cookie: panelCookie() });
  expect(page.status).toBe(200);
  expect(page.body).toContain('Coursedock');
  const ws = new WebSocket(`ws://127.0.0.1:${shell.port}/api`, [API_PROTOCOL, `${API_KEY_PROTOCOL_PREFIX}${shell.apiKey}`], {
    headers: { Origin: shell.origin },
  });
  try {
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    const reply = await new Promise<unknown>((resolve) => {
      ws.once('message', (d) => resolve(JSON.parse(messageText(d))));
      ws.send(JSON.stringify({ id: 1, method: 'courses.list', params: {} }));
    });
    expect(reply).toEqual({ id: 1, result: [] });
  } finally {
    ws.terminate();
  }
}

// ---- the generator -------------------------------------------------------------------------

const text = (max: number) => fc.string({ maxLength: max, unit: 'binary' });
const percentJunk = fc.constantFrom('%zz', '%', '%E0%A4%A', '%C3', '%ff%fe', '%%', '%u0041', '%0', '%00', '%2', '%G1', '%E2%82');
const printableJunk = fc.string({ maxLength: 40 }).map((s) => s.replace(/[\r\n]/g, ''));
const pathish = fc
  .array(fc.oneof(fc.constantFrom('', 'p', 'api', 'assets', '..', '.', 'index.html', 'x.js', 'tm351', 'notebook'), percentJunk, printableJunk), {
    maxLength: 6,
  })
  .map((parts) => `/${parts.join('/')}`);
const query = fc
  .array(fc.tuple(fc.oneof(fc.constant('token'), fc.constant('course'), printableJunk), fc.oneof(percentJunk, printableJunk)), { maxLength: 4 })
  .map((pairs) => (pairs.length ? `?${pairs.map(([k, v]) => `${k}=${v}`).join('&')}` : ''));

interface Shape {
  method: string;
  target: string;
  host: string | null;
  origin: string | null;
  cookie: string | null;
  upgrade: boolean;
  wsKey: string | null;
  wsVersion: string | null;
  protocols: string | null;
  extra: Array<[string, string]>;
  /** Cut the request after this many bytes (a truncated request or upgrade). */
  cut: number | null;
}

/** What the generator aims at: a listener, its credential cookie, the paths it serves. */
interface FuzzTarget {
  port(): number;
  cookieName(): string;
  secret(): string;
  apiKey(): string;
  /** A path prefix the listener serves (`/` for the panel, the service's base path). */
  base: string;
}

function shape(t: FuzzTarget): fc.Arbitrary<Shape> {
  const port = () => t.port();
  const host = fc.oneof(
    { weight: 6, arbitrary: fc.constant('127.0.0.1') },
    fc.constant(null),
    fc.constantFrom('127.0.0.1', 'localhost', '[::1]', 'evil.example', '127.0.0.1:1', '[::1', ':::', '127.0.0.1:99999999999'),
    printableJunk,
  );
  const origin = fc.oneof(
    { weight: 4, arbitrary: fc.constant(null) },
    fc.constantFrom('null', 'http://evil.example', 'http://127.0.0.1', 'file://', 'http://[', 'http://127.0.0.1:0', 'ws://localhost'),
    printableJunk,
  );
  const cookie = fc.oneof(
    fc.constant(null),
    percentJunk.map((p) => `coursedock_token=${p}`),
    percentJunk.map((p) => `PANEL=${p}`),
    fc.tuple(printableJunk, percentJunk).map(([a, p]) => `${a}; PANEL=${p}; coursedock_token=${p}; other=${p}`),
    { weight: 5, arbitrary: fc.constant('PANEL=TOKEN') },
    printableJunk,
  );
  const protocols = fc.oneof(
    fc.constant(null),
    fc.constant(`${API_PROTOCOL}, ${API_KEY_PROTOCOL_PREFIX}KEY`),
    fc.constant(API_PROTOCOL),
    printableJunk,
    percentJunk.map((p) => `${API_PROTOCOL}, ${API_KEY_PROTOCOL_PREFIX}${p}`),
  );
  return fc.record({
    method: fc.oneof({ weight: 4, arbitrary: fc.constant('GET') }, fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'CONNECT', 'PRI', 'get', 'G\u00e9T'), printableJunk),
    target: fc.oneof(
      fc.tuple(pathish, query).map(([p, q]) => p + q),
      fc.constantFrom('*', '//evil:99999/x', 'http://evil.example/', '/p/../../etc/passwd', '/%zz', '/api?token=%zz', ''),
      fc.tuple(pathish, query).map(([p, q]) => `/p/tm351/notebook${p}${q}`),
      { weight: 3, arbitrary: fc.tuple(pathish, query).map(([p, q]) => `${t.base.replace(/\/$/, '')}${p}${q}`) },
      printableJunk,
    ),
    host: host.map((h) => (h === '127.0.0.1' || h === 'localhost' || h === '[::1]' ? `${h}:${port()}` : h)),
    origin,
    cookie: cookie.map((c) => c && c.replaceAll('PANEL', t.cookieName()).replace('=TOKEN', `=${t.secret()}`)),
    protocols: protocols.map((p) => p && p.replace('KEY', t.apiKey())),
    upgrade: fc.boolean(),
    wsKey: fc.oneof(fc.constant(null), fc.constant('dGhlIHNhbXBsZSBub25jZQ=='), printableJunk, fc.base64String({ maxLength: 40 })),
    wsVersion: fc.oneof(fc.constant(null), fc.constantFrom('13', '8', '', 'x', '13, 8', '99999999999999999999')),
    extra: fc.array(fc.tuple(fc.constantFrom('Authorization', 'Content-Length', 'Transfer-Encoding', 'X-Forwarded-For', 'Accept', 'Expect'), printableJunk), {
      maxLength: 3,
    }),
    cut: fc.oneof(fc.constant(null), fc.constant(null), fc.nat({ max: 300 })),
  });
}

function render(s: Shape): Buffer {
  const lines = [`${s.method} ${s.target} HTTP/1.1`];
  if (s.host !== null) lines.push(`Host: ${s.host}`);
  if (s.origin !== null) lines.push(`Origin: ${s.origin}`);
  if (s.cookie !== null) lines.push(`Cookie: ${s.cookie}`);
  if (s.upgrade) {
    lines.push('Connection: Upgrade', 'Upgrade: websocket');
    if (s.wsKey !== null) lines.push(`Sec-WebSocket-Key: ${s.wsKey}`);
    if (s.wsVersion !== null) lines.push(`Sec-WebSocket-Version: ${s.wsVersion}`);
    if (s.protocols !== null) lines.push(`Sec-WebSocket-Protocol: ${s.protocols}`);
  }
  for (const [k, v] of s.extra) lines.push(`${k}: ${v}`);
  const bytes = Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
  return s.cut === null ? bytes : bytes.subarray(0, s.cut);
}

function requests(t: FuzzTarget): fc.Arbitrary<Buffer> {
  const port = () => t.port();
  return fc.oneof(
    { weight: 6, arbitrary: shape(t).map(render) },
    // Binary junk, and a garbage "request line".
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 600 }).map((a) => Buffer.from(a)) },
    { weight: 1, arbitrary: text(200).map((t) => Buffer.from(`${t}\r\n\r\n`, 'latin1')) },
    // Huge headers: one long value, or many headers (Node's limit is 16 KiB).
    {
      weight: 1,
      arbitrary: fc.tuple(fc.integer({ min: 1, max: 64 }), fc.boolean()).map(([kib, many]) => {
        const big = many
          ? Array.from({ length: kib * 16 }, (_, i) => `X-H${i}: ${'v'.repeat(60)}`).join('\r\n')
          : `Cookie: ${t.cookieName()}=${'%zz'.repeat(kib * 340)}`;
        return Buffer.from(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${port()}\r\n${big}\r\n\r\n`, 'latin1');
      }),
    },
    // A very long request target.
    { weight: 1, arbitrary: fc.integer({ min: 8, max: 40 }).map((kib) => Buffer.from(`GET /${'%zz'.repeat(kib * 340)} HTTP/1.1\r\nHost: 127.0.0.1:${port()}\r\n\r\n`)) },
  );
}

/** Status codes a refused or answered request may get; 500 would be our own bug. */
const ALLOWED = new Set([101, 200, 302, 400, 401, 403, 404, 405, 408, 417, 426, 431, 502, 505]);

/** Sends `batches` × PER_BATCH generated requests at `target`, PARALLEL at a time; `check` after each batch. */
async function fuzz(target: FuzzTarget, seed: number, batches: number, check: () => Promise<void>): Promise<Map<number, number>> {
  const all = fc.sample(requests(target), { seed, numRuns: batches * PER_BATCH });
  const statuses = new Map<number, number>();
  for (let b = 0; b < batches; b++) {
    const batch = all.slice(b * PER_BATCH, (b + 1) * PER_BATCH);
    // PARALLEL connections at a time, each started as soon as one ends.
    const answers: string[] = [];
    let next = 0;
    const worker = async () => {
      while (next < batch.length) answers.push(await rawExchange(batch[next++]!, target.port()));
    };
    await Promise.all(Array.from({ length: PARALLEL }, worker));
    for (const a of answers) {
      const m = a.match(/^HTTP\/1\.1 (\d{3})/);
      if (!m) continue; // closed without an answer (a cut request, junk the parser dropped)
      const status = Number(m[1]);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      expect(ALLOWED.has(status), `unexpected status ${status}: ${a.slice(0, 200)}`).toBe(true);
    }
    await check();
  }
  return statuses;
}

describe('hostile input', () => {
  it('a malformed cookie (ours or the old name) is no credential and no crash; the next request is served', async () => {
    for (const cookie of ['coursedock_token=%zz', `${panelCookieName(shell.port)}=%zz`, `${panelCookieName(shell.port)}=%E0%A4%A; x=%`]) {
      // Undecodable values are skipped (a cookie planted by another loopback page must not lock the student out).
      expect((await get('/', { Cookie: cookie })).status, cookie).toBe(401);
    }
    await stillAnswers();
  });

  it('a request target that is not a path gets 400 and one log line without a stack; the next request is served', async () => {
    const before = logged.length;
    const answer = await rawExchange(Buffer.from(`GET //evil:99999/x HTTP/1.1\r\nHost: 127.0.0.1:${shell.port}\r\nCookie: ${panelCookie()}\r\n\r\n`));
    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(logged.slice(before)).toEqual([expect.stringMatching(/^Coursedock: refused a malformed request \(400\): request target is not a path — GET \/\/evil:99999\/x$/)]);
    await stillAnswers();
  });

  it(
    `${BATCHES * PER_BATCH} generated requests and upgrades (seed ${SEED}): the shell answers after every batch`,
    async () => {
      const target = { port: () => shell.port, cookieName: () => panelCookieName(shell.port), secret: () => shell.token, apiKey: () => shell.apiKey, base: '/' };
      const statuses = await fuzz(target, SEED, BATCHES, stillAnswers);
      // The generator reached the interesting answers, not only one kind of refusal.
      for (const status of [200, 400, 401, 403, 404]) expect(statuses.get(status) ?? 0, `status ${status}`).toBeGreaterThan(0);
      // Refusals are logged in single lines without stacks.
      expect(logged.length).toBeGreaterThan(0);
      for (const line of logged) expect(line).not.toMatch(/\n|\s+at .+:\d+:\d+/);
    },
    180_000,
  );
});

describe('hostile input at a service origin (its own listener, proxying to the service)', () => {
  const SERVICE_BATCHES = 4;
  let upstream: http.Server | undefined;
  let origins: ServiceOrigins | undefined;
  let originPort = 0;
  let cookie = '';
  const originLog: string[] = [];

  beforeAll(async () => {
    // The "service": answers every request with its path; upgrades are answered and closed.
    const server = http.createServer((req, res) => res.end(`upstream ${req.url?.slice(0, 50)}`));
    upstream = server;
    server.on('upgrade', (_req, socket) => socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const upstreamPort = (server.address() as net.AddressInfo).port;
    const made = new ServiceOrigins({ resolve: () => ({ port: upstreamPort, path: '/p/fuzz/web/' }), log: (l) => originLog.push(l) });
    origins = made;
    const { url } = await made.webView('fuzz', 'web');
    originPort = Number(new URL(url).port);
    const first = await new Promise<http.IncomingMessage>((resolve, reject) => http.get(url, resolve).on('error', reject));
    first.resume();
    cookie = String(first.headers['set-cookie']).split(';')[0]!;
    expect(cookie).toMatch(new RegExp(`^${webCookieName(originPort)}=`));
  });

  afterAll(async () => {
    await origins?.close();
    await new Promise((r) => upstream?.close(r));
  });

  const pageAnswers = async () => {
    const body = await new Promise<string>((resolve, reject) =>
      http
        .get({ host: '127.0.0.1', port: originPort, path: '/p/fuzz/web/tree', headers: { Cookie: cookie } }, (res) => {
          let text = '';
          res.on('data', (c: Buffer | string) => (text += c.toString()));
          res.on('end', () => resolve(`${res.statusCode} ${text}`));
        })
        .on('error', reject),
    );
    expect(body).toBe('200 upstream /p/fuzz/web/tree');
  };

  it(`${SERVICE_BATCHES * PER_BATCH} generated requests and upgrades (seed ${SEED + 1}): the service page answers after every batch`, async () => {
    const secret = cookie.slice(cookie.indexOf('=') + 1);
    const target = { port: () => originPort, cookieName: () => webCookieName(originPort), secret: () => secret, apiKey: () => 'none', base: '/p/fuzz/web/' };
    const statuses = await fuzz(target, SEED + 1, SERVICE_BATCHES, pageAnswers);
    for (const status of [200, 400, 401, 403]) expect(statuses.get(status) ?? 0, `status ${status}`).toBeGreaterThan(0);
    for (const line of originLog) expect(line).not.toMatch(/\n|\s+at .+:\d+:\d+/);
  }, 180_000);
});

describe('the exact request from issue 11, against `coursedock serve`', () => {
  let child: ChildProcess | undefined;
  let home: string;

  afterAll(() => {
    child?.kill('SIGKILL');
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it("curl -H 'Cookie: coursedock_token=%zz' leaves the process running and answering", async () => {
    home = mkdtempSync(path.join(os.tmpdir(), 'cd-serve-'));
    const rendererDir = path.join(home, 'renderer');
    mkdirSync(rendererDir);
    writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Coursedock</title>');
    child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin/coursedock.js'), 'serve', '--port', '0'], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        COURSEDOCK_HOME: home,
        COURSEDOCK_RENDERER: rendererDir,
        COURSEDOCK_DOCKER_HOST: `unix://${home}/no-docker.sock`,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // Refusals are logged wherever serve logs (its stdout, `[serve] …`, or stderr by default).
    let output = '';
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child!.stdout!.on('data', (c: Buffer) => {
        out += c.toString();
        output += c.toString();
        const m = out.match(/Coursedock panel: (http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/);
        if (m) resolve(m[1]!);
      });
      child!.once('exit', (code) => reject(new Error(`serve exited (${code}): ${output}`)));
    });
    const base = new URL(url);
    const curl = (...args: string[]) =>
      execFileSync('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', ...args, `http://127.0.0.1:${base.port}/`], { encoding: 'utf8' });

    // Not a credential (no longer our cookie's name, and undecodable): refused, not a crash.
    expect(curl('-H', 'Cookie: coursedock_token=%zz')).toBe('401');
    expect(curl('-H', `Cookie: ${panelCookieName(Number(base.port))}=%zz`)).toBe('401');
    expect(curl('--request-target', '*')).toBe('400');
    expect(child.exitCode).toBeNull();
    expect(curl('-H', `Authorization: token ${base.searchParams.get('token')}`)).toBe('200');
    // curl ran synchronously: let the child's stderr arrive.
    for (let i = 0; i < 50 && !/request target/.test(output); i++) await new Promise((r) => setTimeout(r, 100));
    expect(output).toMatch(/refused a malformed request \(400\): request target is not a path — GET \*/);
    expect(output).not.toMatch(/\n\s+at /);
  }, 60_000);
});
