// Reading and changing a project's containers through the Docker API.
import { existsSync, mkdirSync } from 'node:fs';
import type Dockerode from 'dockerode';
import type { ActualContainer, ActualImage, ActualState, ContainerRunState } from '../plan/actual.js';
import type { CreateOptions } from '../plan/container-config.js';
import { LABEL, ROLE_BACKUP_HELPER, projectFilter } from '../plan/labels.js';
import type { CourseSpec } from '../spec/types.js';
import type { ContainerView } from '../state/service-state.js';
import { lastHealthFailure } from '../state/health-log.js';
import type { InspectedContainer, ListedContainer, PortMap } from './api-records.js';
import { imageFacts } from './images.js';
import { describeError } from '../describe-error.js';
import { isNotFound, statusOf } from './api-status.js';
import { buildContextHash } from './build-context.js';
import { ensureProjectNetwork, ensureSpecNetwork, findProjectNetworks } from './networks.js';
import { listVolumes } from './volume-list.js';
import { moveForeignContainerAside, type MovedAside } from '../repairs/foreign-container.js';

export { isNotFound };

/** `"8888/tcp": [{HostIp, HostPort}]` → flat list. */
function parsePorts(bindings: PortMap | null | undefined): ContainerView['ports'] {
  const out: ContainerView['ports'] = [];
  for (const [key, list] of Object.entries(bindings ?? {})) {
    const [target, protocol] = key.split('/');
    for (const b of list ?? []) {
      if (!b.HostPort) continue;
      out.push({
        target: Number(target),
        protocol: protocol === 'udp' ? 'udp' : 'tcp',
        hostIp: b.HostIp || '0.0.0.0',
        hostPort: Number(b.HostPort),
      });
    }
  }
  return out;
}

export function viewFromInspect(info: InspectedContainer): ContainerView {
  const healthState = info.State.Health;
  const health = healthState?.Status;
  const healthFailure = health === 'unhealthy' ? lastHealthFailure(healthState) : undefined;
  const running = info.State.Running;
  // While running, the live bindings (NetworkSettings) hold the real ports; when stopped, the
  // requested ones (HostConfig) say what it will publish.
  const live = parsePorts(info.NetworkSettings.Ports);
  return {
    id: info.Id,
    status: info.State.Status as ContainerView['status'],
    ...(health === 'starting' || health === 'healthy' || health === 'unhealthy' ? { health } : {}),
    exitCode: info.State.ExitCode,
    ports: running && live.length ? live : parsePorts(info.HostConfig.PortBindings),
    ...(running ? { startedAt: info.State.StartedAt } : {}),
    ...(info.State.Error ? { error: info.State.Error } : {}),
    ...(healthFailure ? { healthFailure } : {}),
  };
}

export async function inspectContainer(docker: Dockerode, id: string): Promise<ContainerView | undefined> {
  try {
    return viewFromInspect(await docker.getContainer(id).inspect());
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

export async function listProjectContainers(docker: Dockerode, project: string): Promise<ActualContainer[]> {
  const list: ListedContainer[] = await docker.listContainers({ all: true, filters: projectFilter(project) });
  return list.map((c) => {
    const ports: Record<string, number> = {};
    for (const p of c.Ports) if (p.PublicPort) ports[`${p.PrivatePort}/${p.Type}`] = p.PublicPort;
    return {
      id: c.Id,
      name: (c.Names[0] ?? '').replace(/^\//, ''),
      service: c.Labels[LABEL.service] ?? '',
      number: Number(c.Labels[LABEL.number] ?? 1),
      oneoff: (c.Labels[LABEL.oneoff] ?? 'False') === 'True',
      configHash: c.Labels[LABEL.configHash] ?? '',
      foreign: c.Labels[LABEL.managedBy] === undefined,
      imageId: c.ImageID,
      state: c.State as ContainerRunState,
      hostPorts: ports,
    };
  });
}

export async function readActualState(docker: Dockerode, spec: CourseSpec): Promise<ActualState> {
  const [containers, networks, volumes] = await Promise.all([
    listProjectContainers(docker, spec.project),
    findProjectNetworks(docker, spec.project),
    listVolumes(docker, { filters: { label: [`${LABEL.project}=${spec.project}`] } }),
  ]);
  const images: Record<string, string | undefined> = {};
  const imageBuilds: Record<string, ActualImage> = {};
  const contextHashes: Record<string, string> = {};
  await Promise.all(
    Object.values(spec.services).map(async (s) => {
      const facts = await imageFacts(docker, s.image);
      images[s.image] = facts?.id;
      if (facts) imageBuilds[s.image] = facts;
      // A context that cannot be read now is left unhashed: the image present is kept.
      if (s.build && facts?.builtFor !== undefined)
        await buildContextHash(s.build).then((h) => { contextHashes[s.name] = h; }, () => undefined);
    }),
  );
  const volumeNames = new Set(volumes.map((v) => v.Name));
  // External volumes, or volumes made by hand, carry no project label: look them up by name.
  await Promise.all(
    Object.values(spec.volumes)
      .filter((v) => !volumeNames.has(v.dockerName))
      .map(async (v) => {
        try {
          await docker.getVolume(v.dockerName).inspect();
          volumeNames.add(v.dockerName);
        } catch {
          /* absent */
        }
      }),
  );
  return {
    containers,
    images,
    imageBuilds,
    contextHashes,
    networkExists: networks.length > 0,
    volumes: volumeNames,
  };
}

/**
 * One default network for the project, twins repaired (returns the words of a repair, if any),
 * and the spec's other networks (not external ones: those must exist already).
 */
export async function ensureNetwork(docker: Dockerode, project: string, networks?: CourseSpec['networks']): Promise<string | undefined> {
  const repaired = await ensureProjectNetwork(docker, project);
  for (const network of Object.values(networks ?? {})) await ensureSpecNetwork(docker, project, network);
  return repaired;
}

export async function ensureVolume(docker: Dockerode, project: string, dockerName: string, key: string): Promise<void> {
  await docker.createVolume({
    Name: dockerName,
    Labels: { [LABEL.project]: project, [LABEL.volume]: key, [LABEL.managedBy]: 'coursedock' },
  });
}

/** Creates the container; bind-mounted host folders are made first (the Mounts API requires them). */
export async function createContainer(docker: Dockerode, config: CreateOptions, onMovedAside?: (m: MovedAside) => void): Promise<string> {
  for (const m of config.HostConfig?.Mounts ?? []) {
    // A file bound on purpose (a secret, a config file) is there already: only missing folders are made.
    if (m.Type === 'bind' && m.Source && !existsSync(m.Source)) mkdirSync(m.Source, { recursive: true });
  }
  // Docker before API 1.44 takes one network at create: the others are connected before start.
  const endpoints = Object.entries(config.NetworkingConfig?.EndpointsConfig ?? {});
  const primary = config.HostConfig?.NetworkMode;
  const later = endpoints.filter(([name]) => name !== primary);
  const first = endpoints.filter(([name]) => name === primary);
  const body: CreateOptions = later.length === 0 ? config : { ...config, NetworkingConfig: { EndpointsConfig: Object.fromEntries(first) } };
  try {
    const c = await docker.createContainer(body);
    for (const [name, endpoint] of later) {
      await docker.getNetwork(name).connect({ Container: c.id, EndpointConfig: endpoint });
    }
    return c.id;
  } catch (err) {
    if (statusOf(err) !== 409 || !config.name) throw err;
    // A container we did not make holds the name: renamed aside (never deleted), then ours.
    const moved = await moveForeignContainerAside(docker, config.name, config.Labels?.[LABEL.project] ?? '').catch(() => undefined);
    if (moved) {
      const c = await docker.createContainer(config);
      onMovedAside?.(moved);
      return c.id;
    }
    throw new Error(
      `The container name ${config.name} is taken by a container Coursedock does not manage (made by another program): remove it with "docker rm -f ${config.name}" and try again.`,
    );
  }
}

/**
 * Deletes a volume; false when it did not exist. A backup helper container still holding it (its
 * process ended mid-backup, say the app was killed, so nobody removed it) would keep it "in use"
 * for ever: those are removed first, as a backup of data being deleted is moot.
 */
export async function removeVolume(docker: Dockerode, name: string): Promise<boolean> {
  try {
    const helpers = await docker.listContainers({ all: true, filters: { label: [`${LABEL.role}=${ROLE_BACKUP_HELPER}`], volume: [name] } });
    for (const h of helpers) await removeContainer(docker, h.Id);
    await docker.getVolume(name).remove();
    return true;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw new Error(`Could not delete volume ${name}: ${describeError(err)}`);
  }
}

export async function startContainer(docker: Dockerode, id: string): Promise<void> {
  try {
    await docker.getContainer(id).start();
  } catch (err) {
    // 304: already running.
    if (statusOf(err) !== 304) throw err;
  }
}

export async function stopContainer(docker: Dockerode, id: string, timeoutSec = 10): Promise<void> {
  try {
    await docker.getContainer(id).stop({ t: timeoutSec });
  } catch (err) {
    const code = statusOf(err);
    if (code !== 304 && code !== 404) throw err;
  }
}

/** Removes the container and its anonymous volumes; named volumes and bind mounts stay. */
export async function removeContainer(docker: Dockerode, id: string): Promise<void> {
  try {
    await docker.getContainer(id).remove({ force: true, v: true });
  } catch (err) {
    const code = statusOf(err);
    // 409 "removal already in progress" is as good as done for us.
    if (code !== 404 && code !== 409) throw err;
  }
}

export async function volumeExists(docker: Dockerode, name: string): Promise<boolean> {
  try {
    await docker.getVolume(name).inspect();
    return true;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw err;
  }
}
