// Files in the notebooks folder that the notebook user does not own (made by root: a `docker
// exec` as root, a sudo cp, an older image): the notebook server cannot save over them. Found
// and fixed from inside the container, as root there, so no administrator password is needed
// on this computer; with a bind mount the new owner is the uid on the host too.
import type Dockerode from 'dockerode';
import { execInContainer } from '../snapshots/exec.js';

/** argv: folder uid gid. Prints the count of files not owned by uid:gid, then up to 5 of them. */
export const FOREIGN_FILES_PROBE = [
  'd="$1"; u="$2"; g="$3"',
  'find "$d" -xdev \\( ! -uid "$u" -o ! -gid "$g" \\) -printf "%u:%g %P\\n" 2>/dev/null > /tmp/.coursedock-owners-$$ || true',
  'echo "count $(wc -l < /tmp/.coursedock-owners-$$)"',
  'head -n 5 /tmp/.coursedock-owners-$$',
  'rm -f /tmp/.coursedock-owners-$$',
].join('\n');

/** argv: folder uid gid. Changes the owner of every file not owned by uid:gid; prints the count. */
export const CHOWN_PROBE = [
  'd="$1"; u="$2"; g="$3"',
  'n=$(find "$d" -xdev \\( ! -uid "$u" -o ! -gid "$g" \\) -print 2>/dev/null | wc -l)',
  'find "$d" -xdev \\( ! -uid "$u" -o ! -gid "$g" \\) -exec chown -h "$u:$g" {} + || exit 1',
  'echo "changed $n"',
].join('\n');

export interface ForeignFiles {
  count: number;
  /** "root:root notes/old.ipynb" (owner, path under the folder). */
  samples: string[];
}

export function parseForeignFiles(stdout: string): ForeignFiles | undefined {
  const lines = stdout.split('\n').filter((l) => l.trim());
  const i = lines.findIndex((l) => /^count \d+$/.test(l.trim()));
  const countLine = lines[i];
  if (countLine === undefined) return undefined;
  return { count: Number(countLine.trim().slice(6)), samples: lines.slice(i + 1).map((l) => l.trim()) };
}

/** The uid and gid a container user (a name or a number) has in the container. */
export async function userIds(docker: Dockerode, containerId: string, user: string, timeoutMs: number): Promise<{ uid: number; gid: number } | undefined> {
  const r = await execInContainer(docker, containerId, ['sh', '-c', 'echo "$(id -u) $(id -g)"'], { user, timeoutMs, maxBytes: 4096 });
  const m = /^(\d+) (\d+)\s*$/m.exec(r.stdout);
  return m ? { uid: Number(m[1]), gid: Number(m[2]) } : undefined;
}

export async function findForeignFiles(docker: Dockerode, containerId: string, folder: string, uid: number, gid: number, timeoutMs: number): Promise<ForeignFiles | undefined> {
  const r = await execInContainer(docker, containerId, ['sh', '-c', FOREIGN_FILES_PROBE, 'probe', folder, String(uid), String(gid)], { user: '0', timeoutMs, maxBytes: 64 * 1024 });
  return parseForeignFiles(r.stdout);
}

/** chown from inside the container (as root there); returns how many files changed owner. */
export async function giveFilesTo(docker: Dockerode, containerId: string, folder: string, uid: number, gid: number, timeoutMs = 120_000): Promise<number> {
  const r = await execInContainer(docker, containerId, ['sh', '-c', CHOWN_PROBE, 'chown', folder, String(uid), String(gid)], { user: '0', timeoutMs, maxBytes: 64 * 1024 });
  const m = /changed (\d+)/.exec(r.stdout);
  if (r.exitCode !== 0 || !m) throw new Error(`Changing the owner failed (exit code ${r.exitCode}): ${(r.stderr || r.stdout).trim().split('\n').pop() ?? ''}`);
  return Number(m[1]);
}
