// Where backups live and how they are listed: `<backups folder>/<project>/<id>/` with the files
// and their manifest. The folder is a setting (default: `backups` in Coursedock's data folder).
// A backup is written under a hidden `.partial-` name and renamed when complete, so a half
// written one never shows in a list; folders whose manifest cannot be read are listed as broken.
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { SettingsStore } from '../settings/settings-store.js';
import { dataDir, readSetting } from '../settings/settings-store.js';
import { expandHome } from '../settings/variables.js';
import { BackupRefused, readManifest, type BackupManifest } from './manifest.js';
import { DEFAULT_RETENTION, type RetentionPolicy } from './retention.js';

/** Settings keys (the Settings dialog and `settings.set`). */
export const BACKUP_SETTINGS = {
  folder: 'backupsFolder',
  keepDays: 'backupsKeepDays',
  maxBytes: 'backupsMaxBytes',
  daily: 'backupsDaily',
} as const;

export function backupsRoot(store: SettingsStore, env: Record<string, string | undefined> = process.env): string {
  const chosen = readSetting(store, BACKUP_SETTINGS.folder, z.string());
  return chosen ? path.resolve(expandHome(chosen)) : path.join(dataDir(env), 'backups');
}

export function retentionPolicy(store: SettingsStore): RetentionPolicy {
  const days = readSetting(store, BACKUP_SETTINGS.keepDays, z.number());
  const max = readSetting(store, BACKUP_SETTINGS.maxBytes, z.number());
  return { keepDays: days !== undefined && days > 0 ? days : DEFAULT_RETENTION.keepDays, maxBytes: max !== undefined && max > 0 ? max : DEFAULT_RETENTION.maxBytes };
}

/** Whether the student switched daily backups on (off unless set to true). */
export const dailyBackups = (store: SettingsStore): boolean => readSetting(store, BACKUP_SETTINGS.daily, z.boolean()) === true;

/** What a UI shows of a backup (no paths inside it beyond its folder). */
export interface BackupSummary {
  id: string;
  folder: string;
  course: string;
  project: string;
  createdAt: string;
  reason: BackupManifest['reason'];
  automatic: boolean;
  services: Array<{ service: string; title: string; method: string; stopped: boolean; bytes: number }>;
  totalBytes: number;
}

export interface BrokenBackup {
  folder: string;
  problem: string;
}

export const summarize = (folder: string, m: BackupManifest): BackupSummary => ({
  id: m.id,
  folder,
  course: m.course,
  project: m.project,
  createdAt: m.createdAt,
  reason: m.reason,
  automatic: m.automatic,
  services: m.services.map((s) => ({ service: s.service, title: s.title, method: s.method, stopped: s.stopped, bytes: s.items.reduce((n, i) => n + i.bytes, 0) })),
  totalBytes: m.totalBytes,
});

/** Every backup of the course (by title) in the folder, newest first; any project's, so one made elsewhere can be restored. */
export function listBackups(root: string, course?: string): { backups: BackupSummary[]; broken: BrokenBackup[] } {
  const backups: BackupSummary[] = [];
  const broken: BrokenBackup[] = [];
  for (const project of safeDir(root)) {
    const pdir = path.join(root, project);
    for (const id of safeDir(pdir)) {
      if (id.startsWith('.')) continue;
      const folder = path.join(pdir, id);
      try {
        const m = readManifest(folder);
        if (!course || m.course === course) backups.push(summarize(folder, m));
      } catch (err) {
        broken.push({ folder, problem: err instanceof BackupRefused ? err.message : String(err) });
      }
    }
  }
  backups.sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt) || b.id.localeCompare(a.id));
  return { backups, broken };
}

function safeDir(dir: string): string[] {
  try {
    return existsSync(dir) && statSync(dir).isDirectory() ? readdirSync(dir).sort() : [];
  } catch {
    return [];
  }
}

/** A backup by id (listed in the folder) or by the path of its folder (one copied from elsewhere). */
export function findBackup(root: string, idOrPath: string): string {
  if (idOrPath.includes('/') || idOrPath.includes('\\')) {
    const dir = path.resolve(expandHome(idOrPath));
    if (!existsSync(dir)) throw new BackupRefused(`There is no backup at ${dir}.`);
    return dir;
  }
  for (const project of safeDir(root)) {
    const dir = path.join(root, project, idOrPath);
    if (!idOrPath.startsWith('.') && existsSync(dir)) return dir;
  }
  throw new BackupRefused(`There is no backup "${idOrPath}" in ${root}.`);
}

/** Deletes a backup folder (only one inside the backups folder). */
export function deleteBackup(root: string, id: string): void {
  const dir = findBackup(root, id);
  const rel = path.relative(root, dir);
  if (rel.startsWith('..') || path.isAbsolute(rel)) throw new BackupRefused('Only backups inside the backups folder are deleted here.');
  rmSync(dir, { recursive: true, force: true });
}

/** `2026-11-29T22-30-05-123Z-postgres-k3j2`: sortable, unique, a valid file name. */
export function newBackupId(now: number, scope: string, random = Math.random): string {
  const stamp = new Date(now).toISOString().replace(/[:.]/g, '-');
  return `${stamp}-${scope.replace(/[^A-Za-z0-9_-]/g, '')}-${Math.floor(random() * 36 ** 4).toString(36).padStart(4, '0')}`;
}
