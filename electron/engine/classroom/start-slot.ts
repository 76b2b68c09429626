// When a student's start slot is free again. Starting a class is bounded (a few stacks at a
// time, start-class.ts), and a slot used to be held until Swarm counted every task of the
// stack running; Swarm does that only after Docker's first passing health check, which comes
// one whole interval after the container started (API 1.41 has no start_interval). So a slot
// was held for "start + up to one interval" while the stack was already answering.
//
// Here the slot is released as soon as the stack's own healthcheck commands pass when we run
// them (readiness/exec-probe and its verdict rules, as the laptop engine's start-up probe uses
// them: the same command, user and environment as Docker's check, run by exec), at a cadence
// for many stacks at once (slotProbeDelayMs). Swarm's own verdict
// follows outside the bound; the student is counted ready only then (classroom.ts), so "ready"
// still means what Swarm and DNS say. A service without a healthcheck frees its part of the
// slot once its container runs; one whose probe cannot run (exec refused, window over) leaves
// the slot to Swarm's verdict, as before.
import type Dockerode from 'dockerode';
import { execHealthcheck } from '../readiness/exec-probe.js';
import { execVerdict, probeWindowMs, readinessPlan } from '../readiness/rules.js';
import type { ServiceSpec } from '../spec/types.js';
import { currentTask, type SwarmTask } from './swarm-state.js';
import type { ClassroomSnapshot, SwarmWatch } from './swarm-watch.js';

/** Task states in which the task's container exists and runs (or is about to). */
const CONTAINER_UP = new Set(['starting', 'running']);

/** The container of the service's current task, once Swarm has one running on this node. */
export function startedContainer(snap: ClassroomSnapshot, swarmServiceName: string): string | undefined {
  const svc = snap.services.find((s) => s.Spec?.Name === swarmServiceName);
  if (!svc) return undefined;
  const task = currentTask(snap.tasks.filter((t: SwarmTask) => t.ServiceID === svc.ID));
  if (!task || task.DesiredState !== 'running' || !CONTAINER_UP.has(task.Status?.State ?? '')) return undefined;
  return task.Status?.ContainerStatus?.ContainerID || undefined;
}

export interface SlotProbeInput {
  docker: Dockerode;
  /** The classroom's live view (kept fresh by the caller's listeners and Docker's events). */
  watch: SwarmWatch;
  /** The student's services: Swarm service name and the course service it runs. */
  services: Array<{ swarmName: string; spec: ServiceSpec }>;
  signal: AbortSignal;
}

/**
 * Delay before the next round of a stack's checks. Gentler than a laptop's start-up probe
 * (readiness/rules.ts probeDelayMs, down to 100 ms and woken by every line of output): here
 * several stacks start at once on a few cores, and a cold PostgreSQL printing its seeding must
 * not draw an exec per line. One round runs the stack's pending checks one after another.
 */
export function slotProbeDelayMs(round: number): number {
  const steps = [500, 750, 1000];
  return steps[Math.min(round, steps.length - 1)]!;
}

const pause = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });

/**
 * Resolves 'passed' once every service's own check passed by our exec (or, without a check,
 * its container runs); 'fallback' when a check cannot be run here (exec refused, a task on
 * another node) or the start took longer than Docker's own checks would take to decide;
 * 'aborted' when the caller stopped waiting (Swarm said ready first, or the start failed).
 */
export async function stackAnswers(input: SlotProbeInput): Promise<'passed' | 'fallback' | 'aborted'> {
  const { docker, watch, signal } = input;
  const pending = new Map(input.services.map(({ swarmName, spec }) => [swarmName, { spec, plan: readinessPlan(spec) }]));
  const deadline = Date.now() + Math.max(...input.services.map(({ spec }) => probeWindowMs(spec.healthcheck)));
  for (let round = 0; !signal.aborted && Date.now() < deadline; round++) {
    const snap = watch.latest ?? (await watch.refresh().catch(() => undefined));
    for (const [swarmName, { plan }] of pending) {
      const containerId = snap ? startedContainer(snap, swarmName) : undefined;
      if (!containerId || signal.aborted) continue;
      // The healthcheck as Docker runs it; no web port asked from the host (a student's notebook publishes none).
      const verdict = plan.exec ? execVerdict(await execHealthcheck(docker, containerId, plan.exec, plan.execTimeoutMs)) : 'passed';
      if (verdict === 'fallback') return 'fallback';
      if (verdict === 'passed') pending.delete(swarmName);
    }
    if (pending.size === 0) return 'passed';
    await pause(slotProbeDelayMs(round), signal);
  }
  return signal.aborted ? 'aborted' : 'fallback';
}
