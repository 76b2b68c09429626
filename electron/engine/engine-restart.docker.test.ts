// The Docker engine itself stops while the environment runs (a laptop's Docker Desktop quits,
// or the daemon restarts): the engine says Docker is unreachable, notices it come back by
// itself, recovers the state, and `up` converges with the student's data intact.
// It restarts the local dockerd, so it needs to be root on a machine whose dockerd it started.
import { execFileSync, spawn } from 'node:child_process';
import { openSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DockerStatus } from './docker/docker-connection.js';
import type { Environment } from './environment.js';
import { newTestEngine, psql, type TestEngine } from './testing/test-engine.js';

function dockerdPid(): number | undefined {
  try {
    return Number(execFileSync('pgrep', ['-x', 'dockerd'], { encoding: 'utf8' }).trim().split('\n')[0]);
  } catch {
    return undefined;
  }
}

const canRestartDockerd = process.getuid?.() === 0 && dockerdPid() !== undefined;

function startDockerd(): void {
  const log = openSync('/var/log/dockerd.log', 'a');
  spawn('dockerd', [], { detached: true, stdio: ['ignore', log, log] }).unref();
}

let t: TestEngine;
let env: Environment;

function statusBecomes(state: DockerStatus['state'], timeoutMs = 60_000): Promise<void> {
  return new Promise((resolve, reject) => {
    if (t.engine.connection.status().state === state) return resolve();
    const timer = setTimeout(() => reject(new Error(`Docker status did not become ${state}`)), timeoutMs);
    const on = (s: DockerStatus) => {
      if (s.state !== state) return;
      clearTimeout(timer);
      t.engine.connection.off('status', on);
      resolve();
    };
    t.engine.connection.on('status', on);
  });
}

describe.skipIf(!canRestartDockerd)('the Docker engine restarts under a running environment', () => {
  beforeAll(async () => {
    t = newTestEngine();
    await t.engine.connection.require();
    env = await t.engine.open(t.copy.project);
  });

  afterAll(async () => {
    if (!dockerdPid()) startDockerd();
    await t?.destroy();
  });

  it('shows Docker unreachable, recovers by itself, and up converges with data intact', async () => {
    expect((await env.up(['notebook'])).ok).toBe(true);
    const pg = () => env.state('postgres').ports.find((p) => p.target === 5432)!.hostPort;
    psql(pg(), "create table sentinel(v text); insert into sentinel values ('kept')");
    writeFileSync(path.join(t.copy.notebooksDir, 'sentinel.txt'), 'my work');

    const down = statusBecomes('unreachable');
    process.kill(dockerdPid()!, 'SIGTERM');
    await down;
    const status = t.engine.connection.status();
    expect(status.state === 'unreachable' && status.hint).toMatch(/Docker engine stopped answering|Start/);
    // Operations say what is wrong instead of hanging.
    await expect(env.stop('postgres')).resolves.toMatchObject({ ok: false });

    const up = statusBecomes('connected');
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
