// Scheduled backups: while the environment runs, one backup per interval (daily by default),
// counted from the last backup of any kind so a student who backs up by hand is not asked twice.
// Event and timer driven, with the clock injected: the decision (`nextDue`) is pure and the
// timer only wakes the scheduler at that moment; running/stopped changes come from outside.

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

/** When the next scheduled backup is due: an interval after the last one (now, if never or overdue). */
export function nextDue(lastBackupAt: number | undefined, intervalMs: number, now: number): number {
  if (lastBackupAt === undefined) return now;
  return Math.max(now, lastBackupAt + intervalMs);
}

export interface SchedulerHooks {
  /** Whether scheduled backups are switched on (Settings); while off, no timer is armed. */
  enabled(): boolean;
  /** Time of the newest backup of the environment (any kind), if any. */
  lastBackupAt(): number | undefined;
  /** Takes a scheduled backup; a failure is the hook's to report. */
  backup(): Promise<void>;
}

/** A failed scheduled backup is tried again this much later (not at once, in a loop). */
export const RETRY_MS = 3600 * 1000;

export class BackupScheduler {
  private timer: unknown;
  private running = false;
  private inFlight: Promise<void> | undefined;
  private disposed = false;
  /** No timer fires before this: a fire that made no newer backup must not be due again at once. */
  private notBefore = 0;

  constructor(
    private readonly hooks: SchedulerHooks,
    private readonly intervalMs = 24 * 3600 * 1000,
    private readonly clock: Clock = systemClock,
  ) {}

  /** The environment started or stopped running (its services' states say so). */
  setRunning(running: boolean): void {
    if (this.disposed || running === this.running) return;
    this.running = running;
    if (running) this.arm();
    else this.disarm();
  }

  /** The setting was switched on or off: armed or disarmed accordingly. */
  refresh(): void {
    if (this.disposed || !this.running) return;
    if (this.inFlight) return; // re-armed when it settles
    this.arm();
  }

  /** Resolves when a backup the timer started has finished (tests, shutdown). */
  settled(): Promise<void> {
    return this.inFlight ?? Promise.resolve();
  }

  dispose(): void {
    this.disposed = true;
    this.disarm();
  }

  private disarm(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private arm(): void {
    this.disarm();
    if (!this.hooks.enabled()) return;
    const now = this.clock.now();
    const due = Math.max(nextDue(this.hooks.lastBackupAt(), this.intervalMs, now), this.notBefore);
    this.timer = this.clock.setTimeout(() => this.fire(), due - now);
  }

  private fire(): void {
    this.timer = undefined;
    if (!this.running || this.disposed || !this.hooks.enabled()) return;
    const firedAt = this.clock.now();
    let failed = false;
    this.inFlight = this.hooks
      .backup()
      .catch(() => void (failed = true))
      .finally(() => {
        this.inFlight = undefined;
        // Whatever the hook did (even nothing), the next try is an interval (or the retry delay) away.
        this.notBefore = firedAt + (failed ? RETRY_MS : this.intervalMs);
        if (this.running && !this.disposed) this.arm();
      });
  }
}
