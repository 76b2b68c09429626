// The CLI's backup commands: `backup <course> [service]`, `backups <course>`, `restore <course>
// <backup-id|folder> [service]`, `backups <course> --delete ID`. Thin: the work is in
// engine/backups; this prints progress and outcomes in words.
import type { Engine } from '../engine/engine.js';
import type { Environment } from '../engine/environment.js';
import {
  applyRetention,
  BackupRefused,
  backupsRoot,
  deleteBackup,
  findBackup,
  listBackups,
  restoreBackup,
  takeBackup,
  type BackupProgress,
  type BackupSummary,
} from '../engine/backups/index.js';

export const BACKUP_USAGE = `  backup <course> [service]    back up the student data now (databases dumped while they run,
                               folders and volumes as tar.zst) into the backups folder
  backups <course> [--json] [--delete ID]
                               list the course's backups (automatic ones are kept 7 days), or delete one
  restore <course> <ID|FOLDER> [service]
                               restore a backup (checked first: a damaged or foreign one is
                               refused and nothing changes), then start and check the services`;

export interface BackupFlags {
  json?: boolean;
  quiet?: boolean;
  delete?: string;
}

const mb = (n: number): string => (n < 1024 * 1024 ? `${Math.max(1, Math.round(n / 1024))} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`);

export function backupLine(b: BackupSummary): string {
  const kind = b.automatic ? (b.reason === 'before-reset' ? 'automatic (before reset)' : 'automatic (daily)') : 'manual';
  return `${b.id}\t${new Date(b.createdAt).toLocaleString()}\t${mb(b.totalBytes)}\t${kind}\t${b.services.map((s) => s.service).join(', ')}${b.project ? `\t(${b.project})` : ''}`;
}

function progressPrinter(quiet: boolean): (p: BackupProgress) => void {
  let last = '';
  return (p) => {
    if (quiet || p.done) return;
    const line = `  ${p.service ? `${p.service}: ` : ''}${p.step}`;
    if (line === last) return;
    last = line;
    console.error(line);
  };
}

export async function backupCommand(engine: Engine, env: Environment, command: string, arg: string | undefined, service: string | undefined, flags: BackupFlags): Promise<number> {
  const root = backupsRoot(engine.store);
  try {
    if (command === 'backups') {
      if (flags.delete) {
        deleteBackup(root, flags.delete);
        console.log(`Deleted backup ${flags.delete}.`);
        return 0;
      }
      const { backups, broken } = listBackups(root, env.spec.meta.title);
      if (flags.json) console.log(JSON.stringify({ folder: root, backups, broken }, null, 2));
      else {
        if (!backups.length) console.log(`No backups of ${env.spec.meta.title} in ${root} yet.`);
        for (const b of backups) console.log(backupLine(b));
      }
      for (const b of broken) console.error(`! ${b.folder}: ${b.problem}`);
      return 0;
    }
    const docker = await engine.connection.require();
    if (command === 'backup') {
      const services = arg ? [arg] : undefined;
      const b = await takeBackup(docker, env, engine.store, { ...(services ? { services } : {}), onProgress: progressPrinter(flags.quiet ?? false), say: (m) => console.error(`! ${m}`) });
      if (flags.json) console.log(JSON.stringify(b, null, 2));
      else console.log(`Backed up ${b.services.map((s) => s.title).join(', ')} (${mb(b.totalBytes)}): ${b.id}\n  in ${b.folder}`);
      return 0;
    }
    // restore <course> <ID|FOLDER> [service]
    if (!arg) {
      console.error('"restore" needs a backup id (see: coursedock backups <course>) or a backup folder.');
      return 2;
    }
    const r = await restoreBackup(docker, env, findBackup(root, arg), { ...(service ? { services: [service] } : {}), onProgress: progressPrinter(flags.quiet ?? false) });
    applyRetention(engine.store, env.spec.meta.title, Date.now());
    if (flags.json) console.log(JSON.stringify(r, null, 2));
    else console.log(`${r.ok ? '✓' : '✗'} ${r.message}`);
    return r.ok ? 0 : 1;
  } catch (err) {
    if (err instanceof BackupRefused) {
      console.error(`✗ ${err.message}`);
      return 1;
    }
    throw err;
  }
}
