// Restoring a backup into an environment: the same one or another (a fresh project, another
// computer). Everything is checked before anything is touched — the manifest parses, it is a
// backup of this course, each service it names is in this spec, every file is there with its
// size and sha256 — and a refusal says why and changes nothing. Then per service: folders and
// volumes are written back by a helper container (the service stopped meanwhile), databases
// are restored through their own server (pg_restore, mongorestore). Afterwards the services are
// brought up and must be healthy, and the course's checks about them are run.
import { createReadStream, mkdirSync } from 'node:fs';
import { finished } from 'node:stream/promises';
import path from 'node:path';
import type Dockerode from 'dockerode';
import { ensureVolume } from '../docker/containers.js';
import { runChecks, type CheckReport } from '../checks/index.js';
import type { Environment, OperationResult } from '../environment.js';
import { isStudentFolder } from './backup-spec.js';
import { execChecked, execStreams, helperStreams, pipeProcesses, putFiles, runHelper, type ProcessStreams } from './container-io.js';
import { mongoRestore, pgRestoreDatabase, pgRestoreGlobals, zstdDecompress } from './database-commands.js';
import { ensureHelperImage } from './helper-image.js';
import { serviceOf } from '../spec/service-of.js';
import { BackupRefused, readManifest, verifyFiles, type BackupManifest, type ServiceEntry } from './manifest.js';
import type { BackupProgress } from './take-backup.js';

export interface RestoreOptions {
  services?: string[];
  onProgress?: (p: BackupProgress) => void;
  /** Run the course's checks about the restored services afterwards (default true). */
  checks?: boolean;
}

export interface RestoreResult {
  ok: boolean;
  backup: string;
  services: string[];
  /** The services brought up afterwards (each must be healthy). */
  up: OperationResult;
  checks?: CheckReport;
  /** In words: what was restored, or what is wrong afterwards. */
  message: string;
}

/** Everything a restore checks first; returns the manifest and the service entries to restore. */
export async function checkBackup(dir: string, env: Environment, services?: string[]): Promise<{ manifest: BackupManifest; entries: ServiceEntry[] }> {
  const manifest = readManifest(dir);
  const { spec } = env;
  if (manifest.course !== spec.meta.title) {
    throw new BackupRefused(`This backup is of another course ("${manifest.course}", environment ${manifest.project}), not of ${spec.meta.title}: nothing was restored.`);
  }
  const wanted = services ?? manifest.services.map((s) => s.service);
  const entries: ServiceEntry[] = [];
  for (const name of wanted) {
    const entry = manifest.services.find((s) => s.service === name);
    if (!entry) throw new BackupRefused(`This backup holds no data of "${name}" (it holds ${manifest.services.map((s) => s.service).join(', ')}).`);
    if (!(name in spec.services)) throw new BackupRefused(`This backup holds "${name}", which is not a service of ${spec.meta.title} any more.`);
    entries.push(entry);
  }
  for (const e of entries) {
    for (const item of e.items) {
      // Refused here, before anything is touched, when this environment has no such folder.
      if (item.kind === 'folder') folderFor(env, e.service, item.target);
    }
  }
  await verifyFiles(dir, manifest, wanted);
  return { manifest, entries };
}

/**
 * The host folder this environment mounts at the container path (its own, maybe elsewhere than
 * the backup's); refuses the restore when there is none.
 */
function folderFor(env: Environment, service: string, target: string): string {
  const svc = serviceOf(env.spec, service);
  const m = svc.mounts.find((x) => x.target === target);
  if (!m || !isStudentFolder(m, env.spec.dir)) throw new BackupRefused(`${svc.meta.title} has no folder from this computer at ${target} to restore into.`);
  return m.source;
}

export async function restoreBackup(docker: Dockerode, env: Environment, dir: string, options: RestoreOptions = {}): Promise<RestoreResult> {
  const { manifest, entries } = await checkBackup(dir, env, options.services);
  const progress = (p: Omit<BackupProgress, 'operation' | 'project'>) => options.onProgress?.({ operation: 'restore', project: env.project, ...p });
  const { spec } = env;
  // Files first (their services stopped), then databases through their running servers.
  const fileWork = entries.map((e) => ({ e, files: e.items.filter((i) => i.kind === 'folder' || i.kind === 'volume') })).filter((w) => w.files.length);
  // Had before anything is stopped: a helper image that cannot be had stops nothing.
  const helper = entries.some((e) => e.items.some((i) => i.file.endsWith('.zst'))) ? await ensureHelperImage(docker) : '';
  for (const { e, files } of fileWork) {
    const title = serviceOf(spec, e.service).meta.title;
    const volumes = files.filter((i) => i.kind === 'volume');
    if (volumes.length) {
      progress({ service: e.service, step: `stopping ${title}` });
      const r = await env.stop(e.service);
      if (!r.ok) throw new Error(`Could not stop ${title} to restore its data: ${r.services[0]?.error ?? 'failed'}`);
    }
    for (const item of files) {
      const archive = path.join(dir, item.file);
      if (item.kind === 'folder') {
        const host = folderFor(env, e.service, item.target);
        mkdirSync(host, { recursive: true });
        progress({ service: e.service, step: `restoring the folder ${host}` });
        // Files in the backup replace those of the same name; other files in the folder stay.
        await runHelper(docker, { image: helper, binds: [`${host}:/data`, `${path.dirname(archive)}:/in:ro`], cmd: extractCommand(path.basename(archive), false) });
      } else {
        const volume = volumeFor(env, e.service, item.target) ?? item.volume;
        const key = Object.values(spec.volumes).find((v) => v.dockerName === volume)?.key ?? item.name;
        await ensureVolume(docker, spec.project, volume, key).catch(() => undefined);
        progress({ service: e.service, step: `restoring volume ${volume}` });
        // The volume becomes exactly what was backed up.
        await runHelper(docker, { image: helper, binds: [`${path.dirname(archive)}:/in:ro`], volumes: [`${volume}:/data`], cmd: extractCommand(path.basename(archive), true) });
      }
    }
  }
  for (const e of entries) {
    const db = e.items.filter((i) => i.kind === 'pg-globals' || i.kind === 'pg-database' || i.kind === 'mongo-archive');
    if (!db.length) continue;
    const title = serviceOf(spec, e.service).meta.title;
    progress({ service: e.service, step: `starting ${title}` });
    const up = await env.up([e.service]);
    if (!up.ok) throw new Error(`${title} did not start, so its database could not be restored: ${up.services.find((s) => !s.ok)?.error ?? 'failed'}`);
    const id = env.state(e.service).containerId;
    if (!id) throw new Error(`${title} has no container after starting.`);
    const user = serviceOf(spec, e.service).meta.backup?.user ?? 'postgres';
    for (const item of db) {
      if (item.kind === 'pg-globals') {
        progress({ service: e.service, step: 'restoring roles' });
        await execWithInput(docker, id, pgRestoreGlobals(user), await backupFile(docker, helper, dir, item.file));
      } else if (item.kind === 'pg-database') {
        progress({ service: e.service, step: `restoring database ${item.database}` });
        const { terminate, restore } = pgRestoreDatabase(user, item.database);
        await execChecked(docker, id, terminate);
        await execWithInput(docker, id, restore, await backupFile(docker, helper, dir, item.file));
      } else {
        progress({ service: e.service, step: 'restoring MongoDB' });
        const inside = `/tmp/coursedock-restore-${manifest.id}`;
        await putFiles(docker, id, [{ local: path.join(dir, item.file), name: path.basename(item.file) }], inside);
        try {
          await execChecked(docker, id, mongoRestore(`${inside}/${path.basename(item.file)}`));
        } finally {
          await execChecked(docker, id, ['rm', '-rf', inside]).catch(() => undefined);
        }
      }
    }
  }
  const names = entries.map((e) => e.service);
  progress({ step: 'starting the restored services' });
  const up = await env.up(names);
  let checks: CheckReport | undefined;
  if (options.checks !== false && up.ok) {
    const only = (spec.meta.checks ?? []).filter((c) => 'service' in c && c.service && (names.includes(c.service) || (c.kind === 'connect' && names.includes(c.target)))).map((c) => c.id);
    if (only.length) {
      progress({ step: 'checking the environment' });
      checks = await runChecks(docker, env, { only });
    }
  }
  const ok = up.ok && (checks?.ok ?? true);
  const titles = names.map((n) => serviceOf(spec, n).meta.title).join(', ');
  const failed = checks?.results.filter((r) => r.status === 'fail').map((r) => r.title) ?? [];
  const message = ok
    ? `Restored ${titles} from the backup of ${new Date(manifest.createdAt).toLocaleString()}; ${checks ? `${checks.counts.pass} checks passed` : 'running'}.`
    : !up.ok
      ? `Restored ${titles}, but ${up.services.filter((s) => !s.ok).map((s) => `${spec.services[s.service]?.meta.title ?? s.service}: ${s.error}`).join('; ')}`
      : `Restored ${titles}, but these checks fail: ${failed.join('; ')}.`;
  progress({ step: message, done: true });
  return { ok, backup: manifest.id, services: names, up, ...(checks ? { checks } : {}), message };
}

function volumeFor(env: Environment, service: string, target: string): string | undefined {
  const m = serviceOf(env.spec, service).mounts.find((x) => x.target === target);
  if (!m || m.type !== 'volume' || m.source === undefined) return undefined;
  return env.spec.volumes[m.source]?.dockerName;
}

/**
 * A file of the backup as a stream: a `.zst` one decompressed by a helper container (the
 * database containers have no zstd), any other as it is.
 */
async function backupFile(docker: Dockerode, helperImage: string, dir: string, file: string): Promise<ProcessStreams> {
  const full = path.join(dir, file);
  if (file.endsWith('.zst')) {
    return helperStreams(docker, { image: helperImage, binds: [`${path.dirname(full)}:/in:ro`], cmd: zstdDecompress(path.basename(full)) });
  }
  const stdout = createReadStream(full);
  return {
    stdout,
    stdin: undefined,
    ended: Promise.resolve(),
    abort: () => {
      stdout.destroy();
      return Promise.resolve();
    },
  };
}

/** Runs `cmd` in the container with `input`'s stdout as its stdin; fails in words unless both exit 0. */
async function execWithInput(docker: Dockerode, containerId: string, cmd: string[], input: ProcessStreams): Promise<void> {
  const run = await execStreams(docker, containerId, cmd, { stdin: true }).catch(async (err: unknown) => {
    await input.abort();
    throw err;
  });
  await pipeProcesses([input, run], async (out) => {
    out.resume();
    await finished(out);
  });
}

/** zstd-decompress /in/<file> into /data; `replace` empties /data first. */
export const extractCommand = (file: string, replace: boolean): string[] => [
  'bash',
  '-o',
  'pipefail',
  '-c',
  `${replace ? 'find /data -mindepth 1 -delete && ' : ''}zstd -q -dc /in/${file} | tar --numeric-owner -C /data -xpf -`,
];

