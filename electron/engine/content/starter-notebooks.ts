// Course content: the starter notebooks a spec ships (x-coursedock.starter-notebooks) are copied
// into the student's notebooks folder (the host folder bind-mounted into the notebook service)
// before that service starts, by the engine, so as the student on the host.
//
// Behaviour, and why:
// - Never over a student's file: a starter whose name is already taken in the folder is left out
//   (copyFile with COPYFILE_EXCL, so not even a race can overwrite).
// - Once per folder: `.coursedock/seeded.json` in the folder lists every starter offered, with the
//   SHA-256 of what was copied. A starter listed there is never copied again, so a notebook the
//   student deleted stays deleted (they deleted it on purpose; re-creating it at every start
//   would be a surprise, and a restored copy could be mistaken for their own work). To get the
//   originals back, delete the marker file: missing starters are then copied again at the next
//   start (existing files still untouched).
// - A starter the course adds in a later version of the spec (not in the marker) is copied at the
//   next start, under the same rules.
// - A new notebooks folder (chosen in Settings) has no marker: it gets the starters.
import { constants, createReadStream, existsSync, readFileSync } from 'node:fs';
import { chmod, copyFile, mkdir, readdir, rename, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import path from 'node:path';
import type { CourseSpec } from '../spec/types.js';

export const MARKER_DIR = '.coursedock';
export const MARKER_FILE = path.join(MARKER_DIR, 'seeded.json');

export interface SeedMarker {
  version: 1;
  /** The course title and project the starters came from. */
  course: string;
  project: string;
  firstSeededAt: string;
  updatedAt: string;
  /** Every starter offered to this folder (relative, with forward slashes). */
  files: Array<{ path: string; copied: boolean; sha256?: string; reason?: string }>;
}

export interface SeedResult {
  /** The host folder (the bind mount's source). */
  folder: string;
  /** Starters copied now (relative paths). */
  copied: string[];
  /** Starters not copied because a file of that name is already in the folder. */
  kept: string[];
  /** The folder had been seeded before and nothing new was offered. */
  alreadySeeded: boolean;
}

/** The host folder that receives the starters: the source of the service's bind mount at `target`. */
export function starterFolder(spec: CourseSpec): string | undefined {
  const starter = spec.meta.starterNotebooks;
  if (!starter) return undefined;
  const mount = spec.services[starter.service]?.mounts.find((m) => m.target === starter.target);
  return mount?.type === 'bind' ? mount.source : undefined;
}

/** Files under `dir`, relative with forward slashes, sorted; hidden files and checkpoints left out. */
export async function listStarterFiles(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('.')) continue;
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...(await listStarterFiles(path.join(dir, entry.name), rel)));
    else if (entry.isFile()) out.push(rel);
  }
  return out;
}

/** The marker after a seeding: what was there before, plus this round's files. */
export function nextSeedMarker(marker: SeedMarker | undefined, spec: CourseSpec, entries: SeedMarker['files'], now: Date): SeedMarker {
  const stamp = now.toISOString();
  return {
    version: 1,
    course: spec.meta.title,
    project: spec.project,
    firstSeededAt: marker?.firstSeededAt ?? stamp,
    updatedAt: stamp,
    files: [...(marker?.files ?? []), ...entries],
  };
}

export function readSeedMarker(folder: string): SeedMarker | undefined {
  const file = path.join(folder, MARKER_FILE);
  if (!existsSync(file)) return undefined;
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as SeedMarker;
    return Array.isArray(parsed.files) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function sha256(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file)
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => resolve(hash.digest('hex')))
      .on('error', reject);
  });
}

/**
 * Copies the starters this folder has not been offered yet (see the top of this file). Returns
 * undefined when the spec ships none. A marker that cannot be read counts as present when the
 * file exists: better to copy nothing than to copy over a student's choices.
 */
export async function seedStarterNotebooks(spec: CourseSpec, now = new Date()): Promise<SeedResult | undefined> {
  const starter = spec.meta.starterNotebooks;
  const folder = starterFolder(spec);
  if (!starter || !folder || !existsSync(starter.source)) return undefined;

  const markerPath = path.join(folder, MARKER_FILE);
  const marker = readSeedMarker(folder);
  if (!marker && existsSync(markerPath)) return { folder, copied: [], kept: [], alreadySeeded: true };
  const offered = new Set((marker?.files ?? []).map((f) => f.path));
  const fresh = (await listStarterFiles(starter.source)).filter((f) => !offered.has(f));
  if (marker && fresh.length === 0) return { folder, copied: [], kept: [], alreadySeeded: true };

  await mkdir(folder, { recursive: true });
  const entries: SeedMarker['files'] = [];
  const copied: string[] = [];
  const kept: string[] = [];
  for (const rel of fresh) {
    const from = path.join(starter.source, ...rel.split('/'));
    const to = path.join(folder, ...rel.split('/'));
    await mkdir(path.dirname(to), { recursive: true });
    try {
      await copyFile(from, to, constants.COPYFILE_EXCL);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      kept.push(rel);
      entries.push({ path: rel, copied: false, reason: 'a file of that name was already there' });
      continue;
    }
    // The app's resources may be read-only (an AppImage, a signed bundle): the copy is the student's.
    await chmod(to, 0o644);
    copied.push(rel);
    entries.push({ path: rel, copied: true, sha256: await sha256(to) });
  }

  const next = nextSeedMarker(marker, spec, entries, now);
  await mkdir(path.dirname(markerPath), { recursive: true });
  const tmp = `${markerPath}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(next, null, 2)}\n`);
  await rename(tmp, markerPath);
  return { folder, copied, kept, alreadySeeded: false };
}

/**
 * The engine's hook, called before a service is created or started: seeds when `service` is the
 * one the starters are for. Returns what to tell the student, if anything; never throws (a
 * failed copy must not keep the notebook server from starting).
 */
export async function seedBeforeStart(
  spec: CourseSpec,
  service: string,
): Promise<{ level: 'info' | 'warning'; message: string } | undefined> {
  if (spec.meta.starterNotebooks?.service !== service) return undefined;
  try {
    const result = await seedStarterNotebooks(spec);
    if (!result || result.alreadySeeded || (!result.copied.length && !result.kept.length)) return undefined;
    const parts: string[] = [];
    if (result.copied.length) parts.push(`Copied the starter notebooks ${result.copied.join(', ')} into ${result.folder}.`);
    if (result.kept.length) parts.push(`Kept your own ${result.kept.join(', ')} (a starter notebook of that name was not copied).`);
    return { level: 'info', message: parts.join(' ') };
  } catch (err) {
    return { level: 'warning', message: `Could not copy the starter notebooks: ${err instanceof Error ? err.message : String(err)}` };
  }
}
