// Reloading an environment (a changed notebooks folder, a profile switch, a data location
// switched) on the real engine: the reload waits for the old environment's queued operations, so
// an old and a new operation on one service never overlap, and every panel that watched the old
// environment keeps receiving env.state from the new one without asking again (issue 16 item 4).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiSession } from '../api/api-session.js';
import type { Events, EventName } from '../api/contract.js';
import { newTestEngine, type TestEngine } from './testing/test-engine.js';

let t: TestEngine;

beforeAll(async () => {
  t = newTestEngine();
  await t.engine.connection.whenConnected();
});

afterAll(async () => {
  await t.destroy();
});

/** A panel: a session and what it was told. */
function panel() {
  const heard: Array<{ event: EventName; payload: unknown }> = [];
  const session = new ApiSession(t.engine, (event, payload) => heard.push({ event, payload }));
  const states = (project: string, service: string) =>
    heard
      .filter((h) => h.event === 'env.state')
      .map((h) => h.payload as Events['env.state'])
      .filter((p) => p.project === project && p.state.service === service)
      .map((p) => p.state.status);
  return { session, heard, states };
}

describe('Engine.open(reload)', () => {
  it('waits for the old environment’s operations and keeps every panel watching', async () => {
    const a = panel();
    const b = panel();
    try {
      const project = t.copy.project;
      await a.session.call('env.open', { course: project });
      await b.session.call('env.open', { course: project });
      const old = t.engine.opened().find((e) => e.project === project)!;

      const order: string[] = [];
      const up = old.up(['postgres']).then((r) => {
        order.push('up');
        return r;
      });
      // Asked while up is running: the reload must not replace the environment under it.
      const reopened = t.engine.open(project, { reload: true }).then((env) => {
        order.push('reload');
        return env;
      });
      const [result, next] = await Promise.all([up, reopened]);
      expect(result.ok, JSON.stringify(result)).toBe(true);
      expect(order).toEqual(['up', 'reload']);
      expect(next).not.toBe(old);
      expect(old.listenerCount('state')).toBe(0); // disposed

      // Neither panel asked anything since the reload: both hear the new environment's states.
      a.heard.length = 0;
      b.heard.length = 0;
      const stopped = await next.stop('postgres');
      expect(stopped.ok, JSON.stringify(stopped)).toBe(true);
      for (const p of [a, b]) {
        expect(p.states(project, 'postgres')).toContain('stopping');
        expect(p.states(project, 'postgres').at(-1)).toBe('stopped');
      }
    } finally {
      a.session.dispose();
      b.session.dispose();
    }
  });
});
