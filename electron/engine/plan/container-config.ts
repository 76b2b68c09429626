// Pure translation of a normalized service into Docker's container-create body. The config hash
// is taken over this body, so anything that changes what Docker runs forces a recreate, and
// anything that does not (titles, icons, connection metadata) does not.
import { createHash } from 'node:crypto';
import type Dockerode from 'dockerode';
import type { CourseSpec, MountSpec, ServiceSpec } from '../spec/types.js';
import { COMPOSE_VERSION_LABEL, LABEL, containerName, networkName } from './labels.js';
import { portKey, type ResolvedPort } from './resolved-port.js';

export type CreateOptions = Dockerode.ContainerCreateOptions;

const msToNs = (ms: number | undefined): number | undefined =>
  ms === undefined ? undefined : ms * 1_000_000;

function toMount(spec: CourseSpec, m: MountSpec): Dockerode.MountSettings {
  switch (m.type) {
    case 'volume': {
      const source = m.source === undefined ? '' : (spec.volumes[m.source]?.dockerName ?? m.source);
      return { Type: 'volume', Source: source, Target: m.target, ReadOnly: m.readOnly };
    }
    case 'bind':
      return { Type: 'bind', Source: m.source, Target: m.target, ReadOnly: m.readOnly };
    case 'tmpfs':
      return { Type: 'tmpfs', Source: '', Target: m.target };
  }
}

/** Deterministic JSON: keys sorted at every level, so equal configs hash equal. */
export function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export const configHash = (body: CreateOptions): string =>
  createHash('sha256').update(stableStringify(body)).digest('hex');

/**
 * The networks a service joins, each with the names it answers to there (its own name and its
 * aliases): the project's default network unless the spec names others. The first is the one the
 * container is created on; docker/containers.ts connects the rest before it starts.
 */
export function serviceEndpoints(spec: CourseSpec, service: ServiceSpec): { mode: string; config: Record<string, { Aliases: string[] }> } {
  const attached = service.networks ?? { default: { aliases: [] } };
  const config: Record<string, { Aliases: string[] }> = {};
  for (const [key, network] of Object.entries(attached)) {
    const name = spec.networks?.[key]?.dockerName ?? (key === 'default' ? networkName(spec.project) : `${spec.project}_${key}`);
    config[name] = { Aliases: [service.name, ...network.aliases.filter((a) => a !== service.name)] };
  }
  const mode = Object.keys(config)[0] ?? networkName(spec.project);
  return { mode, config };
}

/** The create body for one service, with its config-hash label filled in. */
export function containerConfig(
  spec: CourseSpec,
  service: ServiceSpec,
  ports: ResolvedPort[],
): CreateOptions {
  const exposed: Record<string, object> = {};
  const bindings: Record<string, Array<{ HostIp: string; HostPort: string }>> = {};
  for (const p of ports) {
    const key = portKey(p);
    exposed[key] = {};
    (bindings[key] ??= []).push({ HostIp: p.hostIp, HostPort: p.hostPort ? String(p.hostPort) : '' });
  }
  const hc = service.healthcheck;
  const endpoints = serviceEndpoints(spec, service);
  const limits = service.resources?.limits;
  const body: CreateOptions = {
    name: containerName(spec.project, service.name),
    Image: service.image,
    Cmd: service.command,
    Entrypoint: service.entrypoint,
    Env: Object.entries(service.environment)
      .map(([k, v]) => `${k}=${v}`)
      .sort(),
    User: service.user,
    WorkingDir: service.workingDir,
    Hostname: service.hostname,
    Tty: service.tty,
    OpenStdin: service.stdinOpen,
    ExposedPorts: exposed,
    Healthcheck: hc && {
      Test: hc.test,
      Interval: msToNs(hc.intervalMs),
      Timeout: msToNs(hc.timeoutMs),
      Retries: hc.retries,
      StartPeriod: msToNs(hc.startPeriodMs),
    },
    StopTimeout: service.stopGracePeriodMs === undefined ? undefined : Math.ceil(service.stopGracePeriodMs / 1000),
    Labels: {
      ...service.labels,
      [LABEL.project]: spec.project,
      [LABEL.service]: service.name,
      [LABEL.number]: '1',
      [LABEL.oneoff]: 'False',
      [LABEL.version]: COMPOSE_VERSION_LABEL,
      [LABEL.managedBy]: 'coursedock',
    },
    HostConfig: {
      PortBindings: bindings,
      Mounts: service.mounts.map((m) => toMount(spec, m)),
      RestartPolicy: { Name: service.restart ?? 'no' },
      ShmSize: service.shmSizeBytes,
      Init: service.init,
      NetworkMode: endpoints.mode,
      // Absent unless the spec sets them, so the config hash of other services is unchanged.
      NanoCpus: limits?.cpus === undefined ? undefined : Math.round(limits.cpus * 1e9),
      Memory: limits?.memoryBytes,
      MemoryReservation: service.resources?.reservations?.memoryBytes,
    },
    NetworkingConfig: { EndpointsConfig: endpoints.config },
  };
  // Where the spec lives is informative only: moving the course folder must not recreate.
  const hash = configHash(body);
  body.Labels = {
    ...body.Labels,
    [LABEL.workingDir]: spec.dir,
    [LABEL.configFiles]: spec.file,
    [LABEL.configHash]: hash,
  };
  return body;
}
