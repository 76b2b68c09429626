// The backup methods implemented over the engine (spread into api-session.ts's handler table).
// A restore is refused in words (invalid-input) when the backup is damaged or foreign. The
// progress of each project's backup or restore (the panel's, a daily one, the one before a reset)
// is pushed to every session as the `backup.progress` event, a few times a second, and the last
// one is kept for the method of the same name (a panel opened mid-backup reads it once).
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Engine } from '../engine/engine.js';
import type { Environment } from '../engine/environment.js';
import {
  applyRetention,
  BACKUP_SETTINGS,
  BackupRefused,
  backupEvents,
  backupsRoot,
  dailyBackups,
  deleteBackup,
  findBackup,
  listBackups,
  restoreBackup,
  retentionPolicy,
  takeBackup,
  type BackupProgress,
} from '../engine/backups/index.js';
import { backupInputs, type BackupOutputs, type BackupSettingsView } from './backup-contract.js';
import { apiError, type Events } from './contract.js';
import { LatestEvery } from '../engine/latest-every.js';
import type { z } from 'zod';

type In<M extends keyof typeof backupInputs> = z.output<(typeof backupInputs)[M]>;
type BackupHandlers = { [M in keyof BackupOutputs]: (input: In<M>) => Promise<BackupOutputs[M]> | BackupOutputs[M] };

/** At most this many progress events a second per project. */
const BACKUP_EVENTS_PER_SECOND = 4;

const latest = new Map<string, BackupProgress>();
const listeners = new Set<(payload: Events['backup.progress']) => void>();
const events = new LatestEvery<string, BackupProgress>(1000 / BACKUP_EVENTS_PER_SECOND, (project, progress) => {
  for (const l of [...listeners]) l({ project, ...(progress ? { progress } : {}) });
});
/** The work on `project` is over (done, or failed): told once. */
const ended = (project: string) => {
  if (latest.delete(project)) events.end(project);
};
backupEvents.on('progress', (p) => {
  if (p.done) {
    ended(p.project);
    return;
  }
  latest.set(p.project, p);
  events.push(p.project, p);
});
const report = (p: BackupProgress) => backupEvents.emit('progress', p);

/** Hears the progress of every project's backups and restores (a session pushes it); returns the unsubscribe. */
export function onBackupProgress(listener: (payload: Events['backup.progress']) => void): () => void {
  listeners.add(listener);
  return () => void listeners.delete(listener);
}

const refused = async <T>(work: () => T | Promise<T>): Promise<T> => {
  try {
    return await work();
  } catch (err) {
    throw err instanceof BackupRefused ? apiError('invalid-input', err.message) : err;
  }
};

/** `showInFolder`: the desktop's shell.showItemInFolder (absent in the browser shell: the path is shown instead). */
export function backupHandlers(engine: Engine, env: (project: string) => Environment, showInFolder?: (target: string) => void): BackupHandlers {
  const root = () => backupsRoot(engine.store);
  const settings = (): BackupSettingsView => {
    const policy = retentionPolicy(engine.store);
    return { folder: root(), keepDays: policy.keepDays, maxGigabytes: policy.maxBytes / 1024 ** 3, daily: dailyBackups(engine.store) };
  };
  return {
    'backup.list': ({ project }) => ({ ...listBackups(root(), env(project).spec.meta.title), folder: root() }),
    'backup.take': async ({ project, service }) => {
      const e = env(project);
      try {
        return await takeBackup(await engine.connection.require(), e, engine.store, { ...(service ? { services: [service] } : {}), onProgress: report });
      } finally {
        ended(project);
      }
    },
    'backup.restore': ({ project, backup, service }) =>
      refused(async () => {
        const e = env(project);
        try {
          const r = await restoreBackup(await engine.connection.require(), e, findBackup(root(), backup), { ...(service ? { services: [service] } : {}), onProgress: report });
          applyRetention(engine.store, e.spec.meta.title, Date.now());
          return { ok: r.ok, backup: r.backup, services: r.services, message: r.message, ...(r.checks ? { checks: r.checks } : {}) };
        } finally {
          ended(project);
        }
      }),
    'backup.delete': ({ project, backup }) => {
      const title = env(project).spec.meta.title;
      if (!listBackups(root(), title).backups.some((b) => b.id === backup)) throw apiError('invalid-input', `There is no backup "${backup}" of ${title}.`);
      deleteBackup(root(), backup);
      return { ok: true as const };
    },
    'backup.reveal': ({ project, backup }) => {
      env(project);
      const show = (target: string) => {
        if (!showInFolder) return { path: target, shown: false };
        mkdirSync(target, { recursive: true, mode: 0o700 });
        showInFolder(target);
        return { path: target, shown: true };
      };
      if (!backup) return show(root());
      return refused(() => show(findBackup(root(), backup)));
    },
    'backup.progress': ({ project }) => {
      const p = latest.get(project);
      return p ? { progress: p } : {};
    },
    'backup.settings': ({ folder, keepDays, maxGigabytes, daily }) => {
      if (folder !== undefined) {
        if (folder === null) engine.store.delete(BACKUP_SETTINGS.folder);
        else if (!path.isAbsolute(folder) && !folder.startsWith('~')) throw apiError('invalid-input', 'The backups folder must be an absolute path (or start with ~).');
        else engine.store.set(BACKUP_SETTINGS.folder, folder);
      }
      if (keepDays !== undefined) engine.store.set(BACKUP_SETTINGS.keepDays, keepDays);
      if (maxGigabytes !== undefined) engine.store.set(BACKUP_SETTINGS.maxBytes, Math.round(maxGigabytes * 1024 ** 3));
      if (daily !== undefined) {
        engine.store.set(BACKUP_SETTINGS.daily, daily);
        backupEvents.emit('schedule');
      }
      return settings();
    },
  };
}

