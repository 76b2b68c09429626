// Back after a reboot or a Docker restart, on the real engine: the engine remembers which
// services the student wants running and brings exactly those back — when a course is opened
// (the app or the browser shell starting) and when Docker answers again after a restart — and
// never starts a service the student stopped.
import { execFileSync, spawn } from 'node:child_process';
import { openSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Dockerode from 'dockerode';
import { afterEach, describe, expect, it } from 'vitest';
import type { DockerStatus } from './docker/docker-connection.js';
import { BRING_BACK_SETTING, Engine } from './engine.js';
import type { Environment, Notice } from './environment.js';
import { FileSettingsStore } from './settings/settings-store.js';
import type { ServiceStatus } from './state/service-state.js';
import { copyCourse, type CourseCopy } from './testing/course-copy.js';
import { psql, removeProject } from './testing/test-engine.js';

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
});

function dockerdPid(): number | undefined {
  try {
    return Number(execFileSync('pgrep', ['-x', 'dockerd'], { encoding: 'utf8' }).trim().split('\n')[0]);
  } catch {
    return undefined;
  }
}

/** As scripts/ensure-docker.sh starts it: its own session, output to /var/log/dockerd.log. */
function startDockerd(): void {
  const log = openSync('/var/log/dockerd.log', 'a');
  spawn('dockerd', [], { detached: true, stdio: ['ignore', log, log] }).unref();
}

function statusBecomes(engine: Engine, state: DockerStatus['state'], timeoutMs = 90_000): Promise<void> {
  return new Promise((resolve, reject) => {
    if (engine.connection.status().state === state) return resolve();
    const timer = setTimeout(() => reject(new Error(`Docker status did not become ${state}`)), timeoutMs);
    const on = (s: DockerStatus) => {
      if (s.state !== state) return;
      clearTimeout(timer);
      engine.connection.off('status', on);
      resolve();
    };
    engine.connection.on('status', on);
  });
}

const canRestartDockerd = process.getuid?.() === 0 && dockerdPid() !== undefined;

describe.skipIf(!canRestartDockerd)('Docker restarts under a running shell (restarts the local dockerd: needs root and a dockerd it may restart)', () => {
  it('the services that were running are healthy again without any click; the one the student stopped stays stopped', async () => {
    const copy = newCopy();
    cleanups.push(() => {
      if (!dockerdPid()) startDockerd();
    });
    const shell = shellEngine(copy);
    await shell.connection.require();
    const env = await shell.open(copy.project);
    expect((await env.up(['notebook'])).ok).toBe(true);
    writeFileSync(path.join(copy.notebooksDir, 'sentinel.txt'), 'my work');
    // The student stops PostgreSQL; the notebook keeps running.
    expect((await env.stop('postgres')).ok).toBe(true);
    const said = notices(env);

    const down = statusBecomes(shell, 'unreachable');
    process.kill(dockerdPid()!, 'SIGTERM');
    await down;
    const started = Date.now();
    startDockerd();
    await statusBecomes(shell, 'connected');
    await settled(env, 'notebook', ['healthy']);
    await shell.broughtBackSettled();
    console.log(`notebook healthy again ${((Date.now() - started) / 1000).toFixed(1)} s after dockerd was started`);

    expect(env.state('notebook').status).toBe('healthy');
    expect(env.state('postgres').status).toBe('stopped');
    expect(said.map((n) => n.message)).toContain('Brought back Jupyter Notebook after Docker restarted.');
    expect(readFileSync(path.join(copy.notebooksDir, 'sentinel.txt'), 'utf8')).toBe('my work');
  });
});
