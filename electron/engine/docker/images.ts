// Getting a service's image: pull from a registry, or build from the spec's build context.
// Both report progress as they go and fail on errors Docker puts inside its output stream.
import type Dockerode from 'dockerode';
import type { ServiceSpec } from '../spec/types.js';
import type { ImageStep } from '../plan/decisions.js';
import {
  applyStreamMessage,
  type DockerStreamMessage,
  type ProgressState,
} from './progress.js';
import { describeError } from '../describe-error.js';
import { BUILT_FOR_LABEL, buildContextHash, CONTEXT_HASH_LABEL, packContext } from './build-context.js';
import type { InspectedImage } from './api-records.js';

export class ImageUnavailableError extends Error {
  constructor(readonly image: string, message: string) {
    super(message);
    this.name = 'ImageUnavailableError';
  }
}

export type ProgressListener = (state: ProgressState) => void;

/** Reads a Docker JSON-lines progress stream to its end, folding messages into `state`. */
function followStream(
  docker: Dockerode,
  stream: NodeJS.ReadableStream,
  state: ProgressState,
  onProgress: ProgressListener,
): Promise<void> {
  return new Promise((resolve, reject) => {
    let inBandError: string | undefined;
    docker.modem.followProgress(
      stream,
      (err: Error | null) => {
        state.done = true;
        const failure = err ? describeError(err) : inBandError;
        if (failure) state.error = failure;
        onProgress(state);
        if (failure) reject(new Error(failure));
        else resolve();
      },
      (msg: DockerStreamMessage) => {
        inBandError = applyStreamMessage(state, msg) ?? inBandError;
        onProgress(state);
      },
    );
  });
}

export async function imageId(docker: Dockerode, ref: string): Promise<string | undefined> {
  try {
    return (await docker.getImage(ref).inspect()).Id;
  } catch {
    return undefined;
  }
}

/** What the planner needs to know of a present image: its id, and whether and from what we built it. */
export interface ImageFacts {
  id: string;
  /** Our `org.coursedock.service` label: set only on images Coursedock built. */
  builtFor?: string;
  /** Our `org.coursedock.context-hash` label: the hash of the context it was built from. */
  contextHash?: string;
}

export async function imageFacts(docker: Dockerode, ref: string): Promise<ImageFacts | undefined> {
  try {
    const info: InspectedImage = await docker.getImage(ref).inspect();
    const labels = info.Config.Labels ?? {};
    return {
      id: info.Id,
      ...(labels[BUILT_FOR_LABEL] !== undefined ? { builtFor: labels[BUILT_FOR_LABEL] } : {}),
      ...(labels[CONTEXT_HASH_LABEL] !== undefined ? { contextHash: labels[CONTEXT_HASH_LABEL] } : {}),
    };
  } catch {
    return undefined;
  }
}

export async function pullImage(docker: Dockerode, ref: string, onProgress: ProgressListener): Promise<void> {
  const state: ProgressState = { kind: 'pull', image: ref, layers: [], lines: [], done: false };
  onProgress(state);
  let stream: NodeJS.ReadableStream;
  try {
    stream = await docker.pull(ref);
  } catch (err) {
    state.done = true;
    state.error = describeError(err);
    onProgress(state);
    throw new Error(state.error);
  }
  await followStream(docker, stream, state, onProgress);
}

export async function buildImage(docker: Dockerode, svc: ServiceSpec, onProgress: ProgressListener): Promise<void> {
  const build = svc.build;
  if (!build) throw new Error(`service ${svc.name} has no build context`);
  const state: ProgressState = { kind: 'build', image: svc.image, layers: [], lines: [], done: false };
  onProgress(state);
  // Like the Docker CLI: the context folder minus what .dockerignore excludes (a course
  // context is small). The label says which context it was, so a changed one is rebuilt.
  const [context, contextHash] = await Promise.all([packContext(build), buildContextHash(build)]);
  const stream = await docker.buildImage(context, {
    t: svc.image,
    dockerfile: build.dockerfile,
    buildargs: build.args,
    ...(build.target ? { target: build.target } : {}),
    labels: { [BUILT_FOR_LABEL]: svc.name, [CONTEXT_HASH_LABEL]: contextHash },
    // A failed step leaves no intermediate container behind on the student's computer.
    forcerm: true,
  });
  await followStream(docker, stream, state, onProgress);
}

/**
 * Makes the image present according to the planned step. A failed pull falls back to a build
 * when the spec has a context; when neither works the error says why in a student's words.
 * A refresh (reinstall) that cannot fetch or build keeps the image already here, offline
 * students included, and says so in the returned warning.
 */
export async function ensureImage(
  docker: Dockerode,
  svc: ServiceSpec,
  step: ImageStep,
  onProgress: ProgressListener,
): Promise<{ warning?: string }> {
  if (step === 'present') return {};
  if (step === 'unavailable') {
    throw new ImageUnavailableError(
      svc.image,
      `Image ${svc.image} is not on this computer and the spec does not allow fetching it (pull_policy: ${svc.pullPolicy}).`,
    );
  }
  const hadImage = (await imageId(docker, svc.image)) !== undefined;
  const keepOld = (what: string, err: unknown) => {
    if (!hadImage) throw err;
    return { warning: `Could not ${what} ${svc.image} (${shortError(describeError(err))}); using the copy already on this computer.` };
  };
  if (step === 'build') {
    try {
      await buildImage(docker, svc, onProgress);
      return {};
    } catch (err) {
      return keepOld('rebuild', err);
    }
  }
  try {
    await pullImage(docker, svc.image, onProgress);
    return {};
  } catch (pullError) {
    if (step === 'pull-or-build') {
      try {
        await buildImage(docker, svc, onProgress);
        return {};
      } catch (buildError) {
        return keepOld('download or build', buildError);
      }
    }
    if (hadImage) return keepOld('download', pullError);
    throw new ImageUnavailableError(
      svc.image,
      `Image ${svc.image} is not available: it is not on this computer, it could not be downloaded (${shortError(describeError(pullError))}), and the course spec has no build context to build it from.`,
    );
  }
}

function shortError(message: string): string {
  if (/no such host|dial tcp|lookup|network is unreachable|i\/o timeout/i.test(message))
    return 'no connection to the image registry';
  if (/not found|manifest unknown|pull access denied/i.test(message)) return 'the registry does not have it';
  return message;
}
