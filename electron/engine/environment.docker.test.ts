// The tm351 course on the real Docker engine with the locally built images: the engine's
// promises to students, checked for real (no mocks). One environment, started once, goes through
// a student's week: work, restart, reinstall, down and up again, reset; each test writes the data
// it checks. MongoDB's image sits in a registry that cannot answer (see course-copy.ts), so its
// "not available here" is made by the test, not assumed of the machine.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Environment, Notice, OperationResult } from './environment.js';
import { copyCourse, UNREACHABLE_REGISTRY } from './testing/course-copy.js';
import { newTestEngine, psql, type TestEngine } from './testing/test-engine.js';
import { Teardown } from './testing/teardown.js';
import { SpecError } from './spec/index.js';
import { notebookUrlWithToken } from './testing/notebook-url.js';

const NOTEBOOK_PORT = 8351;

function holdPort(port: number): Promise<net.Server | undefined> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(undefined)); // already taken by something else: just as good
    server.listen({ host: '127.0.0.1', port }, () => resolve(server));
  });
}

const hostPort = (env: Environment, service: string, target: number): number => {
  const p = env.state(service).ports.find((x) => x.target === target);
  if (!p) throw new Error(`${service} publishes no port ${target}`);
  return p.hostPort;
};

describe('tm351 on the real engine', () => {
  const teardown = new Teardown();
  let t: TestEngine;
  let env: Environment;
  let blocker: net.Server | undefined;
  const notices: Notice[] = [];
  let firstUp: OperationResult;

  beforeAll(async () => {
    blocker = await holdPort(NOTEBOOK_PORT);
    t = teardown.add(newTestEngine(), (made) => made.destroy());
    await t.engine.connection.require();
    env = await t.engine.open(t.copy.project);
    env.on('notice', (n) => notices.push(n));
    firstUp = await env.up();
  });

  afterAll(async () => {
    await teardown.run();
    blocker?.close();
  });

  it('up brings notebook and postgres to healthy and reports mongo unavailable', () => {
    expect(env.spec.services.mongo!.image).toBe(`${UNREACHABLE_REGISTRY}/mongo:7`);
    const byService = Object.fromEntries(firstUp.services.map((s) => [s.service, s]));
    expect(byService.postgres).toEqual({ service: 'postgres', ok: true });
    expect(byService.notebook).toEqual({ service: 'notebook', ok: true });
    expect(byService.mongo!.ok).toBe(false);
    expect(byService.mongo!.error).toMatch(/mongo:7 is not available/);

    expect(env.state('postgres').status).toBe('healthy');
    expect(env.state('notebook').status).toBe('healthy');
    const mongo = env.state('mongo');
    expect(mongo.status).toBe('error');
    expect(mongo.unavailable).toBe(true);
    expect(mongo.lastError).toMatch(/could not be downloaded \(no connection to the image registry\).*no build context/);
  });

  it('auto-corrects the busy notebook port, reports it and remembers it', () => {
    const port = hostPort(env, 'notebook', 8888);
    expect(port).not.toBe(NOTEBOOK_PORT);
    expect(env.state('notebook').ports[0]!.requested).toBe(NOTEBOOK_PORT);
    expect(notices.some((n) => n.message.includes(`Port ${NOTEBOOK_PORT} is in use`) && n.message.includes(String(port)))).toBe(true);
    const settings = JSON.parse(readFileSync(path.join(t.copy.home, 'settings.json'), 'utf8')) as { environments: Record<string, { ports: Record<string, Record<string, number>> }> };
    expect(settings.environments[t.copy.project]?.ports.notebook?.['8888/tcp']).toBe(port);
  });

  it('serves the notebook on 127.0.0.1 with its token, and refuses it without', async () => {
    const url = notebookUrlWithToken(env);
    expect(env.state('notebook').webUrl).not.toMatch(/token/);
    expect(url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:\\d+/p/${t.copy.project}/notebook/tree\\?token=[0-9a-f]{48}$`));
    expect((await fetch(url)).status).toBe(200);
    const anonymous = await fetch(url.replace(/\?token=.*/, ''), { redirect: 'manual' });
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get('location')).toMatch(/login/);
  });

  it('is listed by docker-compose (Compose v1) as the same containers', () => {
    const out = execFileSync('docker-compose', ['-f', t.copy.file, '-p', t.copy.project, 'ps'], {
      env: { ...process.env, NOTEBOOK_TOKEN: 'x', MONGO_PASSWORD: 'm', MONGO_ADMIN_PASSWORD: 'a', NOTEBOOKS_DIR: t.copy.notebooksDir, NOTEBOOK_UID: '0', COURSEDOCK_PROJECT: t.copy.project },
      encoding: 'utf8',
    });
    expect(out).toContain(`${t.copy.project}-notebook-1`);
    expect(out).toContain(`${t.copy.project}-postgres-1`);
  });

  it('keeps a database row and a notebook file through restart, reinstall and down + up', async () => {
    const pg = () => hostPort(env, 'postgres', 5432);
    psql(pg(), "create table sentinel(v text); insert into sentinel values ('kept')");
    // Written through Jupyter, so it lands in the bind-mounted folder as the notebook user.
    const web = new URL(notebookUrlWithToken(env));
    const put = await fetch(`${web.origin}/p/${t.copy.project}/notebook/api/contents/sentinel.txt?token=${web.searchParams.get('token')}`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ type: 'file', format: 'text', content: 'my work' }),
    });
    expect(put.status).toBe(201);
    const file = path.join(t.copy.notebooksDir, 'sentinel.txt');
    const intact = () => {
      expect(psql(pg(), 'select v from sentinel')).toBe('kept');
      expect(readFileSync(file, 'utf8')).toBe('my work');
    };
    intact();

    expect((await env.restart('postgres')).ok).toBe(true);
    intact();

    const pgBefore = env.state('postgres').containerId;
    expect((await env.reinstall('postgres')).ok).toBe(true);
    expect(env.state('postgres').containerId).not.toBe(pgBefore);
    expect(env.state('notebook').status).toBe('healthy');
    intact();

    const nbBefore = env.state('notebook').containerId;
    const nbPort = hostPort(env, 'notebook', 8888);
    expect((await env.reinstall('notebook')).ok).toBe(true);
    expect(env.state('notebook').containerId).not.toBe(nbBefore);
    expect(env.state('notebook').status).toBe('healthy');
    intact();

    expect((await env.down()).ok).toBe(true);
    expect(env.state('postgres').status).toBe('missing');
    expect(env.state('notebook').status).toBe('missing');
    expect(existsSync(file)).toBe(true);

    const again = await env.up();
    expect(again.services.filter((s) => !s.ok).map((s) => s.service)).toEqual(['mongo']);
    expect(hostPort(env, 'notebook', 8888)).toBe(nbPort); // the auto-corrected port is reused
    intact();
  });

  it('resets postgres only after confirmation, back to the seeded database', async () => {
    const pg = () => hostPort(env, 'postgres', 5432);
    psql(pg(), "create table reset_marker(v text); insert into reset_marker values ('mine')");
    const notebook = path.join(t.copy.notebooksDir, 'reset-marker.txt');
    writeFileSync(notebook, 'not database data');

    await expect(env.reset('postgres', { confirm: false })).rejects.toThrow(/explicit confirmation/);
    expect(psql(pg(), 'select v from reset_marker')).toBe('mine');

    const result = await env.reset('postgres', { confirm: true });
    expect(result.ok).toBe(true);
    expect(psql(pg(), "select to_regclass('reset_marker') is null")).toBe('t');
    expect(psql(pg(), 'select count(*) from anscombe')).toBe('44');
    // The notebooks folder is not the database's data: it stays.
    expect(readFileSync(notebook, 'utf8')).toBe('not database data');
  });

  it('recreates only the service whose configuration changed', async () => {
    const pgId = env.state('postgres').containerId;
    const nbId = env.state('notebook').containerId;
    const text = readFileSync(t.copy.file, 'utf8');
    const changed = text.replace('      PGHOST: postgres\n', '      PGHOST: postgres\n      COURSE_EXTRA: "1"\n');
    expect(changed).not.toBe(text);
    try {
      writeFileSync(t.copy.file, changed);
      env = await t.engine.open(t.copy.project, { reload: true });
      const result = await env.up();
      expect(result.services.find((s) => s.service === 'notebook')!.ok).toBe(true);
      expect(env.state('postgres').containerId).toBe(pgId);
      expect(env.state('notebook').containerId).not.toBe(nbId);
    } finally {
      writeFileSync(t.copy.file, text);
      env = await t.engine.open(t.copy.project, { reload: true });
    }
  });

  it('starts nothing from a broken spec and says where it is broken', async () => {
    const broken = copyCourse('tm351', 'cdtbroken');
    try {
      writeFileSync(broken.file, readFileSync(broken.file, 'utf8').replace('    ports:\n      - "127.0.0.1:5432:5432"', '    portz:\n      - "127.0.0.1:5432:5432"'));
      const bt = newTestEngine(broken);
      try {
        await bt.engine.connection.require();
        const err = await bt.engine.open(broken.project).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(SpecError);
        expect((err as Error).message).toMatch(new RegExp(`compose\\.yml:\\d+:\\d+: .*portz`));
        const docker = bt.engine.connection.docker!;
        const left = await docker.listContainers({ all: true, filters: { label: [`com.docker.compose.project=${broken.project}`] } });
        expect(left).toEqual([]);
      } finally {
        await bt.destroy();
      }
    } finally {
      broken.cleanup();
    }
  });
});
