// A course whose MongoDB image is not on this computer, has no build context and cannot be
// downloaded (course-copy.ts moves it to a registry that refuses at once, so this holds on any
// machine) says *not available*, and why, as soon as it is opened: in the engine's state, and in
// `coursedock status --json` run right after opening, before anyone pressed Start. The failure is
// remembered in the environment's settings with its time.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { readSetting } from '../settings/settings-store.js';
import { REPO_ROOT, UNREACHABLE_REGISTRY } from '../testing/course-copy.js';
import { newTestEngine, type TestEngine } from '../testing/test-engine.js';
import { stringMatching } from '../testing/matchers.js';

const run = promisify(execFile);
const REASON = /mongo:7 is not available: it is not on this computer, it could not be downloaded \(no connection to the image registry\), and the course spec has no build context.* Last tried at \d\d:\d\d UTC on /;

describe('not available, before any Start (real engine)', () => {
  let t: TestEngine | undefined;
  afterEach(async () => {
    await t?.destroy();
    t = undefined;
  });

  it('status --json right after opening says mongo is not available and why', async () => {
    t = newTestEngine();
    await t.engine.connection.require();
    expect(readFileSync(t.copy.file, 'utf8')).toContain(`image: ${UNREACHABLE_REGISTRY}/mongo:7`);
    const { stdout } = await run(process.execPath, [path.join(REPO_ROOT, 'bin/coursedock.js'), 'status', t.copy.project, '--json'], {
      env: { ...process.env, ...t.copy.env },
      timeout: 120_000,
    });
    const mongo = (JSON.parse(stdout) as Array<{ service: string; state: string; unavailable: boolean; lastError: string | null }>).find((s) => s.service === 'mongo')!;
    expect(mongo.unavailable).toBe(true);
    expect(mongo.lastError).toMatch(REASON);
    // Nothing was started or created to find that out.
    expect(mongo.state).not.toMatch(/running|healthy|starting/);
    const settings = JSON.parse(readFileSync(path.join(t.copy.home, 'settings.json'), 'utf8')) as { environments: Record<string, { pullFailures: Record<string, unknown> }> };
    expect(settings.environments[t.copy.project]?.pullFailures.mongo).toMatchObject({
      image: `${UNREACHABLE_REGISTRY}/mongo:7`,
      at: stringMatching(/^\d{4}-\d\d-\d\dT/),
    });

    // The table says it in words too.
    const table = await run(process.execPath, [path.join(REPO_ROOT, 'bin/coursedock.js'), 'status', t.copy.project], { env: { ...process.env, ...t.copy.env }, timeout: 120_000 });
    expect(table.stdout).toMatch(/^mongo\s+MongoDB\s+not available/m);
  });

  it('the engine marks it on open, other services untouched; a remembered failure is shown at once on the next open', async () => {
    t = newTestEngine();
    await t.engine.connection.require();
    const env = await t.engine.open(t.copy.project);
    const mongo = env.state('mongo');
    expect(mongo).toMatchObject({ unavailable: true, lastError: stringMatching(REASON) });
    expect(mongo.operation).toBeUndefined();
    for (const s of ['notebook', 'postgres']) expect(env.state(s).unavailable).toBeUndefined();
    const failure = z.object({ at: z.string() });
    const first = readSetting(t.store, `environments.${t.copy.project}.pullFailures.mongo`, failure)!;

    // The next open (another process, a restart) finds the remembered failure and asks again.
    const again = await t.engine.open(t.copy.project, { reload: true });
    expect(again.state('mongo')).toMatchObject({ unavailable: true, lastError: stringMatching(REASON) });
    await expect.poll(() => readSetting(t!.store, `environments.${t!.copy.project}.pullFailures.mongo`, failure)!.at > first.at).toBe(true);
  });
});
