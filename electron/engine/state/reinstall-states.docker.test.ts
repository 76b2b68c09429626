// What a student sees during a reinstall, on the real engine: every state the environment emits
// for the service while the reinstall runs. The old container is removed and a new one created,
// and the Docker events for that reach the state before the new container's start; the panel must
// not flicker "Not started" or "Stopped" meanwhile (statusDuringOperation in service-state.ts).
// PostgreSQL alone (it has a healthcheck) keeps it light.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Environment } from '../environment.js';
import type { ServiceState } from './service-state.js';
import { newTestEngine, type TestEngine } from '../testing/test-engine.js';

describe('states during a reinstall', () => {
  let t: TestEngine;
  let env: Environment;

  beforeAll(async () => {
    t = newTestEngine();
    await t.engine.connection.require();
    env = await t.engine.open(t.copy.project);
    expect((await env.start('postgres')).ok).toBe(true);
  });

  afterAll(async () => {
    await t.destroy();
  });

  it('never reads as missing or stopped while the reinstall runs', async () => {
    const seen: ServiceState[] = [];
    const record = (s: ServiceState) => s.service === 'postgres' && seen.push(s);
    env.on('state', record);
    try {
      const before = env.state('postgres').containerId;
      expect((await env.reinstall('postgres')).ok).toBe(true);
      expect(env.state('postgres').containerId).not.toBe(before);
    } finally {
      env.off('state', record);
    }
    const during = seen.filter((s) => s.operation?.kind === 'reinstall');
    const trace = during.map((s) => `${s.status}/${s.operation?.phase ?? ''}`);
    // The reinstall went through removing, creating and starting: the gap was there to hit.
    expect(trace.join(' ')).toMatch(/removing the old container.*creating the container.*starting/);
    expect(during.filter((s) => s.status === 'missing' || s.status === 'stopped'), trace.join('\n')).toEqual([]);
    expect(env.state('postgres').status).toBe('healthy');
  });
});
