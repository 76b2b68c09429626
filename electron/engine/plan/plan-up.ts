// The planner: a pure function from desired state (the spec, with resolved ports) and actual
// state (containers found by label, images, network, volumes) to ordered steps. Docker is never
// called here, so every decision is unit-tested without an engine.
import type { CourseSpec } from '../spec/types.js';
import type { ActualContainer, ActualState } from './actual.js';
import type { ServiceStep } from './decisions.js';
import { planService } from './plan-service.js';
import { namedVolumesOf } from './service-volumes.js';
import type { ResolvedPort } from './resolved-port.js';

export interface UpPlan {
  project: string;
  createNetwork: boolean;
  /** Docker names of named volumes to create. */
  createVolumes: string[];
  /** In dependency order: a service comes after everything it depends on. */
  services: ServiceStep[];
  /** Containers labelled with this project whose service is no longer in the spec. */
  orphans: ActualContainer[];
}

export interface PlanOptions {
  /** Limit to these services (their dependencies are included). Default: all. */
  services?: string[];
  /** Recreate these even when their config is unchanged (reinstall). */
  forceRecreate?: string[];
  /** Fetch these images again even when present (reinstall). */
  refreshImages?: string[];
}

/** Services in dependency order; throws on a cycle (the loader rejects cycles first). */
export function dependencyOrder(spec: CourseSpec, roots?: string[]): string[] {
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string, trail: string[]): void => {
    const s = state.get(name);
    if (s === 'done') return;
    if (s === 'visiting') throw new Error(`dependency cycle: ${[...trail, name].join(' -> ')}`);
    const svc = spec.services[name];
    if (!svc) throw new Error(`unknown service "${name}"`);
    state.set(name, 'visiting');
    for (const dep of Object.keys(svc.dependsOn)) visit(dep, [...trail, name]);
    state.set(name, 'done');
    order.push(name);
  };
  for (const name of roots ?? Object.keys(spec.services)) visit(name, []);
  return order;
}

export function planUp(
  spec: CourseSpec,
  actual: ActualState,
  ports: Record<string, ResolvedPort[]>,
  options: PlanOptions = {},
): UpPlan {
  const names = dependencyOrder(spec, options.services);
  const force = new Set(options.forceRecreate ?? []);
  const refresh = new Set(options.refreshImages ?? []);
  const live = actual.containers.filter((c) => !c.oneoff);
  const services = names.map((name) =>
    planService(spec, actual, name, ports[name] ?? [], {
      force: force.has(name),
      refreshImage: refresh.has(name),
    }),
  );

  const volumes = namedVolumesOf(spec, names)
    .map((v) => v.dockerName)
    .filter((name) => !actual.volumes.has(name));

  return {
    project: spec.project,
    createNetwork: !actual.networkExists,
    createVolumes: [...volumes].sort(),
    services,
    orphans: live.filter((c) => !(c.service in spec.services)),
  };
}
