// Daily backups while an environment runs (Settings › back up daily, off by default): one
// BackupScheduler per open environment of an engine, told running/stopped by the services'
// states, taking a 'scheduled' backup and applying retention. Attached by the shells' sessions
// (api-session watches each environment it serves), so the CLI never schedules anything.
import type { Engine } from '../engine.js';
import type { Environment } from '../environment.js';
import { applyRetention, backupEvents } from './index.js';
import { BackupScheduler, systemClock, type Clock } from './schedule.js';
import { backupsRoot, dailyBackups, listBackups } from './store.js';
import { takeBackup } from './take-backup.js';

const RUNNING = new Set(['starting', 'running', 'healthy', 'unhealthy']);
const attached = new WeakMap<Environment, BackupScheduler>();

/** Starts following the environment (once): scheduled backups while it runs, when switched on. */
export function scheduleBackups(engine: Engine, env: Environment, clock: Clock = systemClock, intervalMs?: number): BackupScheduler {
  const existing = attached.get(env);
  if (existing) return existing;
  const scheduler = new BackupScheduler(
    {
      enabled: () => dailyBackups(engine.store),
      lastBackupAt: () => {
        const newest = listBackups(backupsRoot(engine.store), env.spec.meta.title).backups.find((b) => b.project === env.project);
        return newest ? Date.parse(newest.createdAt) : undefined;
      },
      backup: async () => {
        try {
          const docker = await engine.connection.require();
          const running = env.states().filter((s) => RUNNING.has(s.status)).map((s) => s.service);
          await takeBackup(docker, env, engine.store, { services: running, reason: 'scheduled', now: clock.now(), onProgress: (p) => backupEvents.emit('progress', p) });
          applyRetention(engine.store, env.spec.meta.title, clock.now());
        } catch (err) {
          env.emit('notice', { level: 'warning', message: `The daily backup failed: ${err instanceof Error ? err.message : String(err)}`, at: clock.now() });
          throw err;
        }
      },
    },
    intervalMs,
    clock,
  );
  attached.set(env, scheduler);
  const update = () => scheduler.setRunning(env.states().some((s) => RUNNING.has(s.status)));
  const refresh = () => scheduler.refresh();
  env.on('state', update);
  backupEvents.on('schedule', refresh);
  // A replaced or closed environment's scheduler stops with it (its timer would outlive it).
  env.once('disposed', () => {
    backupEvents.off('schedule', refresh);
    scheduler.dispose();
  });
  update();
  return scheduler;
}
