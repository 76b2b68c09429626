// One validated service → ServiceSpec (meta is attached later from x-coursedock).
import fs from 'node:fs';
import type { DependsOn } from './check-dependencies.js';
import { normalizeDependsOn } from './check-dependencies.js';
import { resolveHostPath } from './host-path.js';
import type { HostPathAllowance } from './host-path-guard.js';
import type { Lookup } from './interpolate.js';
import type { KeyPath, Locator } from './locate.js';
import { durationMs, normalizeHealthcheck } from './normalize-healthcheck.js';
import { keyValuesToRecord } from './normalize-key-values.js';
import { normalizePorts } from './normalize-ports.js';
import { normalizeMounts } from './normalize-volumes.js';
import type { Reporter } from './report.js';
import type { ServiceRaw } from './schema.js';
import { splitCommand } from './split-command.js';
import { grantMounts, type FileSource } from './file-grants.js';
import { normalizeServiceNetworks } from './normalize-networks.js';
import type { ProblemSink } from './project-env.js';
import { nullRecord } from './reserved-names.js';
import { readServiceEnvFiles } from './service-env-files.js';
import type { BuildSpec, NetworkSpec, PullPolicy, ResourceAmounts, ResourcesSpec, ServiceSpec } from './types.js';
import { parseSizeBytes } from './units.js';

export interface ServiceContext {
  project: string;
  dir: string;
  home: string;
  volumeKeys: ReadonlySet<string>;
  /** Values for bare `KEY` entries in environment and build args. */
  lookup: Lookup;
  report: Reporter;
  locator: Locator;
  /** This service's `allow-host-paths` (x-coursedock.services.<service>). */
  hostPaths?: HostPathAllowance;
  /** Top-level `secrets:`, `configs:` and `networks:`. */
  secrets?: Record<string, FileSource>;
  configs?: Record<string, FileSource>;
  networks?: Record<string, NetworkSpec>;
  /** Where problems inside env files go (they carry the env file's own line). */
  sink?: ProblemSink;
}

export const SERVICE_NAME = /^[a-zA-Z0-9][a-zA-Z0-9._-]*$/;

export function normalizeService(
  name: string,
  raw: ServiceRaw,
  ctx: ServiceContext,
): { service: ServiceSpec; dependsOn: DependsOn } {
  const path = ['services', name];
  const at = (...rest: (string | number)[]): KeyPath => [...path, ...rest];
  const { report } = ctx;

  if (raw.image === undefined && raw.build === undefined) {
    report.error(path, `service "${name}" needs \`image:\` or \`build:\``);
  }
  const build = raw.build === undefined ? undefined : normalizeBuild(raw.build, at('build'), ctx);
  const dependsOn = normalizeDependsOn(raw.depends_on, at('depends_on'));

  const service: ServiceSpec = {
    name,
    // Built images get a predictable local name, like Compose's `<project>-<service>`.
    image: raw.image ?? `${ctx.project}-${name}`.toLowerCase(),
    imageDeclared: raw.image !== undefined,
    build,
    pullPolicy: pullPolicy(raw.pull_policy, at('pull_policy'), report),
    command: commandLine(raw.command, at('command'), report),
    entrypoint: commandLine(raw.entrypoint, at('entrypoint'), report),
    // env_file first, `environment:` over it (Compose's order).
    environment: Object.assign(
      nullRecord<string>(),
      readServiceEnvFiles(raw.env_file, at('env_file'), ctx.dir, ctx.lookup, report, ctx.sink),
      keyValuesToRecord(raw.environment, at('environment'), report, ctx.lookup),
    ),
    ports: normalizePorts(raw.ports ?? [], at('ports'), report),
    mounts: [
      ...normalizeMounts(raw.volumes ?? [], at('volumes'), ctx),
      ...grantMounts('secrets', raw.secrets, ctx.secrets ?? {}, at('secrets'), ctx),
      ...grantMounts('configs', raw.configs, ctx.configs ?? {}, at('configs'), ctx),
    ],
    dependsOn: dependsOn.conditions,
    healthcheck: raw.healthcheck && normalizeHealthcheck(raw.healthcheck, at('healthcheck'), report),
    restart: restartPolicy(raw.restart, at('restart'), report),
    user: raw.user,
    workingDir: workingDir(raw.working_dir, at('working_dir'), report),
    hostname: raw.hostname,
    labels: keyValuesToRecord(raw.labels, at('labels'), report),
    shmSizeBytes: shmSize(raw.shm_size, at('shm_size'), report),
    init: raw.init,
    tty: raw.tty,
    stdinOpen: raw.stdin_open,
    stopGracePeriodMs: durationMs(raw.stop_grace_period, at('stop_grace_period'), report),
    networks: normalizeServiceNetworks(raw.networks, ctx.networks ?? {}, at('networks'), report),
    resources: resources(raw, at, report),
    profiles: raw.profiles,
    meta: { title: name },
    location: ctx.locator.locate(path),
  };
  if (service.pullPolicy === 'build' && !build) report.error(at('pull_policy'), 'pull_policy `build` needs a `build:` section');
  return { service: withoutUndefined(service), dependsOn };
}

/** `deploy.resources` first, then the older service-level `cpus`, `mem_limit`, `mem_reservation`. */
function resources(raw: ServiceRaw, at: (...rest: (string | number)[]) => KeyPath, report: Reporter): ResourcesSpec | undefined {
  const deploy = raw.deploy?.resources;
  const amounts = (
    cpus: string | number | undefined,
    memory: string | number | undefined,
    cpusAt: KeyPath,
    memoryAt: KeyPath,
  ): ResourceAmounts | undefined => {
    const out: ResourceAmounts = {};
    if (cpus !== undefined) {
      const value = Number(cpus);
      if (!Number.isFinite(value) || value <= 0) report.error(cpusAt, `cpus "${cpus}" must be a positive number (e.g. 0.5)`);
      else out.cpus = value;
    }
    if (memory !== undefined) {
      const bytes = parseSizeBytes(memory);
      if (bytes === undefined) report.error(memoryAt, `invalid size "${memory}" (use e.g. 512m or 2g)`);
      else out.memoryBytes = bytes;
    }
    return out.cpus === undefined && out.memoryBytes === undefined ? undefined : out;
  };
  const limits = amounts(
    deploy?.limits?.cpus ?? raw.cpus,
    deploy?.limits?.memory ?? raw.mem_limit,
    deploy?.limits?.cpus !== undefined ? at('deploy', 'resources', 'limits', 'cpus') : at('cpus'),
    deploy?.limits?.memory !== undefined ? at('deploy', 'resources', 'limits', 'memory') : at('mem_limit'),
  );
  const reservations = amounts(
    deploy?.reservations?.cpus,
    deploy?.reservations?.memory ?? raw.mem_reservation,
    at('deploy', 'resources', 'reservations', 'cpus'),
    deploy?.reservations?.memory !== undefined ? at('deploy', 'resources', 'reservations', 'memory') : at('mem_reservation'),
  );
  if (!limits && !reservations) return undefined;
  return { ...(limits ? { limits } : {}), ...(reservations ? { reservations } : {}) };
}

function normalizeBuild(raw: NonNullable<ServiceRaw['build']>, path: KeyPath, ctx: ServiceContext): BuildSpec | undefined {
  const long = typeof raw === 'string' ? { context: raw } : raw;
  const contextText = long.context ?? '.';
  const contextPath = typeof raw !== 'string' && raw.context !== undefined ? [...path, 'context'] : path;
  const spec: BuildSpec = {
    context: '',
    dockerfile: long.dockerfile ?? 'Dockerfile',
    args: keyValuesToRecord(typeof raw === 'string' ? undefined : raw.args, [...path, 'args'], ctx.report, ctx.lookup),
  };
  if (typeof raw !== 'string' && raw.target !== undefined) spec.target = raw.target;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(contextText) || contextText.startsWith('git@')) {
    ctx.report.error(contextPath, `remote build contexts ("${contextText}") are not supported; use a folder next to the spec`);
    return undefined;
  }
  const context = resolveHostPath(contextText, ctx.dir, ctx.home);
  if (context === undefined || !isDirectory(context)) {
    ctx.report.error(contextPath, `build context "${contextText}" is not a folder (looked for ${context ?? contextText})`);
    return undefined;
  }
  spec.context = context;
  return spec;
}

function isDirectory(folder: string): boolean {
  try {
    return fs.statSync(folder).isDirectory();
  } catch {
    return false;
  }
}

function pullPolicy(text: string | undefined, path: KeyPath, report: Reporter): PullPolicy {
  switch (text) {
    case undefined:
    case 'missing':
    case 'if_not_present':
      return 'missing';
    case 'always':
    case 'never':
    case 'build':
      return text;
  }
  if (text === 'daily' || text === 'weekly' || text.startsWith('every_')) {
    report.warn(path, `pull_policy \`${text}\` is not supported by Coursedock; using \`missing\``);
    return 'missing';
  }
  report.error(path, `unknown pull_policy "${text}" (use always, missing, never or build)`);
  return 'missing';
}

function commandLine(raw: ServiceRaw['command'], path: KeyPath, report: Reporter): string[] | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (Array.isArray(raw)) return raw;
  const split = splitCommand(raw);
  if (split.ok) return split.words;
  report.error(path, split.message);
  return undefined;
}

function restartPolicy(text: string | undefined, path: KeyPath, report: Reporter): ServiceSpec['restart'] {
  if (text === undefined) return undefined;
  if (text === 'no' || text === 'always' || text === 'on-failure' || text === 'unless-stopped') return text;
  if (/^on-failure:\d+$/.test(text)) {
    report.warn(path, 'the maximum retry count of `on-failure` is not supported and is ignored');
    return 'on-failure';
  }
  report.error(path, `unknown restart policy "${text}" (use no, always, on-failure or unless-stopped)`);
  return undefined;
}

function workingDir(text: string | undefined, path: KeyPath, report: Reporter): string | undefined {
  if (text !== undefined && !text.startsWith('/')) report.error(path, `working_dir "${text}" must be an absolute path`);
  return text;
}

function shmSize(raw: string | number | undefined, path: KeyPath, report: Reporter): number | undefined {
  if (raw === undefined) return undefined;
  const bytes = parseSizeBytes(raw);
  if (bytes === undefined) report.error(path, `invalid size "${raw}" (use e.g. 64m or 1g)`);
  return bytes;
}

/** Optional fields that were not written are left out rather than set to undefined. */
function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
