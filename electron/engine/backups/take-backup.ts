// Taking a backup of some (default: every) service of an environment into a new folder of the
// backups folder. A running database is dumped by its own tool, without a stop (pg_dump reads
// one consistent snapshot of each database), through a pipe on its volume (volume-pipe.ts) or
// else streamed out through Docker exec; a database that is not running
// is copied as its volume (consistent, since nothing writes it). Student folders and other
// volumes are tar'd and compressed with zstd by a short-lived helper container; a service whose
// spec asks for it is stopped for that copy and started again, and that is said.
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type Dockerode from 'dockerode';
import { listProjectContainers } from '../docker/containers.js';
import type { Environment } from '../environment.js';
import type { SettingsStore } from '../settings/settings-store.js';
import { databaseVolumes, planServiceBackup, type BackupItem } from './backup-spec.js';
import { execChecked, execStreams, execToFile, helperStreams, pipeProcesses, runHelper, writeHashed, type WrittenFile } from './container-io.js';
import { dumpThroughVolume } from './volume-pipe.js';
import { ZSTD_COMPRESS, ZSTD_THREADS, mongoDump, pgDumpDatabase, pgDumpGlobals, pgListDatabases } from './database-commands.js';
import { ensureHelperImage } from './helper-image.js';
import { serviceOf } from '../spec/service-of.js';
import { BACKUP_FORMAT, MANIFEST_FILE, sha256File, type BackupManifest, type BackupReason, type ManifestItem, type ServiceEntry } from './manifest.js';
import { backupsRoot, newBackupId, summarize, type BackupSummary } from './store.js';
import { statSync } from 'node:fs';

export interface BackupProgress {
  operation: 'backup' | 'restore';
  project: string;
  service?: string;
  /** In words: "dumping database testdb", "copying the notebooks folder". */
  step: string;
  bytes?: number;
  done?: boolean;
}

export interface TakeBackupOptions {
  services?: string[];
  reason?: BackupReason;
  /** Default: the backups folder from settings. */
  root?: string;
  now?: number;
  onProgress?: (p: BackupProgress) => void;
  /** Told before a service is stopped for its copy (and after it is started again). */
  say?: (message: string, service: string) => void;
}

const RUNNING = new Set(['running', 'restarting']);

/** The service's container, if any, and whether it runs. */
async function containerOf(docker: Dockerode, project: string, service: string): Promise<{ id: string; running: boolean; imageId: string } | undefined> {
  const c = (await listProjectContainers(docker, project)).find((x) => x.service === service && !x.oneoff);
  return c ? { id: c.id, running: RUNNING.has(c.state), imageId: c.imageId } : undefined;
}

async function volumeExists(docker: Dockerode, name: string): Promise<boolean> {
  try {
    await docker.getVolume(name).inspect();
    return true;
  } catch {
    return false;
  }
}

const owner = (): string =>
  typeof process.getuid === 'function' && typeof process.getgid === 'function' ? `${process.getuid()}:${process.getgid()}` : '0:0';

/** tar of /data compressed with zstd into /out/<file>, owned by the user running Coursedock. */
export const tarZstdCommand = (file: string): string[] => [
  'bash',
  '-o',
  'pipefail',
  '-c',
  `tar --numeric-owner -C /data -cf - . | zstd -q ${ZSTD_THREADS} -3 -o /out/${file} && chown ${owner()} /out/${file}`,
];

/** A dump streamed out through exec into zstd in a helper container and on into `file`. */
async function dumpStreamed(docker: Dockerode, containerId: string, image: string, cmd: string[], file: string, onBytes: (n: number) => void): Promise<WrittenFile> {
  const zstd = await helperStreams(docker, { image, binds: [], cmd: ZSTD_COMPRESS, stdin: true });
  const dump = await execStreams(docker, containerId, cmd).catch(async (err: unknown) => {
    await zstd.abort();
    throw err;
  });
  return pipeProcesses([dump, zstd], (out) => writeHashed(out, file, onBytes));
}

export async function takeBackup(docker: Dockerode, env: Environment, store: SettingsStore, options: TakeBackupOptions = {}): Promise<BackupSummary> {
  const { spec } = env;
  const names = options.services ?? Object.keys(spec.services);
  for (const s of names) if (!(s in spec.services)) throw new Error(`There is no service "${s}" in ${spec.meta.title}.`);
  const now = options.now ?? Date.now();
  const reason = options.reason ?? 'manual';
  const root = options.root ?? backupsRoot(store);
  const [first] = names;
  const scope = names.length === 1 && first !== undefined ? first : 'all';
  const id = newBackupId(now, scope);
  const final = path.join(root, spec.project, id);
  const partial = path.join(root, spec.project, `.partial-${id}`);
  mkdirSync(partial, { recursive: true });
  const progress = (p: Omit<BackupProgress, 'operation' | 'project'>) => options.onProgress?.({ operation: 'backup', project: spec.project, ...p });
  try {
    const entries: ServiceEntry[] = [];
    for (const name of names) {
      const entry = await backupService(docker, env, name, partial, progress, options.say);
      if (entry) entries.push(entry);
    }
    if (!entries.length) throw new Error(`Nothing to back up in ${names.map((n) => serviceOf(spec, n).meta.title).join(', ')}: no data there yet.`);
    const manifest: BackupManifest = {
      format: BACKUP_FORMAT,
      version: 1,
      id,
      course: spec.meta.title,
      project: spec.project,
      createdAt: new Date(now).toISOString(),
      reason,
      automatic: reason !== 'manual',
      services: entries,
      totalBytes: entries.reduce((n, e) => n + e.items.reduce((m, i) => m + i.bytes, 0), 0),
    };
    writeFileSync(path.join(partial, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
    renameSync(partial, final);
    progress({ step: 'backup complete', bytes: manifest.totalBytes, done: true });
    return summarize(final, manifest);
  } catch (err) {
    rmSync(partial, { recursive: true, force: true });
    throw err;
  }
}

async function backupService(
  docker: Dockerode,
  env: Environment,
  name: string,
  dir: string,
  progress: (p: Omit<BackupProgress, 'operation' | 'project'>) => void,
  say: TakeBackupOptions['say'],
): Promise<ServiceEntry | undefined> {
  const { spec } = env;
  const svc = serviceOf(spec, name);
  const plan = planServiceBackup(svc, spec.volumes, spec.dir);
  if (plan.method === 'none' || !plan.items.length) return undefined;
  const container = await containerOf(docker, spec.project, name);
  const imageId = container?.imageId ?? (await docker.getImage(svc.image).inspect().then((i) => i.Id, () => ''));
  const items: ManifestItem[] = [];
  let stopped = !container?.running;
  const sub = path.join(dir, name);
  mkdirSync(sub, { recursive: true });
  const rel = (f: string) => `${name}/${f}`;
  const fileItem = async (file: string) => {
    const full = path.join(dir, file);
    return { file, bytes: statSync(full).size, sha256: await sha256File(full) };
  };
  const copyWithHelper = async (label: string, mount: string, file: string) => {
    progress({ service: name, step: `copying ${label}` });
    const image = await ensureHelperImage(docker);
    await runHelper(docker, { image, binds: [`${mount}:/data:ro`, `${sub}:/out`], cmd: tarZstdCommand(file) });
    return fileItem(rel(file));
  };
  const copyVolume = async (v: { name: string; volume: string; target: string }) => {
    if (!(await volumeExists(docker, v.volume))) return;
    const file = `volume-${v.name}.tar.zst`;
    items.push({ kind: 'volume', name: v.name, volume: v.volume, target: v.target, ...(await copyWithHelper(`volume ${v.volume}`, v.volume, file)) });
  };

  const databaseItem = plan.items.find((i): i is Extract<BackupItem, { kind: 'postgres' | 'mongodb' }> => i.kind === 'postgres' || i.kind === 'mongodb');
  if (databaseItem && container?.running) {
    if (databaseItem.kind === 'postgres') {
      const user = databaseItem.user;
      const listed = (await execChecked(docker, container.id, pgListDatabases(user))).stdout.split('\n').map((l) => l.trim()).filter(Boolean);
      const databases = databaseItem.databases ?? listed;
      const [dataVolume] = databaseVolumes(svc, spec.volumes);
      progress({ service: name, step: 'dumping roles' });
      const g = await execToFile(docker, container.id, pgDumpGlobals(user), path.join(sub, 'globals.sql'));
      items.push({ kind: 'pg-globals', file: rel('globals.sql'), ...g });
      for (const db of databases) {
        const file = `db-${db.replace(/[^A-Za-z0-9_.-]/g, '_')}.dump.zst`;
        progress({ service: name, step: `dumping database ${db}` });
        const image = await ensureHelperImage(docker);
        const target = path.join(sub, file);
        // Compressed beside the dump (pg_dump on one core, zstd on the other), never held in
        // memory: through a pipe on the database's volume, else streamed out through exec.
        const w =
          (dataVolume && (await dumpThroughVolume({ docker, containerId: container.id, ...dataVolume, helperImage: image, dump: (pipe) => pgDumpDatabase(user, db, pipe), file: target, owner: owner() }))) ||
          (await dumpStreamed(docker, container.id, image, pgDumpDatabase(user, db), target, (bytes) => progress({ service: name, step: `dumping database ${db}`, bytes })));
        items.push({ kind: 'pg-database', database: db, file: rel(file), ...w });
      }
    } else {
      progress({ service: name, step: 'dumping MongoDB' });
      const w = await execToFile(docker, container.id, mongoDump(), path.join(sub, 'mongo.archive.gz'), (bytes) => progress({ service: name, step: 'dumping MongoDB', bytes }));
      items.push({ kind: 'mongo-archive', file: rel('mongo.archive.gz'), ...w });
    }
  } else if (databaseItem) {
    // Not running: its volume is copied as it is (nothing writes it meanwhile).
    for (const v of databaseVolumes(svc, spec.volumes)) await copyVolume(v);
  }

  const stopFirst = plan.stopsService && container?.running;
  if (stopFirst) {
    say?.(`Stopping ${svc.meta.title} while its data is copied (the course asks for it); it starts again afterwards.`, name);
    const r = await env.stop(name);
    if (!r.ok) throw new Error(`Could not stop ${svc.meta.title} for its backup: ${r.services[0]?.error ?? 'failed'}`);
    stopped = true;
  }
  try {
    for (const item of plan.items) {
      if (item.kind === 'folder') {
        if (!existsSync(item.source)) continue;
        const file = `folder-${item.name}.tar.zst`;
        items.push({ kind: 'folder', name: item.name, target: item.target, ...(await copyWithHelper(`the folder ${item.source}`, item.source, file)) });
      } else if (item.kind === 'volume') {
        await copyVolume(item);
      }
    }
  } finally {
    if (stopFirst) {
      const r = await env.start(name);
      say?.(r.ok ? `${svc.meta.title} is running again.` : `${svc.meta.title} did not start again after its backup: ${r.services[0]?.error ?? 'failed'}`, name);
    }
  }
  if (!items.length) return undefined;
  return { service: name, title: svc.meta.title, image: svc.image, imageId, method: plan.method, stopped, items };
}
