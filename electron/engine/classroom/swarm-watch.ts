// The classroom's live view of Swarm: what its services and tasks are now, refreshed when
// Docker says something changed (the classroom's one event follower, classroom-events.ts:
// service, node, and this node's container events). Swarm has no task events in the Engine
// API, though, and two moves make no event on this node at all: a task Swarm cannot place
// (PENDING "no suitable node") and a task running on another node. So while someone waits,
// the view is also re-read every
// `fallbackMs` (2 s: PENDING/REJECTED must be reported within 10 s). Each re-read is bounded:
// one services list and one tasks list for the whole class (Swarm keeps at most five tasks per
// service), never one call per student, and at most one re-read runs at a time.
import type Dockerode from 'dockerode';
import type { ClassroomEvents } from './classroom-events.js';
import { classroomFilter } from './names.js';
import type { SwarmServiceView, SwarmTask } from './swarm-state.js';

export interface ClassroomSnapshot {
  services: SwarmServiceView[];
  tasks: SwarmTask[];
}

/** One list of the classroom's services and one of their tasks. */
export async function readClassroom(docker: Dockerode, course: string): Promise<ClassroomSnapshot> {
  const services = (await docker.listServices({ filters: classroomFilter(course) })) as SwarmServiceView[];
  if (services.length === 0) return { services, tasks: [] };
  const tasks = (await docker.listTasks({ filters: { service: services.map((s) => s.ID) } })) as SwarmTask[];
  return { services, tasks };
}

interface Waiter {
  test: (snap: ClassroomSnapshot) => boolean;
  resolve: (snap: ClassroomSnapshot) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

export class SwarmWatch {
  private stopFollowing: (() => void) | undefined;
  private waiters = new Set<Waiter>();
  private listeners = new Set<(snap: ClassroomSnapshot) => void>();
  private running: Promise<ClassroomSnapshot> | undefined;
  private again = false;
  private fallback: NodeJS.Timeout | undefined;
  private closed = false;
  private lastError: string | undefined;
  latest: ClassroomSnapshot | undefined;

  constructor(
    private readonly docker: Dockerode,
    private readonly course: string,
    private readonly events: ClassroomEvents,
    private readonly fallbackMs = 2000,
  ) {}

  /** Follows Docker's events about the class: each one re-reads the view. */
  async open(): Promise<this> {
    this.stopFollowing = await this.events.onEvent(() => void this.refresh().catch(() => undefined));
    return this;
  }

  /** Calls `listener` with every new view until the returned function is called. */
  onChange(listener: (snap: ClassroomSnapshot) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Reads the view now; a call during a read gets that read's result followed by one more. */
  refresh(): Promise<ClassroomSnapshot> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        let snap: ClassroomSnapshot;
        do {
          this.again = false;
          snap = await readClassroom(this.docker, this.course).catch((err: unknown) => {
            this.lastError = err instanceof Error ? err.message : String(err);
            throw err;
          });
          this.lastError = undefined;
          this.latest = snap;
          this.deliver(snap);
        } while (this.askedAgain() && !this.closed);
        return snap;
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  private deliver(snap: ClassroomSnapshot): void {
    for (const l of this.listeners) l(snap);
    for (const w of [...this.waiters]) {
      if (!w.test(snap)) continue;
      this.waiters.delete(w);
      clearTimeout(w.timer);
      w.resolve(snap);
    }
    this.updateFallback();
  }

  private updateFallback(): void {
    const wanted = !this.closed && (this.waiters.size > 0 || this.listeners.size > 0);
    if (wanted && !this.fallback) {
      this.fallback = setInterval(() => void this.refresh().catch(() => undefined), this.fallbackMs);
    } else if (!wanted && this.fallback) {
      clearInterval(this.fallback);
      this.fallback = undefined;
    }
  }

  /** Resolves with the first view for which `test` holds; rejects after `timeoutMs`. */
  until(test: (snap: ClassroomSnapshot) => boolean, timeoutMs: number, what = 'the classroom'): Promise<ClassroomSnapshot> {
    return new Promise<ClassroomSnapshot>((resolve, reject) => {
      const waiter: Waiter = {
        test,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters.delete(waiter);
          this.updateFallback();
          const cause = this.lastError ? ` (last error: ${this.lastError})` : '';
          reject(new Error(`Timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}${cause}.`));
        }, timeoutMs),
      };
      this.waiters.add(waiter);
      this.updateFallback();
      // A failed read (Docker restarting) is retried by the fallback timer until the timeout.
      void this.refresh().catch(() => undefined);
    });
  }

  /** Whether refresh() was called during the read: a method, as it changes while the read awaits. */
  private askedAgain(): boolean {
    return this.again;
  }

  close(): void {
    this.closed = true;
    this.stopFollowing?.();
    this.stopFollowing = undefined;
    for (const w of this.waiters) {
      clearTimeout(w.timer);
      w.reject(new Error('The classroom watch was closed.'));
    }
    this.waiters.clear();
    this.listeners.clear();
    this.updateFallback();
  }
}
