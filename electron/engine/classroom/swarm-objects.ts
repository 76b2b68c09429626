// The Docker objects of a classroom, one call at a time: is this engine a Swarm manager,
// remove a volume or network once Docker lets go of it, the node a service is pinned to.
// Apart from classroom.ts so that it reads as the classroom's operations only.
import type Dockerode from 'dockerode';
import { isNotFound, statusOf } from '../docker/api-status.js';
import type { ClassroomListener } from './types.js';

/** The Swarm this engine belongs to, as a manager; otherwise what to do, in words. */
export async function requireSwarmManager(docker: Dockerode): Promise<{ nodeId: string }> {
  const info = (await docker.info()) as { Swarm?: { LocalNodeState?: string; NodeID?: string; ControlAvailable?: boolean } };
  const swarm = info.Swarm ?? {};
  if (swarm.LocalNodeState !== 'active') {
    throw new Error(
      'This Docker engine is not part of a Swarm. For a one-computer classroom run: docker swarm init --advertise-addr 127.0.0.1',
    );
  }
  if (!swarm.ControlAvailable) throw new Error('This Docker engine is a Swarm worker: run classroom commands against a manager node.');
  return { nodeId: swarm.NodeID ?? '' };
}

/** The node a live service is pinned to, if it is. */
export function pinnedNode(svc: Dockerode.Service | undefined): string | undefined {
  const constraint = svc?.Spec?.TaskTemplate?.Placement?.Constraints?.find((c) => c.startsWith('node.id=='));
  return constraint?.slice('node.id=='.length);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `test` once a second until it holds (used only where Docker sends no event). */
export async function waitFor(test: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await test())) {
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}.`);
    await sleep(1000);
  }
}

/** Removes a volume, retrying while Docker still counts it in use (a container being removed). */
export async function removeVolumeWhenFree(docker: Dockerode, name: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await docker.getVolume(name).remove();
      return;
    } catch (err) {
      if (isNotFound(err)) return;
      if (statusOf(err) !== 409 || attempt >= 30) throw err;
      await sleep(1000);
    }
  }
}

/** Removes a network, retrying while endpoints are released; a network something else still uses is said. */
export async function removeNetworkWhenFree(docker: Dockerode, id: string, name: string, onEvent?: ClassroomListener): Promise<void> {
  // Containers that joined the student's attachable network (the front door's gateway) leave it.
  const info = (await docker.getNetwork(id).inspect().catch(() => undefined)) as { Containers?: Record<string, unknown> } | undefined;
  for (const container of Object.keys(info?.Containers ?? {})) {
    if (container.startsWith('lb-')) continue;
    await docker.getNetwork(id).disconnect({ Container: container, Force: true }).catch(() => undefined);
  }
  for (let attempt = 0; ; attempt++) {
    try {
      await docker.getNetwork(id).remove();
      return;
    } catch (err) {
      if (isNotFound(err)) return;
      if (attempt >= 15) {
        onEvent?.({ kind: 'warning', message: `Network ${name} was not removed: ${err instanceof Error ? err.message : String(err)}` });
        return;
      }
      await sleep(1000);
    }
  }
}
