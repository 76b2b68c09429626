// Tasks Swarm cannot place or run, in words a tutor can act on. At the start of a class a stack
// that never comes up must be said within seconds, not found after a five-minute timeout:
// Swarm keeps such a task PENDING (the scheduler found no node: "no suitable node (insufficient
// resources on 1 node)") or marks it REJECTED (the node could not prepare it: "No such image").
// Swarm's scheduler does not say which resource is short, so `describeTaskProblem` works it out
// from the task's reservations and the nodes' free resources ("no suitable node: insufficient
// memory (…)"). Deciding is pure and unit-tested; `watchTaskProblems` only polls Docker
// (Swarm has no event for a task's state) and reports each problem task once.
import type Dockerode from 'dockerode';
import { CLASSROOM_LABEL } from './names.js';

/** The fields of a Swarm task this module reads (dockerode types them loosely). */
export interface SwarmTask {
  ID: string;
  ServiceID: string;
  NodeID?: string;
  Slot?: number;
  CreatedAt?: string;
  DesiredState?: string;
  Status?: { State?: string; Message?: string; Err?: string; Timestamp?: string };
  Spec?: {
    Resources?: { Reservations?: { NanoCPUs?: number; MemoryBytes?: number } };
    Placement?: { Constraints?: string[] };
    ContainerSpec?: { Image?: string };
  };
}

/** A node as far as placement goes: what it has, and whether it takes tasks. */
export interface SwarmNodeFacts {
  id: string;
  hostname: string;
  nanoCpus: number;
  memoryBytes: number;
  /** Ready and availability active: the scheduler may place tasks on it. */
  schedulable: boolean;
}

export interface TaskProblem {
  taskId: string;
  serviceId: string;
  /** Swarm's state of the task: `pending`, `rejected`, `failed`. */
  taskState: string;
  /** What is wrong, in words, starting with Swarm's own verdict. */
  message: string;
}

/** States in which a task holds its reservations on its node. */
const HOLDING = new Set(['assigned', 'accepted', 'preparing', 'ready', 'starting', 'running']);

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

export function formatMemory(bytes: number): string {
  if (bytes >= GiB) return `${(bytes / GiB).toFixed(bytes >= 10 * GiB ? 0 : 1)} GiB`;
  return `${Math.round(bytes / MiB)} MiB`;
}

const formatCpus = (nano: number): string => `${+(nano / 1e9).toFixed(2)} CPU`;

/** Per node: what is already reserved by tasks that hold their place there. */
export function reservedByNode(tasks: SwarmTask[]): Map<string, { nanoCpus: number; memoryBytes: number }> {
  const out = new Map<string, { nanoCpus: number; memoryBytes: number }>();
  for (const t of tasks) {
    if (!t.NodeID || t.DesiredState !== 'running' || !HOLDING.has(t.Status?.State ?? '')) continue;
    const r = t.Spec?.Resources?.Reservations;
    const sum = out.get(t.NodeID) ?? { nanoCpus: 0, memoryBytes: 0 };
    sum.nanoCpus += r?.NanoCPUs ?? 0;
    sum.memoryBytes += r?.MemoryBytes ?? 0;
    out.set(t.NodeID, sum);
  }
  return out;
}

/** Why no node has room for `task`: memory, CPU or both, with the numbers. */
function insufficientResources(task: SwarmTask, nodes: SwarmNodeFacts[], reserved: ReturnType<typeof reservedByNode>): string {
  const want = task.Spec?.Resources?.Reservations ?? {};
  const usable = nodes.filter((n) => n.schedulable);
  if (usable.length === 0) return 'no suitable node: no node is ready and active';
  const free = usable.map((n) => {
    const r = reserved.get(n.id) ?? { nanoCpus: 0, memoryBytes: 0 };
    return { node: n, memory: n.memoryBytes - r.memoryBytes, cpus: n.nanoCpus - r.nanoCpus };
  });
  const most = (pick: (f: (typeof free)[number]) => number) => free.reduce((a, b) => (pick(b) > pick(a) ? b : a));
  const parts: string[] = [];
  const wantMem = want.MemoryBytes ?? 0;
  const wantCpu = want.NanoCPUs ?? 0;
  if (wantMem > 0 && free.every((f) => f.memory < wantMem)) {
    const best = most((f) => f.memory);
    parts.push(
      `insufficient memory (the service reserves ${formatMemory(wantMem)}; the most any node has free is ` +
        `${formatMemory(Math.max(0, best.memory))} of ${formatMemory(best.node.memoryBytes)}, on ${best.node.hostname})`,
    );
  }
  if (wantCpu > 0 && free.every((f) => f.cpus < wantCpu)) {
    const best = most((f) => f.cpus);
    parts.push(
      `insufficient CPU (the service reserves ${formatCpus(wantCpu)}; the most any node has free is ` +
        `${formatCpus(Math.max(0, best.cpus))} of ${formatCpus(best.node.nanoCpus)}, on ${best.node.hostname})`,
    );
  }
  // Neither alone is short on every node: each node lacks one or the other.
  if (parts.length === 0) parts.push('insufficient resources (no node has both the memory and the CPU the service reserves free at once)');
  return `no suitable node: ${parts.join('; ')}`;
}

/** Swarm's scheduler and node errors, said so a tutor knows what to change. */
function inWords(task: SwarmTask, nodes: SwarmNodeFacts[], reserved: ReturnType<typeof reservedByNode>): string {
  const err = task.Status?.Err ?? '';
  const said = err || task.Status?.Message || 'no reason given';
  const image = task.Spec?.ContainerSpec?.Image?.replace(/@sha256:[0-9a-f]+$/, '');
  if (/insufficient resources/i.test(err)) return insufficientResources(task, nodes, reserved);
  if (/scheduling constraints not satisfied/i.test(err)) {
    const constraints = task.Spec?.Placement?.Constraints?.join(', ') ?? '';
    return `no suitable node: no available node matches the placement constraint ${constraints} (the node holding this student's volumes is down, drained or gone)`;
  }
  if (/host-mode port already in use/i.test(err)) return 'no suitable node: the port the service publishes is already in use on every node';
  if (/unsupported platform/i.test(err)) return `no suitable node: the image ${image ?? ''} is not built for the nodes' platform`;
  if (/missing plugin/i.test(err)) return 'no suitable node: a volume or network plugin the service needs is missing on every node';
  if (/no such image|pull access denied|manifest unknown|not found/i.test(err) && image) {
    return `the image ${image} is not on the node and could not be pulled: prepare the images before class (Swarm says: ${err})`;
  }
  return said;
}

const FAILED = new Set(['rejected', 'failed']);
const WAITING = new Set(['new', 'pending', 'assigned']);

/** The newest task of each replica slot (older ones are history). */
function newestPerSlot(tasks: SwarmTask[]): SwarmTask[] {
  const newest = new Map<string, SwarmTask>();
  for (const t of tasks) {
    const key = `${t.ServiceID}/${t.Slot ?? t.NodeID ?? t.ID}`;
    const seen = newest.get(key);
    if (!seen || (t.CreatedAt ?? '') > (seen.CreatedAt ?? '')) newest.set(key, t);
  }
  return [...newest.values()];
}

/**
 * The problem tasks among `tasks` (all tasks of the services watched, any desired state):
 * a replica whose newest task is PENDING with a scheduler error, or REJECTED/FAILED; and a
 * replica waiting out the restart delay after a rejection (its newest task is still new, its
 * previous one rejected), so the reason is said while Swarm retries.
 */
export function taskProblems(tasks: SwarmTask[], nodes: SwarmNodeFacts[]): TaskProblem[] {
  const reserved = reservedByNode(tasks);
  const out: TaskProblem[] = [];
  for (const newest of newestPerSlot(tasks)) {
    const state = newest.Status?.State ?? '';
    // Scaled to 0 or removed: stopped on purpose, whatever its last task did.
    if (newest.DesiredState === 'shutdown' || newest.DesiredState === 'remove') continue;
    let task: SwarmTask | undefined;
    if (FAILED.has(state) || (state === 'pending' && newest.Status?.Err)) task = newest;
    else if (WAITING.has(state)) {
      // Waiting out the restart delay after a rejection: say the rejection.
      const previous = tasks
        .filter((t) => t.ServiceID === newest.ServiceID && t.Slot === newest.Slot && t.ID !== newest.ID)
        .sort((a, b) => (b.CreatedAt ?? '').localeCompare(a.CreatedAt ?? ''))[0];
      if (previous && FAILED.has(previous.Status?.State ?? '')) task = previous;
    }
    if (!task) continue;
    out.push({ taskId: task.ID, serviceId: task.ServiceID, taskState: task.Status?.State ?? 'unknown', message: inWords(task, nodes, reserved) });
  }
  return out;
}

export function nodeFacts(nodes: unknown[]): SwarmNodeFacts[] {
  return (nodes as Array<{
    ID: string;
    Description?: { Hostname?: string; Resources?: { NanoCPUs?: number; MemoryBytes?: number } };
    Status?: { State?: string };
    Spec?: { Availability?: string };
  }>).map((n) => ({
    id: n.ID,
    hostname: n.Description?.Hostname ?? n.ID.slice(0, 12),
    nanoCpus: n.Description?.Resources?.NanoCPUs ?? 0,
    memoryBytes: n.Description?.Resources?.MemoryBytes ?? 0,
    schedulable: n.Status?.State === 'ready' && (n.Spec?.Availability ?? 'active') === 'active',
  }));
}

/** A problem task of a classroom's service, with whose it is. */
export interface StudentTaskProblem extends TaskProblem {
  student: string;
  service: string;
}

export interface WatchOptions {
  /** Only these Swarm services (by label filter). Default: every service of the course. */
  course: string;
  /** Students to watch (default: all of the course). */
  students?: string[];
  /** How often Swarm is asked. Default 1 s, so a problem is said well within 10 s. */
  intervalMs?: number;
  onProblem: (problem: StudentTaskProblem) => void;
}

/** One poll: the classroom's problem tasks now. */
export async function classroomTaskProblems(docker: Dockerode, course: string, students?: string[]): Promise<StudentTaskProblem[]> {
  const services = (await docker.listServices({ filters: { label: [`${CLASSROOM_LABEL.classroom}=${course}`] } })) as Array<{
    ID: string;
    Spec?: { Labels?: Record<string, string> };
  }>;
  const whose = new Map<string, { student: string; service: string }>();
  for (const s of services) {
    const labels = s.Spec?.Labels ?? {};
    const student = labels[CLASSROOM_LABEL.student];
    const service = labels[CLASSROOM_LABEL.service];
    if (!student || !service || (students && !students.includes(student))) continue;
    whose.set(s.ID, { student, service });
  }
  if (whose.size === 0) return [];
  const [tasks, nodes] = await Promise.all([
    docker.listTasks({ filters: { service: [...whose.keys()] } }) as Promise<SwarmTask[]>,
    docker.listNodes() as Promise<unknown[]>,
  ]);
  // Reservations on a node count every task there, not only the watched ones.
  const allTasks = (await docker.listTasks({ filters: { 'desired-state': ['running'] } })) as SwarmTask[];
  const watched = tasks.filter((t) => whose.has(t.ServiceID));
  const others = allTasks.filter((t) => !whose.has(t.ServiceID));
  return taskProblems([...watched, ...others], nodeFacts(nodes))
    .flatMap((p) => {
      const owner = whose.get(p.serviceId);
      return owner ? [{ ...p, ...owner }] : [];
    });
}

/**
 * Polls Swarm until stopped and reports each problem task once (a task retried after a
 * rejection is a new task, so a repeated failure is said again with its new reason). Errors
 * talking to Docker are not problems of a task: the next poll tries again.
 */
export function watchTaskProblems(docker: Dockerode, options: WatchOptions): { stop(): void } {
  const said = new Set<string>();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const poll = async () => {
    try {
      for (const p of await classroomTaskProblems(docker, options.course, options.students)) {
        const key = `${p.taskId}/${p.taskState}`;
        if (said.has(key) || stopped) continue;
        said.add(key);
        options.onProblem(p);
      }
    } catch {
      // Docker busy or restarting: asked again at the next tick.
    }
    if (!stopped) timer = setTimeout(() => void poll(), options.intervalMs ?? 1_000);
  };
  void poll();
  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
