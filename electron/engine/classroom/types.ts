// The classroom's vocabulary: a roster of students, each with their own copy of a course's
// stack on Docker Swarm, and what the engine reports about them. Shared by the classroom
// engine (classroom.ts), the front door (front-door/) and start-of-class / culling code, so
// each speaks of students, states and events the same way.

/** One line of the roster: a stable id (used in names of Docker objects) and a display name. */
export interface Student {
  /** `[a-z0-9][a-z0-9-]{0,30}`: safe in service, network and volume names. */
  id: string;
  name: string;
}

/** What Swarm says about one service of one student, in our words. */
export type StudentServiceState =
  /** No Swarm service exists (class not up, or the service was left out). */
  | 'absent'
  /** Scaled to 0 replicas: stopped on purpose, volumes kept. */
  | 'stopped'
  /** Scaled to 1, no task running yet (pending, assigned, preparing, starting). */
  | 'starting'
  | 'running'
  /** The latest task failed or was rejected; `message` says Swarm's reason. */
  | 'failed';

export type StudentServiceHealth = 'healthy' | 'unhealthy' | 'starting' | 'none';

export interface StudentServiceStatus {
  service: string;
  state: StudentServiceState;
  health: StudentServiceHealth;
  /** Swarm's task state as it reported it (`pending`, `rejected`, `running`, …), if any task. */
  taskState?: string;
  /** Swarm's reason or error for the latest task, when it is not simply running. */
  message?: string;
  /** Container id of the running task, on this node (for exec, stats, logs). */
  containerId?: string;
  /** Filled only when status is asked `{ resources: true }`. */
  cpuPercent?: number;
  memoryBytes?: number;
}

/** A student's whole stack, as the tutor's table and `classroom status` show it. */
export type StudentState = 'absent' | 'stopped' | 'starting' | 'running' | 'partial' | 'failed';

export interface StudentStatus {
  student: Student;
  /** The Swarm stack namespace `<course>-<student>`. */
  namespace: string;
  state: StudentState;
  /** True when every service with a healthcheck is healthy and every service is running. */
  ready: boolean;
  services: StudentServiceStatus[];
  /** ISO time of the last recorded activity (front door traffic), if any. */
  lastActivity?: string;
}

/** A course service not deployed for students, with the reason (e.g. image not available). */
export interface LeftOutService {
  service: string;
  reason: string;
}

/** Progress and problems of classroom operations, as typed events (CLI prints, UI shows). */
export type ClassroomEvent =
  | { kind: 'warning'; message: string; student?: string; service?: string }
  | { kind: 'left-out'; service: string; reason: string }
  | { kind: 'student-deployed'; student: string; done: number; total: number }
  /**
   * The stack answers: every service's own healthcheck passed when we ran it (start-slot.ts),
   * so its start slot is free; Swarm's own verdict (`student-ready`) follows.
   */
  | { kind: 'student-answering'; student: string }
  | { kind: 'student-ready'; student: string; ready: number; total: number }
  /** The course's starter notebooks copied into the student's notebooks volume (first start). */
  | { kind: 'starters-copied'; student: string; copied: string[]; kept: string[] }
  | { kind: 'student-stopped'; student: string; done: number; total: number }
  | { kind: 'student-removed'; student: string; done: number; total: number }
  /** A task Swarm cannot place or run (PENDING/REJECTED), with Swarm's reason. */
  | { kind: 'task-problem'; student: string; service: string; taskState: string; message: string }
  | { kind: 'service-reinstalled'; student: string; service: string }
  | { kind: 'service-reset'; student: string; service: string; volumes: string[] };

export type ClassroomListener = (event: ClassroomEvent) => void;

export interface UpOptions {
  /** Deploy scaled to 0 (stacks exist, nothing runs until `start`). Default false. */
  stopped?: boolean;
  /**
   * Only these course services (a tutorial that needs the notebook and the database, not
   * every tool the course ships); the others are left out with that reason. Default: all.
   */
  services?: string[];
  onEvent?: ClassroomListener;
}

export interface DownOptions {
  /** Keep the students' volumes (their data). Default true. */
  keepVolumes?: boolean;
  onEvent?: ClassroomListener;
}

export interface StartOptions {
  /** How many students' stacks start at once. Default 4. */
  concurrency?: number;
  /** Wait until each started student is ready (running and healthy). Default true. */
  waitReady?: boolean;
  /** Give up waiting for one student after this long. Default 300 000 ms. */
  timeoutMs?: number;
  onEvent?: ClassroomListener;
}

export interface StatusOptions {
  /** Also read CPU and memory of each running container (one stats call each). */
  resources?: boolean;
}
