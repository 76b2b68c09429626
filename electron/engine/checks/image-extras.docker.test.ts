// Check kind image-extras on the real engine: the tm351 notebook image carries the label that
// points to its record of PyPI extras, and "Check my environment" reports what the record says
// (ipython-sql installed: pass; not installed: a named warning with the build's reason, never a
// failure). A record changed in the container to list an extra that is missing turns it into a
// warning naming that extra; the CLI prints it with "!", and the report stays ok (no failure).
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InspectedContainer } from '../docker/api-records.js';
import type { Environment } from '../environment.js';
import { execInContainer } from '../snapshots/exec.js';
import { REPO_ROOT } from '../testing/course-copy.js';
import { newTestEngine, type TestEngine } from '../testing/test-engine.js';
import { EXTRAS_RECORD_LABEL, type ExtraRecord } from './image-extras.js';
import { runChecks } from './run-checks.js';

const run = promisify(execFile);

describe('image-extras check on the real engine', () => {
  let t: TestEngine | undefined;
  let env: Environment;
  let docker: Dockerode;

  beforeAll(async () => {
    t = newTestEngine();
    docker = await t.engine.connection.require();
    env = await t.engine.open(t.copy.project);
    const up = await env.up(['notebook']);
    expect(up.ok, JSON.stringify(up.services)).toBe(true);
  });

  afterAll(async () => {
    await t?.destroy();
  });

  const exec = (cmd: string[], user?: string) => execInContainer(docker, env.state('notebook').containerId!, cmd, { ...(user ? { user } : {}), timeoutMs: 60_000 });
  const check = async () => (await runChecks(docker, env, { only: ['notebook-extras'] })).results;

  it('reports what the image recorded at build time: pass when ipython-sql is there, a named warning when not', async () => {
    const info: InspectedContainer = await docker.getContainer(env.state('notebook').containerId!).inspect();
    const recordPath = info.Config.Labels?.[EXTRAS_RECORD_LABEL];
    expect(recordPath).toBe('/usr/local/share/coursedock/extras.json');
    const record = JSON.parse((await exec(['cat', recordPath!])).stdout) as { extras: ExtraRecord[] };
    const sql = record.extras.find((e) => e.name === 'ipython-sql')!;
    expect(sql).toMatchObject({ module: 'sql', requirement: 'ipython-sql==0.4.1' });

    const results = await check();
    expect(results).toHaveLength(1);
    const r = results[0]!;
    expect(r).toMatchObject({ id: 'notebook-extras', kind: 'image-extras', service: 'notebook', ok: true });
    if (sql.installed) {
      expect(r.status).toBe('pass');
      expect(r.detail).toMatch(/^Optional extras present: ipython-sql/);
    } else {
      expect(sql.reason).toMatch(/when the image was built/);
      expect(r.status).toBe('warn');
      expect(r.detail).toBe(
        `ipython-sql is not installed (the %sql and %%sql magics (%load_ext sql) cannot be used): ${sql.reason}. Everything else in Jupyter Notebook works; only cells that use it will not run.`,
      );
      expect(r.hint).toMatch(/pip install --user ipython-sql==0\.4\.1/);
    }
  });

  it('a missing extra in the record is a warning naming it; the CLI marks it "!"; a warning leaves the report ok', async () => {
    const recordPath = '/usr/local/share/coursedock/extras.json';
    const changed = {
      record: 1,
      extras: [
        { name: 'stdlib-json', module: 'json', installed: false, reason: 'test' },
        { name: 'not-here', requirement: 'not-here==1.0', module: 'coursedock_not_here', provides: 'the %nothere magic', installed: false, reason: 'PyPI could not be reached when the image was built (test)' },
      ],
    };
    const original = (await exec(['cat', recordPath])).stdout;
    const write = (text: string) => exec(['sh', '-c', 'printf %s "$1" > "$2"', 'sh', text, recordPath], 'root');
    const w = await write(JSON.stringify(changed));
    expect(w.exitCode, w.stderr).toBe(0);
    try {
      const [r] = await check();
      expect(r).toMatchObject({
        status: 'warn',
        ok: true,
        detail:
          'not-here is not installed (the %nothere magic cannot be used): PyPI could not be reached when the image was built (test). Everything else in Jupyter Notebook works; only cells that use it will not run. Present: stdlib-json (installed since the image was built).',
      });

      const cli = await run(process.execPath, [path.join(REPO_ROOT, 'bin/coursedock.js'), 'check', t!.copy.project], { env: { ...process.env, ...t!.copy.env }, timeout: 180_000 }).catch(
        (err: unknown) => {
          const e = err as { code?: number; stdout?: string };
          return { stdout: `exit ${e.code}\n${e.stdout ?? ''}` };
        },
      );
      expect(cli.stdout).toContain('! The notebook image has its optional extras (ipython-sql for %sql) (warning)\n    not-here is not installed');
      // Other services of the course are not started here (their checks fail): the warning is counted, not failed.
      expect(cli.stdout).toMatch(/\d+ passed, \d+ failed, 1 warning/);
      const report = await runChecks(docker, env, { only: ['notebook-extras'] });
      expect(report).toMatchObject({ ok: true, counts: { pass: 0, fail: 0, skipped: 0, warn: 1 } });
    } finally {
      expect((await write(original)).exitCode).toBe(0);
    }
    expect((await check())[0]!.detail).not.toContain('not-here');
  });
});
