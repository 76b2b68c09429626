// The live state of each service as every UI sees it. Derived from Docker's own view of the
// container (inspect after each event) plus the operation the engine is running on it.
import type { ProgressState } from '../docker/progress.js';
import { unhealthyReason } from './health-log.js';

export type ServiceStatus =
  | 'missing'
  | 'pulling'
  | 'building'
  | 'creating'
  | 'starting'
  | 'running'
  | 'healthy'
  | 'unhealthy'
  | 'stopping'
  | 'stopped'
  | 'exited'
  | 'error';

export type OperationKind = 'up' | 'start' | 'stop' | 'restart' | 'reinstall' | 'reset' | 'down';

export interface PublishedPort {
  target: number;
  protocol: 'tcp' | 'udp';
  hostIp: string;
  hostPort: number;
  /** The port the spec asked for, when Coursedock had to use another. */
  requested?: number;
}

export interface ServiceState {
  service: string;
  status: ServiceStatus;
  health?: 'starting' | 'healthy' | 'unhealthy';
  containerId?: string;
  ports: PublishedPort[];
  /** The operation running on this service, if any (buttons are disabled meanwhile). */
  operation?: { kind: OperationKind; phase: string; startedAt: number };
  lastError?: string;
  /** True when the service cannot run on this computer (e.g. its image cannot be had). */
  unavailable?: boolean;
  /** URL of the service's web UI on this computer, without its token (Environment.webTarget has it). */
  webUrl?: string;
  progress?: ProgressState;
  exitCode?: number;
  startedAt?: string;
}

/** What Docker says about a container, reduced. */
export interface ContainerView {
  id: string;
  status: 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';
  health?: 'starting' | 'healthy' | 'unhealthy';
  exitCode: number;
  ports: Array<{ target: number; protocol: 'tcp' | 'udp'; hostIp: string; hostPort: number }>;
  startedAt?: string;
  error?: string;
  /** The last failing health probe's message (see health-log.ts). */
  healthFailure?: string;
}

/** Exit codes of a container that was asked to stop (0, SIGINT, SIGKILL, SIGTERM). */
const STOP_EXIT_CODES = new Set([0, 130, 137, 143]);

export function statusFromContainer(c: ContainerView | undefined): {
  status: ServiceStatus;
  health?: ServiceState['health'];
  error?: string;
} {
  if (!c) return { status: 'missing' };
  switch (c.status) {
    case 'running':
    case 'paused':
      if (!c.health) return { status: 'running' };
      // Unhealthy says why, in the probe's own words (Docker's health log).
      if (c.health === 'unhealthy') return { status: 'unhealthy', health: 'unhealthy', error: unhealthyReason(c.healthFailure) };
      return { status: c.health === 'starting' ? 'starting' : c.health, health: c.health };
    case 'restarting':
      return { status: 'starting' };
    case 'removing':
      return { status: 'stopping' };
    case 'created':
      return { status: 'stopped', ...(c.error ? { error: c.error } : {}) };
    case 'exited':
    case 'dead':
      if (c.error) return { status: 'error', error: c.error };
      if (STOP_EXIT_CODES.has(c.exitCode)) return { status: 'stopped' };
      return { status: 'exited', error: `The service stopped by itself (exit code ${c.exitCode}). Its logs say why.` };
  }
}

/** Operations that end with the service running (a stop or a down ends with it gone or stopped). */
const BRINGS_UP: ReadonlySet<OperationKind> = new Set(['up', 'start', 'restart', 'reinstall', 'reset']);

/**
 * The status shown while an operation runs on the service. A phase that names a status shows it.
 * Otherwise the container's own status shows, except that an operation bringing the service up
 * never shows "Not started" or "Stopped" for a container that is not there yet or created and not
 * yet started: during a reinstall the old container is removed and a new one created, and the
 * Docker events for that reach the state before the start does (a flicker of "missing" and
 * "stopped" between "creating" and the health check's "starting"). A container that ran and
 * stopped, or crashed, still says so: the operation's own wait must see that.
 */
export function statusDuringOperation(
  op: { kind: OperationKind; status?: ServiceStatus },
  derived: ServiceStatus,
  view: Pick<ContainerView, 'status'> | undefined,
): ServiceStatus {
  if (op.status) return op.status;
  if (!BRINGS_UP.has(op.kind)) return derived;
  if (!view || view.status === 'created') return 'starting';
  return derived;
}
