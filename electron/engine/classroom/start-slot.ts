// When a student's start slot is free again. Starting a class is bounded (a few stacks at a
// time, start-class.ts), and a slot used to be held until Swarm counted every task of the
// stack running; Swarm does that only after Docker's first passing health check, which comes
// one whole interval after the container started (API 1.41 has no start_interval). So a slot
// was held for "start + up to one interval" while the stack was already answering.
//
// Here the slot is released as soon as the stack's own healthcheck commands pass when we run
// them (readiness/exec-probe and its verdict rules, as the laptop engine's start-up probe uses
// them: the same command, user and environment as Docker's check, run by exec), woken by the
// container's output rather than a fast timer (see OUTPUT_GAP_MS). Swarm's own verdict
// follows outside the bound; the student is counted ready only then (classroom.ts), so "ready"
// still means what Swarm and DNS say. A service without a healthcheck frees its part of the
// slot once its container runs; one whose probe cannot run (exec refused, window over) leaves
// the slot to Swarm's verdict, as before.
import type Dockerode from 'dockerode';
import { execHealthcheck } from '../readiness/exec-probe.js';
import { followOutput } from '../readiness/start-probe.js';
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
 * Probing a starting stack costs an exec per check, and an exec costs the daemons (dockerd,
 * containerd, runc) tens of milliseconds of CPU: with several stacks starting at once on a few
 * cores, probing on a timer alone took a good share of the machine from the starts themselves.
 * So a service is probed when its container prints something (servers say "ready" in their
 * output), at most once per OUTPUT_GAP_MS, and otherwise only every QUIET_PROBE_MS.
 */
export const OUTPUT_GAP_MS = 500;
export const QUIET_PROBE_MS = 2_500;

/** Resolves with the service's container once Swarm runs its current task (undefined on abort or at the deadline). */
function containerOf(watch: SwarmWatch, swarmName: string, signal: AbortSignal, deadline: number): Promise<string | undefined> {
  const now = watch.latest ? startedContainer(watch.latest, swarmName) : undefined;
  if (now) return Promise.resolve(now);
  return new Promise((resolve) => {
    const finish = (id: string | undefined) => {
      clearTimeout(timer);
      stopWatching();
      signal.removeEventListener('abort', onAbort);
      resolve(id);
    };
    const onAbort = () => finish(undefined);
    const timer = setTimeout(() => finish(undefined), Math.max(0, deadline - Date.now()));
    const stopWatching = watch.onChange((snap) => {
      const id = startedContainer(snap, swarmName);
      if (id) finish(id);
    });
    signal.addEventListener('abort', onAbort);
    if (!watch.latest) void watch.refresh().catch(() => undefined);
  });
}

/** One service of the stack: its own check passes by our exec, woken by its output. */
async function serviceAnswers(
  docker: Dockerode,
  watch: SwarmWatch,
  swarmName: string,
  spec: ServiceSpec,
  signal: AbortSignal,
  deadline: number,
): Promise<'passed' | 'fallback' | 'aborted'> {
  const containerId = await containerOf(watch, swarmName, signal, deadline);
  if (signal.aborted) return 'aborted';
  if (!containerId) return 'fallback';
  const plan = readinessPlan(spec);
  if (!plan.exec) return 'passed';
  const output = await followOutput(docker, containerId, signal, OUTPUT_GAP_MS);
  const aborted = () => signal.aborted; // read afresh: it changes while we wait
  try {
    // The first probe waits for the server to say something (or for a quiet while).
    await output.next(QUIET_PROBE_MS);
    while (!aborted() && Date.now() < deadline) {
      // The healthcheck as Docker runs it; no web port asked from the host (a student's notebook publishes none).
      const verdict = execVerdict(await execHealthcheck(docker, containerId, plan.exec, plan.execTimeoutMs));
      if (verdict !== 'not-yet') return verdict;
      await output.next(QUIET_PROBE_MS);
    }
    return aborted() ? 'aborted' : 'fallback';
  } finally {
    output.stop();
  }
}

/**
 * Resolves 'passed' once every service's own check passed by our exec (or, without a check,
 * its container runs); 'fallback' when a check cannot be run here (exec refused, a task on
 * another node) or the start took longer than Docker's own checks would take to decide;
 * 'aborted' when the caller stopped waiting (Swarm said ready first, or the start failed).
 */
export async function stackAnswers(input: SlotProbeInput): Promise<'passed' | 'fallback' | 'aborted'> {
  const { docker, watch, signal } = input;
  const deadline = Date.now() + Math.max(...input.services.map(({ spec }) => probeWindowMs(spec.healthcheck)));
  // One service that cannot be probed leaves the slot to Swarm: the others stop probing then.
  const stop = new AbortController();
  const both = AbortSignal.any([signal, stop.signal]);
  const verdicts = await Promise.all(
    input.services.map(async ({ swarmName, spec }) => {
      const v = await serviceAnswers(docker, watch, swarmName, spec, both, deadline);
      if (v === 'fallback') stop.abort();
      return v;
    }),
  );
  if (signal.aborted) return 'aborted';
  return verdicts.every((v) => v === 'passed') ? 'passed' : 'fallback';
}
