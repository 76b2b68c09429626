// "Start class": the tutor's one action at the start of a tutorial, done so that it ends in a
// room of working notebooks rather than 30 Jupyter servers fighting over two cores.
// 1. Images first, on every node (`prepareImages`): built or pulled here with progress, as a
//    laptop's `up` does; on a Swarm of several nodes, pushed to the class's registry and pulled
//    on every node by a one-shot global job, so no student's task waits on a download.
// 2. Stacks started a few at a time (`classroom.start` with bounded concurrency: the next
//    student starts when one of the running starts is ready), with "23 of 30 ready" progress.
// 3. Meanwhile any task Swarm cannot place or run (PENDING/REJECTED) is said within seconds in
//    words (task-problems.ts), instead of surfacing as a timeout minutes later.
// Everything is reported as typed events (`StartClassEvent`); the CLI and the tutor's view
// print or show them.
import { cpus } from 'node:os';
import type Dockerode from 'dockerode';
import { buildContextHash } from '../docker/build-context.js';
import { describeError } from '../describe-error.js';
import { ensureImage, imageFacts } from '../docker/images.js';
import type { ProgressState } from '../docker/progress.js';
import { builtImageStale, decideImage } from '../plan/decisions.js';
import type { ServiceSpec } from '../spec/types.js';
import { CLASSROOM_LABEL } from './names.js';
import { nodeFacts, watchTaskProblems, type SwarmTask } from './task-problems.js';
import type { ClassroomEvent, ClassroomListener, StartOptions } from './types.js';

/** An image's preparation, on this node or on every node of the Swarm. */
export type ImageEvent =
  | { kind: 'image'; image: string; state: 'present' | 'pulling' | 'building' | 'pushing' | 'ready'; detail?: string }
  | { kind: 'image'; image: string; state: 'failed'; detail: string }
  /** The pre-pull on every node: how many nodes have it. */
  | { kind: 'image-nodes'; image: string; ready: number; total: number };

export type StartClassEvent =
  | ClassroomEvent
  | ImageEvent
  /** The class as a whole: `text` is "23 of 30 ready". */
  | { kind: 'class-progress'; ready: number; total: number; text: string }
  | { kind: 'class-ready'; ready: number; total: number; seconds: number; problems: number };

export type StartClassListener = (event: StartClassEvent) => void;

export const progressText = (ready: number, total: number): string => `${ready} of ${total} ready`;

/**
 * How many stacks start at once by default: three per core. A Jupyter server and a PostgreSQL
 * starting spend much of their start waiting (imports from disk, the first health probe), so a
 * few per core keep the cores busy; many more only make every start slower and the health
 * checks' timeouts nearer (30 at once on 2 cores is what this bound is for).
 */
export const defaultConcurrency = (): number => Math.max(2, 3 * cpus().length);

// ---------------------------------------------------------------------------------------------
// Images

/** Short progress of a pull (bytes over layers) or a build (its last line). */
export function progressDetail(state: ProgressState): string | undefined {
  if (state.kind === 'pull') {
    const total = state.layers.reduce((n, l) => n + (l.total ?? 0), 0);
    const current = state.layers.reduce((n, l) => n + (l.current ?? 0), 0);
    if (total > 0) return `${Math.round((100 * current) / total)}% of ${Math.round(total / 1024 ** 2)} MB`;
  }
  return state.lines[state.lines.length - 1];
}

export interface PrepareImagesOptions {
  /** The course services deployed for students (left-out ones excluded). */
  services: ServiceSpec[];
  /**
   * A registry every node can pull from (`registry.example.org:5000`): with more than one node,
   * images built or pulled here are pushed there and pulled by every node. Not needed on one node.
   */
  registry?: string;
  /** Pre-pull on every node even on a single node (tests; a node that joined late). */
  onEveryNode?: boolean;
  onEvent?: StartClassListener;
}

/** The image each node pulls: the registry's copy when there is a registry. */
export const registryRef = (registry: string | undefined, image: string): string =>
  registry ? `${registry.replace(/\/+$/, '')}/${image.replace(/^docker\.io\//, '')}` : image;

/** Builds or pulls one service's image on this node, as a laptop's `up` would. */
async function ensureHere(docker: Dockerode, svc: ServiceSpec, emit: StartClassListener): Promise<void> {
  const facts = await imageFacts(docker, svc.image);
  const hash = svc.build ? await buildContextHash(svc.build).catch(() => undefined) : undefined;
  const step = decideImage(svc, facts !== undefined, false, builtImageStale(svc, facts, hash));
  if (step === 'present') {
    emit({ kind: 'image', image: svc.image, state: 'present' });
    return;
  }
  let last = 0;
  const { warning } = await ensureImage(docker, svc, step, (p) => {
    const now = Date.now();
    if (!p.done && now - last < 500) return;
    last = now;
    emit({ kind: 'image', image: svc.image, state: p.kind === 'build' ? 'building' : 'pulling', detail: progressDetail(p) });
  });
  if (warning) emit({ kind: 'warning', message: warning });
  emit({ kind: 'image', image: svc.image, state: 'ready' });
}

async function pushToRegistry(docker: Dockerode, image: string, registry: string, emit: StartClassListener): Promise<string> {
  const target = registryRef(registry, image);
  const colon = target.lastIndexOf(':');
  const [repo, tag] = colon > target.lastIndexOf('/') ? [target.slice(0, colon), target.slice(colon + 1)] : [target, 'latest'];
  await docker.getImage(image).tag({ repo, tag });
  emit({ kind: 'image', image, state: 'pushing', detail: target });
  const stream = await docker.getImage(target).push({});
  await new Promise<void>((resolve, reject) =>
    docker.modem.followProgress(stream, (err: Error | null, out: Array<{ error?: string }>) => {
      const failed = err?.message ?? out.find((o) => o.error)?.error;
      if (failed) reject(new Error(`could not push ${target}: ${failed}`));
      else resolve();
    }),
  );
  return target;
}

/**
 * Every node pulls `ref`: a global job (one task per node, command `true`) whose tasks
 * complete once the node has the image. Resolves when every node's task completed; a node
 * whose task is rejected (cannot pull) fails it with Swarm's reason.
 */
export async function pullOnEveryNode(docker: Dockerode, ref: string, emit: StartClassListener, timeoutMs = 30 * 60_000): Promise<void> {
  const nodes = nodeFacts((await docker.listNodes()) as unknown[]).filter((n) => n.schedulable);
  const name = `coursedock-prepull-${Math.random().toString(36).slice(2, 10)}`;
  const service = await docker.createService({
    Name: name,
    Labels: { [CLASSROOM_LABEL.managedBy]: 'coursedock', 'org.coursedock.classroom-role': 'pre-pull' },
    TaskTemplate: {
      ContainerSpec: { Image: ref, Command: ['true'] },
      RestartPolicy: { Condition: 'none' },
    },
    Mode: { GlobalJob: {} },
  });
  try {
    const deadline = Date.now() + timeoutMs;
    let reported = -1;
    for (;;) {
      const tasks = (await docker.listTasks({ filters: { service: [name] } })) as SwarmTask[];
      const done = new Set(tasks.filter((t) => t.Status?.State === 'complete').map((t) => t.NodeID));
      if (done.size !== reported) {
        reported = done.size;
        emit({ kind: 'image-nodes', image: ref, ready: done.size, total: nodes.length });
      }
      if (nodes.every((n) => done.has(n.id))) return;
      const bad = tasks.find((t) => ['rejected', 'failed'].includes(t.Status?.State ?? '') && !done.has(t.NodeID));
      if (bad) {
        const host = nodes.find((n) => n.id === bad.NodeID)?.hostname ?? bad.NodeID ?? 'a node';
        throw new Error(`${host} could not get ${ref}: ${bad.Status?.Err || bad.Status?.Message || bad.Status?.State}`);
      }
      if (Date.now() > deadline) throw new Error(`${ref} was not on every node after ${Math.round(timeoutMs / 60_000)} minutes`);
      await new Promise((r) => setTimeout(r, 1_000));
    }
  } finally {
    await service.remove().catch(() => undefined);
  }
}

/**
 * The class's images on every node, before anyone starts: built or pulled on this node; with
 * several nodes, pushed to `registry` and pulled on every node. Throws (and says so in a
 * `failed` event) when an image cannot be had, naming it and why.
 */
export async function prepareImages(docker: Dockerode, options: PrepareImagesOptions): Promise<void> {
  const emit = options.onEvent ?? (() => undefined);
  const byImage = new Map<string, ServiceSpec>();
  for (const svc of options.services) if (!byImage.has(svc.image)) byImage.set(svc.image, svc);
  const nodes = nodeFacts((await docker.listNodes()) as unknown[]).filter((n) => n.schedulable);
  const everyNode = options.onEveryNode || nodes.length > 1;
  if (nodes.length > 1 && !options.registry) {
    const built = [...byImage.values()].filter((s) => s.build).map((s) => s.image);
    if (built.length) {
      const message =
        `This Swarm has ${nodes.length} nodes, and ${built.join(', ')} ${built.length === 1 ? 'is' : 'are'} built from the course's files on this node only: ` +
        'give a registry every node can pull from (--registry host:port) so the other nodes get them.';
      emit({ kind: 'warning', message });
    }
  }
  for (const [image, svc] of byImage) {
    try {
      await ensureHere(docker, svc, emit);
      if (!everyNode) continue;
      const ref = options.registry ? await pushToRegistry(docker, image, options.registry, emit) : image;
      await pullOnEveryNode(docker, ref, emit);
      emit({ kind: 'image', image, state: 'ready', detail: `on all ${nodes.length} node${nodes.length === 1 ? '' : 's'}` });
    } catch (err) {
      const detail = describeError(err);
      emit({ kind: 'image', image, state: 'failed', detail });
      throw new Error(`Image ${image}: ${detail}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Starting the class

/** What starting a class needs of the classroom engine (classroom.ts's Classroom has these). */
export interface StartTarget {
  readonly course: string;
  start(ids?: string[], options?: StartOptions): Promise<unknown>;
}

export interface StartClassOptions {
  /** Students to start (default: the whole roster). */
  students?: string[];
  /** How many stacks start at once (default: three per core). */
  concurrency?: number;
  /** Images are prepared first unless false (e.g. `classroom start` right after `up`). */
  prepare?: false | Omit<PrepareImagesOptions, 'onEvent'>;
  /** Give up waiting for one student after this long (passed to `start`). */
  timeoutMs?: number;
  /** How often Swarm is asked about stuck tasks (default 1 s). */
  problemPollMs?: number;
  onEvent?: StartClassListener;
}

export interface StartClassResult {
  ready: number;
  total: number;
  seconds: number;
  /** Tasks Swarm could not place or run, as said while starting. */
  problems: Array<{ student: string; service: string; taskState: string; message: string }>;
}

/**
 * Prepares the images, then starts the students' stacks a few at a time, reporting
 * "n of N ready" as each becomes ready and any stuck task in words as soon as Swarm has one.
 * The stacks' own readiness (running and healthy) is the classroom engine's; this only counts.
 */
export async function startClass(docker: Dockerode, classroom: StartTarget, options: StartClassOptions = {}): Promise<StartClassResult> {
  const emit = options.onEvent ?? (() => undefined);
  const t0 = Date.now();
  if (options.prepare) await prepareImages(docker, { ...options.prepare, onEvent: emit });
  const problems: StartClassResult['problems'] = [];
  const said = new Set<string>();
  const sayProblem = (p: { student: string; service: string; taskState: string; message: string }) => {
    // One line per student's service and reason, however many times Swarm retries it.
    const key = `${p.student}/${p.service}/${p.message}`;
    if (said.has(key)) return;
    said.add(key);
    problems.push(p);
    emit({ kind: 'task-problem', ...p });
  };
  const watcher = watchTaskProblems(docker, {
    course: classroom.course,
    students: options.students,
    intervalMs: options.problemPollMs,
    onProblem: (p) => sayProblem({ student: p.student, service: p.service, taskState: p.taskState, message: p.message }),
  });
  let ready = 0;
  let total = options.students?.length ?? 0;
  const onEvent: ClassroomListener = (e) => {
    // The engine's own task-problem words are replaced by ours (with the resource that is short).
    if (e.kind === 'task-problem') return;
    emit(e);
    if (e.kind === 'student-ready') {
      ready = e.ready;
      total = e.total;
      emit({ kind: 'class-progress', ready, total, text: progressText(ready, total) });
    }
  };
  try {
    if (total > 0) emit({ kind: 'class-progress', ready: 0, total, text: progressText(0, total) });
    await classroom.start(options.students, {
      concurrency: options.concurrency ?? defaultConcurrency(),
      waitReady: true,
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
      onEvent,
    });
  } finally {
    watcher.stop();
  }
  const seconds = (Date.now() - t0) / 1000;
  emit({ kind: 'class-ready', ready, total, seconds, problems: problems.length });
  return { ready, total, seconds, problems };
}
