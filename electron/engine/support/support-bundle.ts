// "Save support bundle": one .tar.gz a student sends to a tutor or the help desk, with what they
// need to see what is wrong, and no password or token (mask.ts; tested by extracting a bundle
// and searching every file for the known secrets).
//
// coursedock-support-<project>-<time>/
//   README.txt               what is in here
//   versions.json            Coursedock, Node/Electron, this computer, Docker (version, info)
//   environment.json         the course, its variables (the token masked), the notebooks folder,
//                            the starter notebooks' marker, the spec's warnings
//   spec/compose.yml         the spec as written, secrets masked
//   spec/resolved.json       the spec as this install loaded it (interpolated), secrets masked
//   services/<name>/state.json   Coursedock's state and Docker's view of the container
//   services/<name>/logs.txt     the last N lines of its output
//   checks.json, checks.txt  the results of "Check my environment"
//   settings.json            this install's settings, secrets masked
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, mkdirSync, createWriteStream } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { createGzip } from 'node:zlib';
import type Dockerode from 'dockerode';
import { pack } from 'tar-fs';
import { formatCheckReport, runChecks, type CheckReport } from '../checks/index.js';
import { readSeedMarker, starterFolder } from '../content/starter-notebooks.js';
import { describeError } from '../describe-error.js';
import type { Environment } from '../environment.js';
import { dataDir, type SettingsStore } from '../settings/settings-store.js';
import { Masker, secretsOf, SECRET_KEY } from './mask.js';

export interface SupportBundleOptions {
  /** Where to write the archive; default <data dir>/support/coursedock-support-<project>-<time>.tar.gz. */
  out?: string;
  /** Log lines per service (default 500). */
  logLines?: number;
  /** Results to include; default: the checks are run now. `false`: none. */
  checks?: CheckReport | false;
  now?: Date;
}

export interface SupportBundle {
  file: string;
  /** Paths inside the archive, in order. */
  entries: string[];
  bytes: number;
}

const DEFAULT_LOG_LINES = 500;

export function defaultBundlePath(project: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').replace(/\..*$/, '');
  return path.join(dataDir(), 'support', `coursedock-support-${project}-${stamp}.tar.gz`);
}

/** The app's name and version from its package.json (the repository's, or the packaged app's). */
export function appInfo(): { name: string; version: string } {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const file = path.join(dir, 'package.json');
    if (existsSync(file)) {
      try {
        const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
        if (pkg.name === 'coursedock' && pkg.version) return { name: pkg.name, version: pkg.version };
      } catch {
        // keep looking
      }
    }
    dir = path.dirname(dir);
  }
  return { name: 'coursedock', version: 'unknown' };
}

export async function writeSupportBundle(
  docker: Dockerode,
  env: Environment,
  store: SettingsStore,
  options: SupportBundleOptions = {},
): Promise<SupportBundle> {
  const now = options.now ?? new Date();
  const out = path.resolve(options.out ?? defaultBundlePath(env.project, now));
  const settings = readSettings(store);
  const variables = Object.fromEntries(env.spec.meta.variables.map((v) => [v.name, env.variable(v.name)]));
  const masker = new Masker(secretsOf(env.spec, variables, secretStrings(settings)));
  const files: Array<[string, string]> = [];
  const add = (name: string, content: string) => files.push([name, masker.text(content)]);
  const addJson = (name: string, value: unknown) => add(name, `${JSON.stringify(masker.value(value), null, 2)}\n`);

  await env.init();
  const checks = options.checks === false ? undefined : (options.checks ?? (await runChecks(docker, env, { timeoutMs: 30_000 }).catch((err: unknown) => describeError(err))));

  add('README.txt', readme(env, now, options.logLines ?? DEFAULT_LOG_LINES));
  addJson('versions.json', await versions(docker));
  addJson('environment.json', environmentInfo(env, variables));
  add('spec/compose.yml', masker.yaml(readFileSync(env.spec.file, 'utf8')));
  addJson('spec/resolved.json', env.spec);
  for (const service of Object.keys(env.spec.services)) {
    addJson(`services/${service}/state.json`, { coursedock: env.state(service), docker: await containerView(docker, env, service) });
    add(`services/${service}/logs.txt`, await lastLogs(env, service, options.logLines ?? DEFAULT_LOG_LINES));
  }
  if (checks !== undefined) {
    if (typeof checks === 'string') add('checks.txt', `The checks could not run: ${checks}\n`);
    else {
      addJson('checks.json', checks);
      add('checks.txt', `${formatCheckReport(checks)}\n`);
    }
  }
  addJson('settings.json', { file: path.join(dataDir(), 'settings.json'), ...settings });

  const top = path.basename(out).replace(/\.tar\.gz$|\.tgz$/, '');
  const staging = mkdtempSync(path.join(os.tmpdir(), 'coursedock-bundle-'));
  try {
    for (const [name, content] of files) {
      const file = path.join(staging, top, ...name.split('/'));
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, content, { mode: 0o600 });
    }
    mkdirSync(path.dirname(out), { recursive: true });
    const entries = files.map(([name]) => `${top}/${name}`);
    await pipeline(
      pack(staging, { entries: [top], map: (h) => ({ ...h, uid: 0, gid: 0, uname: '', gname: '' }) }),
      createGzip(),
      createWriteStream(out, { mode: 0o600 }),
    );
    return { file: out, entries, bytes: statSync(out).size };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

// ---- parts --------------------------------------------------------------------------------

function readme(env: Environment, now: Date, logLines: number): string {
  return [
    `Coursedock support bundle: ${env.spec.meta.title} (environment ${env.project})`,
    `Made ${now.toISOString()} on ${os.platform()} ${os.release()} (${os.arch()}).`,
    '',
    'Passwords and tokens are replaced by *** everywhere in this bundle.',
    '',
    'versions.json              Coursedock, Node/Electron, this computer, Docker engine and OS',
    'environment.json           the course, its variables, the notebooks folder, starter notebooks',
    'spec/compose.yml           the course spec as written',
    'spec/resolved.json         the spec as this install loaded it (variables filled in)',
    `services/<name>/state.json the state of each service, and Docker's view of its container`,
    `services/<name>/logs.txt   the last ${logLines} lines each service printed`,
    'checks.json, checks.txt    the results of "Check my environment"',
    'settings.json              this install\'s settings',
    '',
  ].join('\n');
}

async function versions(docker: Dockerode): Promise<unknown> {
  const app = appInfo();
  const out: Record<string, unknown> = {
    coursedock: app.version,
    node: process.versions.node,
    electron: (process.versions as { electron?: string }).electron ?? null,
    host: { platform: os.platform(), release: os.release(), arch: os.arch(), cpus: os.cpus().length, memoryBytes: os.totalmem() },
  };
  try {
    const v = (await docker.version()) as unknown as Record<string, unknown>;
    out.dockerVersion = pick(v, ['Version', 'ApiVersion', 'MinAPIVersion', 'Os', 'Arch', 'KernelVersion', 'GoVersion', 'GitCommit', 'BuildTime']);
    out.dockerPlatform = (v.Platform as { Name?: string } | undefined)?.Name;
  } catch (err) {
    out.dockerVersion = `unavailable: ${describeError(err)}`;
  }
  try {
    const info = (await docker.info()) as Record<string, unknown>;
    out.dockerInfo = pick(info, [
      'ServerVersion', 'OperatingSystem', 'OSType', 'OSVersion', 'KernelVersion', 'Architecture', 'NCPU', 'MemTotal',
      'Driver', 'DockerRootDir', 'Containers', 'ContainersRunning', 'ContainersStopped', 'Images', 'CgroupDriver',
      'CgroupVersion', 'SecurityOptions', 'Warnings', 'HttpProxy', 'HttpsProxy', 'NoProxy', 'LoggingDriver',
    ]);
  } catch (err) {
    out.dockerInfo = `unavailable: ${describeError(err)}`;
  }
  return out;
}

function environmentInfo(env: Environment, variables: Record<string, string | undefined>): unknown {
  const { spec } = env;
  const folder = starterFolder(spec);
  let notebooks: unknown;
  if (folder) {
    let listing: Array<{ name: string; bytes?: number; folder?: true }> | string;
    try {
      listing = readdirSync(folder, { withFileTypes: true })
        .filter((d) => !d.name.startsWith('.'))
        .slice(0, 200)
        .map((d) => (d.isDirectory() ? { name: d.name, folder: true as const } : { name: d.name, bytes: statSync(path.join(folder, d.name)).size }));
    } catch (err) {
      listing = `cannot be read: ${describeError(err)}`;
    }
    notebooks = { folder, exists: existsSync(folder), contents: listing, starterMarker: readSeedMarker(folder) ?? null };
  }
  return {
    project: spec.project,
    title: spec.meta.title,
    file: spec.file,
    variables: spec.meta.variables.map((v) => ({ name: v.name, kind: v.kind, value: v.kind === 'token' ? '***' : variables[v.name] })),
    services: Object.values(spec.services).map((s) => ({ name: s.name, title: s.meta.title, image: s.image, build: s.build?.context ?? null })),
    ...(notebooks ? { notebooks } : {}),
    warnings: spec.warnings,
  };
}

/** Docker's view of a service's container, without what is noise or secret by nature. */
async function containerView(docker: Dockerode, env: Environment, service: string): Promise<unknown> {
  const id = env.state(service).containerId;
  if (!id) return null;
  try {
    const c = await docker.getContainer(id).inspect();
    return {
      Id: c.Id,
      Name: c.Name,
      Created: c.Created,
      Image: c.Image,
      ConfigImage: c.Config.Image,
      State: c.State,
      RestartCount: c.RestartCount,
      Env: c.Config.Env,
      Cmd: c.Config.Cmd,
      Entrypoint: c.Config.Entrypoint,
      User: c.Config.User,
      Labels: c.Config.Labels,
      Mounts: c.Mounts,
      Ports: c.NetworkSettings.Ports,
      Networks: Object.keys(c.NetworkSettings.Networks),
    };
  } catch (err) {
    return `cannot be inspected: ${describeError(err)}`;
  }
}

async function lastLogs(env: Environment, service: string, tail: number): Promise<string> {
  const lines: string[] = [];
  try {
    const handle = await env.logs(service, { tail, follow: false }, (l) => lines.push(l.stream === 'stderr' ? `[err] ${l.text}` : l.text));
    await handle.done;
  } catch (err) {
    return `(no logs: ${describeError(err)})\n`;
  }
  return lines.length ? `${lines.join('\n')}\n` : '(no output)\n';
}

/** What this install remembers (the keys the engine and the shells use). */
function readSettings(store: SettingsStore): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of ['dockerEndpoint', 'environments', 'desktop']) {
    const value = store.get(key);
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/** Strings stored under secret-sounding keys anywhere in the settings. */
function secretStrings(value: unknown, key = ''): string[] {
  if (typeof value === 'string') return SECRET_KEY.test(key) ? [value] : [];
  if (Array.isArray(value)) return value.flatMap((v) => secretStrings(v, key));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => secretStrings(v, k));
  return [];
}

function pick(obj: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => obj[k] !== undefined).map((k) => [k, obj[k]]));
}
