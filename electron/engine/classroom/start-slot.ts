// When a student's start slot is free again. Starting a class is bounded (a few stacks at a
// time, start-class.ts), and a slot used to be held until Swarm counted every task of the
// stack running; Swarm does that only after Docker's first passing health check, which comes
// one whole interval after the container started (API 1.41 has no start_interval). So a slot
// was held for "start + up to one interval" while the stack was already answering.
//
// Here the slot is released as soon as the stack's own healthcheck commands pass when we run
// them (readiness/start-probe, the laptop engine's start-up probe: the same command, user and
// environment as Docker's check, run by exec at a short, growing delay). Swarm's own verdict
// follows outside the bound; the student is counted ready only then (classroom.ts), so "ready"
// still means what Swarm and DNS say. A service without a healthcheck frees its part of the
// slot once its container runs; one whose probe cannot run (exec refused, window over) leaves
// the slot to Swarm's verdict, as before.
import type Dockerode from 'dockerode';
import { probeUntilReady } from '../readiness/start-probe.js';
import { probeWindowMs, readinessPlan } from '../readiness/rules.js';
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
  watch: SwarmWatch;
  /** The student's services: Swarm service name and the course service it runs. */
  services: Array<{ swarmName: string; spec: ServiceSpec }>;
  signal: AbortSignal;
  /** Longest wait for a container to appear (then Swarm decides). */
  timeoutMs: number;
}

/**
 * Resolves 'passed' once every service's own check passed by our exec (or, without a check,
 * its container runs); 'fallback' when some probe could not decide; 'aborted' when the caller
 * stopped waiting (Swarm said ready first, or the start failed).
 */
export async function stackAnswers(input: SlotProbeInput): Promise<'passed' | 'fallback' | 'aborted'> {
  const one = async ({ swarmName, spec }: SlotProbeInput['services'][number]): Promise<'passed' | 'fallback' | 'aborted'> => {
    let containerId: string | undefined;
    try {
      await input.watch.until((snap) => (containerId = startedContainer(snap, swarmName)) !== undefined, input.timeoutMs, `${swarmName}'s container`);
    } catch {
      return input.signal.aborted ? 'aborted' : 'fallback';
    }
    if (input.signal.aborted) return 'aborted';
    // No web port asked from the host (a student's notebook publishes none): the check itself asks it.
    const { web: _hostOnly, ...plan } = readinessPlan(spec);
    if (!plan.exec) return 'passed';
    return probeUntilReady({ docker: input.docker, containerId: containerId!, plan, signal: input.signal, windowMs: probeWindowMs(spec.healthcheck) });
  };
  const results = await Promise.all(input.services.map(one));
  if (results.includes('aborted')) return 'aborted';
  return results.every((r) => r === 'passed') ? 'passed' : 'fallback';
}
