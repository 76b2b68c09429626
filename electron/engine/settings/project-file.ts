// Small per-project JSON files in Coursedock's settings folder (`<dir>/<kind>/<project>.json`)
// for facts several processes share and change: which services the student wants running,
// where each service's student data lives. Read from disk on every use (the desktop app, the
// browser shell and the CLI run at once) and replaced atomically on every write; an update is
// a read-modify-write under the same short cross-process file lock as settings.json's changes.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { withFileLock } from './file-lock.js';
import { writeJsonAtomically } from './settings-store.js';

export class ProjectFile<T extends object> {
  readonly file: string;

  constructor(dir: string, kind: string, project: string, private readonly empty: () => T) {
    this.file = path.join(dir, kind, `${project}.json`);
  }

  read(): T {
    try {
      const parsed: unknown = JSON.parse(readFileSync(this.file, 'utf8'));
      return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as T) : this.empty();
    } catch {
      return this.empty();
    }
  }

  write(value: T): void {
    writeJsonAtomically(this.file, value);
  }

  /** Read-modify-write under a short cross-process lock (`<file>.lock`), as settings.json. */
  update(change: (current: T) => T): T {
    return withFileLock(`${this.file}.lock`, () => {
      const next = change(this.read());
      this.write(next);
      return next;
    });
  }
}
