// Small per-project JSON files in Coursedock's settings folder (`<dir>/<kind>/<project>.json`)
// for facts several processes share and change: which services the student wants running,
// where each service's student data lives. Read from disk on every use (the desktop app, the
// browser shell and the CLI each hold their own copy of settings.json in memory, so a fact kept
// there would go stale across processes) and replaced atomically on every write.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

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
    mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
    renameSync(tmp, this.file);
  }

  update(change: (current: T) => T): T {
    const next = change(this.read());
    this.write(next);
    return next;
  }
}
