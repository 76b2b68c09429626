// The Docker engine itself stops while the environment runs (a laptop's Docker Desktop quits,
// or the daemon restarts): the engine says Docker is unreachable, notices it come back by
// itself, recovers the state, and `up` converges with the student's data intact.
// It stops the local dockerd and starts it again with the same command line, so it runs where
// that is ours to do: as root, on Linux, with a dockerd not kept by systemd — as in CI, where
// scripts/ensure-docker.sh starts it. Elsewhere it is skipped, with the reason in the skip.
import { spawn } from 'node:child_process';
import { existsSync, openSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Dockerode from 'dockerode';
import { afterAll, describe, expect, it } from 'vitest';
import type { DockerStatus } from './docker/docker-connection.js';
import type { Environment } from './environment.js';
import { runOnlyIf } from './testing/skip-reason.js';
import { newTestEngine, psql, type TestEngine } from './testing/test-engine.js';

/** The running dockerd: its pid and command line, read from /proc (no pgrep needed). */
function findDockerd(): { pid: number; argv: string[] } | undefined {
  if (!existsSync('/proc')) return undefined;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() !== 'dockerd') continue;
      const argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').filter(Boolean);
      return { pid: Number(entry), argv };
    } catch {
      // the process ended while we looked
    }
  }
  return undefined;
}

/** Whether this test may restart dockerd here, and if not, why. */
function restartability(): { ok: boolean; reason: string } {
  const no = (reason: string) => ({ ok: false, reason });
  if (process.platform !== 'linux') return no(`restarting the Docker engine is only automated on Linux (this is ${process.platform})`);
  if (process.getuid?.() !== 0) return no('restarting dockerd needs root (CI runs as root)');
  const host = process.env.DOCKER_HOST;
  if (host && host !== 'unix:///var/run/docker.sock') return no(`DOCKER_HOST=${host} is not this machine's dockerd`);
  if (!findDockerd()) return no('no dockerd process on this machine (Docker runs elsewhere, e.g. in a VM): nothing to restart');
  if (existsSync('/run/systemd/system')) return no('dockerd is kept by systemd here: restarting it by hand would fight systemd');
  return { ok: true, reason: 'restarts the local dockerd' };
}

const can = restartability();
let startedWith: string[] = ['dockerd'];

function startDockerd(): void {
  const log = openSync('/var/log/dockerd.log', 'a');
  spawn(startedWith[0]!, startedWith.slice(1), { detached: true, stdio: ['ignore', log, log] }).unref();
}

async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const dockerAnswers = () =>
  new Dockerode()
    .ping()
    .then(() => true)
    .catch(() => false);

let t: TestEngine | undefined;
let env: Environment;

function statusBecomes(engine: TestEngine, state: DockerStatus['state'], timeoutMs = 60_000): Promise<void> {
  return new Promise((resolve, reject) => {
    if (engine.engine.connection.status().state === state) return resolve();
    const timer = setTimeout(() => reject(new Error(`Docker status did not become ${state}`)), timeoutMs);
    const on = (s: DockerStatus) => {
      if (s.state !== state) return;
      clearTimeout(timer);
      engine.engine.connection.off('status', on);
      resolve();
    };
    engine.engine.connection.on('status', on);
  });
}

describe('the Docker engine restarts under a running environment', runOnlyIf(can.ok, can.reason), () => {
  afterAll(async () => {
    if (!can.ok) return;
    // Whatever happened, leave an engine that answers for the suites after this one.
    if (!findDockerd()) startDockerd();
    await until(dockerAnswers, 'Docker answers again');
    await t?.destroy();
  });

  it('shows Docker unreachable, recovers by itself, and up converges with data intact', async () => {
    t = newTestEngine();
    await t.engine.connection.require();
    env = await t.engine.open(t.copy.project);
    expect((await env.up(['notebook'])).ok).toBe(true);
    const pg = () => env.state('postgres').ports.find((p) => p.target === 5432)!.hostPort;
    psql(pg(), "create table sentinel(v text); insert into sentinel values ('kept')");
    writeFileSync(path.join(t.copy.notebooksDir, 'sentinel.txt'), 'my work');

    const dockerd = findDockerd()!;
    startedWith = dockerd.argv.length ? dockerd.argv : ['dockerd'];
    const down = statusBecomes(t, 'unreachable');
    process.kill(dockerd.pid, 'SIGTERM');
    await down;
    const status = t.engine.connection.status();
    expect(status.state === 'unreachable' && status.hint).toMatch(/Docker engine stopped answering|Start/);
    // Operations say what is wrong instead of hanging.
    await expect(env.stop('postgres')).resolves.toMatchObject({ ok: false });

    // The old daemon must be gone (its pid file released) before the new one starts.
    await until(() => !existsSync(`/proc/${dockerd.pid}`), `dockerd ${dockerd.pid} has exited`);
    const up = statusBecomes(t, 'connected', 90_000);
    startDockerd();
    await up;
    // The containers are still there, stopped by the daemon's shutdown: the state says so.
    await env.tracker.waitFor('postgres', (s) => (s.status === 'stopped' ? 'ok' : undefined), 30_000);

    const result = await env.up(['notebook']);
    expect(result.ok, JSON.stringify(result)).toBe(true);
    expect(env.state('notebook').status).toBe('healthy');
    expect(psql(pg(), 'select v from sentinel')).toBe('kept');
    expect(readFileSync(path.join(t.copy.notebooksDir, 'sentinel.txt'), 'utf8')).toBe('my work');
  });
});
