// Where snapshots live: <data folder>/snapshots/<project>/<service>/<stamp>-<name>.json, and the
// course references shipped with a spec: <spec folder>/baselines/<service>.json. (The image
// baselines that drift uses are cached beside them: see image-baseline.ts.)
import { existsSync, mkdirSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { dataDir } from '../settings/settings-store.js';
import { ManifestError, packageCounts, readManifest, serializeManifest, type Ecosystem, type Manifest } from './manifest.js';

export interface SnapshotSummary {
  /** The file's name: what the API and the panel use to point at a snapshot. */
  id: string;
  file: string;
  name: string;
  createdAt: string;
  project: string;
  service: string;
  image: { ref: string; id: string };
  counts: Record<Ecosystem, number>;
}

/** A file in the snapshots folder that cannot be read, listed with the reason. */
export interface BrokenSnapshot {
  id: string;
  file: string;
  service: string;
  problem: string;
}

const SAFE = /[^A-Za-z0-9_.-]+/g;
export const SNAPSHOT_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]*\.json$/;

export function snapshotsRoot(env: Record<string, string | undefined> = process.env): string {
  return path.join(dataDir(env), 'snapshots');
}

export function snapshotsDir(project: string, service: string, root = snapshotsRoot()): string {
  return path.join(root, safeSegment(project), safeSegment(service));
}

const safeSegment = (s: string) => s.replace(SAFE, '_').replace(/^[._]+/, '') || '_';

/** `20261125-225919-my-name.json`: sorts by time, safe on every file system. */
export function snapshotFileName(m: Pick<Manifest, 'createdAt' | 'name'>): string {
  const stamp = m.createdAt.replace(/\.\d+/, '').replace(/[-:]/g, '').replace('T', '-').replace(/Z$|[+-]\d{4}$/, '');
  const name = m.name.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'snapshot';
  return `${stamp}-${name}.json`;
}

export function summarize(m: Manifest, file: string): SnapshotSummary {
  return {
    id: path.basename(file),
    file,
    name: m.name,
    createdAt: m.createdAt,
    project: m.project,
    service: m.service,
    image: { ref: m.image.ref, id: m.image.id },
    counts: packageCounts(m),
  };
}

/** Writes a manifest to a file (atomically), creating its folder. */
export function writeManifest(m: Manifest, file: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(tmp, serializeManifest(m));
  renameSync(tmp, file);
}

/** Saves a snapshot under the data folder; never overwrites one taken in the same second. */
export function saveSnapshot(m: Manifest, root = snapshotsRoot()): SnapshotSummary {
  const dir = snapshotsDir(m.project, m.service, root);
  const base = snapshotFileName(m);
  let file = path.join(dir, base);
  for (let i = 2; existsSync(file); i++) file = path.join(dir, base.replace(/\.json$/, `-${i}.json`));
  writeManifest(m, file);
  return summarize(m, file);
}

/** The saved snapshots of a project (one service, or all), newest first; unreadable files apart. */
export function listSnapshots(
  project: string,
  service?: string,
  root = snapshotsRoot(),
): { snapshots: SnapshotSummary[]; broken: BrokenSnapshot[] } {
  const projectDir = path.join(root, safeSegment(project));
  const services = service ? [safeSegment(service)] : existsSync(projectDir) ? readdirSync(projectDir) : [];
  const snapshots: SnapshotSummary[] = [];
  const broken: BrokenSnapshot[] = [];
  for (const svc of services) {
    const dir = path.join(projectDir, svc);
    if (!existsSync(dir)) continue;
    for (const id of readdirSync(dir)) {
      if (!SNAPSHOT_ID.test(id)) continue;
      const file = path.join(dir, id);
      try {
        snapshots.push(summarize(readManifest(file), file));
      } catch (err) {
        broken.push({ id, file, service: svc, problem: err instanceof ManifestError ? err.reason : String(err) });
      }
    }
  }
  const key = (s: SnapshotSummary) => `${s.createdAt}\u0000${s.id.replace(/\.json$/, '')}`;
  snapshots.sort((a, b) => (key(a) < key(b) ? 1 : key(a) > key(b) ? -1 : 0));
  return { snapshots, broken };
}

/** A saved snapshot by its id (a file name in the service's folder, nothing else). */
export function snapshotFile(project: string, service: string, id: string, root = snapshotsRoot()): string {
  if (!SNAPSHOT_ID.test(id)) throw new Error(`"${id.slice(0, 100)}" is not a snapshot id (a file name like 20261125-101500-name.json).`);
  return path.join(snapshotsDir(project, service, root), id);
}

/**
 * The course team's reference for a service, shipped next to the spec: what its image had when
 * the course was prepared. Compared with the image for information; drift never uses it.
 */
export function courseReferenceFile(specFile: string, service: string): string {
  return path.join(path.dirname(specFile), 'baselines', `${safeSegment(service)}.json`);
}
