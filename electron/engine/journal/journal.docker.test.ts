// The operation journal on the real engine: a CLI running a reinstall or a reset is killed
// (SIGKILL) at each step boundary — the moment Docker reports the event that marks it — and the
// next start (a new engine, or the CLI) finishes or undoes what was cut short and says so in
// words. Start never brings back the old container; a reinstall keeps the data; a reset either
// finished deleting it or, cut short before deleting anything, left it as it was.
import type { ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../engine.js';
import { LABEL } from '../plan/labels.js';
import { copyCourse, type CourseCopy } from '../testing/course-copy.js';
import { runCli, ShellProcess, startCli } from '../testing/processes.js';
import { newTestEngine, psql, removeProject } from '../testing/test-engine.js';
import { stepIndex, type JournalEntry } from './journal-entry.js';
import { JournalStore } from './journal-store.js';

const docker = new Dockerode();
let copy: CourseCopy;

interface DockerEvent {
  Type: string;
  Action: string;
  Actor: { ID: string; Attributes: Record<string, string> };
}

/** A step boundary: the nth Docker event of this kind for the project's PostgreSQL. */
interface KillPoint {
  name: string;
  type: 'container' | 'volume' | 'image';
  action: string;
  nth?: number;
}

const pgVolume = () => `${copy.project}_pgdata`;
const PG_IMAGE = 'coursedock/tm351-postgres:1';

function matches(e: DockerEvent, p: KillPoint): boolean {
  if (e.Type !== p.type || e.Action !== p.action) return false;
  if (p.type === 'container') return e.Actor.Attributes[LABEL.project] === copy.project && e.Actor.Attributes[LABEL.service] === 'postgres';
  if (p.type === 'volume') return e.Actor.ID === pgVolume();
  return e.Actor.Attributes.name === PG_IMAGE;
}

/** Runs the CLI and SIGKILLs it when Docker reports the kill point's event. */
async function killAt(args: string[], point: KillPoint): Promise<boolean> {
  const stream = (await docker.getEvents({})) as NodeJS.ReadableStream & { destroy(): void };
  const { child, done } = startCli(copy, args);
  return killWhen(stream, child, done, point);
}

async function killWhen(
  stream: NodeJS.ReadableStream & { destroy(): void },
  child: ChildProcess,
  done: Promise<unknown>,
  point: KillPoint,
): Promise<boolean> {
  let seen = 0;
  let killed = false;
  let buffer = '';
  stream.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      if (!line.trim() || killed) continue;
      const e = JSON.parse(line) as DockerEvent;
      if (matches(e, point) && ++seen === (point.nth ?? 1)) {
        killed = true;
        child.kill('SIGKILL');
      }
    }
  });
  await done;
  stream.destroy();
  return killed;
}

async function postgresContainers() {
  return docker.listContainers({ all: true, filters: { label: [`${LABEL.project}=${copy.project}`, `${LABEL.service}=postgres`] } });
}

async function pgPort(): Promise<number> {
  const [c] = await docker.listContainers({ filters: { label: [`${LABEL.project}=${copy.project}`, `${LABEL.service}=postgres`] } });
  const port = c?.Ports.find((p) => p.PrivatePort === 5432)?.PublicPort;
  if (!port) throw new Error('PostgreSQL publishes no port');
  return port;
}

const hasSentinel = async (): Promise<boolean> => psql(await pgPort(), "select coalesce(to_regclass('sentinel')::text, '')") === 'sentinel';

/** PostgreSQL up with the sentinel row; returns its container id. */
async function prepare(): Promise<string> {
  const up = await runCli(copy, ['up', copy.project, 'postgres', '--quiet']);
  expect(up.code, up.stderr).toBe(0);
  if (!(await hasSentinel())) psql(await pgPort(), "create table sentinel(v text); insert into sentinel values ('kept')");
  const [c] = await postgresContainers();
  return c!.Id;
}

const journal = () => new JournalStore(copy.home, copy.project);

/** The next start: a new engine opens the course and is asked to Start PostgreSQL at once. */
async function nextStart(): Promise<{ engine: Engine; notices: string[] }> {
  const { engine } = newTestEngine(copy);
  await engine.connection.require();
  const env = await engine.open(copy.project);
  const notices: string[] = [];
  env.on('notice', (n) => notices.push(n.message));
  const started = await env.start('postgres');
  expect(started.ok, JSON.stringify(started)).toBe(true);
  for (const n of await env.recovered()) if (!notices.includes(n.message)) notices.push(n.message);
  await env.idle();
  return { engine, notices };
}

beforeAll(() => {
  copy = copyCourse('tm351', 'cdj');
});

afterAll(async () => {
  await removeProject(copy.project);
  copy.cleanup();
});

const REINSTALL_POINTS: KillPoint[] = [
  { name: 'new image tagged', type: 'image', action: 'tag' },
  { name: 'old container stopping', type: 'container', action: 'kill' },
  { name: 'old container removed', type: 'container', action: 'destroy' },
  { name: 'new container created', type: 'container', action: 'create' },
  { name: 'new container started', type: 'container', action: 'start' },
];

const RESET_POINTS: KillPoint[] = [
  { name: 'old container stopping', type: 'container', action: 'kill' },
  { name: 'old container removed', type: 'container', action: 'destroy' },
  { name: 'data volume deleted', type: 'volume', action: 'destroy' },
  // The first create is `up`'s own (the volume exists); the second makes it afresh.
  { name: 'data volume made afresh', type: 'volume', action: 'create', nth: 2 },
  { name: 'new image tagged', type: 'image', action: 'tag' },
  { name: 'new container created', type: 'container', action: 'create' },
  { name: 'new container started', type: 'container', action: 'start' },
];

describe('a reinstall killed at each step', () => {
  for (const point of REINSTALL_POINTS) {
    it(`is completed on the next start (killed at: ${point.name}); the old container never runs again; data kept`, async () => {
      const old = await prepare();
      expect(await killAt(['reinstall', copy.project, 'postgres', '--quiet'], point)).toBe(true);
      const entry = journal().get('postgres');
      expect(entry?.kind).toBe('reinstall');
      const { engine, notices } = await nextStart();
      try {
        expect(notices.join('\n')).toMatch(/A reinstall of PostgreSQL was interrupted at \d\d:\d\d; it has been completed\./);
        const now = await postgresContainers();
        expect(now).toHaveLength(1);
        expect(now[0]!.Id).not.toBe(old);
        expect(now[0]!.State).toBe('running');
        expect(now[0]!.ImageID).toBe((await docker.getImage(PG_IMAGE).inspect()).Id);
        expect(psql(await pgPort(), 'select v from sentinel')).toBe('kept');
        expect(journal().list()).toEqual([]);
      } finally {
        engine.close();
      }
    });
  }

  it('is reported by the CLI in words when the CLI is the next start, and Start makes a fresh container', async () => {
    const old = await prepare();
    expect(await killAt(['reinstall', copy.project, 'postgres', '--quiet'], { name: 'old container stopping', type: 'container', action: 'die' })).toBe(true);
    const r = await runCli(copy, ['start', copy.project, 'postgres']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/A reinstall of PostgreSQL was interrupted at \d\d:\d\d; it has been completed\./);
    const now = await postgresContainers();
    expect(now.map((c) => c.Id)).not.toContain(old);
    expect(psql(await pgPort(), 'select v from sentinel')).toBe('kept');
  });
});

describe('the browser shell killed during a reinstall asked by the panel', () => {
  it('is completed when the shell starts again, and the panel that connects afterwards is told', async () => {
    const old = await prepare();
    const shell = await ShellProcess.start(copy, copy.project);
    let again: ShellProcess | undefined;
    try {
      await shell.call('env.open', { course: copy.project });
      const stream = (await docker.getEvents({})) as NodeJS.ReadableStream & { destroy(): void };
      const exited = new Promise<void>((r) => shell.child.once('exit', () => r()));
      void shell.call('service.reinstall', { project: copy.project, service: 'postgres' }).catch(() => undefined);
      expect(await killWhen(stream, shell.child, exited, { name: 'old container removed', type: 'container', action: 'destroy' })).toBe(true);
      expect(journal().get('postgres')?.by.processKind).toBe('browser-shell');
      again = await ShellProcess.start(copy, copy.project);
      await again.call('env.open', { course: copy.project });
      const deadline = Date.now() + 180_000;
      const told = /A reinstall of PostgreSQL was interrupted at \d\d:\d\d; it has been completed\./;
      while (!again.notices().some((m) => told.test(m)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
      expect(again.notices().join('\n'), `shell said: ${again.output}\nevents: ${again.events.map((e) => e.event).join(',')}`).toMatch(told);
      const now = await postgresContainers();
      expect(now.map((c) => c.Id)).not.toContain(old);
      expect(now[0]!.State).toBe('running');
      expect(psql(await pgPort(), 'select v from sentinel')).toBe('kept');
    } finally {
      await shell.stop();
      await again?.stop();
    }
  });
});

describe('a reset killed at each step', () => {
  for (const point of RESET_POINTS) {
    it(`is completed or cancelled on the next start (killed at: ${point.name})`, async () => {
      const old = await prepare();
      expect(await killAt(['reset', copy.project, 'postgres', '--yes', '--quiet'], point)).toBe(true);
      const entry = journal().get('postgres') as JournalEntry;
      expect(entry.kind).toBe('reset');
      const deleting = stepIndex(entry.step) >= stepIndex('deleting-data');
      const { engine, notices } = await nextStart();
      try {
        const said = notices.join('\n');
        const now = await postgresContainers();
        expect(now).toHaveLength(1);
        expect(now[0]!.State).toBe('running');
        if (deleting) {
          expect(said).toMatch(/A reset of PostgreSQL was interrupted at \d\d:\d\d; it has been completed/);
          expect(now[0]!.Id).not.toBe(old);
          expect(await hasSentinel()).toBe(false);
          // The course data is back in the fresh database.
          expect(Number(psql(await pgPort(), 'select count(*) from anscombe'))).toBeGreaterThanOrEqual(44);
        } else {
          expect(said).toMatch(/A reset of PostgreSQL was interrupted at \d\d:\d\d before any data was deleted; it was cancelled/);
          expect(psql(await pgPort(), 'select v from sentinel')).toBe('kept');
        }
        expect(journal().list()).toEqual([]);
      } finally {
        engine.close();
      }
    });
  }

  it('leaves no lock behind', () => {
    const locks = path.join(copy.home, 'locks');
    expect(existsSync(locks) ? readdirSync(locks).filter((f) => f.endsWith('.lock')) : []).toEqual([]);
  });
});
