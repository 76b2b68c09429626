// The environment's side of "one writer per project": holds the project lock around each
// operation that changes Docker (saying whose work it waits for), keeps the operation journal
// of reinstalls and resets, and finishes or undoes what the journal says was cut short. The
// environment calls a handful of hooks; the decisions live in journal/decide-recovery.ts and
// the Docker calls in docker/.
import os from 'node:os';
import type Dockerode from 'dockerode';
import { listProjectContainers, removeContainer, removeVolume, ensureVolume, volumeExists } from '../docker/containers.js';
import { describeError } from '../describe-error.js';
import { decideRecovery, recoveredMessage, recoveringMessage, type RecoveryPlan } from '../journal/decide-recovery.js';
import type { JournalEntry, JournalKind, JournalStep } from '../journal/journal-entry.js';
import { stepIndex } from '../journal/journal-entry.js';
import { JournalStore } from '../journal/journal-store.js';
import type { CourseSpec } from '../spec/types.js';
import { describeHolder, pidAlive, type ProcessKind, type ProjectLock } from './project-lock.js';

export interface WriterNotice {
  level: 'info' | 'warning' | 'error';
  message: string;
  service?: string;
}

/** What the writer needs from its environment. */
export interface WriterHost {
  spec: CourseSpec;
  docker(): Promise<Dockerode>;
  notice(n: WriterNotice): void;
  title(service: string): string;
  /** Shows (or, with undefined, stops showing) a waiting phase on these services. */
  waiting(services: string[], text: string | undefined): void;
  /** Brings a service up in its queue, fetching or building its image again when asked. */
  bringUp(service: string, kind: JournalKind, refreshImage: boolean): Promise<{ ok: boolean; error?: string }>;
}

export interface Coordination {
  dataDir: string;
  processKind: ProcessKind;
  lock: ProjectLock;
}

const CONNECTION_LOST = /connection refused|no such socket|socket hang up|ECONNRESET|EPIPE|Lost the connection|Docker is not connected/i;

export class ProjectWriter {
  private readonly journal?: JournalStore;
  private readonly open = new Map<string, JournalEntry>();
  private readonly recovering = new Set<string>();
  private pending: Array<Promise<WriterNotice>> = [];
  /** How each recovery ended, for a panel that connects afterwards. */
  readonly outcomes: Array<WriterNotice & { at: number }> = [];
  private readonly hook = () => this.recoverUnderLock();

  constructor(
    private readonly host: WriterHost,
    private readonly coordination?: Coordination,
  ) {
    if (coordination) {
      this.journal = new JournalStore(coordination.dataDir, host.spec.project);
      coordination.lock.onAcquired = this.hook;
    }
  }

  dispose(): void {
    if (this.coordination?.lock.onAcquired === this.hook) this.coordination.lock.onAcquired = undefined;
  }

  /**
   * Waits for the project lock (other processes' work first, said in words on `services`),
   * then returns the function that lets go of it.
   */
  async hold(activity: string, services: string[]): Promise<() => void> {
    const lock = this.coordination?.lock;
    if (!lock) return () => undefined;
    // Set from the callback, so an object the compiler does not narrow to its first value.
    const waiting = { shown: false };
    const release = await lock.acquire(activity, (holder) => {
      waiting.shown = true;
      const text = `waiting for ${describeHolder(holder)}`;
      this.host.waiting(services, text);
      this.host.notice({ level: 'info', message: `Waiting for ${describeHolder(holder)}…`, ...(services.length === 1 ? { service: services[0] } : {}) });
    });
    if (waiting.shown) this.host.waiting(services, undefined);
    return release;
  }

  // ---- journal --------------------------------------------------------------------------

  /** Records a reinstall's or reset's intent before it touches Docker (the lock is held). */
  async begin(kind: JournalKind, service: string, volumes: string[]): Promise<void> {
    if (!this.journal || !this.coordination) return;
    const docker = await this.host.docker();
    const oldContainers = (await listProjectContainers(docker, this.host.spec.project))
      .filter((c) => c.service === service && !c.oneoff)
      .map((c) => c.id);
    const now = Date.now();
    const entry: JournalEntry = {
      version: 1,
      kind,
      project: this.host.spec.project,
      service,
      step: 'intent',
      startedAt: now,
      updatedAt: now,
      by: { pid: process.pid, host: os.hostname(), processKind: this.coordination.processKind },
      oldContainers,
      volumes: kind === 'reset' ? volumes : [],
    };
    this.open.set(service, entry);
    this.journal.write(entry);
  }

  /** Records that an open operation on the service reached a step. */
  mark(service: string, step: JournalStep): void {
    const entry = this.open.get(service);
    if (!entry || !this.journal || stepIndex(step) < stepIndex(entry.step)) return;
    const next = { ...entry, step, updatedAt: Date.now() };
    this.open.set(service, next);
    this.journal.write(next);
  }

  /** The operation on the service ended: its entry goes, unless Docker went away mid-way. */
  end(service: string, error?: unknown): void {
    const entry = this.open.get(service);
    if (!entry || !this.journal) return;
    this.open.delete(service);
    if (error !== undefined && CONNECTION_LOST.test(describeError(error))) return; // finished on reconnect
    this.removeEntry(entry);
  }

  private removeEntry(entry: JournalEntry): void {
    // Only the very entry: a newer operation on the service may have written its own.
    if (this.journal?.get(entry.service)?.startedAt === entry.startedAt) this.journal.remove(entry.service);
  }

  // ---- recovery -------------------------------------------------------------------------

  /**
   * Finishes (or undoes) every operation the journal says was cut short, and resolves with
   * what was said about each. Run when the environment opens and when Docker comes back.
   */
  async recover(): Promise<WriterNotice[]> {
    const lock = this.coordination?.lock;
    if (!lock || !this.recoverable().length) return this.settle();
    // Taking the lock runs recoverUnderLock before any other work of this process goes on.
    if (lock.isHeld()) await this.recoverUnderLock();
    else (await this.hold('completion of an interrupted operation', []))();
    return this.settle();
  }

  private async settle(): Promise<WriterNotice[]> {
    const out: WriterNotice[] = [];
    while (this.pending.length) out.push(...(await Promise.all(this.pending.splice(0))));
    return out;
  }

  /** Entries nobody is working on: not ours in flight, not being finished by a live process. */
  private recoverable(): JournalEntry[] {
    return (this.journal?.list() ?? []).filter((e) => {
      if (this.open.has(e.service) || this.recovering.has(e.service)) return false;
      const r = e.recovering;
      if (r && r.pid !== process.pid && (r.host !== os.hostname() || pidAlive(r.pid))) return false;
      return e.service in this.host.spec.services;
    });
  }

  /** Runs with the lock just taken: the urgent part of each recovery at once, the rest queued. */
  private async recoverUnderLock(): Promise<void> {
    const { journal } = this;
    const entries = this.recoverable();
    if (!journal || !entries.length) return;
    let docker: Dockerode;
    try {
      docker = await this.host.docker();
    } catch {
      return; // Docker is away: recovered when it comes back
    }
    for (const entry of entries) {
      const title = this.host.title(entry.service);
      try {
        const plan = await this.decide(docker, entry);
        this.host.notice({ level: 'info', message: recoveringMessage(entry, plan, title), service: entry.service });
        for (const id of plan.removeContainers) await removeContainer(docker, id);
        for (const v of plan.deleteVolumes) await removeVolume(docker, v);
        if (plan.recreateVolumes) await this.recreateVolumes(docker, entry);
        const next: JournalEntry = {
          ...entry,
          step: plan.nextStep,
          recovering: { pid: process.pid, host: os.hostname(), since: Date.now() },
        };
        journal.write(next);
        this.recovering.add(entry.service);
        this.pending.push(this.finish(next, plan, title));
      } catch (err) {
        // Left in the journal: tried again at the next start or reconnect.
        this.host.notice({
          level: 'warning',
          message: `${recoveringMessage(entry, { outcome: 'complete' } as RecoveryPlan, title).replace(/…$/, '')} but could not: ${describeError(err)}`,
          service: entry.service,
        });
      }
    }
  }

  private async decide(docker: Dockerode, entry: JournalEntry): Promise<RecoveryPlan> {
    const containers = (await listProjectContainers(docker, this.host.spec.project))
      .filter((c) => c.service === entry.service && !c.oneoff)
      .map((c) => c.id);
    const volumes = new Set<string>();
    for (const v of entry.volumes) if (await volumeExists(docker, v)) volumes.add(v);
    return decideRecovery(entry, { containers, volumes });
  }

  private async recreateVolumes(docker: Dockerode, entry: JournalEntry): Promise<void> {
    for (const [key, vol] of Object.entries(this.host.spec.volumes)) {
      if (entry.volumes.includes(vol.dockerName) && !vol.external) {
        await ensureVolume(docker, this.host.spec.project, vol.dockerName, key);
      }
    }
  }

  /** The queued part: bring the service up, then say how it ended. */
  private async finish(entry: JournalEntry, plan: RecoveryPlan, title: string): Promise<WriterNotice> {
    let error: string | undefined;
    try {
      if (plan.bringUp) {
        const r = await this.host.bringUp(entry.service, entry.kind, plan.bringUp.refreshImage);
        error = r.ok ? undefined : (r.error ?? 'it did not start');
      }
    } catch (err) {
      error = describeError(err);
    } finally {
      this.recovering.delete(entry.service);
    }
    if (error && CONNECTION_LOST.test(error)) {
      const n: WriterNotice = { level: 'warning', message: `${recoveringMessage(entry, plan, title).replace(/…$/, '')}, but Docker went away; it will be finished when Docker is back.`, service: entry.service };
      this.host.notice(n);
      return n;
    }
    this.removeEntry(entry);
    const n: WriterNotice = {
      level: error ? 'error' : plan.outcome === 'roll-back' ? 'warning' : 'info',
      message: recoveredMessage(entry, plan, title, error),
      service: entry.service,
    };
    this.outcomes.push({ ...n, at: Date.now() });
    this.host.notice(n);
    return n;
  }
}
