// Pure reading of Swarm's services and tasks into each student's state, as the tutor's table
// and `classroom status` show it. Swarm keeps a few tasks per service (the current one and
// its recent predecessors); the current one is the newest task Swarm still wants running.
// A task whose service has a healthcheck reaches `running` only once the container is healthy
// (Docker's Swarm executor waits for health before reporting it running), and a task that
// turns unhealthy is failed and replaced, so running ⇒ healthy here.
import type { Student, StudentServiceState, StudentServiceStatus, StudentState, StudentStatus } from './types.js';
import { CLASSROOM_LABEL, stackNamespace } from './names.js';

/** The fields of a Swarm task (GET /tasks) that we read. */
export interface SwarmTask {
  ID: string;
  ServiceID: string;
  NodeID?: string;
  DesiredState?: string;
  UpdatedAt?: string;
  CreatedAt?: string;
  Version?: { Index?: number };
  Status?: {
    Timestamp?: string;
    State?: string;
    Message?: string;
    Err?: string;
    ContainerStatus?: { ContainerID?: string; ExitCode?: number };
  };
}

/** The fields of a Swarm service (GET /services) that we read. */
export interface SwarmServiceView {
  ID: string;
  Spec?: {
    Name?: string;
    Labels?: Record<string, string>;
    Mode?: { Replicated?: { Replicas?: number } };
    // Docker answers with `Healthcheck` (its Go field); the request's `HealthCheck` is read case-insensitively.
    TaskTemplate?: { ContainerSpec?: { Healthcheck?: { Test?: string[] }; HealthCheck?: { Test?: string[] } } };
  };
}

const FAILED = new Set(['failed', 'rejected', 'orphaned']);

const taskTime = (t: SwarmTask): string => t.Status?.Timestamp ?? t.UpdatedAt ?? t.CreatedAt ?? '';

/** Newest first: by Swarm's version index, then by time. */
function newestFirst(a: SwarmTask, b: SwarmTask): number {
  const va = a.Version?.Index ?? 0;
  const vb = b.Version?.Index ?? 0;
  if (va !== vb) return vb - va;
  return taskTime(b).localeCompare(taskTime(a));
}

/** The task that says how the service is doing: the newest one meant to run, else the newest. */
export function currentTask(tasks: SwarmTask[]): SwarmTask | undefined {
  const sorted = [...tasks].sort(newestFirst);
  return sorted.find((t) => t.DesiredState === 'running') ?? sorted[0];
}

const hasHealthcheck = (svc: SwarmServiceView): boolean => {
  const spec = svc.Spec?.TaskTemplate?.ContainerSpec;
  const test = (spec?.Healthcheck ?? spec?.HealthCheck)?.Test;
  return Array.isArray(test) && test.length > 0 && test[0] !== 'NONE';
};

export const replicasOf = (svc: SwarmServiceView): number => svc.Spec?.Mode?.Replicated?.Replicas ?? 0;

/** One service of one student, from its Swarm service (if any) and that service's tasks. */
export function serviceStatus(name: string, svc: SwarmServiceView | undefined, tasks: SwarmTask[]): StudentServiceStatus {
  if (!svc) return { service: name, state: 'absent', health: 'none' };
  const task = currentTask(tasks);
  const taskState = task?.Status?.State;
  const message = task?.Status?.Err || (taskState === 'running' ? undefined : task?.Status?.Message) || undefined;
  const checked = hasHealthcheck(svc);
  if (replicasOf(svc) === 0) return { service: name, state: 'stopped', health: 'none', taskState };
  // Anything else (new, pending, preparing, starting, or a finished task about to be replaced
  // after the restart delay) is on its way.
  let state: StudentServiceState = 'starting';
  if (taskState === 'running') state = 'running';
  else if (taskState && FAILED.has(taskState)) state = 'failed';
  const health: StudentServiceStatus['health'] = !checked ? 'none' : state === 'running' ? 'healthy' : state === 'starting' ? 'starting' : 'unhealthy';
  const containerId = state === 'running' ? task?.Status?.ContainerStatus?.ContainerID : undefined;
  return { service: name, state, health, taskState, message, containerId };
}

/** The whole stack's state from its services' states. */
export function stackState(services: StudentServiceStatus[]): StudentState {
  const states = new Set(services.map((s) => s.state));
  if (states.size === 0 || (states.size === 1 && states.has('absent'))) return 'absent';
  if (states.has('failed')) return 'failed';
  if (states.has('starting')) return 'starting';
  const present = services.filter((s) => s.state !== 'absent');
  if (present.every((s) => s.state === 'stopped')) return 'stopped';
  if (services.every((s) => s.state === 'running')) return 'running';
  return 'partial';
}

/**
 * Every student's status. `serviceNames` are the course services deployed for students (those
 * left out, e.g. for want of an image, are not counted); services and tasks are the classroom's
 * (one list call each, for the whole class).
 */
export function classroomStatus(
  course: string,
  students: Student[],
  serviceNames: string[],
  services: SwarmServiceView[],
  tasks: SwarmTask[],
  lastActivity: (studentId: string) => string | undefined = () => undefined,
): StudentStatus[] {
  const byKey = new Map<string, SwarmServiceView>();
  for (const svc of services) {
    const labels = svc.Spec?.Labels ?? {};
    if (labels[CLASSROOM_LABEL.classroom] !== course) continue;
    byKey.set(`${labels[CLASSROOM_LABEL.student]}/${labels[CLASSROOM_LABEL.service]}`, svc);
  }
  const tasksOf = new Map<string, SwarmTask[]>();
  for (const t of tasks) {
    const list = tasksOf.get(t.ServiceID) ?? [];
    list.push(t);
    tasksOf.set(t.ServiceID, list);
  }
  return students.map((student) => {
    const list = serviceNames.map((name) => {
      const svc = byKey.get(`${student.id}/${name}`);
      return serviceStatus(name, svc, svc ? (tasksOf.get(svc.ID) ?? []) : []);
    });
    const state = stackState(list);
    const activity = lastActivity(student.id);
    return {
      student,
      namespace: stackNamespace(course, student.id),
      state,
      ready: list.length > 0 && list.every((s) => s.state === 'running'),
      services: list,
      ...(activity ? { lastActivity: activity } : {}),
    };
  });
}

/** A task Swarm cannot place or start: pending with a reason, or rejected. */
export function taskProblem(task: SwarmTask | undefined): { taskState: string; message: string } | undefined {
  const state = task?.Status?.State;
  if (!task || !state) return undefined;
  const message = task.Status?.Err || task.Status?.Message || '';
  if (state === 'rejected' || state === 'failed') return { taskState: state, message };
  if (state === 'pending' && task.Status?.Err) return { taskState: state, message };
  return undefined;
}
