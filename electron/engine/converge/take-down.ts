// `down`, like Compose's: every service's containers stopped and removed in reverse dependency
// order (a service waits for the services that depend on it), each in its own queue; then
// containers of services no longer in the spec, and the project's networks. Volumes (student
// data) stay.
import type Dockerode from 'dockerode';
import { listProjectContainers, removeContainer, stopContainer } from '../docker/containers.js';
import { removeProjectNetworks } from '../docker/networks.js';
import { describeError } from '../describe-error.js';
import type { OperationResult } from '../environment.js';
import { collect, type ExecutorHost } from './plan-executor.js';

export async function takeDown(
  host: ExecutorHost,
  order: string[],
  docker: () => Promise<Dockerode>,
  stopTimeout: (service: string) => number,
): Promise<OperationResult> {
  const dependents = (name: string) => order.filter((other) => name in (host.spec.services[other]?.dependsOn ?? {}));
  const removed = new Map<string, Promise<void>>();
  for (const name of order) {
    const after = dependents(name).flatMap((d) => removed.get(d)?.catch(() => undefined) ?? []);
    const task = host.operate(name, 'down', async () => {
      const client = await docker();
      await Promise.all(after);
      host.phase(name, 'down', 'stopping', 'stopping');
      for (const c of await listProjectContainers(client, host.spec.project)) {
        if (c.service !== name) continue;
        await stopContainer(client, c.id, stopTimeout(name));
        await removeContainer(client, c.id);
      }
    });
    task.catch(() => undefined);
    removed.set(name, task);
  }
  const result = await collect(host, order, removed, false);
  const client = await docker();
  // Containers of services no longer in the spec.
  for (const c of await listProjectContainers(client, host.spec.project)) {
    if (!(c.service in host.spec.services)) await removeContainer(client, c.id);
  }
  try {
    await removeProjectNetworks(client, host.spec.project);
  } catch (err) {
    result.courseError = `Could not remove the course's network: ${describeError(err)}`;
    result.ok = false;
  }
  return result;
}
