// Snapshots of an environment's services: what the API and the CLI call. Capture, drift (from
// the service's image or a snapshot), the image against the course's reference, and recreate,
// over an open Environment and the Docker connection.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type Dockerode from 'dockerode';
import type { Environment } from '../environment.js';
import { imageId } from '../docker/images.js';
import { serviceOf } from '../spec/service-of.js';
import { checkArchive } from './archive-check.js';
import { captureContainer } from './capture.js';
import { diffManifests, type DriftReport } from './diff.js';
import { compareWithReference, type ReferenceReport } from './course-reference.js';
import { imageBaseline, imageBaselinesDir, type ImageRef } from './image-baseline.js';
import { readManifest, type Manifest } from './manifest.js';
import { planRecreate, baseImageFor, type RecreatePlan } from './recreate.js';
import { courseReferenceFile, saveSnapshot, snapshotFile, snapshotsRoot, type SnapshotSummary } from './store.js';

const RUNNING = new Set(['running', 'healthy', 'unhealthy', 'starting']);

function titleOf(env: Environment, service: string): string {
  return env.spec.services[service]?.meta.title ?? service;
}

/** The manifest of a service's running container (not saved). */
export async function captureService(docker: Dockerode, env: Environment, service: string, name = 'snapshot'): Promise<Manifest> {
  const state = env.state(service); // throws for an unknown service
  const title = titleOf(env, service);
  const id = env.tracker.containerId(service);
  if (!id || !RUNNING.has(state.status)) throw new Error(`${title} is not running: start it to take a snapshot.`);
  if (state.operation) throw new Error(`${title} is busy (${state.operation.kind}: ${state.operation.phase}): try again when it is done.`);
  return captureContainer(docker, id, { name, project: env.project, service, title });
}

/** Captures and saves under the data folder (or writes to `out`). */
export async function takeSnapshot(
  docker: Dockerode,
  env: Environment,
  service: string,
  options: { name?: string; root?: string } = {},
): Promise<SnapshotSummary & { manifest: Manifest }> {
  const manifest = await captureService(docker, env, service, options.name ?? 'snapshot');
  return { ...saveSnapshot(manifest, options.root ?? snapshotsRoot()), manifest };
}

/**
 * What to compare with: a fresh container of the image the service runs (the baseline: what
 * changed in this container since it was created), a saved snapshot (by id) or a manifest file.
 */
export type DriftReference = { baseline: true } | { snapshot: string } | { file: string };

/** The file of a saved snapshot or a manifest file to compare with. */
export function comparisonFile(env: Environment, service: string, against: { snapshot: string } | { file: string }, root = snapshotsRoot()): string {
  if ('snapshot' in against) {
    const file = snapshotFile(env.project, service, against.snapshot, root);
    if (!existsSync(file)) throw new Error(`There is no snapshot "${against.snapshot}" of ${titleOf(env, service)}.`);
    return file;
  }
  return path.resolve(against.file);
}

export interface ServiceDrift extends DriftReport {
  service: string;
}

/**
 * The running service compared with a reference. The baseline is a fresh container of the very
 * image this container runs (cached by image id under `root`), so drift shows only what changed
 * in the container, whatever day the image was built.
 */
export async function driftOf(
  docker: Dockerode,
  env: Environment,
  service: string,
  against: DriftReference = { baseline: true },
  root = snapshotsRoot(),
): Promise<ServiceDrift> {
  if ('baseline' in against) {
    const current = await captureService(docker, env, service, 'now');
    const base = await imageBaseline(docker, current.image, { dir: imageBaselinesDir(root), title: titleOf(env, service) });
    return { service, ...diffManifests(base.manifest, current, { kind: 'image' }) };
  }
  const file = comparisonFile(env, service, against, root);
  const reference = readManifest(file); // before the capture: a bad file fails fast
  const current = await captureService(docker, env, service, 'now');
  return { service, ...diffManifests(reference, current, { file }) };
}

/** The image a service runs (its container's), or would run (the spec's image, when built). */
export async function serviceImage(docker: Dockerode, env: Environment, service: string): Promise<ImageRef> {
  env.state(service); // throws for an unknown service
  const id = env.tracker.containerId(service);
  if (id) {
    try {
      const info = await docker.getContainer(id).inspect();
      return { id: info.Image, ref: info.Config.Image };
    } catch {
      // Removed meanwhile: the spec's image below.
    }
  }
  const ref = serviceOf(env.spec, service).image;
  const found = await imageId(docker, ref);
  if (!found) throw new Error(`The image of ${titleOf(env, service)} (${ref}) is not on this computer yet: start the service once, then compare.`);
  return { id: found, ref };
}

export interface ServiceReference extends ReferenceReport {
  service: string;
}

/**
 * The service's image compared with the course team's reference shipped with the spec. For
 * information only (newer system packages are Debian's security updates): never drift.
 */
export async function referenceOf(docker: Dockerode, env: Environment, service: string, root = snapshotsRoot()): Promise<ServiceReference> {
  const file = courseReferenceFile(env.spec.file, service);
  env.state(service); // throws for an unknown service
  if (!existsSync(file)) throw new Error(`${env.spec.meta.title} ships no reference for ${titleOf(env, service)}: there is nothing to compare its image with.`);
  const reference = readManifest(file);
  const image = await serviceImage(docker, env, service);
  const base = await imageBaseline(docker, image, { dir: imageBaselinesDir(root), title: titleOf(env, service) });
  return { service, ...compareWithReference(reference, base.manifest, file) };
}

export interface RecreateOutput {
  plan: RecreatePlan;
  /** Files written (Dockerfile, install.sh), when an output folder was given. */
  files: string[];
}

/**
 * A Dockerfile and install script for a manifest. With Docker, the base image's packages and
 * the archive's versions are checked first in a throwaway container (`check: false` skips it).
 */
export async function recreate(
  docker: Dockerode | undefined,
  manifest: Manifest,
  options: { outDir?: string; check?: boolean; baseImage?: string } = {},
): Promise<RecreateOutput> {
  const baseImage = options.baseImage ?? baseImageFor(manifest.os);
  let check: Awaited<ReturnType<typeof checkArchive>> | undefined;
  let uncheckedReason: string | undefined;
  if (options.check === false) uncheckedReason = 'the check was turned off';
  else if (!docker) uncheckedReason = 'Docker is not available';
  else {
    check = await checkArchive(docker, baseImage, Object.keys(manifest.packages.debian));
    uncheckedReason = check.problem;
  }
  const plan = planRecreate(manifest, {
    baseImage,
    ...(check?.basePackages ? { basePackages: check.basePackages } : {}),
    ...(check?.available ? { available: check.available } : {}),
    ...(uncheckedReason ? { uncheckedReason } : {}),
  });
  const files: string[] = [];
  if (options.outDir) {
    mkdirSync(options.outDir, { recursive: true });
    const dockerfile = path.join(options.outDir, 'Dockerfile');
    const script = path.join(options.outDir, 'install.sh');
    writeFileSync(dockerfile, plan.dockerfile);
    writeFileSync(script, plan.script, { mode: 0o755 });
    files.push(dockerfile, script);
  }
  return { plan, files };
}

/** Reads a manifest for recreate: a saved snapshot of a project's service, by id. */
export function loadSnapshot(project: string, service: string, id: string, root = snapshotsRoot()): { file: string; manifest: Manifest } {
  const file = snapshotFile(project, service, id, root);
  return { file, manifest: readManifest(file) };
}
