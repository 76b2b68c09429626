// Which automatic backups go: those older than the kept days, then, oldest first, as many as it
// takes to bring all automatic backups under the size cap. Manual backups are never removed here
// (they stay until the student deletes them). Pure: "now" is a parameter, never the clock.

export interface RetentionPolicy {
  /** Automatic backups older than this go (default 7 days). */
  keepDays: number;
  /** All automatic backups together stay under this many bytes (oldest removed first). */
  maxBytes: number;
}

export const DEFAULT_RETENTION: RetentionPolicy = { keepDays: 7, maxBytes: 5 * 1024 ** 3 };

export interface RetainedBackup {
  id: string;
  createdAt: string;
  automatic: boolean;
  totalBytes: number;
}

export function backupsToRemove<B extends RetainedBackup>(backups: readonly B[], policy: RetentionPolicy, now: number): B[] {
  const auto = backups.filter((b) => b.automatic).sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt) || a.id.localeCompare(b.id));
  const cutoff = now - policy.keepDays * 24 * 3600 * 1000;
  const remove = auto.filter((b) => Date.parse(b.createdAt) < cutoff);
  const kept = auto.filter((b) => !remove.includes(b));
  let total = kept.reduce((n, b) => n + b.totalBytes, 0);
  // The newest automatic backup stays even if it alone is over the cap: it may be an undo.
  for (const oldest of kept.slice(0, -1)) {
    if (total <= policy.maxBytes) break;
    remove.push(oldest);
    total -= oldest.totalBytes;
  }
  return remove;
}
