// A short lock on one small file shared by every Coursedock process on this computer (the
// desktop app, the browser shell, CLI commands): each change to settings.json is a
// read-modify-write of the file on disk made while holding `<file>.lock`, so two processes
// never overwrite each other's keys and a secret made on first run is made only once.
//
// Synchronous on purpose: the settings store's get/set are synchronous, and the lock is held
// only for a read, a JSON edit and an atomic rename (milliseconds). The lock file is created
// with O_EXCL and names its owner (pid, host, a random token, when). A lock whose owner died
// (same host, no such pid) or that is older than a few seconds is stale and taken over, under
// a second exclusive "takeover" file and only after checking it is still the very lock judged
// stale, so two waiters never both break in. Within one process the lock is re-entrant (a
// change made while computing another one, e.g. a store's getter that re-saves a value).
// The project lock (../operations/project-lock.ts) is the long, asynchronous one, held while
// Docker is changed; this one only guards a file's contents.
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pidAlive } from '../operations/project-lock.js';

export interface FileLockOptions {
  /** A lock older than this is stale even if its owner still runs (it hung or was stopped). */
  staleMs?: number;
}

interface Owner {
  pid: number;
  host: string;
  token: string;
  since: number;
}

const DEFAULT_STALE_MS = 5_000;
const TAKEOVER_STALE_MS = 5_000;

/** Locks this process holds, by lock path, with how many nested holds. */
const held = new Map<string, { token: string; depth: number }>();

const sleepSync = (ms: number): void => {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
};

/** Creates `file` holding `content` with O_EXCL; false when it already exists. */
function createExclusive(file: string, content: string): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'wx', 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
  try {
    writeSync(fd, content);
  } finally {
    closeSync(fd);
  }
  return true;
}

/** The lock's owner and age; `owner` is missing while its creator is still writing it. */
function inspect(file: string): { owner?: Owner; mtimeMs: number; text: string } | undefined {
  try {
    const mtimeMs = statSync(file).mtimeMs;
    const text = readFileSync(file, 'utf8');
    try {
      return { owner: JSON.parse(text) as Owner, mtimeMs, text };
    } catch {
      return { mtimeMs, text };
    }
  } catch {
    return undefined;
  }
}

const unlinkQuietly = (file: string): void => {
  try {
    unlinkSync(file);
  } catch {
    /* already gone */
  }
};

function isStale(seen: { owner?: Owner; mtimeMs: number }, staleMs: number): boolean {
  const o = seen.owner;
  if (o && o.host === os.hostname() && o.pid !== process.pid && !pidAlive(o.pid)) return true;
  return Date.now() - seen.mtimeMs > staleMs;
}

/** Removes a stale lock, unless it was replaced since it was judged stale. */
function takeOver(file: string, judged: string, staleMs: number): void {
  const guard = `${file}.takeover`;
  if (!createExclusive(guard, JSON.stringify({ pid: process.pid, host: os.hostname() }))) {
    // Someone else is breaking in right now; a guard left by a crash goes after a while.
    const g = inspect(guard);
    if (g && isStale({ owner: g.owner, mtimeMs: g.mtimeMs }, TAKEOVER_STALE_MS)) unlinkQuietly(guard);
    return;
  }
  try {
    const again = inspect(file);
    if (again && again.text === judged && isStale(again, staleMs)) unlinkQuietly(file);
  } finally {
    unlinkQuietly(guard);
  }
}

/** Runs `work` while holding the lock file `lockFile`, waiting (briefly) for other processes. */
export function withFileLock<T>(file: string, work: () => T, options: FileLockOptions = {}): T {
  const lockFile = path.resolve(file);
  const mine = held.get(lockFile);
  if (mine) {
    mine.depth++;
    try {
      return work();
    } finally {
      mine.depth--;
    }
  }
  const staleMs = options.staleMs ?? DEFAULT_STALE_MS;
  mkdirSync(path.dirname(lockFile), { recursive: true });
  const token = randomBytes(8).toString('hex');
  const record = JSON.stringify({ pid: process.pid, host: os.hostname(), token, since: Date.now() } satisfies Owner);
  for (let attempt = 0; !createExclusive(lockFile, record); attempt++) {
    const seen = inspect(lockFile);
    if (!seen) continue; // released between the attempt and the look: try again at once
    if (isStale(seen, staleMs)) {
      takeOver(lockFile, seen.text, staleMs);
      continue;
    }
    sleepSync(Math.min(1 + attempt, 20) * (0.5 + Math.random()));
  }
  held.set(lockFile, { token, depth: 1 });
  try {
    return work();
  } finally {
    held.delete(lockFile);
    // Only our own lock goes: if ours was judged stale and taken over, the new owner keeps it.
    if (inspect(lockFile)?.owner?.token === token) unlinkQuietly(lockFile);
  }
}
