// The front door over in-memory desks and a stand-in notebook server (no Docker): sign-in by
// code and by link, sessions bound to one student, the API key and cookie naming the same
// session, rotation ending a session, notebook origins admitting only their owner, and the
// tutor's read-only view.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { CodeStore, type IssuedCode } from '../codes.js';
import type { StudentStatus } from '../types.js';
import { startFrontDoor, type FrontDoor } from './front-door.js';
import { sessionCookieName } from './sign-in.js';
import type { Desks, StudentDesk } from './student-desk.js';
import { messageText } from '../../../api/ws-text.js';

const roster = [
  { id: 'ada', name: 'Ada' },
  { id: 'bob', name: 'Bob' },
];

interface Fixture {
  home: string;
  door: FrontDoor;
  codes: CodeStore;
  issued: IssuedCode[];
  calls: string[];
  upstream: Server;
  upstreamSeen: Array<{ method?: string; url?: string; auth?: string }>;
  desks: Desks;
  /** Who listens to the in-memory class's changes (the tutors' sessions). */
  changeListeners: Set<() => void>;
  rendererDir: string;
}

let fx: Fixture;

function desk(id: string, calls: string[], upstreamPort: () => number): StudentDesk {
  const project = `tm351-${id}`;
  const ok = (what: string) => (service?: string) => {
    calls.push(`${id}:${what}:${service ?? ''}`);
    return Promise.resolve({ ok: true, services: [] });
  };
  return {
    studentId: id,
    project,
    info: () => ({ project, course: 'tm351', title: 'TM351', file: '/x', services: [], variables: [], warnings: [], states: [] }),
    states: () => Promise.resolve([{ service: 'notebook', status: 'healthy', ports: [] }]),
    up: ok('up'),
    down: ok('down'),
    start: ok('start'),
    stop: ok('stop'),
    restart: ok('restart'),
    reinstall: ok('reinstall'),
    reset: ok('reset'),
    password: () => 'testpass',
    webTarget: () => ({
      port: 8888,
      path: `/p/${project}/notebook/tree`,
      token: `token-of-${id}`,
      connect: () => Promise.resolve(net.connect({ host: '127.0.0.1', port: upstreamPort() })),
    }),
    openTerminal: () => Promise.reject(new Error('no terminals here')),
    logs: () => Promise.reject(new Error('no logs here')),
  };
}

beforeEach(async () => {
  const home = mkdtempSync(path.join(os.tmpdir(), 'front-door-'));
  const rendererDir = path.join(home, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><html><head><title>x</title></head><body></body></html>');
  const codes = CodeStore.forCourse('tm351', home);
  const issued = codes.issue(roster);
  const calls: string[] = [];
  const upstreamSeen: Fixture['upstreamSeen'] = [];
  const upstream = createServer((req, res) => {
    upstreamSeen.push({ method: req.method, url: req.url, auth: req.headers.authorization });
    res.writeHead(200, { 'Content-Type': 'text/plain' });
    res.end('notebook page');
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', () => r()));
  const upstreamPort = () => (upstream.address() as AddressInfo).port;
  const changeListeners = new Set<() => void>();
  const desks: Desks = {
    course: 'tm351',
    title: 'TM351',
    desk: (id) => (roster.some((s) => s.id === id) ? desk(id, calls, upstreamPort) : undefined),
    status: () =>
      Promise.resolve(roster.map((s): StudentStatus => ({ student: s, namespace: `tm351-${s.id}`, state: 'running', ready: true, services: [] }))),
    startStudents: (ids) => {
      calls.push(`start-students:${ids.join(',')}`);
      return Promise.resolve();
    },
    stopStudents: (ids) => {
      calls.push(`stop-students:${ids.join(',')}`);
      return Promise.resolve();
    },
    onChange: (listener) => {
      changeListeners.add(listener);
      return () => void changeListeners.delete(listener);
    },
  };
  const door = await startFrontDoor({ desks, codes, rendererDir, dockerStatus: () => ({ state: 'connecting' }), pollMs: 0 });
  fx = { home, door, codes, issued, calls, upstream, upstreamSeen, desks, changeListeners, rendererDir };
});

afterEach(async () => {
  await fx.door.close();
  await new Promise((r) => fx.upstream.close(r));
  rmSync(fx.home, { recursive: true, force: true });
});

const codeOf = (id: string) => fx.issued.find((c) => c.id === id)!.code;
const origin = () => `http://127.0.0.1:${fx.door.port}`;

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function http(url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: init.method ?? 'GET', headers: init.headers }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

/** Signs in with a code; returns the session cookie and the page's API key. */
async function signIn(code: string): Promise<{ cookie: string; apiKey: string }> {
  const r = await http(`${origin()}/signin`, { method: 'POST', headers: { Origin: origin(), 'Content-Type': 'application/json' }, body: JSON.stringify({ code }) });
  expect(r.status).toBe(200);
  const cookie = String(r.headers['set-cookie']).split(';')[0]!;
  const page = await http(`${origin()}/`, { headers: { Cookie: cookie } });
  const apiKey = page.body.match(/name="coursedock-api-key" content="([^"]+)"/)?.[1];
  expect(apiKey).toBeTruthy();
  return { cookie, apiKey: apiKey! };
}

function openApi(cookie: string, apiKey: string, originHeader = origin()): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${fx.door.port}/api`, ['coursedock.v1', `key.${apiKey}`], { headers: { Cookie: cookie, Origin: originHeader } });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`refused ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

let nextId = 1;
function call(ws: WebSocket, method: string, params: unknown): Promise<{ result?: unknown; error?: { code: string; message: string } }> {
  const id = nextId++;
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const msg = JSON.parse(messageText(data)) as { id?: number };
      if (msg.id !== id) return;
      ws.off('message', onMessage);
      resolve(msg as never);
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ id, method, params }));
  });
}

describe('front door: signing in', () => {
  it('serves the sign-in page (no API key) to whoever has not signed in, on 127.0.0.1 only', async () => {
    expect(fx.door.server.address()).toMatchObject({ address: '127.0.0.1' });
    const page = await http(`${origin()}/`);
    expect(page.body).toContain('name="coursedock-classroom" content="signin"');
    expect(page.body).not.toContain('coursedock-api-key');
    const rebinding = await http(`${origin()}/`, { headers: { Host: `evil.example:${fx.door.port}` } });
    expect(rebinding.status).toBe(403);
  });

  it('takes a typed code: a wrong one is refused, a right one gives a session for that student only', async () => {
    const wrong = await http(`${origin()}/signin`, { method: 'POST', headers: { Origin: origin(), 'Content-Type': 'application/json' }, body: '{"code":"AAAA-AAAA-AAAA"}' });
    expect(wrong.status).toBe(401);
    expect(wrong.headers['set-cookie']).toBeUndefined();
    const foreign = await http(`${origin()}/signin`, { method: 'POST', headers: { Origin: 'http://evil.example', 'Content-Type': 'application/json' }, body: JSON.stringify({ code: codeOf('ada') }) });
    expect(foreign.status).toBe(403);
    const { cookie } = await signIn(codeOf('ada').toLowerCase());
    expect(cookie.startsWith(`${sessionCookieName(fx.door.port)}=`)).toBe(true);
    const page = await http(`${origin()}/`, { headers: { Cookie: cookie } });
    expect(page.body).toContain('name="coursedock-classroom" content="student"');
    expect(page.body).toContain('name="coursedock-classroom-who" content="ada"');
  });

  it('takes a link with the code, and takes the code out of the address', async () => {
    const r = await http(`${origin()}/?code=${encodeURIComponent(codeOf('bob'))}&course=tm351`);
    expect(r.status).toBe(302);
    expect(r.headers.location).toBe('/?course=tm351');
    expect(String(r.headers['set-cookie'])).toMatch(/HttpOnly; SameSite=Strict/);
    const bad = await http(`${origin()}/?code=AAAA-AAAA-AAAA`);
    expect(bad.headers.location).toBe('/?signin=wrong-code');
    expect(bad.headers['set-cookie']).toBeUndefined();
  });

  it('ends a session when its code is rotated', async () => {
    const { cookie, apiKey } = await signIn(codeOf('ada'));
    fx.codes.issue(roster, { rotate: ['ada'] });
    const page = await http(`${origin()}/`, { headers: { Cookie: cookie } });
    expect(page.body).toContain('content="signin"');
    await expect(openApi(cookie, apiKey)).rejects.toThrow(/refused 403/);
  });

  it('slows down a client that tries many codes', async () => {
    let last = 0;
    for (let i = 0; i < 21; i++) {
      last = (await http(`${origin()}/signin`, { method: 'POST', headers: { Origin: origin(), 'Content-Type': 'application/json' }, body: '{"code":"AAAA-AAAA-AAAA"}' })).status;
    }
    expect(last).toBe(429);
  });
});

describe('front door: the API', () => {
  it('opens only for the page of the signed-in session: its key AND its cookie, exact Origin', async () => {
    const ada = await signIn(codeOf('ada'));
    const bob = await signIn(codeOf('bob'));
    await expect(openApi(bob.cookie, ada.apiKey)).rejects.toThrow(/refused 403/);
    await expect(openApi(ada.cookie, ada.apiKey, 'http://evil.example')).rejects.toThrow(/refused 403/);
    await expect(openApi('', ada.apiKey)).rejects.toThrow(/refused 403/);
    const ws = await openApi(ada.cookie, ada.apiKey);
    ws.close();
  });

  it('checks every call against the signed-in student: A naming B is refused, A naming A runs', async () => {
    const ada = await signIn(codeOf('ada'));
    const ws = await openApi(ada.cookie, ada.apiKey);
    try {
      const refused = await call(ws, 'service.stop', { project: 'tm351-bob', service: 'notebook' });
      expect(refused.error?.message).toMatch(/not your environment/);
      expect(fx.calls).toEqual([]);
      const mine = await call(ws, 'service.stop', { project: 'tm351-ada', service: 'notebook' });
      expect(mine.error).toBeUndefined();
      expect(fx.calls).toEqual(['ada:stop:notebook']);
      expect((await call(ws, 'classroom.status', {})).error?.code).toBe('unknown-method');
    } finally {
      ws.close();
    }
  });

  it('gives the tutor the classroom methods, and not the students’ contract', async () => {
    const tutor = await signIn(codeOf('tutor'));
    const page = await http(`${origin()}/`, { headers: { Cookie: tutor.cookie } });
    expect(page.body).toContain('content="tutor"');
    const ws = await openApi(tutor.cookie, tutor.apiKey);
    try {
      const table = await call(ws, 'classroom.status', {});
      expect((table.result as { students: StudentStatus[] }).students.map((s) => s.student.id)).toEqual(['ada', 'bob']);
      await call(ws, 'classroom.stop', { students: ['bob'] });
      expect(fx.calls).toEqual(['stop-students:bob']);
      expect((await call(ws, 'classroom.stop', { students: ['zed'] })).error?.message).toMatch(/No student "zed"/);
      expect((await call(ws, 'service.stop', { project: 'tm351-ada', service: 'notebook' })).error?.code).toBe('unknown-method');
    } finally {
      ws.close();
    }
  });

  it('tells the tutor’s page when the class changed, and stops watching when it goes', async () => {
    const tutor = await signIn(codeOf('tutor'));
    const ws = await openApi(tutor.cookie, tutor.apiKey);
    const pushed: unknown[] = [];
    ws.on('message', (data) => {
      const msg = JSON.parse(messageText(data)) as { event?: string };
      if (msg.event) pushed.push(msg);
    });
    expect(fx.changeListeners.size).toBe(1);
    for (const l of fx.changeListeners) l();
    await vi.waitFor(() => expect(pushed).toEqual([{ event: 'classroom.changed', payload: {} }]));
    // A student's session is not told (theirs is the panel's own contract).
    const ada = await signIn(codeOf('ada'));
    const student = await openApi(ada.cookie, ada.apiKey);
    expect(fx.changeListeners.size).toBe(1);
    student.close();
    ws.close();
    await vi.waitFor(() => expect(fx.changeListeners.size).toBe(0));
  });
});

describe('front door: notebook origins', () => {
  it('admit only the signed-in owner: A’s notebook URL with B’s session is refused; the token is added by the proxy', async () => {
    const ada = await signIn(codeOf('ada'));
    const bob = await signIn(codeOf('bob'));
    const ws = await openApi(ada.cookie, ada.apiKey);
    try {
      const view = (await call(ws, 'service.webView', { project: 'tm351-ada', service: 'notebook' })).result as { url: string };
      const url = new URL(view.url);
      expect(url.port).not.toBe(String(fx.door.port));
      const asBob = await http(view.url, { headers: { Cookie: bob.cookie } });
      expect(asBob.status).toBe(403);
      const asNobody = await http(view.url);
      expect(asNobody.status).toBe(403);
      const asAda = await http(view.url, { headers: { Cookie: ada.cookie } });
      expect(asAda.status).toBe(302);
      const notebookCookie = String(asAda.headers['set-cookie']).split(';')[0]!;
      const page = await http(`${url.origin}${String(asAda.headers.location)}`, { headers: { Cookie: `${ada.cookie}; ${notebookCookie}` } });
      expect(page.body).toBe('notebook page');
      expect(fx.upstreamSeen.at(-1)).toMatchObject({ url: '/p/tm351-ada/notebook/tree', auth: 'token token-of-ada' });
      // Bob, even holding Ada's notebook cookie, is refused.
      const stolen = await http(`${url.origin}${String(asAda.headers.location)}`, { headers: { Cookie: `${bob.cookie}; ${notebookCookie}` } });
      expect(stolen.status).toBe(403);
    } finally {
      ws.close();
    }
  });

  it('give the tutor a read-only view of a student’s notebook', async () => {
    const tutor = await signIn(codeOf('tutor'));
    const ws = await openApi(tutor.cookie, tutor.apiKey);
    try {
      const view = (await call(ws, 'classroom.webView', { student: 'ada', service: 'notebook' })).result as { url: string };
      const entered = await http(view.url, { headers: { Cookie: tutor.cookie } });
      const cookies = `${tutor.cookie}; ${String(entered.headers['set-cookie']).split(';')[0]}`;
      const base = new URL(view.url).origin;
      expect((await http(`${base}${String(entered.headers.location)}`, { headers: { Cookie: cookies } })).status).toBe(200);
      const write = await http(`${base}/p/tm351-ada/notebook/api/contents/x.ipynb`, { method: 'PUT', headers: { Cookie: cookies }, body: '{}' });
      expect(write.status).toBe(403);
      expect(fx.upstreamSeen.some((s) => s.method === 'PUT')).toBe(false);
    } finally {
      ws.close();
    }
  });
});

describe('front door: behind HTTPS', () => {
  it('accepts the public address with its exact Origin, refuses other hosts, and marks its cookie Secure', async () => {
    const publicUrl = 'https://class.example.org/';
    const door = await startFrontDoor({ desks: fx.desks, codes: fx.codes, rendererDir: fx.rendererDir, dockerStatus: () => ({ state: 'connecting' }), pollMs: 0, publicUrl });
    try {
      expect(door.url).toBe(publicUrl);
      const local = `http://127.0.0.1:${door.port}`;
      const viaProxy = { Host: 'class.example.org', Origin: 'https://class.example.org', 'Content-Type': 'application/json' };
      const signed = await http(`${local}/signin`, { method: 'POST', headers: viaProxy, body: JSON.stringify({ code: codeOf('ada') }) });
      expect(signed.status).toBe(200);
      expect(String(signed.headers['set-cookie'])).toMatch(/; Secure/);
      const otherOrigin = await http(`${local}/signin`, { method: 'POST', headers: { ...viaProxy, Origin: 'http://class.example.org' }, body: JSON.stringify({ code: codeOf('ada') }) });
      expect(otherOrigin.status).toBe(403);
      expect((await http(`${local}/`, { headers: { Host: 'other.example.org' } })).status).toBe(403);
      expect((await http(`${local}/`, { headers: { Host: 'class.example.org' } })).body).toContain('content="signin"');
    } finally {
      await door.close();
    }
  });
});
