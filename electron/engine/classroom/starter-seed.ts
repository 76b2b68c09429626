// Starter notebooks in a classroom. On a laptop the engine copies a course's starters
// (x-coursedock.starter-notebooks) into the student's notebooks folder on the host before the
// notebook server starts (content/starter-notebooks.ts). In a classroom that folder is a
// volume of the student's, created by Swarm on the node that runs their task, so the host
// process cannot write it; the copy is made through the student's running notebook container
// instead, under the laptop's rules and with its marker file:
// - never over a student's file: a name already taken is left out ("kept"), and the copy is
//   made with the shell's noclobber (O_EXCL), so not even a race overwrites;
// - once per folder: `.coursedock/seeded.json` (the laptop's format) lists every starter
//   offered; a listed one is never copied again (a deleted starter stays deleted), a starter
//   added by a later spec is copied at the next start; a reset volume has no marker and gets
//   the starters again;
// - the copies belong to whoever owns the folder (the notebook user), as on a laptop.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type Dockerode from 'dockerode';
import { pack } from 'tar-fs';
import { listStarterFiles, MARKER_FILE, nextSeedMarker, type SeedMarker } from '../content/starter-notebooks.js';
import { execInContainer } from '../snapshots/exec.js';
import type { CourseSpec } from '../spec/types.js';

export interface ContainerSeedResult {
  /** The folder inside the container. */
  folder: string;
  copied: string[];
  kept: string[];
  alreadySeeded: boolean;
}

const ROOT = '0';

/** Copies one starter per argument from $1 to $2 unless the name is taken; says what it did. */
const COPY_SCRIPT = `
set -eu
src=$1 dst=$2; shift 2
owner=$(stat -c %u:%g "$dst")
set -C
for f in "$@"; do
  d=$(dirname "$dst/$f")
  if [ ! -d "$d" ]; then mkdir -p "$d"; chown "$owner" "$d"; fi
  if [ -e "$dst/$f" ] || [ -L "$dst/$f" ]; then echo "kept $f"; continue; fi
  if (cat "$src/$f" > "$dst/$f") 2>/dev/null; then
    chown "$owner" "$dst/$f"; chmod 644 "$dst/$f"; echo "copied $f"
  else echo "kept $f"; fi
done
rm -rf "$src"
`;

/** Writes the marker ($2) into the folder ($1), owned like the folder. */
const MARKER_SCRIPT = `
set -eu
dst=$1
owner=$(stat -c %u:%g "$dst")
mkdir -p "$dst/${path.posix.dirname(MARKER_FILE)}"
chown "$owner" "$dst/${path.posix.dirname(MARKER_FILE)}"
printf '%s\\n' "$2" > "$dst/${MARKER_FILE}.tmp"
chown "$owner" "$dst/${MARKER_FILE}.tmp"
mv -f "$dst/${MARKER_FILE}.tmp" "$dst/${MARKER_FILE}"
`;

async function sha256(file: string): Promise<string> {
  return createHash('sha256').update(await readFile(file)).digest('hex');
}

async function readMarkerIn(docker: Dockerode, containerId: string, folder: string): Promise<{ exists: boolean; marker?: SeedMarker }> {
  const r = await execInContainer(docker, containerId, ['sh', '-c', 'if [ -e "$1" ]; then cat "$1"; else exit 3; fi', 'sh', `${folder}/${MARKER_FILE}`], { user: ROOT, timeoutMs: 30_000 });
  if (r.exitCode === 3) return { exists: false };
  if (r.exitCode !== 0) return { exists: true };
  try {
    const parsed = JSON.parse(r.stdout) as SeedMarker;
    return { exists: true, ...(Array.isArray(parsed.files) ? { marker: parsed } : {}) };
  } catch {
    return { exists: true };
  }
}

/**
 * Copies the starters this student's folder has not been offered yet into it, through their
 * running container of the starters' service. Undefined when the spec ships none. A marker
 * that cannot be read counts as present: better to copy nothing than over a student's choices.
 */
export async function seedStartersInContainer(docker: Dockerode, containerId: string, spec: CourseSpec, now = new Date()): Promise<ContainerSeedResult | undefined> {
  const starter = spec.meta.starterNotebooks;
  if (!starter || !existsSync(starter.source)) return undefined;
  const folder = starter.target;
  const { exists, marker } = await readMarkerIn(docker, containerId, folder);
  if (exists && !marker) return { folder, copied: [], kept: [], alreadySeeded: true };
  const offered = new Set((marker?.files ?? []).map((f) => f.path));
  const fresh = (await listStarterFiles(starter.source)).filter((f) => !offered.has(f));
  if (fresh.length === 0) return { folder, copied: [], kept: [], alreadySeeded: true };

  const staging = `/tmp/coursedock-starters-${process.pid}-${Date.now()}`;
  const mk = await execInContainer(docker, containerId, ['mkdir', '-p', staging], { user: ROOT, timeoutMs: 30_000 });
  if (mk.exitCode !== 0) throw new Error(`could not prepare the copy: ${mk.stderr.trim()}`);
  const tar = pack(starter.source, { entries: fresh.map((f) => f.split('/').join(path.sep)), map: (h) => ({ ...h, uid: 0, gid: 0 }) });
  await docker.getContainer(containerId).putArchive(tar as unknown as NodeJS.ReadableStream, { path: staging });
  const r = await execInContainer(docker, containerId, ['sh', '-c', COPY_SCRIPT, 'sh', staging, folder, ...fresh], { user: ROOT, timeoutMs: 60_000 });
  if (r.exitCode !== 0) throw new Error(`the copy failed: ${(r.stderr || r.stdout).trim().slice(0, 300)}`);
  const said = new Map(r.stdout.split('\n').map((line) => [line.slice(line.indexOf(' ') + 1), line.slice(0, line.indexOf(' '))] as const));
  const copied = fresh.filter((f) => said.get(f) === 'copied');
  const kept = fresh.filter((f) => said.get(f) !== 'copied');

  const entries: SeedMarker['files'] = [];
  for (const rel of fresh) {
    if (copied.includes(rel)) entries.push({ path: rel, copied: true, sha256: await sha256(path.join(starter.source, ...rel.split('/'))) });
    else entries.push({ path: rel, copied: false, reason: 'a file of that name was already there' });
  }
  const next = nextSeedMarker(marker, spec, entries, now);
  const w = await execInContainer(docker, containerId, ['sh', '-c', MARKER_SCRIPT, 'sh', folder, JSON.stringify(next, null, 2)], { user: ROOT, timeoutMs: 30_000 });
  if (w.exitCode !== 0) throw new Error(`could not write ${MARKER_FILE}: ${w.stderr.trim()}`);
  return { folder, copied, kept, alreadySeeded: false };
}
