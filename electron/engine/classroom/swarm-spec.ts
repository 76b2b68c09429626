// Pure translation of one course service, for one student, into a Docker Swarm service spec
// (the body of dockerode's `createService` / `service.update`). Decided here, without Docker,
// so it is unit-tested; classroom.ts only sends it. What a student's stack gets:
// - the student's own variables (already in the loaded spec's environment),
// - their own volumes (`<ns>_<key>`; a folder variable's bind mount becomes a volume),
// - their own attachable overlay network, on which each service is known by its spec name
//   (`postgres`, resolved to the task's address: DNS round-robin, no virtual IP), so the
//   course's URLs work unchanged and no other student's network is joined,
// - no published port: students reach their web UIs through the front door only,
// - limits and reservations from `deploy.resources`, or defaults by the service's role,
// - a placement constraint on the node holding their volumes, once known,
// - 1 replica when started, 0 when stopped (volumes kept).
import type Dockerode from 'dockerode';
import type { CourseSpec, MountSpec, ResourceAmounts, ServiceSpec } from '../spec/types.js';
import {
  CLASSROOM_LABEL,
  studentLabels,
  studentNetworkName,
  studentVolumeName,
  swarmServiceName,
} from './names.js';

export type SwarmServiceSpec = Dockerode.CreateServiceOptions;

export interface Resources {
  nanoCpus?: number;
  memoryBytes?: number;
}

export interface ResourceRequirements {
  limits: Resources;
  reservations: Resources;
}

export type ServiceRole = 'notebook' | 'database' | 'other';

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;
const cpus = (n: number): number => Math.round(n * 1e9);

/**
 * Defaults when the spec says nothing. Limits keep one student's runaway cell or query from
 * taking the machine (a notebook may use one core and 2 GiB; pandas needs room). Reservations
 * are what Swarm counts when placing: small, so 20 stacks fit a 2-core / 24 GB node (20 × 0.04
 * cores, 20 × 384 MiB), yet a node that truly cannot hold another stack is refused by Swarm
 * ("insufficient resources") instead of swapping.
 */
export const DEFAULT_RESOURCES: Record<ServiceRole, ResourceRequirements> = {
  notebook: { limits: { nanoCpus: cpus(1), memoryBytes: 2 * GiB }, reservations: { nanoCpus: cpus(0.02), memoryBytes: 256 * MiB } },
  database: { limits: { nanoCpus: cpus(1), memoryBytes: 1 * GiB }, reservations: { nanoCpus: cpus(0.02), memoryBytes: 128 * MiB } },
  other: { limits: { nanoCpus: cpus(1), memoryBytes: 512 * MiB }, reservations: {} },
};

/** A notebook serves a web UI; a database has a database connection; the rest is other. */
export function serviceRole(service: ServiceSpec): ServiceRole {
  const kind = service.meta.connection?.kind;
  if (kind === 'postgres' || kind === 'mongodb') return 'database';
  if (service.meta.web) return 'notebook';
  return 'other';
}

/** What the spec declares (`deploy.resources`, as the loader reads it) over the role's defaults, field by field. */
export function resourceRequirements(service: ServiceSpec): ResourceRequirements {
  const base = DEFAULT_RESOURCES[serviceRole(service)];
  const pick = (declared: ResourceAmounts | undefined, fallback: Resources): Resources => ({
    nanoCpus: declared?.cpus !== undefined && declared.cpus > 0 ? cpus(declared.cpus) : fallback.nanoCpus,
    memoryBytes: declared?.memoryBytes ?? fallback.memoryBytes,
  });
  return {
    limits: pick(service.resources?.limits, base.limits),
    reservations: pick(service.resources?.reservations, base.reservations),
  };
}

export interface StudentServiceInput {
  course: string;
  studentId: string;
  /** The course spec loaded with this student's variables. */
  spec: CourseSpec;
  service: ServiceSpec;
  /** Bind-mount source → volume key, for folder variables (see variables.ts). */
  folderVolumes: Record<string, string>;
  replicas: 0 | 1;
  /** The node holding this service's volumes, once Swarm has placed it there. */
  nodeId?: string;
  /** Bumped to make Swarm replace the task (reinstall) without other changes. */
  forceUpdate?: number;
}

/** One of the student's volumes a service uses: key in the spec (or folder variable) and name. */
export interface StudentVolume {
  key: string;
  name: string;
  target: string;
}

/** The student volumes a service mounts: named volumes and folder variables turned volumes. */
export function studentVolumesOf(input: Pick<StudentServiceInput, 'course' | 'studentId' | 'spec' | 'service' | 'folderVolumes'>): StudentVolume[] {
  const out: StudentVolume[] = [];
  for (const m of input.service.mounts) {
    const key = volumeKeyOf(input, m);
    if (key !== undefined) out.push({ key, name: studentVolumeName(input.course, input.studentId, key), target: m.target });
  }
  return out;
}

function volumeKeyOf(input: Pick<StudentServiceInput, 'spec' | 'folderVolumes'>, m: MountSpec): string | undefined {
  if (m.type === 'volume' && m.source !== undefined) {
    // An external volume is the course's, shared as the spec says: not per student.
    return input.spec.volumes[m.source]?.external ? undefined : m.source;
  }
  if (m.type === 'bind') return input.folderVolumes[m.source];
  return undefined;
}

function toMount(input: StudentServiceInput, m: MountSpec): Dockerode.MountSettings {
  const key = volumeKeyOf(input, m);
  if (key !== undefined) {
    return {
      Type: 'volume',
      Source: studentVolumeName(input.course, input.studentId, key),
      Target: m.target,
      ReadOnly: m.type !== 'tmpfs' && m.readOnly,
      // Labels apply when Swarm creates the volume on the node it places the task on.
      VolumeOptions: {
        NoCopy: false,
        Labels: { ...studentLabels(input.course, input.studentId), [CLASSROOM_LABEL.volume]: key, [CLASSROOM_LABEL.service]: input.service.name },
        DriverConfig: { Name: 'local', Options: {} },
      },
    };
  }
  switch (m.type) {
    case 'volume': {
      const external = m.source === undefined ? '' : (input.spec.volumes[m.source]?.dockerName ?? m.source);
      return { Type: 'volume', Source: external, Target: m.target, ReadOnly: m.readOnly };
    }
    // Course files (read-only config, init scripts): on a multi-node Swarm the course folder must
    // be at the same path on every node (see docs/classroom.md).
    case 'bind':
      return { Type: 'bind', Source: m.source, Target: m.target, ReadOnly: m.readOnly };
    case 'tmpfs':
      return { Type: 'tmpfs', Source: '', Target: m.target };
  }
}

function aliasesOf(service: ServiceSpec): string[] {
  const extra = Object.values(service.networks ?? {}).flatMap((n) => n.aliases);
  return [...new Set([service.name, ...extra])];
}

const msToNs = (ms: number | undefined): number | undefined => (ms === undefined ? undefined : ms * 1_000_000);

/**
 * The longest health-check interval a classroom service gets. A course's spec keeps its checks
 * rare (tm351: every 30 s) to save a student's laptop battery, but Swarm counts a task ready,
 * and puts it in DNS, only after its first passing check, and Docker 20.10 (API 1.41) has no
 * `start_interval`: with 30 s every start slot was held ≥ 30 s, so 20 students 6 at a time took
 * 4 × 30 s+ (warm start 144 s against a 60 s goal). Classroom stacks run on a server, so the
 * interval is capped for the task's whole life. Idle cost: students × checked services / 5 s
 * execs per second (20 tm351 students: 40 / 5 = 8 cheap bash checks a second on the node).
 */
export const CLASSROOM_MAX_HEALTH_INTERVAL_MS = 5_000;

/** The spec's healthcheck with its interval capped (Docker's default, 30 s, counts as long). */
function swarmHealthCheck(hc: ServiceSpec['healthcheck']): Dockerode.HealthConfig | undefined {
  if (!hc) return undefined;
  const disabled = hc.test[0] === 'NONE';
  const interval = disabled ? hc.intervalMs : Math.min(hc.intervalMs ?? 30_000, CLASSROOM_MAX_HEALTH_INTERVAL_MS);
  return {
    Test: hc.test,
    Interval: msToNs(interval),
    Timeout: msToNs(hc.timeoutMs),
    Retries: hc.retries,
    StartPeriod: msToNs(hc.startPeriodMs),
  };
}

/** The Swarm service spec of one course service for one student. */
export function swarmServiceSpec(input: StudentServiceInput): SwarmServiceSpec {
  const { course, studentId, service } = input;
  const hc = service.healthcheck;
  const res = resourceRequirements(service);
  const labels = studentLabels(course, studentId);
  const network = studentNetworkName(course, studentId);
  return {
    Name: swarmServiceName(course, studentId, service.name),
    Labels: { ...labels, [CLASSROOM_LABEL.service]: service.name, 'com.docker.stack.image': service.image },
    TaskTemplate: {
      ContainerSpec: {
        Image: service.image,
        Labels: { ...service.labels, ...labels, [CLASSROOM_LABEL.service]: service.name },
        // Compose's entrypoint is Swarm's Command, Compose's command is Swarm's Args.
        Command: service.entrypoint,
        Args: service.command,
        Env: Object.entries(service.environment)
          .map(([k, v]) => `${k}=${v}`)
          .sort(),
        User: service.user,
        Dir: service.workingDir,
        Hostname: service.hostname,
        TTY: service.tty,
        OpenStdin: service.stdinOpen,
        Init: service.init,
        Mounts: service.mounts.map((m) => toMount(input, m)),
        StopGracePeriod: msToNs(service.stopGracePeriodMs),
        HealthCheck: swarmHealthCheck(hc),
      },
      Resources: {
        Limits: { NanoCPUs: res.limits.nanoCpus, MemoryBytes: res.limits.memoryBytes },
        Reservations: { NanoCPUs: res.reservations.nanoCpus, MemoryBytes: res.reservations.memoryBytes },
      },
      // Always brought back (a crash, a dockerd restart, a node reboot); stopping is 0 replicas.
      RestartPolicy: { Condition: 'any', Delay: 5_000_000_000 },
      Placement: input.nodeId ? { Constraints: [`node.id==${input.nodeId}`] } : {},
      // One network per student: the service's extra aliases on any of its spec networks join it there.
      Networks: [{ Target: network, Aliases: aliasesOf(service) }],
      ForceUpdate: input.forceUpdate ?? 0,
    },
    Mode: { Replicated: { Replicas: input.replicas } },
    // One task at a time, the old one stopped first: two PostgreSQL servers must never share
    // a data volume.
    UpdateConfig: { Parallelism: 1, Order: 'stop-first', FailureAction: 'pause' },
    // DNS round-robin: the service name resolves to its task's address. A student's service has
    // one task, so a virtual IP balances nothing, and it needs the kernel's IPVS, which not
    // every node has (these machines' kernels do not: a VIP answers "no route to host").
    EndpointSpec: { Mode: 'dnsrr', Ports: [] },
  };
}

/** The body of the student's network: an attachable overlay, so the front door can join it. */
export function studentNetworkSpec(course: string, studentId: string): Dockerode.NetworkCreateOptions {
  return {
    Name: studentNetworkName(course, studentId),
    Driver: 'overlay',
    Attachable: true,
    CheckDuplicate: true,
    Labels: { ...studentLabels(course, studentId), 'com.docker.stack.network': 'default' },
  };
}

