// Faults a student's laptop will meet, on the real engine: the app killed mid-operation,
// containers changed behind its back, two clients at once, and a long random sequence of
// operations. After each, no student data is lost and no container is duplicated.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Environment } from './environment.js';
import { LABEL } from './plan/labels.js';
import type { ServiceStatus } from './state/service-state.js';
import { REPO_ROOT } from './testing/course-copy.js';
import { newTestEngine, psql, type TestEngine } from './testing/test-engine.js';

const docker = new Dockerode();
let t: TestEngine;
let env: Environment;

async function projectContainers(project: string) {
  return docker.listContainers({ all: true, filters: { label: [`${LABEL.project}=${project}`] } });
}

/** One container per service at most, and none for a service not in the spec. */
async function expectNoDuplicates(project: string): Promise<void> {
  const list = await projectContainers(project);
  const services = list.map((c) => c.Labels[LABEL.service]);
  expect(new Set(services).size).toBe(services.length);
  for (const s of services) expect(['notebook', 'postgres', 'mongo']).toContain(s);
}

const pgPort = () => env.state('postgres').ports.find((p) => p.target === 5432)!.hostPort;
const sentinelFile = () => path.join(t.copy.notebooksDir, 'sentinel.txt');

function expectDataIntact(): void {
  expect(psql(pgPort(), 'select v from sentinel')).toBe('kept');
  expect(readFileSync(sentinelFile(), 'utf8')).toBe('my work');
}

/** Waits (on the engine's own events) until a service reaches a status. */
function statusReached(service: string, wanted: ServiceStatus[], timeoutMs = 20_000): Promise<void> {
  return env.tracker.waitFor(service, (s) => (wanted.includes(s.status) && !s.operation ? 'ok' : undefined), timeoutMs);
}

/** Runs the CLI in a child process (a separate engine) and kills it hard once `when` says so. */
async function killCliDuring(args: string[], when: (e: { Action: string; service: string }) => boolean): Promise<void> {
  const events = (await docker.getEvents({ filters: { label: [`${LABEL.project}=${t.copy.project}`], type: ['container'] } })) as NodeJS.ReadableStream & {
    destroy(): void;
  };
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin/coursedock.js'), ...args], {
    env: { ...process.env, ...t.copy.env },
    stdio: 'ignore',
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  await new Promise<void>((resolve) => {
    events.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        const e = JSON.parse(line) as { Action: string; Actor: { Attributes: Record<string, string> } };
        if (when({ Action: e.Action, service: e.Actor.Attributes[LABEL.service] ?? '' })) {
          child.kill('SIGKILL');
          resolve();
        }
      }
    });
    void exited.then(() => resolve());
  });
  events.destroy();
  await exited;
}

beforeAll(async () => {
  t = newTestEngine();
  await t.engine.connection.require();
  env = await t.engine.open(t.copy.project);
});

afterAll(async () => {
  await t?.destroy();
});

describe('faults', () => {
  it('converges after the app is killed during its first up', async () => {
    await killCliDuring(['up', t.copy.project, '--quiet'], (e) => e.Action === 'create' && e.service === 'notebook');
    const result = await env.up(['notebook']);
    expect(result.ok).toBe(true);
    await expectNoDuplicates(t.copy.project);
    expect(env.state('notebook').status).toBe('healthy');
    // Student data for the rest of the suite.
    psql(pgPort(), "create table sentinel(v text); insert into sentinel values ('kept')");
    writeFileSync(sentinelFile(), 'my work');
  });

  it('converges after the app is killed during a reinstall, data intact', async () => {
    await killCliDuring(['reinstall', t.copy.project, 'postgres', '--quiet'], (e) => e.Action === 'destroy' && e.service === 'postgres');
    await statusReached('postgres', ['missing', 'stopped', 'healthy']);
    const result = await env.up(['notebook']);
    expect(result.ok).toBe(true);
    await expectNoDuplicates(t.copy.project);
    expectDataIntact();
  });

  it('sees a container stopped or removed behind its back, and start heals it', async () => {
    const id = env.state('postgres').containerId!;
    const stopped = statusReached('postgres', ['stopped']);
    await docker.getContainer(id).stop({ t: 5 });
    await stopped; // from Docker's event, no polling
    const removed = statusReached('postgres', ['missing']);
    await docker.getContainer(id).remove({ force: true });
    await removed;
    expect((await env.start('postgres')).ok).toBe(true);
    expect(env.state('postgres').status).toBe('healthy');
    expectDataIntact();
  });

  it('serializes conflicting operations from two clients; the last asked wins', async () => {
    const a = env.stop('postgres');
    const b = env.start('postgres');
    const c = env.restart('postgres');
    const d = env.stop('postgres');
    const results = await Promise.all([a, b, c, d]);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(env.state('postgres').status).toBe('stopped');
    await expectNoDuplicates(t.copy.project);
    expect((await env.start('postgres')).ok).toBe(true);
    expectDataIntact();
  });

  it('keeps data through a seeded random sequence of operations', async () => {
    // A small deterministic generator: the same seed gives the same sequence on every run.
    let seed = Number(process.env.FAULT_SEED ?? 351);
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const ops = ['start', 'stop', 'restart', 'reinstall'] as const;
    const services = ['postgres', 'notebook'] as const;
    const steps = Number(process.env.FAULT_STEPS ?? 12);
    const deadline = Date.now() + 8 * 60_000;
    const done: string[] = [];
    for (let i = 0; i < steps && Date.now() < deadline; i++) {
      const op = ops[Math.floor(random() * ops.length)]!;
      const service = services[Math.floor(random() * services.length)]!;
      done.push(`${op} ${service}`);
      const result = await env[op](service);
      expect(result.ok, `${done.join(', ')}: ${JSON.stringify(result)}`).toBe(true);
      await expectNoDuplicates(t.copy.project);
      expect(existsSync(sentinelFile())).toBe(true);
      if (env.state('postgres').status === 'healthy') expect(psql(pgPort(), 'select v from sentinel')).toBe('kept');
    }
    expect((await env.start('notebook')).ok).toBe(true);
    expectDataIntact();
  });
});
