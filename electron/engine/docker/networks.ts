// A project's default network, found by Compose's labels (and its name, for networks made by
// docker-compose or an older Coursedock), never by name alone: Docker allows two networks of one
// name, and then refuses to create containers on it ("network … is ambiguous"). Twins found
// are repaired here, and `down` removes every one of them by id.
import type Dockerode from 'dockerode';
import { LABEL, networkName } from '../plan/labels.js';
import type { NetworkSpec } from '../spec/types.js';
import { decideNetworkTwins, twinRepairMessage, type NetworkTwin } from '../plan/network-twins.js';

import { isNotFound, statusOf } from './api-status.js';
import type { InspectedContainer } from './api-records.js';
import { describeError } from '../describe-error.js';

/** Every network that is this project's default network, by label or by exact name. */
export async function findProjectNetworks(docker: Dockerode, project: string): Promise<NetworkTwin[]> {
  const name = networkName(project);
  const [byLabel, byName] = await Promise.all([
    docker.listNetworks({ filters: { label: [`${LABEL.project}=${project}`, `${LABEL.network}=default`] } }),
    docker.listNetworks({ filters: { name: [name] } }),
  ]);
  const ids = new Map<string, string>();
  for (const n of [...byLabel, ...byName]) if (n.Name === name || byLabel.includes(n)) ids.set(n.Id, n.Name);
  const out: NetworkTwin[] = [];
  for (const [id, netName] of ids) {
    try {
      const info = (await docker.getNetwork(id).inspect()) as { Containers?: Record<string, unknown>; Created?: string };
      out.push({ id, name: netName, containers: Object.keys(info.Containers ?? {}), created: info.Created ?? '' });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
  return out;
}

/**
 * Leaves exactly one default network (creating it when there is none). Returns words saying
 * what was repaired, when twins were found.
 */
export async function ensureProjectNetwork(docker: Dockerode, project: string): Promise<string | undefined> {
  let found = await findProjectNetworks(docker, project);
  if (found.length === 0) {
    try {
      await docker.createNetwork({
        Name: networkName(project),
        Driver: 'bridge',
        CheckDuplicate: true,
        Labels: { [LABEL.project]: project, [LABEL.network]: 'default', [LABEL.managedBy]: 'coursedock' },
      });
    } catch (err) {
      // Made meanwhile by something outside our lock: repaired just below if it is a twin.
      if (statusOf(err) !== 409) throw err;
    }
    found = await findProjectNetworks(docker, project);
  }
  return repairTwins(docker, found);
}

async function repairTwins(docker: Dockerode, found: NetworkTwin[]): Promise<string | undefined> {
  const { keep, remove } = decideNetworkTwins(found);
  if (!keep || remove.length === 0) return undefined;
  let moved = 0;
  for (const twin of remove) {
    for (const id of twin.containers) {
      await moveContainer(docker, id, twin.id, keep.id);
      moved++;
    }
    try {
      await docker.getNetwork(twin.id).remove();
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
  return twinRepairMessage(keep.name, remove, moved);
}

/** Reattaches a container to the kept network under its service name (how its peers find it). */
async function moveContainer(docker: Dockerode, container: string, from: string, to: string): Promise<void> {
  let alias: string | undefined;
  try {
    const info: InspectedContainer = await docker.getContainer(container).inspect();
    alias = info.Config.Labels?.[LABEL.service];
  } catch (err) {
    if (isNotFound(err)) return;
    throw err;
  }
  await docker.getNetwork(from).disconnect({ Container: container, Force: true }).catch((err: unknown) => {
    if (!isNotFound(err)) throw err;
  });
  await docker
    .getNetwork(to)
    .connect({ Container: container, ...(alias ? { EndpointConfig: { Aliases: [alias] } } : {}) })
    .catch((err: unknown) => {
      // 403: already connected to it.
      if (statusOf(err) !== 403) throw err;
    });
}

/**
 * A network the spec declares (`networks:`), made like Compose makes it: `<project>_<key>` (or its
 * `name:`), labelled with the project and key, `internal` when asked. External ones are left alone,
 * and so is `default` under its usual name (ensureProjectNetwork's).
 */
export async function ensureSpecNetwork(docker: Dockerode, project: string, network: NetworkSpec): Promise<void> {
  if (network.external || network.dockerName === networkName(project)) return;
  const existing = await docker.listNetworks({ filters: { name: [network.dockerName] } });
  if (existing.some((n) => n.Name === network.dockerName)) return;
  try {
    await docker.createNetwork({
      Name: network.dockerName,
      Driver: 'bridge',
      CheckDuplicate: true,
      Internal: network.internal,
      Labels: { ...network.labels, [LABEL.project]: project, [LABEL.network]: network.key, [LABEL.managedBy]: 'coursedock' },
    });
  } catch (err) {
    if (statusOf(err) !== 409) throw err;
  }
}

/** The project's networks other than the default one (by label: made by us or by Compose). */
async function otherProjectNetworks(docker: Dockerode, project: string): Promise<NetworkTwin[]> {
  const list = await docker.listNetworks({ filters: { label: [`${LABEL.project}=${project}`] } });
  return list
    .filter((n) => n.Labels?.[LABEL.network] !== 'default' && n.Name !== networkName(project))
    .map((n) => ({ id: n.Id, name: n.Name, containers: Object.keys(n.Containers ?? {}), created: n.Created }));
}

/** Removes every network of the project; fails in words naming what is in the way. */
export async function removeProjectNetworks(docker: Dockerode, project: string): Promise<void> {
  for (const n of [...(await findProjectNetworks(docker, project)), ...(await otherProjectNetworks(docker, project))]) {
    try {
      await docker.getNetwork(n.id).remove();
    } catch (err) {
      if (isNotFound(err)) continue;
      const users = n.containers.length ? ` (still used by ${n.containers.length} container${n.containers.length === 1 ? '' : 's'} not made for this course)` : '';
      throw new Error(`Could not remove the network ${n.name}${users}: ${describeError(err)}`);
    }
  }
}
