// Least privilege in the tm351 course, on the real engine and the built images:
// - PostgreSQL: the student's login (testuser) is no superuser, yet owns the course database and
//   may create tables, roles and databases; the bootstrap superuser cannot log in over TCP.
// - Jupyter: the notebook server itself refuses a WebSocket (and API calls) from a page of
//   another origin, whatever credential it carries; same-origin and Origin-less clients pass;
//   its own framing policy is 'self' only.
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Environment } from '../environment.js';
import { newTestEngine, psql, type TestEngine } from '../testing/test-engine.js';

let t: TestEngine | undefined;
let env: Environment;

beforeAll(async () => {
  t = newTestEngine();
  env = await t.engine.open(t.copy.project);
  const up = await env.up(['notebook']);
  expect(up.ok, JSON.stringify(up.services)).toBe(true);
});

afterAll(async () => {
  await t?.destroy();
});

const hostPort = (service: string, target: number): number => {
  const p = env.state(service).ports.find((q) => q.target === target);
  if (!p) throw new Error(`${service} publishes no port for ${target}`);
  return p.hostPort;
};

describe('PostgreSQL: the student login is not a superuser', () => {
  it('rolsuper false, CREATEDB and CREATEROLE, owner of the course database', () => {
    const port = hostPort('postgres', 5432);
    expect(psql(port, 'select rolsuper, rolcreatedb, rolcreaterole from pg_roles where rolname = current_user')).toBe('f|t|t');
    expect(psql(port, 'select pg_get_userbyid(datdba) from pg_database where datname = current_database()')).toBe('testuser');
    expect(psql(port, 'select current_setting($$is_superuser$$)')).toBe('off');
  });

  it('the seeded data is the student’s: readable and writable', () => {
    const port = hostPort('postgres', 5432);
    expect(psql(port, 'select count(*) from anscombe')).toBe('44');
    expect(psql(port, "select tableowner from pg_tables where tablename = 'elements'")).toBe('testuser');
    psql(port, "update elements set name = 'Hydrogen' where atomic_number = 1");
  });

  it('creates a table, a role (granted on it) and a database; superuser-only commands are refused', () => {
    const port = hostPort('postgres', 5432);
    psql(port, 'create table lp_notes (id int primary key, body text); insert into lp_notes values (1, $$hi$$)');
    psql(port, 'create role lp_reader login password $$reader-pw$$; grant select on lp_notes to lp_reader');
    expect(psql(port, 'select body from lp_notes', 'testdb', 'lp_reader', 'reader-pw')).toBe('hi');
    psql(port, 'create database lp_db');
    expect(psql(port, 'select 1', 'lp_db')).toBe('1');
    expect(() => psql(port, 'create extension if not exists adminpack')).toThrow();
    expect(() => psql(port, 'alter role testuser superuser')).toThrow(/permission denied|must be superuser/);
    expect(() => psql(port, "copy lp_notes from program 'id'")).toThrow();
  });

  it('the bootstrap superuser has no password: no TCP login as postgres', () => {
    const port = hostPort('postgres', 5432);
    for (const password of ['postgres', 'testpass']) {
      expect(() => psql(port, 'select 1', 'postgres', 'postgres', password)).toThrow();
    }
  });
});

describe('Jupyter: the origin check is on', () => {
  const token = () => env.variable('NOTEBOOK_TOKEN')!;
  const base = () => `/p/${t!.copy.project}/notebook/`;
  const origin = () => `http://127.0.0.1:${hostPort('notebook', 8888)}`;
  let kernel: string;

  beforeAll(async () => {
    const res = await fetch(`${origin()}${base()}api/kernels`, { method: 'POST', headers: { Authorization: `token ${token()}` }, body: '{}' });
    expect(res.status).toBe(201);
    kernel = ((await res.json()) as { id: string }).id;
  });

  /** 'open', or the HTTP status the server refused the upgrade with. */
  const upgrade = (headers: Record<string, string>, query = ''): Promise<'open' | number> =>
    new Promise((resolve, reject) => {
      const url = `ws://127.0.0.1:${hostPort('notebook', 8888)}${base()}api/kernels/${kernel}/channels${query}`;
      const ws = new WebSocket(url, { headers });
      ws.once('open', () => {
        ws.close();
        resolve('open');
      });
      ws.once('unexpected-response', (_req, res) => {
        resolve(res.statusCode ?? 0);
        res.resume();
        ws.terminate();
      });
      ws.once('error', (e) => reject(e));
    });

  it('a page of another origin is refused, with the token in the URL or a login cookie', async () => {
    expect(await upgrade({ Origin: 'http://evil.example' }, `?token=${token()}`)).toBe(403);
    expect(await upgrade({ Origin: 'http://127.0.0.1:8350' }, `?token=${token()}`)).toBe(403); // the panel's origin is not the notebook's
    const login = await fetch(`${origin()}${base()}tree?token=${token()}`, { redirect: 'manual' });
    const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    expect(cookie).toMatch(/username-/);
    expect(await upgrade({ Origin: 'http://evil.example', Cookie: cookie })).toBe(403);
    // The same origin with the same credentials is let in: the refusal is the origin's.
    expect(await upgrade({ Origin: origin(), Cookie: cookie })).toBe('open');
    expect(await upgrade({ Origin: origin() }, `?token=${token()}`)).toBe('open');
    expect(await upgrade({}, `?token=${token()}`)).toBe('open'); // scripts send no Origin
  });

  it('API calls from another origin get no answer, even with the token', async () => {
    const url = `${origin()}${base()}api/contents`;
    const foreign = await fetch(url, { headers: { Authorization: `token ${token()}`, Origin: 'http://evil.example' } });
    // Notebook 6 answers 404 (and names no content) to a cross-origin API call.
    expect(foreign.status).toBe(404);
    expect(await foreign.text()).not.toContain('"content"');
    const own = await fetch(url, { headers: { Authorization: `token ${token()}`, Origin: origin() } });
    expect(own.status).toBe(200);
  });

  it("frames: the server's own policy is frame-ancestors 'self' only", async () => {
    const res = await fetch(`${origin()}${base()}tree?token=${token()}`);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/frame-ancestors 'self'(;|$)/);
    expect(csp).not.toContain('127.0.0.1:*');
  });
});
