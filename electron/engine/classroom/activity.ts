// When each student was last active, as the front door sees it (panel calls, notebook traffic),
// for idle culling and the tutor's "last activity" column. Kept in memory and written to
// `<data folder>/classroom/<course>/activity.json` at most every few seconds per student, so
// `classroom cull` run from another process reads the same times. The front door calls
// `recordActivity(studentId)` on every request a student makes; culling reads `last()`.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { withFileLock } from '../settings/file-lock.js';
import { dataDir } from '../settings/settings-store.js';

export const activityFile = (course: string, home: string = dataDir()): string => path.join(home, 'classroom', course, 'activity.json');

/** Writes of one student's time closer together than this are kept in memory only. */
const WRITE_EVERY_MS = 5_000;

export class ActivityStore {
  private readonly times = new Map<string, number>();
  private readonly written = new Map<string, number>();

  constructor(readonly file: string) {}

  static forCourse(course: string, home?: string): ActivityStore {
    return new ActivityStore(activityFile(course, home));
  }

  record(studentId: string, at: number = Date.now()): void {
    this.times.set(studentId, Math.max(at, this.times.get(studentId) ?? 0));
    if (at - (this.written.get(studentId) ?? 0) < WRITE_EVERY_MS) return;
    this.written.set(studentId, at);
    this.flush();
  }

  /** ISO time of the student's last activity (ours or another process's, the later one). */
  last(studentId: string): string | undefined {
    const onDisk = this.read()[studentId];
    const t = Math.max(this.times.get(studentId) ?? 0, onDisk ? Date.parse(onDisk) : 0);
    return t > 0 ? new Date(t).toISOString() : undefined;
  }

  /** Writes every time held in memory (merged with what other processes wrote). */
  flush(): void {
    mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
    withFileLock(`${this.file}.lock`, () => {
      const merged = this.read();
      for (const [id, t] of this.times) {
        const before = merged[id] ? Date.parse(merged[id]) : 0;
        if (t > before) merged[id] = new Date(t).toISOString();
      }
      const tmp = `${this.file}.${process.pid}.tmp`;
      writeFileSync(tmp, `${JSON.stringify(merged, null, 2)}\n`, { mode: 0o600 });
      renameSync(tmp, this.file);
    });
  }

  private read(): Record<string, string> {
    if (!existsSync(this.file)) return Object.create(null) as Record<string, string>;
    try {
      const parsed = JSON.parse(readFileSync(this.file, 'utf8')) as unknown;
      const out = Object.create(null) as Record<string, string>;
      if (parsed && typeof parsed === 'object') {
        for (const [k, v] of Object.entries(parsed)) if (typeof v === 'string' && !Number.isNaN(Date.parse(v))) out[k] = v;
      }
      return out;
    } catch {
      return Object.create(null) as Record<string, string>;
    }
  }
}

let current: ActivityStore | undefined;

/** The store `recordActivity` writes to (the front door sets its classroom's). */
export function setActivityStore(store: ActivityStore | undefined): void {
  current = store;
}

/** A student did something through the front door now. */
export function recordActivity(studentId: string): void {
  current?.record(studentId);
}
