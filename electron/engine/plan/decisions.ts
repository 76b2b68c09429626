// The two decisions made for each service: how to get its image, and what to do with its
// container. Pure, so every rule is tested without Docker.
import type { DependsCondition, ServiceSpec } from '../spec/types.js';
import type { ActualContainer, ActualImage } from './actual.js';
import type { CreateOptions } from './container-config.js';
import { LABEL } from './labels.js';

/** How to get the image: already here, from a registry, from the build context, or no way. */
export type ImageStep = 'present' | 'pull' | 'build' | 'pull-or-build' | 'unavailable';

export type ContainerStep =
  | { kind: 'keep'; containerId: string; adopted?: true }
  | { kind: 'start'; containerId: string; adopted?: true }
  | { kind: 'create' }
  | { kind: 'recreate'; containerId: string; reason: string };

export interface ServiceStep {
  service: string;
  image: ImageStep;
  /** Why the image is fetched or built although present, in words (`coursedock plan` shows it). */
  imageReason?: string;
  /** Decided against the images present at planning time; re-decided after a pull or build. */
  container: ContainerStep;
  /** Extra containers of the same service (left by a crash mid-operation): removed. */
  removeDuplicates: string[];
  waitFor: Array<{ service: string; condition: DependsCondition }>;
  config: CreateOptions;
}

/**
 * Whether a present image is out of date with the build context on disk: we built it (it has
 * our service label) and its context-hash label differs from the context's hash now, or is
 * missing (built before images were labelled). Images from a registry are never stale here.
 */
export function builtImageStale(
  svc: ServiceSpec,
  image: ActualImage | undefined,
  contextHash: string | undefined,
): boolean {
  if (!svc.build || !image || image.builtFor === undefined || contextHash === undefined) return false;
  return image.contextHash !== contextHash;
}

export const STALE_BUILD_REASON = "the course's build files changed — rebuild";

export function decideImage(svc: ServiceSpec, present: boolean, refresh: boolean, stale = false): ImageStep {
  const canBuild = svc.build !== undefined;
  switch (svc.pullPolicy) {
    case 'build':
      return canBuild ? 'build' : present ? 'present' : 'unavailable';
    case 'never':
      return present ? 'present' : 'unavailable';
    case 'always':
      return canBuild ? 'pull-or-build' : 'pull';
    case 'missing':
      if (present && !refresh && !stale) return 'present';
      if (!canBuild) return 'pull';
      // Our own build from older files: the files here are the truth, not a registry.
      if (present && stale && !refresh) return 'build';
      // An image name the course team may have published: try the registry, then build.
      return svc.imageDeclared ? 'pull-or-build' : 'build';
  }
}

export function decideContainer(
  current: ActualContainer | undefined,
  config: CreateOptions,
  imageId: string | undefined,
  force: boolean,
): ContainerStep {
  if (!current) return { kind: 'create' };
  const hash = config.Labels?.[LABEL.configHash];
  if (force) return { kind: 'recreate', containerId: current.id, reason: 'reinstall requested' };
  // docker-compose's hash is of its own making, never equal to ours: its container is adopted.
  const adopted = current.foreign === true && current.configHash !== hash;
  if (current.configHash !== hash && !adopted)
    return { kind: 'recreate', containerId: current.id, reason: 'configuration changed' };
  if (imageId && current.imageId !== imageId)
    return { kind: 'recreate', containerId: current.id, reason: 'image changed' };
  const kind = current.state === 'running' ? 'keep' : 'start';
  return adopted ? { kind, containerId: current.id, adopted: true } : { kind, containerId: current.id };
}

