// The operation journal on disk: one small JSON file per service with an unfinished operation,
// `<settings folder>/journal/<project>/<service>.json`, replaced atomically at every step.
// Written only by the process holding the project lock, so there is one writer at a time.
import { mkdirSync, readdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { JournalEntry } from './journal-entry.js';

export class JournalStore {
  readonly dir: string;

  constructor(dataDir: string, readonly project: string) {
    this.dir = path.join(dataDir, 'journal', project);
  }

  private file(service: string): string {
    return path.join(this.dir, `${encodeURIComponent(service)}.json`);
  }

  /** Every readable entry (an unreadable file is skipped, never fatal). */
  list(): JournalEntry[] {
    let names: string[];
    try {
      names = readdirSync(this.dir).filter((n) => n.endsWith('.json'));
    } catch {
      return [];
    }
    const out: JournalEntry[] = [];
    for (const name of names) {
      try {
        const e = JSON.parse(readFileSync(path.join(this.dir, name), 'utf8')) as JournalEntry | null;
        if (e?.version === 1 && e.project === this.project && typeof e.service === 'string') out.push(e);
      } catch {
        /* half-written by a crash before the rename: there was nothing to record yet */
      }
    }
    return out;
  }

  get(service: string): JournalEntry | undefined {
    return this.list().find((e) => e.service === service);
  }

  write(entry: JournalEntry): void {
    mkdirSync(this.dir, { recursive: true });
    const file = this.file(entry.service);
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(entry, null, 2)}\n`, { mode: 0o600 });
    renameSync(tmp, file);
  }

  remove(service: string): void {
    try {
      unlinkSync(this.file(service));
    } catch {
      /* already gone */
    }
  }
}
