// Back after a reboot or a Docker restart, on the real engine: the engine remembers which
// services the student wants running and brings exactly those back — when a course is opened
// (the app or the browser shell starting) and when Docker answers again after a restart — and
// never starts a service the student stopped.
import { execFile, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import Dockerode from 'dockerode';
import { afterEach, describe, expect, it } from 'vitest';
import { BRING_BACK_SETTING, Engine } from './engine.js';
import type { Environment, Notice } from './environment.js';
import { FileSettingsStore } from './settings/settings-store.js';
import type { ServiceStatus } from './state/service-state.js';
import { copyCourse, REPO_ROOT, type CourseCopy } from './testing/course-copy.js';
import { LABEL } from './plan/labels.js';
import { psql, removeProject } from './testing/test-engine.js';
import { dockerdRestartability, findDockerd, startDockerd, statusBecomes, stopDockerd } from './testing/local-dockerd.js';
import { runOnlyIf } from './testing/skip-reason.js';

const docker = new Dockerode();
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** An engine as the desktop app or browser shell makes it (bringing back on), over a course copy. */
function shellEngine(copy: CourseCopy, bringBack = true): Engine {
  const engine = new Engine({
    store: new FileSettingsStore(path.join(copy.home, 'settings.json')),
    specsDir: path.dirname(copy.dir),
    env: { ...process.env, ...copy.env },
    environment: { readyTimeoutMs: 5 * 60_000 },
    bringBack,
  }).start();
  cleanups.push(() => engine.close());
  return engine;
}

function newCopy(): CourseCopy {
  const copy = copyCourse();
  cleanups.push(async () => {
    await removeProject(copy.project);
    copy.cleanup();
  });
  return copy;
}

const settled = (env: Environment, service: string, wanted: ServiceStatus[], timeoutMs = 120_000) =>
  env.tracker.waitFor(service, (s) => (wanted.includes(s.status) && !s.operation ? 'ok' : undefined), timeoutMs);

const notices = (env: Environment): Notice[] => {
  const seen: Notice[] = [];
  env.on('notice', (n) => seen.push(n));
  return seen;
};

const CLI = path.join(REPO_ROOT, 'bin/coursedock.js');

/** The CLI as the student runs it, on a course copy. */
async function cli(copy: CourseCopy, ...args: string[]): Promise<void> {
  await promisify(execFile)(process.execPath, [CLI, ...args], { env: { ...process.env, ...copy.env }, timeout: 300_000 });
}

/** `coursedock serve --course <copy>` in its own process; resolves once it printed its URL. */
async function browserShell(copy: CourseCopy): Promise<() => Promise<void>> {
  const child = spawn(process.execPath, [CLI, 'serve', '--course', copy.project], { env: { ...process.env, ...copy.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString();
      if (output.includes('Coursedock panel:')) resolve();
    });
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.once('exit', (code) => reject(new Error(`serve exited (${code}): ${output}`)));
  });
  return async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  };
}

/** Resolves when Docker reports the container of a project's service healthy (by its events). */
async function healthy(project: string, service: string, timeoutMs = 180_000): Promise<void> {
  const events = (await docker.getEvents({
    filters: { type: ['container'], label: [`${LABEL.project}=${project}`, `${LABEL.service}=${service}`] },
  })) as NodeJS.ReadableStream & { destroy(): void };
  try {
    const [c] = await docker.listContainers({ all: true, filters: { label: [`${LABEL.project}=${project}`, `${LABEL.service}=${service}`] } });
    if (c && (await docker.getContainer(c.Id).inspect()).State.Health?.Status === 'healthy') return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${service} of ${project} did not become healthy`)), timeoutMs);
      events.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('health_status: healthy')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
  } finally {
    events.destroy();
  }
}

async function containerState(project: string, service: string): Promise<string | undefined> {
  const [c] = await docker.listContainers({ all: true, filters: { label: [`${LABEL.project}=${project}`, `${LABEL.service}=${service}`] } });
  return c?.State;
}

describe('bringing back what the student had running', () => {
  it('when a course is opened: brings back what was running, leaves what the student stopped, honours the setting', async () => {
    const copy = newCopy();
    // The student's session: notebook (and PostgreSQL with it) up, then the notebook stopped.
    const first = shellEngine(copy, false);
    await first.connection.require();
    const env1 = await first.open(copy.project);
    expect((await env1.up(['notebook'])).ok).toBe(true);
    expect((await env1.stop('notebook')).ok).toBe(true);
    const pg = env1.state('postgres').ports.find((p) => p.target === 5432)!.hostPort;
    psql(pg, "create table sentinel(v text); insert into sentinel values ('kept')");
    first.close();
    // The computer restarts: Docker stops every container (restart policy "no").
    await docker.getContainer(env1.state('postgres').containerId!).stop();

    // With the setting off, opening the course starts nothing.
    const store = new FileSettingsStore(path.join(copy.home, 'settings.json'));
    store.set(BRING_BACK_SETTING, false);
    const off = shellEngine(copy);
    await off.connection.require();
    const envOff = await off.open(copy.project);
    await off.broughtBackSettled();
    expect(envOff.state('postgres').status).toBe('stopped');
    off.close();

    store.set(BRING_BACK_SETTING, true);
    const shell = shellEngine(copy);
    await shell.connection.require();
    const env = await shell.open(copy.project);
    const said = notices(env);
    await shell.broughtBackSettled();
    expect(env.state('postgres').status).toBe('healthy');
    expect(env.state('notebook').status).toBe('stopped');
    expect(said.map((n) => n.message)).toContain('Brought back PostgreSQL, which you had running.');
    expect(psql(pg, 'select v from sentinel')).toBe('kept');
  });

  it('the browser shell (coursedock serve) brings back at its start what the student had running', async () => {
    const copy = newCopy();
    await cli(copy, 'up', copy.project, 'postgres', '--quiet');
    // The computer restarted (containers stopped), and the student opens the panel.
    const [pg] = await docker.listContainers({ filters: { label: [`${LABEL.project}=${copy.project}`, `${LABEL.service}=postgres`] } });
    await docker.getContainer(pg!.Id).stop();
    const back = healthy(copy.project, 'postgres');
    cleanups.push(await browserShell(copy));
    await back;
    expect(await containerState(copy.project, 'postgres')).toBe('running');
    expect(await containerState(copy.project, 'notebook')).toBeUndefined();
  });
});

const canRestart = dockerdRestartability();

describe('Docker restarts under a running shell', runOnlyIf(canRestart.ok, canRestart.reason), () => {
  it('the services that were running are healthy again without any click; the one the student stopped stays stopped', async () => {
    const copy = newCopy();
    cleanups.push(async () => {
      if (!findDockerd()) await startDockerd();
    });
    // A browser shell (its own process) on a second copy, driven by the student through the CLI:
    // the notebook (and PostgreSQL) up, then the notebook stopped.
    const served = newCopy();
    await cli(served, 'up', served.project, 'notebook', '--quiet');
    await cli(served, 'stop', served.project, 'notebook', '--quiet');
    cleanups.push(await browserShell(served));

    // An engine in this process (as the desktop app has it) on the first copy.
    const shell = shellEngine(copy);
    await shell.connection.require();
    const env = await shell.open(copy.project);
    expect((await env.up(['notebook'])).ok).toBe(true);
    writeFileSync(path.join(copy.notebooksDir, 'sentinel.txt'), 'my work');
    // The student stops PostgreSQL; the notebook keeps running.
    expect((await env.stop('postgres')).ok).toBe(true);
    const said = notices(env);

    const down = statusBecomes(shell, 'unreachable');
    const stopped = stopDockerd();
    await down;
    await stopped;
    const started = Date.now();
    const up = statusBecomes(shell, 'connected');
    await startDockerd();
    await up;
    await settled(env, 'notebook', ['healthy']);
    await shell.broughtBackSettled();
    console.log(`notebook healthy again ${((Date.now() - started) / 1000).toFixed(1)} s after dockerd was started`);

    expect(env.state('notebook').status).toBe('healthy');
    expect(env.state('postgres').status).toBe('stopped');
    expect(said.map((n) => n.message)).toContain('Brought back Jupyter Notebook after Docker restarted.');
    expect(readFileSync(path.join(copy.notebooksDir, 'sentinel.txt'), 'utf8')).toBe('my work');

    // The browser shell brought back PostgreSQL by itself; the notebook the student stopped stays stopped.
    await healthy(served.project, 'postgres');
    expect(await containerState(served.project, 'postgres')).toBe('running');
    expect(await containerState(served.project, 'notebook')).toBe('exited');
  });
});
