// The backup methods of the contract (spread into contract.ts's table): their zod inputs and
// output types. Backups are named by id (a folder name in the backups folder), never by a path
// a UI chooses; the folder itself is a setting (backup.settings).
import { z } from 'zod';
import type { BackupProgress, BackupSummary, BrokenBackup } from '../engine/backups/index.js';
import type { CheckReport } from '../engine/checks/index.js';

const name = z.string().min(1).max(100).regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'letters, digits, _ . - only');
const backupId = z.string().min(1).max(200).regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'a backup id');

export const backupInputs = {
  /** Backups of the course (any environment's, so one made elsewhere can be restored), newest first. */
  'backup.list': z.object({ project: name }).strict(),
  /** Back up now: one service, or every service with data. */
  'backup.take': z.object({ project: name, service: name.optional() }).strict(),
  /** Restore a backup (one service of it, or all), then check: refused with the reason and nothing changed if damaged or foreign. */
  'backup.restore': z.object({ project: name, backup: backupId, service: name.optional() }).strict(),
  'backup.delete': z.object({ project: name, backup: backupId }).strict(),
  /** The backups folder (or one backup's), shown in the file manager by the desktop app; its path either way. */
  'backup.reveal': z.object({ project: name, backup: backupId.optional() }).strict(),
  /** What the backup or restore running for the project is doing now (a panel opened mid-work reads it once; then the `backup.progress` event). */
  'backup.progress': z.object({ project: name }).strict(),
  /** Reads, and with fields changes, the backup settings. */
  'backup.settings': z
    .object({
      folder: z.string().min(1).max(4096).nullable().optional(),
      keepDays: z.number().int().min(1).max(365).optional(),
      maxGigabytes: z.number().min(0.1).max(10_000).optional(),
      daily: z.boolean().optional(),
    })
    .strict(),
} as const;

export interface BackupSettingsView {
  folder: string;
  keepDays: number;
  maxGigabytes: number;
  daily: boolean;
}

export interface RestoreOutcome {
  ok: boolean;
  backup: string;
  services: string[];
  message: string;
  checks?: CheckReport;
}

export interface BackupOutputs {
  'backup.list': { backups: BackupSummary[]; broken: BrokenBackup[]; folder: string };
  'backup.take': BackupSummary;
  'backup.restore': RestoreOutcome;
  'backup.delete': { ok: true };
  /** `shown`: the desktop showed it in the file manager; false: a browser cannot, the UI shows the path. */
  'backup.reveal': { path: string; shown: boolean };
  'backup.progress': { progress?: BackupProgress };
  'backup.settings': BackupSettingsView;
}

export type { BackupProgress, BackupSummary, BrokenBackup };
