// Freeing Docker's disk space the safe way: dangling images (untagged, used by no container)
// and build cache no build is using — never a volume (student data), never a tagged image (a
// course's images are tagged), never an image a container uses. What would go is listed and
// measured first, so the space it frees is shown before anything is removed; removal is by id,
// of exactly that list. `scope` narrows the list (tests on a shared engine touch only their own).
import type Dockerode from 'dockerode';

export interface SpaceItem {
  id: string;
  bytes: number;
  what: string;
}

export interface ReclaimableSpace {
  images: SpaceItem[];
  buildCache: SpaceItem[];
  bytes: number;
}

export interface SpaceScope {
  /** Only images with this label (key=value or key). */
  imageLabel?: string;
  /** Only build cache records whose description contains this (e.g. a marker in a RUN line). */
  cacheDescription?: string;
}

interface DfImage {
  Id: string;
  RepoTags?: string[] | null;
  RepoDigests?: string[] | null;
  Size: number;
  SharedSize?: number;
  Containers: number;
  Labels?: Record<string, string> | null;
}

interface DfCache {
  ID: string;
  Size: number;
  InUse: boolean;
  Shared?: boolean;
  Type?: string;
  Description?: string;
}

const isDangling = (i: DfImage): boolean => !(i.RepoTags ?? []).some((t) => t && t !== '<none>:<none>');

function labelMatches(labels: Record<string, string> | null | undefined, want: string): boolean {
  const [k, v] = want.split('=', 2) as [string, string | undefined];
  return !!labels && Object.hasOwn(labels, k) && (v === undefined || labels[k] === v);
}

/**
 * COURSEDOCK_TEST_SPACE_SCOPE (JSON SpaceScope): the browser shell under test frees only what
 * the test made on a shared engine. Unset for students: the whole engine.
 */
export function spaceScopeFromEnv(env: Record<string, string | undefined> = process.env): SpaceScope | undefined {
  const raw = env.COURSEDOCK_TEST_SPACE_SCOPE;
  if (!raw) return undefined;
  const v = JSON.parse(raw) as SpaceScope;
  return { ...(typeof v.imageLabel === 'string' ? { imageLabel: v.imageLabel } : {}), ...(typeof v.cacheDescription === 'string' ? { cacheDescription: v.cacheDescription } : {}) };
}

export async function reclaimableSpace(docker: Dockerode, scope: SpaceScope = {}): Promise<ReclaimableSpace> {
  const df = (await docker.df()) as { Images?: DfImage[] | null; BuildCache?: DfCache[] | null };
  const inUse = new Set((await docker.listContainers({ all: true })).map((c) => c.ImageID));
  const images = (df.Images ?? [])
    .filter((i) => isDangling(i) && i.Containers <= 0 && !inUse.has(i.Id))
    .filter((i) => !scope.imageLabel || labelMatches(i.Labels, scope.imageLabel))
    .map((i) => ({ id: i.Id, bytes: uniqueBytes(i), what: `untagged image ${i.Id.replace(/^sha256:/, '').slice(0, 12)}` }));
  const buildCache = (df.BuildCache ?? [])
    .filter((c) => !c.InUse && (!scope.cacheDescription || (c.Description ?? '').includes(scope.cacheDescription)))
    .map((c) => ({ id: c.ID, bytes: Math.max(0, c.Size), what: `build cache ${c.Type ?? ''} ${c.Description ?? c.ID}`.replace(/\s+/g, ' ').trim() }));
  const bytes = [...images, ...buildCache].reduce((a, b) => a + b.bytes, 0);
  return { images, buildCache, bytes };
}

export interface FreedSpace {
  freedBytes: number;
  removedImages: number;
  removedCache: number;
  /** Items that could not be removed (in use meanwhile), with why. */
  kept: string[];
}

export async function freeDockerSpace(docker: Dockerode, scope: SpaceScope = {}): Promise<FreedSpace> {
  const plan = await reclaimableSpace(docker, scope);
  let freed = 0;
  let removedImages = 0;
  let removedCache = 0;
  const kept: string[] = [];
  for (const img of plan.images) {
    try {
      // No force: Docker refuses an image a container uses (or that gained a tag meanwhile).
      await docker.getImage(img.id).remove({ noprune: false });
      freed += img.bytes;
      removedImages++;
    } catch (err) {
      kept.push(`${img.what}: ${(err as Error).message}`);
    }
  }
  // Build cache is removed by record id, one at a time (Docker's id filter takes one value).
  for (const c of plan.buildCache) {
    try {
      const r = await pruneBuildCacheRecord(docker, c.id);
      removedCache += (r.CachesDeleted ?? []).length;
      freed += r.SpaceReclaimed ?? 0;
    } catch (err) {
      kept.push(`${c.what}: ${(err as Error).message}`);
    }
  }
  return { freedBytes: freed, removedImages, removedCache, kept };
}

/** POST /build/prune with an id filter (dockerode's pruneBuilder sends no filters). */
function pruneBuildCacheRecord(docker: Dockerode, id: string): Promise<{ SpaceReclaimed?: number; CachesDeleted?: string[] | null }> {
  const modem = docker.modem as unknown as {
    dial(o: object, cb: (err: unknown, data: unknown) => void): void;
  };
  return new Promise((resolve, reject) =>
    modem.dial(
      { path: '/build/prune?', method: 'POST', options: { filters: JSON.stringify({ id: [id] }) }, statusCodes: { 200: true, 500: 'server error' } },
      (err, data) => (err ? reject(err instanceof Error ? err : new Error(`pruning the build cache failed: ${JSON.stringify(err)}`)) : resolve(data ?? {})),
    ),
  );
}

/** What removing the image frees: its size less the layers it shares with other images. */
function uniqueBytes(i: DfImage): number {
  const shared = i.SharedSize !== undefined && i.SharedSize >= 0 ? i.SharedSize : 0;
  return Math.max(0, i.Size - shared);
}
