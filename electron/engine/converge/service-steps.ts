// Making one service's planned step true, the way Compose's convergence does it: the image
// fetched or built (and the container decided again when the image changed), starter notebooks
// seeded, an outdated container removed, the container created; later started (picking another
// host port once if one was taken meanwhile) and waited for until ready. Deciding is the
// planner's (plan/); the Docker calls are docker/'s; this module only puts them in order and
// says each phase in the service's state.
import type Dockerode from 'dockerode';
import { createContainer, readActualState, removeContainer, startContainer, stopContainer } from '../docker/containers.js';
import { lastHealthOutput } from '../docker/last-health-output.js';
import { ensureImage, imageId } from '../docker/images.js';
import { describeError } from '../describe-error.js';
import { seedBeforeStart } from '../content/starter-notebooks.js';
import type { ProjectWriter } from '../operations/project-writer.js';
import type { ActualState } from '../plan/actual.js';
import { containerConfig } from '../plan/container-config.js';
import { decideContainer, type ContainerStep, type ServiceStep } from '../plan/decisions.js';
import type { ResolvedPort } from '../plan/resolved-port.js';
import { hasHealthcheck, startVerdict } from '../readiness/rules.js';
import { movedAsideWords } from '../repairs/foreign-container.js';
import type { CourseSpec, ServiceSpec } from '../spec/types.js';
import type { OperationKind, ServiceStatus } from '../state/service-state.js';
import type { StateTracker } from '../state/state-tracker.js';

/** What executing a step needs from its environment. */
export interface ConvergeHost {
  readonly spec: CourseSpec;
  readonly tracker: StateTracker;
  readonly writer: ProjectWriter;
  /** Longest wait for a service to become ready. */
  readonly readyTimeoutMs: number;
  phase(service: string, kind: OperationKind, phase: string, status?: ServiceStatus): void;
  notice(level: 'info' | 'warning' | 'error', message: string, service?: string): void;
  title(service: string): string;
  /** Host ports for the service against `actual`: remembered, moves said, shown in its state. */
  servicePorts(actual: ActualState, service: string): Promise<ResolvedPort[]>;
}

/** A service's step and the actual state it was planned against. */
export interface PlannedStep {
  step: ServiceStep;
  actual: ActualState;
}

/** A service's container made ahead of its start, and the step that made it. */
export interface MadeContainer {
  step: ServiceStep;
  id: string;
}

/** The spec's service (the plan only names services of the spec). */
function serviceOf(spec: CourseSpec, name: string): ServiceSpec {
  const svc = spec.services[name];
  if (!svc) throw new Error(`There is no service "${name}" in ${spec.meta.title}.`);
  return svc;
}

const PORT_CONFLICT = /port is already allocated|address already in use/i;

const containerIdOf = (c: ContainerStep): string | undefined => ('containerId' in c ? c.containerId : undefined);

/**
 * Makes the service's image and container exist and match the spec, without starting it
 * (dependencies need not be ready for that).
 */
export async function makeContainer(
  host: ConvergeHost,
  docker: Dockerode,
  planned: PlannedStep,
  kind: OperationKind,
  force: boolean,
): Promise<MadeContainer> {
  let { step } = planned;
  const name = step.service;
  const svc = serviceOf(host.spec, name);

  for (const id of step.removeDuplicates) await removeContainer(docker, id);

  if (step.image !== 'present') {
    const fetching: ServiceStatus = step.image === 'build' ? 'building' : 'pulling';
    host.phase(name, kind, step.image === 'build' ? 'building the image' : 'downloading the image', fetching);
    host.tracker.clearProgress(name);
    const { warning } = await ensureImage(docker, svc, step.image, (p) => {
      if (p.kind === 'build') host.phase(name, kind, 'building the image', 'building');
      host.tracker.setProgress(name, p);
    });
    if (warning) host.notice('warning', warning, name);
    // The image may be new: decide again whether the container must be recreated.
    const id = await imageId(docker, svc.image);
    const current = planned.actual.containers.find((c) => c.id === containerIdOf(step.container));
    step = { ...step, container: decideContainer(current, step.config, id, force) };
  }
  host.writer.mark(name, 'image-ready');

  // Course starter notebooks into the student's folder before the first start (content/).
  const seeded = await seedBeforeStart(host.spec, name);
  if (seeded) host.notice(seeded.level, seeded.message, name);

  const c = step.container;
  if (c.kind === 'recreate') {
    host.phase(name, kind, `removing the old container (${c.reason})`, 'stopping');
    await stopContainer(docker, c.containerId);
    await removeContainer(docker, c.containerId);
  }
  host.writer.mark(name, 'old-removed');
  let id = c.kind === 'keep' || c.kind === 'start' ? c.containerId : undefined;
  if (!id) {
    host.phase(name, kind, 'creating the container', 'creating');
    id = await createContainer(docker, step.config, (m) => host.notice('warning', movedAsideWords(m, svc.meta.title), name));
    host.writer.mark(name, 'created');
  }
  return { step, id };
}

/** Starts the made container (unless it runs already) and waits until it is ready. */
export async function startAndWait(
  host: ConvergeHost,
  docker: Dockerode,
  kind: OperationKind,
  made: MadeContainer,
  markStarted: () => void,
): Promise<void> {
  const name = made.step.service;
  const id = made.step.container.kind === 'keep' ? made.id : await startWithPortRetry(host, docker, kind, made);
  markStarted();
  host.phase(name, kind, hasHealthcheck(serviceOf(host.spec, name)) ? 'waiting until healthy' : 'starting');
  await host.tracker.refresh(name);
  await waitReady(host, docker, name, id);
}

/** Starts; if the host port was taken meanwhile, picks another once. Returns the container started. */
async function startWithPortRetry(host: ConvergeHost, docker: Dockerode, kind: OperationKind, made: MadeContainer): Promise<string> {
  const name = made.step.service;
  let { id } = made;
  for (let attempt = 0; ; attempt++) {
    host.phase(name, kind, 'starting', 'starting');
    try {
      await startContainer(docker, id);
      return id;
    } catch (err) {
      if (attempt > 0 || !PORT_CONFLICT.test(describeError(err))) throw err;
      // Something took the port between our check and Docker's bind: choose again.
      await removeContainer(docker, id);
      const actual = await readActualState(docker, host.spec);
      const ports = await host.servicePorts(actual, name);
      host.phase(name, kind, 'creating the container', 'creating');
      id = await createContainer(docker, containerConfig(host.spec, serviceOf(host.spec, name), ports));
      host.writer.mark(name, 'created');
    }
  }
}

/**
 * Waits until the service is healthy (or running, without a healthcheck); fails in words.
 * Docker's events say when it stops or gets Docker's own verdict; meanwhile the start-up probe
 * (state/start-up-probes.ts) runs its healthcheck and says healthy as soon as it passes.
 */
async function waitReady(host: ConvergeHost, docker: Dockerode, name: string, containerId: string): Promise<void> {
  const withHealthcheck = hasHealthcheck(serviceOf(host.spec, name));
  try {
    await host.tracker.waitFor(name, (s) => (s.containerId === containerId ? startVerdict(s, withHealthcheck, host.title(name)) : undefined), host.readyTimeoutMs);
  } catch (err) {
    const id = host.tracker.containerId(name);
    const said = id ? await lastHealthOutput(docker, id) : undefined;
    // The last healthcheck output usually says what is wrong.
    throw new Error(`${describeError(err)}${said ? ` Last health check said: ${said.slice(0, 300)}` : ''}`);
  }
}
