// When is a service ready, and when may its dependants start? Pure rules, tested without Docker
// (rules.test.ts); the probes that feed them live beside them (exec-probe, http-probe,
// start-probe) and the environment only wires the two together.
//
// Why our own probes: Docker's health status changes only on the healthcheck's interval (this
// engine, API 1.41, has no `start_interval`), so a course whose checks run rarely (as they
// should, to stay quiet when idle) would look "starting" for half a minute. While a service
// starts, Coursedock runs the service's own healthcheck command itself, and counts it passing
// as healthy for that run of the container until Docker's own verdict arrives.
import type { DependsCondition, HealthcheckSpec, ServiceSpec } from '../spec/types.js';
import type { ContainerView, ServiceState } from '../state/service-state.js';
import { splitWebPath } from '../state/web-address.js';

/** What to probe while a service starts. */
export interface ReadinessPlan {
  /** The healthcheck as a command to exec in the container (absent: no healthcheck, or NONE). */
  exec?: string[];
  /** Longest a single exec may take (the healthcheck's timeout; Docker's default 30 s). */
  execTimeoutMs: number;
  /**
   * The web UI to ask first (cheap, from the host, no exec): the container port and the page.
   * Any HTTP answer means the server listens; only then is the healthcheck itself run.
   */
  web?: { port: number; path: string };
}

const DOCKER_DEFAULT_TIMEOUT_MS = 30_000;

/** Docker's healthcheck test as a command line to exec, the way Docker itself runs it. */
export function healthcheckCommand(test: string[] | undefined): string[] | undefined {
  if (!test || test.length === 0) return undefined;
  const [kind, ...rest] = test;
  if (kind === 'CMD') return rest.length ? rest : undefined;
  if (kind === 'CMD-SHELL') return rest.length ? ['/bin/sh', '-c', rest.join(' ')] : undefined;
  return undefined; // NONE, or a form Docker would refuse
}

export function readinessPlan(svc: ServiceSpec): ReadinessPlan {
  const exec = healthcheckCommand(svc.healthcheck?.test);
  const web = svc.meta.web;
  return {
    ...(exec ? { exec } : {}),
    execTimeoutMs: svc.healthcheck?.timeoutMs ?? DOCKER_DEFAULT_TIMEOUT_MS,
    ...(web ? { web: { port: web.port, path: splitWebPath(web.path).path } } : {}),
  };
}

/** Whether the service has a healthcheck at all (then "ready" means healthy, else running). */
export const hasHealthcheck = (svc: ServiceSpec): boolean => healthcheckCommand(svc.healthcheck?.test) !== undefined;

/**
 * Delay before the next probe while a service starts: quick at first (most servers are up
 * within a second or two), then easing off so a slow first start (a database seeding its data)
 * does not cost a core. New output from the container triggers a probe sooner (start-probe).
 */
export function probeDelayMs(attempt: number): number {
  const steps = [100, 150, 200, 300, 400, 500];
  return steps[attempt] ?? 750;
}

/**
 * How long start-up probing may go on: until Docker's own checks must have decided (the start
 * period, then `retries` intervals), and at least a minute. Then Docker's status alone decides.
 */
export function probeWindowMs(hc: HealthcheckSpec | undefined): number {
  const interval = hc?.intervalMs ?? 30_000;
  const decided = (hc?.startPeriodMs ?? 0) + interval * ((hc?.retries ?? 3) + 1);
  return Math.max(60_000, decided);
}

/** The outcome of one exec of the healthcheck. */
export type ExecOutcome = { kind: 'exit'; code: number; output: string } | { kind: 'impossible'; reason: string };

/**
 * What one exec says: passed, not yet, or stop probing and leave it to Docker's own status
 * (exec refused: a runtime without exec, the container paused or gone). A command that is
 * missing fails Docker's check the same way, so it is "not yet", never passed.
 */
export function execVerdict(outcome: ExecOutcome): 'passed' | 'not-yet' | 'fallback' {
  if (outcome.kind === 'impossible') return 'fallback';
  return outcome.code === 0 ? 'passed' : 'not-yet';
}

/** A container run: the probe's pass counts for this start of this container only. */
export const runKey = (view: Pick<ContainerView, 'id' | 'startedAt'>): string => `${view.id}@${view.startedAt ?? ''}`;

/**
 * Docker's view with our probe's pass applied: "starting" becomes "healthy" for the run the
 * probe passed on. Docker's own verdicts (healthy, unhealthy) always win once it has one.
 */
export function withProbedHealth(view: ContainerView | undefined, probedRun: string | undefined): ContainerView | undefined {
  if (!view || probedRun === undefined || view.status !== 'running' || view.health !== 'starting') return view;
  return runKey(view) === probedRun ? { ...view, health: 'healthy' } : view;
}

/**
 * Has a service that was just started got ready? 'ok', words saying why not, or undefined
 * (not yet). Without a healthcheck, running is ready (and so is a clean exit of a one-shot).
 */
export function startVerdict(s: ServiceState, withHealthcheck: boolean, title: string): string | undefined {
  if (s.status === 'healthy' || (!withHealthcheck && s.status === 'running')) return 'ok';
  if (s.status === 'unhealthy') return `${title} started but is not healthy.`;
  if (s.status === 'exited' || s.status === 'error') return s.lastError ?? `${title} stopped right after starting.`;
  if (s.status === 'stopped' || s.status === 'missing') {
    if (s.exitCode !== undefined && s.exitCode !== 0) return `${title} stopped right after starting (exit code ${s.exitCode}).`;
    return !withHealthcheck && s.exitCode === 0 ? 'ok' : `${title} stopped right after starting.`;
  }
  return undefined;
}

/**
 * Is a dependency's `depends_on` condition met for its dependants? 'ok', words saying why it
 * never will be, or undefined (not yet). `service_started` is met as soon as it was started.
 */
export function dependencyVerdict(condition: DependsCondition, s: ServiceState, withHealthcheck: boolean): string | undefined {
  switch (condition) {
    case 'service_started':
      return 'ok';
    case 'service_healthy':
      return s.status === 'healthy' || (s.status === 'running' && !withHealthcheck) ? 'ok' : undefined;
    case 'service_completed_successfully':
      if (s.operation) return undefined;
      if (s.status === 'stopped' && s.exitCode === 0) return 'ok';
      if (s.status === 'exited' || s.status === 'error') return `it ended with exit code ${s.exitCode ?? '?'}`;
      return undefined;
  }
}
