import { describe, expect, it } from 'vitest';
import type { ServiceSpec } from '../spec/types.js';
import type { ContainerView, ServiceState } from '../state/service-state.js';
import {
  dependencyVerdict,
  execVerdict,
  hasHealthcheck,
  healthcheckCommand,
  probeDelayMs,
  probeWindowMs,
  readinessPlan,
  runKey,
  startVerdict,
  withProbedHealth,
} from './rules.js';

const svc = (over: Partial<ServiceSpec>): ServiceSpec =>
  ({
    name: 'db',
    image: 'x:1',
    imageDeclared: true,
    pullPolicy: 'missing',
    environment: {},
    ports: [],
    mounts: [],
    dependsOn: {},
    labels: {},
    meta: { title: 'Database' },
    location: { line: 1, column: 1, path: 'services.db' },
    ...over,
  }) as ServiceSpec;

const state = (over: Partial<ServiceState>): ServiceState => ({ service: 'db', status: 'starting', ports: [], ...over });
const view = (over: Partial<ContainerView>): ContainerView => ({ id: 'c1', status: 'running', exitCode: 0, ports: [], startedAt: 't1', ...over });

describe('the healthcheck as a command', () => {
  it('runs CMD as is, CMD-SHELL through /bin/sh, and nothing for NONE or no test', () => {
    expect(healthcheckCommand(['CMD', 'pg-check', '-q'])).toEqual(['pg-check', '-q']);
    expect(healthcheckCommand(['CMD-SHELL', 'curl -f localhost || exit 1'])).toEqual(['/bin/sh', '-c', 'curl -f localhost || exit 1']);
    expect(healthcheckCommand(['NONE'])).toBeUndefined();
    expect(healthcheckCommand(['CMD'])).toBeUndefined();
    expect(healthcheckCommand(undefined)).toBeUndefined();
  });

  it('plans an exec with the check\'s timeout, and asks a web UI first on its page without the token', () => {
    const plan = readinessPlan(
      svc({
        healthcheck: { test: ['CMD', 'nb-check'], timeoutMs: 3000 },
        meta: { title: 'Notebook', web: { port: 8888, path: '/p/x/notebook/tree?token=secret' } },
      }),
    );
    expect(plan).toEqual({ exec: ['nb-check'], execTimeoutMs: 3000, web: { port: 8888, path: '/p/x/notebook/tree' } });
    expect(readinessPlan(svc({}))).toEqual({ execTimeoutMs: 30_000 });
    expect(hasHealthcheck(svc({ healthcheck: { test: ['NONE'] } }))).toBe(false);
    expect(hasHealthcheck(svc({ healthcheck: { test: ['CMD-SHELL', 'true'] } }))).toBe(true);
  });
});

describe('probing while a service starts', () => {
  it('starts quick and eases off, never slower than 750 ms', () => {
    const delays = Array.from({ length: 20 }, (_, i) => probeDelayMs(i));
    expect(delays[0]).toBe(100);
    for (let i = 1; i < delays.length; i++) expect(delays[i]).toBeGreaterThanOrEqual(delays[i - 1]!);
    expect(Math.max(...delays)).toBe(750);
  });

  it('stops once Docker must have decided: start period plus retries intervals, at least a minute', () => {
    expect(probeWindowMs({ test: ['CMD', 'x'], intervalMs: 30_000, retries: 2, startPeriodMs: 120_000 })).toBe(210_000);
    expect(probeWindowMs({ test: ['CMD', 'x'], intervalMs: 1000, retries: 3 })).toBe(60_000);
    expect(probeWindowMs(undefined)).toBe(120_000);
  });

  it('passes on exit 0, waits on a failure, leaves it to Docker when exec is impossible', () => {
    expect(execVerdict({ kind: 'exit', code: 0, output: '' })).toBe('passed');
    expect(execVerdict({ kind: 'exit', code: 1, output: 'not yet' })).toBe('not-yet');
    expect(execVerdict({ kind: 'exit', code: 127, output: 'not found' })).toBe('not-yet');
    expect(execVerdict({ kind: 'impossible', reason: 'container is paused' })).toBe('fallback');
  });

  it('a pass makes Docker\'s "starting" healthy for that run of the container only', () => {
    const run = runKey(view({}));
    expect(withProbedHealth(view({ health: 'starting' }), run)?.health).toBe('healthy');
    // Another start of the same container, or another container: not ours to vouch for.
    expect(withProbedHealth(view({ health: 'starting', startedAt: 't2' }), run)?.health).toBe('starting');
    expect(withProbedHealth(view({ id: 'c2', health: 'starting' }), run)?.health).toBe('starting');
    // Docker's own verdict wins; a stopped container is not made healthy.
    expect(withProbedHealth(view({ health: 'unhealthy' }), run)?.health).toBe('unhealthy');
    expect(withProbedHealth(view({ status: 'exited', health: 'starting' }), run)?.health).toBe('starting');
    expect(withProbedHealth(view({ health: 'starting' }), undefined)?.health).toBe('starting');
    expect(withProbedHealth(undefined, run)).toBeUndefined();
  });
});

describe('ready after a start', () => {
  it('healthy when there is a check, running when there is none', () => {
    expect(startVerdict(state({ status: 'healthy' }), true, 'DB')).toBe('ok');
    expect(startVerdict(state({ status: 'running' }), true, 'DB')).toBeUndefined();
    expect(startVerdict(state({ status: 'running' }), false, 'DB')).toBe('ok');
    expect(startVerdict(state({ status: 'starting' }), true, 'DB')).toBeUndefined();
  });

  it('fails in words when it turns unhealthy or stops', () => {
    expect(startVerdict(state({ status: 'unhealthy' }), true, 'DB')).toBe('DB started but is not healthy.');
    expect(startVerdict(state({ status: 'exited', lastError: 'boom' }), true, 'DB')).toBe('boom');
    expect(startVerdict(state({ status: 'stopped', exitCode: 3 }), true, 'DB')).toBe('DB stopped right after starting (exit code 3).');
    expect(startVerdict(state({ status: 'stopped', exitCode: 0 }), true, 'DB')).toBe('DB stopped right after starting.');
    // A one-shot without a healthcheck that ended cleanly did its job.
    expect(startVerdict(state({ status: 'stopped', exitCode: 0 }), false, 'DB')).toBe('ok');
  });
});

describe('dependants may start when', () => {
  it('service_started: at once; service_healthy: healthy (or running without a check)', () => {
    expect(dependencyVerdict('service_started', state({ status: 'starting' }), true)).toBe('ok');
    expect(dependencyVerdict('service_healthy', state({ status: 'starting' }), true)).toBeUndefined();
    expect(dependencyVerdict('service_healthy', state({ status: 'healthy' }), true)).toBe('ok');
    expect(dependencyVerdict('service_healthy', state({ status: 'running' }), true)).toBeUndefined();
    expect(dependencyVerdict('service_healthy', state({ status: 'running' }), false)).toBe('ok');
  });

  it('service_completed_successfully: a clean end once its operation is over', () => {
    const op = { kind: 'up' as const, phase: 'starting', startedAt: 0 };
    expect(dependencyVerdict('service_completed_successfully', state({ status: 'stopped', exitCode: 0, operation: op }), false)).toBeUndefined();
    expect(dependencyVerdict('service_completed_successfully', state({ status: 'stopped', exitCode: 0 }), false)).toBe('ok');
    expect(dependencyVerdict('service_completed_successfully', state({ status: 'exited', exitCode: 2 }), false)).toBe('it ended with exit code 2');
  });
});
