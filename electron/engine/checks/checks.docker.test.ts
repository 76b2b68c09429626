// "Check my environment" on the real engine: every check passes on a healthy tm351 (MongoDB,
// whose image cannot be had here, is skipped, not failed); stopping PostgreSQL turns the
// notebook's reachability check red with "Start PostgreSQL."; a Python module removed from the
// notebook container turns the modules check red. Through the engine, the API and the CLI.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiSession } from '../../api/api-session.js';
import type { Environment } from '../environment.js';
import { execInContainer } from '../snapshots/exec.js';
import { REPO_ROOT } from '../testing/course-copy.js';
import { newTestEngine, type TestEngine } from '../testing/test-engine.js';
import { Teardown } from '../testing/teardown.js';
import { runChecks } from './run-checks.js';
import type { CheckReport, CheckResult } from './types.js';
import { stringMatching } from '../testing/matchers.js';

const run = promisify(execFile);

const byId = (report: CheckReport): Record<string, CheckResult> => Object.fromEntries(report.results.map((r) => [r.id, r]));

/** Fails with the report in words, so a red check says what it found. */
function expectStatuses(report: CheckReport, expected: Record<string, unknown>): void {
  const actual = Object.fromEntries(report.results.map((r) => [r.id, r.status]));
  const words = report.results.map((r) => `${r.status} ${r.id}: ${r.detail}${r.hint ? ` → ${r.hint}` : ''}`).join('\n');
  expect(actual, words).toEqual(expected);
}

// notebook-extras: a warning where the image was built without PyPI (ipython-sql missing), else a pass.
const HEALTHY = {
  'python-modules': 'pass',
  'notebook-extras': stringMatching(/^(pass|warn)$/),
  'notebook-postgres': 'pass',
  'notebook-mongo': 'skipped',
  'data-anscombe': 'pass',
  'data-elements': 'pass',
  'notebooks-writable': 'pass',
  'notebooks-writable:owner': 'pass',
  'disk-space': 'pass',
  'ports:notebook': 'pass',
  'ports:postgres': 'pass',
  'ports:mongo': 'skipped',
};

describe('checks on the real engine', () => {
  const teardown = new Teardown();
  let t: TestEngine;
  let env: Environment;
  let docker: Dockerode;

  beforeAll(async () => {
    t = teardown.add(newTestEngine(), (made) => made.destroy());
    docker = await t.engine.connection.require();
    env = await t.engine.open(t.copy.project);
    const up = await env.up();
    expect(up.services.filter((s) => !s.ok).map((s) => s.service)).toEqual(['mongo']);
  });

  afterAll(async () => {
    await teardown.run();
  });

  const cli = async (...args: string[]) => {
    try {
      const r = await run(process.execPath, [path.join(REPO_ROOT, 'bin/coursedock.js'), ...args], { env: { ...process.env, ...t.copy.env }, timeout: 180_000 });
      return { code: 0, stdout: r.stdout };
    } catch (err) {
      const e = err as { code?: number; stdout?: string; stderr?: string };
      return { code: e.code ?? -1, stdout: `${e.stdout ?? ''}${e.stderr ?? ''}` };
    }
  };

  it('all pass on a healthy environment; MongoDB, not available here, is skipped', async () => {
    const report = await runChecks(docker, env);
    expectStatuses(report, HEALTHY);
    expect(report.ok).toBe(true);
    expect(report.counts).toMatchObject({ fail: 0, skipped: 2 });
    expect(report.counts.pass + report.counts.warn).toBe(10);
    const r = byId(report);
    expect(r['notebook-mongo']).toMatchObject({ ok: true, service: 'mongo', detail: stringMatching(/^MongoDB is not available on this computer/) });
    expect(r['notebook-postgres']!.detail).toBe('Reached postgres:5432 and logged in as testuser to the database testdb.');
    expect(r['data-anscombe']!.detail).toBe('The query returned 44 (at least 44 expected).');
    expect(r['disk-space']!.detail).toMatch(/GB free of .* where Docker keeps its data/);
    expect(r['ports:notebook']!.detail).toMatch(/^127\.0\.0\.1:\d+ answers \(HTTP \d{3}\)\.$/);
    expect(r['ports:postgres']!.detail).toMatch(/^127\.0\.0\.1:\d+ answers \(PostgreSQL\)\.$/);
  });

  it('the CLI prints ✓ lines and exits 0; the API returns the same report', async () => {
    const out = await cli('check', t.copy.project);
    expect(out.code, out.stdout).toBe(0);
    expect(out.stdout).toContain('✓ The notebook server reaches PostgreSQL (postgres:5432) and logs in');
    expect(out.stdout).toContain('– The notebook server reaches MongoDB (mongo:27017) (skipped)');
    expect(out.stdout).toMatch(/(10 passed, 0 failed|9 passed, 0 failed, 1 warning), 2 skipped/);

    const session = new ApiSession(t.engine, () => undefined);
    try {
      const report = (await session.call('env.check', { project: t.copy.project })) as CheckReport;
      expectStatuses(report, HEALTHY);
      const some = (await session.call('env.check', { project: t.copy.project, only: ['disk-space'] })) as CheckReport;
      expect(some.results.map((x) => x.id)).toEqual(['disk-space']);
    } finally {
      session.dispose();
    }
  });

  it('stopping PostgreSQL turns the reachability check red with its hint', async () => {
    expect((await env.stop('postgres')).ok).toBe(true);
    const report = await runChecks(docker, env);
    const r = byId(report);
    expect(report.ok).toBe(false);
    expect(r['notebook-postgres']).toMatchObject({ status: 'fail', ok: false, hint: 'Start PostgreSQL.' });
    expect(r['notebook-postgres']!.detail).toMatch(/^The name postgres does not resolve .*PostgreSQL is not running \(stopped\)\.$/);
    for (const id of ['data-anscombe', 'data-elements', 'ports:postgres']) expect(r[id]).toMatchObject({ status: 'fail', hint: 'Start PostgreSQL.' });
    for (const id of ['python-modules', 'notebooks-writable', 'disk-space', 'ports:notebook']) expect(r[id]!.status).toBe('pass');

    const out = await cli('check', t.copy.project);
    expect(out.code).toBe(1);
    expect(out.stdout).toMatch(/✗ The notebook server reaches PostgreSQL \(postgres:5432\) and logs in\n {4}The name postgres does not resolve.*\n {4}→ Start PostgreSQL\./);

    expect((await env.start('postgres')).ok).toBe(true);
    expectStatuses(await runChecks(docker, env), HEALTHY);
  });

  it('a Python module removed from the notebook container turns its check red', async () => {
    const id = env.state('notebook').containerId!;
    const rm = await execInContainer(docker, id, ['sh', '-c', 'rm -rf /usr/lib/python3/dist-packages/pymongo'], { user: 'root' });
    expect(rm.exitCode).toBe(0);
    const report = await runChecks(docker, env, { only: ['python-modules', 'notebook-postgres'] });
    const r = byId(report);
    expect(r['python-modules']).toMatchObject({
      status: 'fail',
      ok: false,
      detail: "A module does not import: pymongo (ModuleNotFoundError: No module named 'pymongo').",
      hint: 'Reinstall the Jupyter Notebook service to restore its Python modules.',
    });
    expect(r['notebook-postgres']!.status).toBe('pass');

    // The fix the hint names: a fresh container from the image.
    expect((await env.reinstall('notebook')).ok).toBe(true);
    expect(byId(await runChecks(docker, env, { only: ['python-modules'] }))['python-modules']!.status).toBe('pass');
  });
});
