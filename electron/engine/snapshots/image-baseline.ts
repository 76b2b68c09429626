// The baseline that drift is measured against: what a fresh container of the exact image a
// service runs has installed. Drift is what changed in the student's container since it was
// created from its image, so the baseline must come from that image (not from a file recorded
// on another day, when Debian may have served other versions).
//
// Captured once per image in a short-lived helper container: same image id, the image's own
// user and environment, no network, no volumes of the student's, a do-nothing entrypoint (the
// course's entrypoint is not run), removed (with its anonymous volumes) right after. Cached in
// the data folder by image id: an image id is the hash of the image's content, so the same id
// always lists the same packages. The cache file name also carries a hash of the capture
// script, so a Coursedock update that lists packages differently captures again.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type Dockerode from 'dockerode';
import { describeError } from '../describe-error.js';
import { HELPER_LABEL } from './archive-check.js';
import { captureContainer } from './capture.js';
import { CAPTURE_SCRIPT, PYTHON_SNIPPET } from './capture-script.js';
import { readManifest, type Manifest } from './manifest.js';
import { snapshotsRoot, writeManifest } from './store.js';

export interface ImageRef {
  /** `sha256:…`, as `docker inspect` gives it. */
  id: string;
  /** The name the service's container was created with (informational). */
  ref: string;
}

export interface ImageBaseline {
  manifest: Manifest;
  /** The cache file it was read from or written to. */
  file: string;
  /** False when it was captured just now. */
  cached: boolean;
}

const SCRIPT_HASH = createHash('sha256').update(CAPTURE_SCRIPT).update(PYTHON_SNIPPET).digest('hex').slice(0, 12);

/** `<data folder>/snapshots/_image-baselines` (no project folder can start with "_"). */
export function imageBaselinesDir(root = snapshotsRoot()): string {
  return path.join(root, '_image-baselines');
}

export function imageBaselineFile(imageId: string, dir = imageBaselinesDir()): string {
  const hex = imageId.replace(/^sha256:/, '');
  if (!/^[0-9a-f]{12,64}$/.test(hex)) throw new Error(`"${imageId.slice(0, 100)}" is not an image id (sha256:…).`);
  return path.join(dir, `${hex}-${SCRIPT_HASH}.json`);
}

/** Captures running for a cache file: a second caller waits for the first instead of capturing too. */
const inFlight = new Map<string, Promise<ImageBaseline>>();

/** The baseline of an image: from the cache, or captured now in a helper container. */
export function imageBaseline(
  docker: Dockerode,
  image: ImageRef,
  options: { dir?: string; title?: string } = {},
): Promise<ImageBaseline> {
  const file = imageBaselineFile(image.id, options.dir);
  const cached = readCached(file, image.id);
  if (cached) return Promise.resolve({ manifest: cached, file, cached: true });
  let pending = inFlight.get(file);
  if (!pending) {
    pending = captureImage(docker, image, options.title)
      .then((manifest) => {
        writeManifest(manifest, file);
        return { manifest, file, cached: false };
      })
      .finally(() => inFlight.delete(file));
    inFlight.set(file, pending);
  }
  return pending;
}

/** A cache file that is readable and about this image; anything else is captured again. */
function readCached(file: string, imageId: string): Manifest | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const m = readManifest(file);
    return m.image.id === imageId ? m : undefined;
  } catch {
    return undefined;
  }
}

/** What a fresh container of the image has installed, from a helper container removed afterwards. */
export async function captureImage(docker: Dockerode, image: ImageRef, title = image.ref): Promise<Manifest> {
  let container: Dockerode.Container | undefined;
  try {
    try {
      container = await docker.createContainer({
        Image: image.id,
        // Keeps the container alive for the capture's exec; the image's entrypoint is not run.
        Entrypoint: ['sh', '-c', 'while sleep 3600; do :; done'],
        Cmd: [],
        Labels: { [HELPER_LABEL]: 'image-baseline' },
        NetworkDisabled: true,
        Healthcheck: { Test: ['NONE'] },
        HostConfig: { NetworkMode: 'none' },
      });
      await container.start();
    } catch (err) {
      throw new Error(`Could not start a fresh container of the image of ${title} (${short(image.id)}) to compare with: ${describeError(err)}`);
    }
    const m = await captureContainer(docker, container.id, { name: 'image', project: '-', service: '-', title });
    return { ...m, image: { ...m.image, ref: image.ref } };
  } finally {
    await container?.remove({ force: true, v: true }).catch(() => undefined);
  }
}

const short = (id: string) => id.replace(/^sha256:/, '').slice(0, 12);
