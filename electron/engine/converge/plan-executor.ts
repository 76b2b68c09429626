// Runs the plan `up` made (plan/plan-up.ts, the plan `coursedock plan` shows) the way Compose's
// convergence walks its graph: every service's task is queued at once in its own queue; each
// makes its image and container up front, in parallel, and only its start waits for the
// dependency conditions its step names. One service failing does not stop the others.
// A service whose queue was busy when the operation was asked (an earlier operation on it may
// change its container) or that runs a step of its own first (restart's stop, reset's deletion)
// is planned again at its turn, against its containers as they are then.
import type Dockerode from 'dockerode';
import { listProjectContainers } from '../docker/containers.js';
import { describeError } from '../describe-error.js';
import type { OperationResult, ServiceOutcome } from '../environment.js';
import type { ProjectWriter } from '../operations/project-writer.js';
import type { ActualState } from '../plan/actual.js';
import type { ServiceStep } from '../plan/decisions.js';
import { planService } from '../plan/plan-service.js';
import { dependencyVerdict, hasHealthcheck } from '../readiness/rules.js';
import type { DependsCondition } from '../spec/types.js';
import type { OperationKind } from '../state/service-state.js';
import { makeContainer, startAndWait, type ConvergeHost, type PlannedStep } from './service-steps.js';

/** What the executor needs beyond what executing one step needs. */
export interface ExecutorHost extends ConvergeHost {
  readonly writer: ProjectWriter;
  /** Runs `task` in the service's queue with the operation shown in its state. */
  operate<T>(service: string, kind: OperationKind, task: () => Promise<T>): Promise<T>;
  /** Docker names of the volumes a reset of the service deletes (for the journal). */
  resetVolumes(service: string): string[];
}

/** The operation's one read of Docker and the plan made from it. */
export interface Prepared {
  docker: Dockerode;
  actual: ActualState;
  steps: Map<string, ServiceStep>;
}

export interface Execution {
  kind: OperationKind;
  /** The services asked for (undefined: all), journaled for reinstall and reset. */
  roots: string[] | undefined;
  /** Every service the operation acts on, in dependency order. */
  names: string[];
  /** Services planned again at their turn (see above) instead of taking the plan's step. */
  replan: ReadonlySet<string>;
  force: ReadonlySet<string>;
  /** A step of the operation's own to run first, per service (in its turn, before its step). */
  before?: Record<string, () => Promise<void>>;
  journal?: 'reinstall' | 'reset';
  /** A failure of `prepared` as the words of one service's failure. */
  failure: (err: unknown, service: string) => unknown;
}

/**
 * Queues every service's task synchronously, at call time, so operations asked in a given order
 * run in that order even when they need Docker calls before doing anything.
 */
export function executePlan(host: ExecutorHost, run: Execution, prepared: Promise<Prepared>): Promise<OperationResult> {
  const started = new Map<string, Promise<void>>();
  const ready = new Map<string, Promise<void>>();
  for (const name of run.names) {
    let markStarted!: () => void;
    let failStarted!: (e: unknown) => void;
    const startedOne = new Promise<void>((res, rej) => ((markStarted = res), (failStarted = rej)));
    started.set(name, startedOne);
    const done = host.operate(name, run.kind, async () => {
      try {
        const { docker, actual, steps } = await prepared.catch((e: unknown) => {
          throw run.failure(e, name);
        });
        if (run.journal && run.roots?.includes(name)) await host.writer.begin(run.journal, name, host.resetVolumes(name));
        await run.before?.[name]?.();
        const force = run.force.has(name);
        const planned = run.replan.has(name) ? await planAtTurn(host, docker, actual, name, force) : { step: stepOf(steps, name), actual };
        const made = await makeContainer(host, docker, planned, run.kind, force);
        await waitForDependencies(host, planned.step, run.kind, started, ready);
        await startAndWait(host, docker, run.kind, made, markStarted);
        host.writer.end(name);
      } catch (err) {
        host.writer.end(name, err);
        failStarted(err);
        throw err;
      }
    });
    ready.set(name, done);
    // Rejections are collected below; keep Node from reporting them as unhandled meanwhile.
    startedOne.catch(() => undefined);
    done.catch(() => undefined);
  }
  return collect(host, run.names, ready, true);
}

function stepOf(steps: Map<string, ServiceStep>, name: string): ServiceStep {
  const step = steps.get(name);
  if (!step) throw new Error(`The plan has no step for ${name}.`);
  return step;
}

/** The service's step planned again against its containers now (images and contexts as read). */
async function planAtTurn(host: ConvergeHost, docker: Dockerode, shared: ActualState, name: string, force: boolean): Promise<PlannedStep> {
  const actual: ActualState = { ...shared, containers: await listProjectContainers(docker, host.spec.project) };
  const ports = await host.servicePorts(actual, name);
  return { step: planService(host.spec, actual, name, ports, { force, refreshImage: force }), actual };
}

async function waitForDependencies(
  host: ConvergeHost,
  step: ServiceStep,
  kind: OperationKind,
  started: Map<string, Promise<void>>,
  ready: Map<string, Promise<void>>,
): Promise<void> {
  const name = step.service;
  // Dependencies outside this operation (bringing back only what was running) are not waited for.
  const deps = step.waitFor.filter((d) => started.has(d.service));
  if (!deps.length) return;
  host.phase(name, kind, `waiting for ${deps.map((d) => d.service).join(', ')}`);
  await Promise.all(
    deps.map(async ({ service: dep, condition }) => {
      try {
        await dependencyCondition(host, dep, condition, started.get(dep), ready.get(dep));
      } catch (err) {
        throw new Error(`${host.title(name)} was not started because ${host.title(dep)} is not ready: ${describeError(err)}`);
      }
    }),
  );
}

async function dependencyCondition(
  host: ConvergeHost,
  dep: string,
  condition: DependsCondition,
  started: Promise<void> | undefined,
  ready: Promise<void> | undefined,
): Promise<void> {
  const svc = host.spec.services[dep];
  const withHealthcheck = svc !== undefined && hasHealthcheck(svc);
  if (condition === 'service_started') {
    await started;
    return;
  }
  await (condition === 'service_healthy' ? ready : started);
  return host.tracker.waitFor(dep, (s) => dependencyVerdict(condition, s, withHealthcheck));
}

/** Waits for every service's task and reports each outcome (and, with `notify`, failures as notices). */
export async function collect(
  host: Pick<ConvergeHost, 'notice'>,
  names: string[],
  tasks: Map<string, Promise<void>>,
  notify: boolean,
): Promise<OperationResult> {
  const outcomes = await Promise.all(
    names.map(async (service): Promise<ServiceOutcome> => {
      try {
        await tasks.get(service);
        return { service, ok: true };
      } catch (err) {
        return { service, ok: false, error: describeError(err) };
      }
    }),
  );
  if (notify) for (const o of outcomes) if (!o.ok && o.error) host.notice('error', o.error, o.service);
  return { ok: outcomes.every((o) => o.ok), services: outcomes };
}
