// The normalized course spec: what the loader produces from a Compose file and what the
// planner consumes. Every path is absolute, every short syntax has been expanded, every
// `${VAR}` has been interpolated. Nothing here knows about Docker's API shapes.
import type { BackupDecl } from '../backups/backup-spec.js';

/** Where something sits in a spec file, for messages a course team can act on. */
export interface SpecLocation {
  file: string;
  line: number;
  column: number;
  /** Dotted key path, e.g. `services.postgres.ports[0]`. */
  path: string;
}

export interface SpecProblem extends SpecLocation {
  message: string;
}

export type DependsCondition =
  | 'service_started'
  | 'service_healthy'
  | 'service_completed_successfully';

export type PullPolicy = 'always' | 'missing' | 'never' | 'build';

export interface PortSpec {
  /** Port inside the container. */
  target: number;
  /** Preferred host port; undefined means "any free port". */
  published?: number;
  /** Always a loopback address: Coursedock never publishes on other interfaces. */
  hostIp: string;
  protocol: 'tcp' | 'udp';
}

export type MountSpec =
  | { type: 'volume'; source?: string; target: string; readOnly: boolean }
  | { type: 'bind'; source: string; target: string; readOnly: boolean; createHostPath: boolean }
  | { type: 'tmpfs'; target: string };

export interface HealthcheckSpec {
  /** Docker form: ['CMD', ...], ['CMD-SHELL', '...'] or ['NONE']. */
  test: string[];
  intervalMs?: number;
  timeoutMs?: number;
  retries?: number;
  startPeriodMs?: number;
}

export interface BuildSpec {
  /** Absolute path of the build context folder. */
  context: string;
  /** Dockerfile path relative to the context. */
  dockerfile: string;
  args: Record<string, string>;
  target?: string;
}

/** Connection details the panel shows and copies (x-coursedock.services.<name>.connection). */
export interface ConnectionMeta {
  kind: 'postgres' | 'mongodb' | 'http' | 'other';
  /** Port inside the environment (the container port). */
  port: number;
  user?: string;
  password?: string;
  database?: string;
  /** Names of environment variables injected into other services for this connection. */
  envVars?: Record<string, string>;
}

export interface WebUiMeta {
  /** Container port that serves the web UI. */
  port: number;
  /** Path (and query) to open, already interpolated, e.g. `/tree?token=…`. */
  path: string;
  /** Its pages post {coursedock: 'ready'} to the panel once loaded (the panel reloads a silent one). */
  announcesReady?: boolean;
}

export interface ServiceMeta {
  title: string;
  description?: string;
  icon?: string;
  web?: WebUiMeta;
  connection?: ConnectionMeta;
  /** How its student data is backed up (x-coursedock.services.<s>.backup; defaults in engine/backups). */
  backup?: BackupDecl;
}

export interface ServiceSpec {
  name: string;
  /** Image reference; always set (derived as `<project>-<service>` when only build is given). */
  image: string;
  /** True when `image:` was written in the spec (a course team may publish it to a registry). */
  imageDeclared: boolean;
  build?: BuildSpec;
  pullPolicy: PullPolicy;
  command?: string[];
  entrypoint?: string[];
  environment: Record<string, string>;
  ports: PortSpec[];
  mounts: MountSpec[];
  dependsOn: Record<string, DependsCondition>;
  healthcheck?: HealthcheckSpec;
  restart?: 'no' | 'always' | 'on-failure' | 'unless-stopped';
  user?: string;
  workingDir?: string;
  hostname?: string;
  labels: Record<string, string>;
  shmSizeBytes?: number;
  init?: boolean;
  tty?: boolean;
  stdinOpen?: boolean;
  stopGracePeriodMs?: number;
  /** `networks:` of the service (keys of CourseSpec.networks) with their extra aliases; absent = the default network only. */
  networks?: Record<string, ServiceNetwork>;
  /** `deploy.resources` (and the older `cpus`, `mem_limit`, `mem_reservation`). */
  resources?: ResourcesSpec;
  /** `profiles:`; the service is planned only when one of them is active. */
  profiles?: string[];
  meta: ServiceMeta;
  location: SpecLocation;
}

export interface ServiceNetwork {
  /** Names the service is also reachable by on that network (its own name always is). */
  aliases: string[];
}

export interface ResourceAmounts {
  /** CPUs, e.g. 0.5. */
  cpus?: number;
  memoryBytes?: number;
}

export interface ResourcesSpec {
  limits?: ResourceAmounts;
  reservations?: ResourceAmounts;
}

export interface NetworkSpec {
  /** Key in the spec's `networks:` section (`default` for the project's default network). */
  key: string;
  /** Name of the Docker network: `<project>_<key>` unless `name:` or `external:` says otherwise. */
  dockerName: string;
  external: boolean;
  /** No route out of the network (Docker's `--internal`). */
  internal: boolean;
  labels: Record<string, string>;
}

export interface VolumeSpec {
  /** Key in the spec's `volumes:` section. */
  key: string;
  /** Name of the Docker volume: `<project>_<key>` unless `name:` or `external:` says otherwise. */
  dockerName: string;
  external: boolean;
  labels: Record<string, string>;
}

/** A value the engine supplies per install (x-coursedock.variables). */
export interface VariableDecl {
  name: string;
  /**
   * `token`: a random secret generated once per install; `folder`: a host folder the user may
   * change (created if missing); `host-uid`: the numeric user id that owns that folder on Linux
   * (so files written in containers stay the student's); `value`: a plain default.
   */
  kind: 'token' | 'folder' | 'host-uid' | 'value';
  default?: string;
  description?: string;
}

export interface CourseMeta {
  title: string;
  description?: string;
  variables: VariableDecl[];
  /** Volume keys and bind targets that hold student work (never deleted except by reset). */
  studentData: string[];
  /** Course files copied into the student's folder before the first start (x-coursedock.starter-notebooks). */
  starterNotebooks?: StarterNotebooksMeta;
  /** "Check my environment" (x-coursedock.checks), in the spec's order (the loader always sets it). */
  checks?: CheckDecl[];
}

export interface StarterNotebooksMeta {
  /** Absolute path of the folder holding the course's starter files. */
  source: string;
  /** The service whose bind mount receives them (seeded before that service starts). */
  service: string;
  /** Container path of that bind mount; its host folder is the destination. */
  target: string;
}

export type CheckKind = CheckDecl['kind'];

interface CheckBase {
  /** Unique in the spec; defaults to kind-service[-target]. */
  id: string;
  title: string;
  /** One-line fix shown when the check fails (a default per kind otherwise). */
  hint?: string;
}

/** One declared check; `service` is where it runs (docker exec), `user` the user it runs as. */
export type CheckDecl =
  | (CheckBase & { kind: 'python-modules'; service: string; user?: string; modules: string[] })
  | (CheckBase & {
      kind: 'connect';
      service: string;
      user?: string;
      /** Service reached by its name on the environment's network. */
      target: string;
      port: number;
      /** Also log in with the credentials the service was given (its environment). */
      login?: 'postgres' | 'mongodb';
      /** Environment variable (in `service`) holding the connection URL for the login. */
      urlEnv?: string;
    })
  | (CheckBase & {
      kind: 'sql';
      service: string;
      query: string;
      /** The first value of the first row must be a number at least this; else any row passes. */
      atLeast?: number;
      /** Database user and database; default: the service's connection metadata. */
      user?: string;
      database?: string;
    })
  | (CheckBase & { kind: 'writable'; service: string; path: string; user?: string })
  | (CheckBase & { kind: 'disk-space'; minFreeBytes: number; service?: string })
  | (CheckBase & { kind: 'port'; service?: string })
  /** The optional extras the service's image records it could not get (checks/image-extras.ts). */
  | (CheckBase & { kind: 'image-extras'; service: string; user?: string });

export interface CourseSpec {
  file: string;
  dir: string;
  /** Compose project name: lowercase folder name of the spec. */
  project: string;
  meta: CourseMeta;
  services: Record<string, ServiceSpec>;
  volumes: Record<string, VolumeSpec>;
  /**
   * Networks other than the project's default one, declared at the top level or named by a
   * service (present only when the spec has any; `default` here when the spec redefines it).
   */
  networks?: Record<string, NetworkSpec>;
  /** Services left out because none of their profiles is active, with their profiles. */
  inactiveServices?: Record<string, string[]>;
  /** The profiles that were active when the spec was loaded. */
  activeProfiles?: string[];
  /** Valid Compose keys we do not support yet, and other things worth telling the author. */
  warnings: SpecProblem[];
}
