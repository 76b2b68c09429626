// The Docker engine itself stops while the environment runs (a laptop's Docker Desktop quits,
// or the daemon restarts): the engine says Docker is unreachable, notices it come back by
// itself, recovers the state, and `up` converges with the student's data intact.
// It stops the local dockerd and starts it again with the same command line, so it runs where
// that is ours to do: as root, on Linux, with a dockerd not kept by systemd — as in CI, where
// scripts/ensure-docker.sh starts it. Elsewhere it is skipped, with the reason in the skip.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Environment } from './environment.js';
import { dockerAnswers, dockerdRestartability, findDockerd, startDockerd, statusBecomes, stopDockerd, until } from './testing/local-dockerd.js';
import { runOnlyIf } from './testing/skip-reason.js';
import { newTestEngine, psql, type TestEngine } from './testing/test-engine.js';

const can = dockerdRestartability();

let t: TestEngine | undefined;
let env: Environment;

describe('the Docker engine restarts under a running environment', runOnlyIf(can.ok, can.reason), () => {
  afterAll(async () => {
    if (!can.ok) return;
    // Whatever happened, leave an engine that answers for the suites after this one.
    if (!findDockerd()) await startDockerd();
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

    const down = statusBecomes(t.engine, 'unreachable');
    const stopped = stopDockerd();
    await down;
    const status = t.engine.connection.status();
    expect(status.state === 'unreachable' && status.hint).toMatch(/Docker engine stopped answering|Start/);
    // Operations say what is wrong instead of hanging.
    await expect(env.stop('postgres')).resolves.toMatchObject({ ok: false });

    await stopped;
    const up = statusBecomes(t.engine, 'connected', 90_000);
    await startDockerd();
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
