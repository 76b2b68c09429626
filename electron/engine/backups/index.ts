// Backups of student data (see the README beside this file): taken by hand, on a schedule, and
// automatically before anything deletes a volume (reset), so that a reset can be undone.
import type Dockerode from 'dockerode';
import type { Environment } from '../environment.js';
import type { SettingsStore } from '../settings/settings-store.js';
import { backupsToRemove } from './retention.js';
import { backupsRoot, deleteBackup, listBackups, retentionPolicy, type BackupSummary } from './store.js';
import { takeBackup, type BackupProgress } from './take-backup.js';
import { EventEmitter } from 'node:events';

export * from './backup-spec.js';
export * from './manifest.js';
export * from './retention.js';
export * from './schedule.js';
export * from './store.js';
export * from './take-backup.js';
export * from './restore.js';

/**
 * Progress of every backup and restore in this process, for the UIs (contract event
 * backup.progress), and `schedule` when the daily-backup setting changes (schedulers re-arm).
 */
export const backupEvents = new EventEmitter<{ progress: [BackupProgress]; schedule: [] }>();

/** Removes the automatic backups retention says go (manual ones stay); returns what was removed. */
export function applyRetention(store: SettingsStore, course: string, now: number): BackupSummary[] {
  const root = backupsRoot(store);
  const gone = backupsToRemove(listBackups(root, course).backups, retentionPolicy(store), now);
  for (const b of gone) deleteBackup(root, b.id);
  return gone;
}

/**
 * The automatic backup before a service's volumes are deleted (reset): taken, retention
 * applied, and the words that tell the student how to undo. A failure stops the deletion.
 */
export async function backupBeforeDeleting(docker: Dockerode, env: Environment, store: SettingsStore, service: string, now = Date.now()): Promise<string> {
  const title = env.spec.services[service]?.meta.title ?? service;
  let backup: BackupSummary;
  try {
    backup = await takeBackup(docker, env, store, { services: [service], reason: 'before-reset', now, onProgress: (p) => backupEvents.emit('progress', p) });
  } catch (err) {
    if (err instanceof Error && err.message.startsWith('Nothing to back up')) return `${title} had no data to back up before the reset.`;
    throw new Error(`The reset was not done: backing up ${title}'s data first failed (${err instanceof Error ? err.message : String(err)}). Nothing was deleted.`);
  }
  applyRetention(store, env.spec.meta.title, now);
  return `Backed up ${title} before the reset (backup ${backup.id}): "Undo reset" restores it.`;
}
