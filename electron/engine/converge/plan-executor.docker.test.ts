// The executor on the real engine, PostgreSQL alone: `up` carries out the plan `plan()` shows
// (after it, the plan is to keep what runs), and a service whose queue is busy when an
// operation is asked (here: a start queued behind a restart) is planned again at its turn.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Environment } from '../environment.js';
import { newTestEngine, type TestEngine } from '../testing/test-engine.js';

let t: TestEngine;
let env: Environment;

beforeAll(async () => {
  t = newTestEngine();
  await t.engine.connection.whenConnected();
  env = await t.engine.open(t.copy.project);
});

afterAll(async () => {
  await t.destroy();
});

const stepOf = async (service: string) => (await env.plan([service])).services.find((s) => s.service === service)!;

describe('the plan executor', () => {
  it('up carries out the plan, after which the plan keeps what runs', async () => {
    expect((await stepOf('postgres')).container.kind).toBe('create');
    const result = await env.up(['postgres']);
    expect(result, JSON.stringify(result)).toEqual({ ok: true, services: [{ service: 'postgres', ok: true }] });
    expect(env.state('postgres').status).toBe('healthy');
    const after = await stepOf('postgres');
    expect(after.container).toEqual({ kind: 'keep', containerId: env.state('postgres').containerId });
    expect(after.image).toBe('present');
  });

  it('plans a service again at its turn when an earlier operation changes it meanwhile', async () => {
    const id = env.state('postgres').containerId;
    // Asked together: the start may read Docker while postgres still runs (a plan to keep it),
    // but runs after the stop: planned again at its turn, it starts the stopped container.
    const [stopped, started] = await Promise.all([env.stop('postgres'), env.start('postgres')]);
    expect(stopped.ok, JSON.stringify(stopped)).toBe(true);
    expect(started.ok, JSON.stringify(started)).toBe(true);
    expect(env.state('postgres').containerId).toBe(id);
    expect(env.state('postgres').status).toBe('healthy');
  });

  it('reinstall replaces the container through the same executor', async () => {
    const id = env.state('postgres').containerId;
    const result = await env.reinstall('postgres');
    expect(result.ok, JSON.stringify(result)).toBe(true);
    expect(env.state('postgres').containerId).not.toBe(id);
    expect(env.state('postgres').status).toBe('healthy');
  });

  it('down removes the containers and the network, and keeps the volumes', async () => {
    const docker = await t.engine.connection.require();
    const result = await env.down();
    expect(result.ok, JSON.stringify(result)).toBe(true);
    expect(result.services.every((s) => s.ok)).toBe(true);
    expect(env.state('postgres').status).toBe('missing');
    const filters = { label: [`com.docker.compose.project=${t.copy.project}`] };
    expect(await docker.listContainers({ all: true, filters })).toEqual([]);
    expect(await docker.listNetworks({ filters })).toEqual([]);
    expect((await docker.listVolumes({ filters })).Volumes.length).toBeGreaterThan(0);
  });
});
