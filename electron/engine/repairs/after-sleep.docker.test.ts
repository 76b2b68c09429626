// The after-sleep round on the real engine. "Asleep" is made by the clock the round is given:
// a wake-up after PostgreSQL's last healthcheck, with no grace period, is exactly what a
// healthcheck frozen by a sleep looks like. Restarted when the setting allows; only said when not.
import { afterEach, describe, expect, it } from 'vitest';
import type { Notice } from '../environment.js';
import { newTestEngine, type TestEngine } from '../testing/test-engine.js';
import { recheckAfterResume, RESTART_STALE_SETTING } from './after-sleep.js';

let t: TestEngine | undefined;
afterEach(async () => {
  await t?.destroy();
  t = undefined;
});

describe('after sleep on the real engine', () => {
  it('a service whose healthcheck has not run since the wake-up is restarted, and said; with the setting off, only said', async () => {
    t = newTestEngine();
    const env = await t.engine.open(t.copy.project);
    expect((await env.up(['postgres'])).ok).toBe(true);
    const notices: Notice[] = [];
    env.on('notice', (n) => notices.push(n));
    const before = env.state('postgres').startedAt;

    const verdicts = await recheckAfterResume(t.engine, { resumedAt: Date.now(), graceMs: 0 });
    expect(verdicts).toEqual([{ project: t.copy.project, service: 'postgres', reason: 'its healthcheck has not run since the computer woke up', restarted: true }]);
    expect(notices.map((n) => n.message)).toContain('PostgreSQL looked stuck after the computer slept (its healthcheck has not run since the computer woke up): restarting it.');
    await env.init();
    expect(env.state('postgres').startedAt).not.toBe(before);

    t.store.set(RESTART_STALE_SETTING, false);
    notices.length = 0;
    const started = env.state('postgres').startedAt;
    const second = await recheckAfterResume(t.engine, { resumedAt: Date.now(), graceMs: 0 });
    expect(second.map((v) => v.restarted)).toEqual([false]);
    expect(notices[0]?.message).toMatch(/^PostgreSQL looks stuck after the computer slept .* Restart it \(Settings: restarting stuck services is turned off\)\.$/);
    await env.init();
    expect(env.state('postgres').startedAt).toBe(started);
  });
});
