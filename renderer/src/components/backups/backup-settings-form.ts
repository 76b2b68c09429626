// The backup settings as the Settings dialog edits them: text fields checked in words before
// anything is sent (the engine checks again: backup.settings's zod input), and only what
// changed is sent. Pure, so tested without a DOM.
import type { BackupSettingsView } from '../../../../electron/api/backup-contract.js';
import type { MethodInput } from '../../lib/types.js';

export interface BackupSettingsForm {
  /** Empty: the default folder (under Coursedock's data folder). */
  folder: string;
  keepDays: string;
  maxGigabytes: string;
  daily: boolean;
}

export type BackupSettingsErrors = Partial<Record<'folder' | 'keepDays' | 'maxGigabytes', string>>;

export const formOf = (view: BackupSettingsView): BackupSettingsForm => ({
  folder: view.folder,
  keepDays: String(view.keepDays),
  maxGigabytes: String(Math.round(view.maxGigabytes * 100) / 100),
  daily: view.daily,
});

/** An absolute path on Linux, macOS or Windows, or one starting with ~ (the engine's rule). */
const ABSOLUTE = /^(\/|~|[A-Za-z]:[\\/]|\\\\)/;

export function checkBackupSettings(form: BackupSettingsForm): BackupSettingsErrors {
  const errors: BackupSettingsErrors = {};
  const folder = form.folder.trim();
  if (folder && !ABSOLUTE.test(folder)) errors.folder = 'The backups folder must be an absolute path (or start with ~), e.g. /home/you/Backups.';
  else if (folder.length > 4096) errors.folder = 'That path is too long.';
  const days = Number(form.keepDays.trim());
  if (!/^\d+$/.test(form.keepDays.trim()) || days < 1 || days > 365) errors.keepDays = 'Keep automatic backups for a whole number of days from 1 to 365.';
  const gb = Number(form.maxGigabytes.trim());
  if (form.maxGigabytes.trim() === '' || !Number.isFinite(gb) || gb < 0.1 || gb > 10_000) errors.maxGigabytes = 'The size cap is a number of gigabytes from 0.1 to 10000.';
  return errors;
}

/** What to send to backup.settings: only the fields that differ from `view` (undefined: nothing changed). */
export function backupSettingsChanges(form: BackupSettingsForm, view: BackupSettingsView): MethodInput<'backup.settings'> | undefined {
  const out: MethodInput<'backup.settings'> = {};
  const folder = form.folder.trim();
  if (folder !== view.folder) out.folder = folder === '' ? null : folder;
  if (Number(form.keepDays) !== view.keepDays) out.keepDays = Number(form.keepDays);
  if (Math.abs(Number(form.maxGigabytes) - view.maxGigabytes) > 0.005) out.maxGigabytes = Number(form.maxGigabytes);
  if (form.daily !== view.daily) out.daily = form.daily;
  return Object.keys(out).length ? out : undefined;
}
