// Faults a student's laptop will meet, on the real engine: the app killed mid-operation,
// containers changed behind its back, two processes at once, and a long random sequence of
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
import { Teardown } from './testing/teardown.js';

const docker = new Dockerode();
const teardown = new Teardown();
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
  for (const s of services) expect(['notebook', 'postgres', 'mongo', 'openrefine']).toContain(s);
}

const pgPort = () => env.state('postgres').ports.find((p) => p.target === 5432)!.hostPort;
const sentinelFile = () => path.join(t.copy.notebooksDir, 'sentinel.txt');

function expectDataIntact(): void {
  expect(psql(pgPort(), 'select v from sentinel')).toBe('kept');
  expect(readFileSync(sentinelFile(), 'utf8')).toBe('my work');
}

/** This process's engine, following Docker's events, ends up telling what Docker tells. */
async function expectStateAgreesWithDocker(service: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [c] = await docker.listContainers({ all: true, filters: { label: [`${LABEL.project}=${t.copy.project}`, `${LABEL.service}=${service}`] } });
    const dockerRunning = c?.State === 'running';
    const s = env.state(service);
    const ours = !s.operation && ['running', 'healthy', 'unhealthy', 'starting'].includes(s.status);
    if (c && dockerRunning === ours && !s.operation) return;
    if (Date.now() > deadline) expect({ docker: c?.State, engine: s.status, operation: s.operation }).toEqual('in agreement');
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Waits (on the engine's own events) until a service reaches a status. */
function statusReached(service: string, wanted: ServiceStatus[], timeoutMs = 20_000): Promise<void> {
  return env.tracker.waitFor(service, (s) => (wanted.includes(s.status) && !s.operation ? 'ok' : undefined), timeoutMs);
}

/** The CLI in a child process (a separate engine), its output kept for failure messages. */
function cli(args: string[]) {
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin/coursedock.js'), ...args], {
    env: { ...process.env, ...t.copy.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal, output })),
  );
  return { child, exited };
}

/**
 * Runs the CLI and kills it hard once `when` says so. Resolves with how it ended: a kill that
 * really happened shows as signal SIGKILL (a child that exited first shows its exit code).
 */
async function killCliDuring(args: string[], when: (e: { Action: string; service: string }) => boolean) {
  const events = (await docker.getEvents({ filters: { label: [`${LABEL.project}=${t.copy.project}`], type: ['container'] } })) as NodeJS.ReadableStream & {
    destroy(): void;
  };
  const { child, exited } = cli(args);
  let killedAlive = false;
  await new Promise<void>((resolve) => {
    events.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        const e = JSON.parse(line) as { Action: string; Actor: { Attributes: Record<string, string> } };
        if (!killedAlive && when({ Action: e.Action, service: e.Actor.Attributes[LABEL.service] ?? '' })) {
          killedAlive = child.exitCode === null && child.signalCode === null && child.kill('SIGKILL');
          resolve();
        }
      }
    });
    void exited.then(() => resolve());
  });
  events.destroy();
  return { killedAlive, ...(await exited) };
}

beforeAll(async () => {
  t = teardown.add(newTestEngine(), (made) => made.destroy());
  await t.engine.connection.require();
  env = await t.engine.open(t.copy.project);
});

afterAll(async () => {
  await teardown.run();
});

describe('faults', () => {
  it('converges after the app is killed during its first up', async () => {
    const killed = await killCliDuring(['up', t.copy.project, '--quiet'], (e) => e.Action === 'create' && e.service === 'notebook');
    // The app really was killed mid-way: alive when the notebook's container was created, then SIGKILL.
    expect({ killedAlive: killed.killedAlive, signal: killed.signal }, killed.output).toEqual({ killedAlive: true, signal: 'SIGKILL' });
    const result = await env.up(['notebook']);
    expect(result.ok).toBe(true);
    await expectNoDuplicates(t.copy.project);
    expect(env.state('notebook').status).toBe('healthy');
    // Student data for the rest of the suite.
    psql(pgPort(), "create table sentinel(v text); insert into sentinel values ('kept')");
    writeFileSync(sentinelFile(), 'my work');
  });

  it('converges after the app is killed during a reinstall, data intact', async () => {
    const killed = await killCliDuring(['reinstall', t.copy.project, 'postgres', '--quiet'], (e) => e.Action === 'destroy' && e.service === 'postgres');
    expect({ killedAlive: killed.killedAlive, signal: killed.signal }, killed.output).toEqual({ killedAlive: true, signal: 'SIGKILL' });
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

  it('conflicting operations from two processes at once (two CLIs): each ends ok or in words, no duplicate, state agrees with Docker', async () => {
    // Which of two racing processes finishes last is not decided here (a cross-process lock
    // would order them); what must hold is below.
    const rounds = [['stop', 'restart'], ['start', 'stop'], ['restart', 'restart']] as const;
    for (const [a, b] of rounds) {
      const runs = await Promise.all([cli([a, t.copy.project, 'postgres']).exited, cli([b, t.copy.project, 'postgres']).exited]);
      for (const r of runs) {
        const what = `${a} + ${b}:\n${r.output}`;
        expect(r.signal, what).toBeNull();
        expect([0, 1], what).toContain(r.code);
        expect(r.output, what).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m); // words, never a stack trace
      }
      await expectNoDuplicates(t.copy.project);
      await expectStateAgreesWithDocker('postgres');
    }
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
