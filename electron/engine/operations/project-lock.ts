// One writer per project across every process on this computer (desktop app, browser shell,
// command line). Docker does not stop two clients from racing (two `<project>_default`
// networks, "container name already in use"), so each process takes a lock file in the
// settings folder while it changes Docker, and the others wait — saying whose work they wait
// for. Inside one process the lock is shared (counted): the per-service queues keep order there.
//
// The lock file is created atomically (link of a complete temporary file, which fails when the
// lock exists) and names its owner: pid, host, kind of process, what it is doing, and a
// heartbeat (the file's mtime, refreshed every few seconds). A lock whose owner is dead (same
// host, no such pid) or whose heartbeat stopped is taken over under a short takeover lock, after
// checking it is still the very lock judged stale, so two waiters never both take it.
import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, statSync, unlinkSync, utimesSync, writeFileSync, renameSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';

const processKinds = ['desktop', 'browser-shell', 'cli'] as const;
export type ProcessKind = (typeof processKinds)[number];

/** The lock file's content, checked as read: another process (maybe another version) wrote it. */
const lockOwnerSchema = z.object({
  token: z.string(),
  pid: z.number().int(),
  host: z.string(),
  processKind: z.enum(processKinds),
  /** What the owner is doing, in words: "reinstall of PostgreSQL". */
  activity: z.string(),
  since: z.number(),
});
export type LockOwner = z.infer<typeof lockOwnerSchema>;

export interface LockOptions {
  /** A heartbeat older than this makes the lock stale. */
  staleMs?: number;
  heartbeatMs?: number;
  pollMs?: number;
}

/** A waiter is told who holds the lock (again whenever the holder or its activity changes). */
export type WaitListener = (holder: LockOwner | undefined) => void;

const PROCESS_WORDS: Record<ProcessKind, string> = {
  desktop: 'the desktop app',
  'browser-shell': 'the browser shell',
  cli: 'the command line',
};

/** "the browser shell's reinstall of PostgreSQL" */
export function describeHolder(owner: LockOwner | undefined): string {
  if (!owner) return 'another Coursedock window to finish';
  return `${PROCESS_WORDS[owner.processKind]}'s ${owner.activity}`;
}

export function pidAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readOwner(file: string): { owner?: LockOwner; mtimeMs: number } | undefined {
  try {
    const mtimeMs = statSync(file).mtimeMs;
    // An owner not of this shape (half written, or of a kind this version does not know) is
    // read as no owner: the lock is then judged by its heartbeat alone.
    const owner = lockOwnerSchema.safeParse(parseJson(readFileSync(file, 'utf8')));
    return owner.success ? { owner: owner.data, mtimeMs } : { mtimeMs };
  } catch {
    return undefined;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Creates `file` with `content` only if it does not exist; false when it does. */
function createExclusive(file: string, content: string): boolean {
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(tmp, content, { mode: 0o600 });
  try {
    linkSync(tmp, file);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    try {
      unlinkSync(tmp);
    } catch {
      /* gone */
    }
  }
}

export class LockClosedError extends Error {}

export class ProjectLock {
  /** The file is ours (set before the acquire hook runs). */
  private fileTaken = false;
  /** The file is ours and the hook has run: acquirers may go on. */
  private held = false;
  private count = 0;
  private acquiring?: Promise<void>;
  private heartbeat?: NodeJS.Timeout;
  private token = '';
  private closed = false;
  private readonly activities = new Map<symbol, string>();
  private readonly waiters = new Set<WaitListener>();
  private readonly staleMs: number;
  private readonly heartbeatMs: number;
  private readonly pollMs: number;
  private readonly onExit = () => this.releaseFile();
  /** Runs each time this process takes the file lock, before any waiter in it goes on. */
  onAcquired?: () => Promise<void>;

  constructor(
    readonly file: string,
    readonly processKind: ProcessKind,
    options: LockOptions = {},
  ) {
    this.staleMs = options.staleMs ?? 20_000;
    this.heartbeatMs = options.heartbeatMs ?? 2_000;
    this.pollMs = options.pollMs ?? 250;
  }

  /** True while this process holds the lock. */
  isHeld(): boolean {
    return this.held;
  }

  /** The current owner as the lock file says (another process, or this one). */
  holder(): LockOwner | undefined {
    return readOwner(this.file)?.owner;
  }

  /**
   * Waits until this process holds the lock, then returns the function that lets go of this
   * share of it. `onWait` hears who holds it while waiting.
   */
  async acquire(activity: string, onWait?: WaitListener): Promise<() => void> {
    const id = Symbol(activity);
    if (onWait) this.waiters.add(onWait);
    try {
      while (!this.held) {
        if (this.closed) throw new LockClosedError('Coursedock is closing.');
        this.acquiring ??= this.takeFile().finally(() => (this.acquiring = undefined));
        await this.acquiring;
      }
    } finally {
      if (onWait) this.waiters.delete(onWait);
    }
    this.count++;
    this.activities.set(id, activity);
    this.writeOwner();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.activities.delete(id);
      if (--this.count === 0) this.releaseFile();
      else this.writeOwner();
    };
  }

  /** Stops waiting (pending acquires reject) and lets go of the lock. */
  close(): void {
    this.closed = true;
    this.releaseFile();
  }

  private ownerRecord(): LockOwner {
    const activity = [...this.activities.values()][0] ?? 'work';
    return { token: this.token, pid: process.pid, host: os.hostname(), processKind: this.processKind, activity, since: Date.now() };
  }

  private async takeFile(): Promise<void> {
    mkdirSync(path.dirname(this.file), { recursive: true });
    let told: string | undefined;
    for (;;) {
      if (this.closed) throw new LockClosedError('Coursedock is closing.');
      this.token = randomBytes(8).toString('hex');
      if (createExclusive(this.file, JSON.stringify(this.ownerRecord()))) break;
      const seen = readOwner(this.file);
      if (!seen) continue; // released between our attempt and the read: try again at once
      if (this.isStale(seen)) {
        this.takeOver(seen.owner?.token);
        continue;
      }
      const key = `${seen.owner?.token}:${seen.owner?.activity}`;
      if (key !== told) {
        told = key;
        for (const w of this.waiters) w(seen.owner);
      }
      await sleep(this.pollMs);
    }
    this.fileTaken = true;
    process.on('exit', this.onExit);
    this.heartbeat = setInterval(() => this.beat(), this.heartbeatMs);
    this.heartbeat.unref();
    try {
      await this.onAcquired?.();
    } catch {
      /* the hook reports its own failures */
    }
    this.held = this.fileTaken;
  }

  private isStale(seen: { owner?: LockOwner; mtimeMs: number }): boolean {
    const o = seen.owner;
    if (o && o.host === os.hostname() && !pidAlive(o.pid)) return true;
    return Date.now() - seen.mtimeMs > this.staleMs;
  }

  /** Removes a stale lock, unless someone else replaced it meanwhile. */
  private takeOver(staleToken: string | undefined): void {
    const guard = `${this.file}.takeover`;
    if (!createExclusive(guard, String(process.pid))) {
      // Another process is taking over right now; a guard left by a crash goes after a while.
      const g = readOwner(guard);
      if (g && Date.now() - g.mtimeMs > 10_000) this.unlinkQuietly(guard);
      return;
    }
    try {
      const again = readOwner(this.file);
      if (again && again.owner?.token === staleToken && this.isStale(again)) this.unlinkQuietly(this.file);
    } finally {
      this.unlinkQuietly(guard);
    }
  }

  private ours(): boolean {
    return this.fileTaken && readOwner(this.file)?.owner?.token === this.token;
  }

  private beat(): void {
    if (!this.ours()) return;
    const now = new Date();
    try {
      utimesSync(this.file, now, now);
    } catch {
      /* gone: nothing to keep alive */
    }
  }

  /** Rewrites the owner record (what this process is doing now). */
  private writeOwner(): void {
    if (!this.ours()) return;
    const tmp = `${this.file}.${process.pid}.owner.tmp`;
    try {
      writeFileSync(tmp, JSON.stringify(this.ownerRecord()), { mode: 0o600 });
      renameSync(tmp, this.file);
    } catch {
      /* the activity shown to waiters is only a courtesy */
    }
  }

  private releaseFile(): void {
    clearInterval(this.heartbeat);
    this.heartbeat = undefined;
    process.off('exit', this.onExit);
    if (this.ours()) this.unlinkQuietly(this.file);
    this.fileTaken = false;
    this.held = false;
    this.count = 0;
    this.activities.clear();
  }

  private unlinkQuietly(file: string): void {
    try {
      unlinkSync(file);
    } catch {
      /* already gone */
    }
  }
}

/** Where a project's lock file lives in the settings folder. */
export const lockFile = (dataDir: string, project: string): string => path.join(dataDir, 'locks', `${project}.lock`);
