// The Backups view of a service (and of the whole environment): the course's backups with time,
// size and whether they were automatic; Back up now; Restore (asked first); Delete; the folder
// they are in; progress while one runs, as the engine pushes it (`backup.progress` events, a
// few a second; nothing is polled). After a reset the newest backup of the service is the one
// taken before it, and "Undo reset" restores it.
import { useCallback, useEffect, useState } from 'react';
import type { BackupProgress, BackupSettingsView, BackupSummary } from '../../../../electron/api/backup-contract.js';
import { useClient } from '../../hooks/client-context.js';
import { formatBytes } from '../../lib/format.js';
import type { ServiceInfo } from '../../lib/types.js';
import { CopyButton } from '../CopyButton.js';
import { Dialog } from '../Dialog.js';
import './backups.css';

interface Props {
  project: string;
  service: ServiceInfo;
}

type Work = { kind: 'backup' | 'restore' | 'undo'; label: string };

const kindWords = (b: BackupSummary): string =>
  !b.automatic ? 'Manual' : b.reason === 'before-reset' ? 'Automatic, before a reset' : 'Automatic, daily';

export function BackupsPanel({ project, service }: Props) {
  const client = useClient();
  const [backups, setBackups] = useState<BackupSummary[]>();
  const [folder, setFolder] = useState<string>();
  const [work, setWork] = useState<Work>();
  const [progress, setProgress] = useState<BackupProgress>();
  const [message, setMessage] = useState<{ ok: boolean; text: string }>();
  const [asking, setAsking] = useState<{ backup: BackupSummary; all: boolean }>();
  const [revealed, setRevealed] = useState<{ path: string; shown: boolean }>();
  const [settings, setSettings] = useState<BackupSettingsView>();

  // The state is set in the answer's callbacks, so the list can be asked for from an effect.
  const refresh = useCallback(
    () =>
      client.call('backup.list', { project }).then(
        (list) => {
          setBackups(list.backups);
          setFolder(list.folder);
        },
        (err: unknown) => setMessage({ ok: false, text: err instanceof Error ? err.message : String(err) }),
      ),
    [client, project],
  );

  useEffect(() => {
    void refresh();
  }, [refresh]);

  useEffect(() => {
    client.call('backup.settings', {}).then(setSettings, () => undefined);
  }, [client]);

  // A backup the engine took by itself (before a reset, daily) is told as a notice: list again.
  useEffect(
    () =>
      client.on('env.notice', (p) => {
        if (p.project === project && /backup|Backed up/i.test(p.notice.message)) void refresh();
      }),
    [client, project, refresh],
  );

  const setDaily = async (daily: boolean) => {
    try {
      setSettings(await client.call('backup.settings', { daily }));
    } catch (err) {
      setMessage({ ok: false, text: err instanceof Error ? err.message : String(err) });
    }
  };

  // Shown while this panel's work runs; the end is shown by the work's answer.
  useEffect(() => {
    if (!work) return;
    return client.on('backup.progress', (p) => {
      if (p.project === project && p.progress) setProgress(p.progress);
    });
  }, [client, project, work]);

  const run = async (w: Work, task: () => Promise<{ ok: boolean; text: string }>) => {
    setWork(w);
    setMessage(undefined);
    setProgress(undefined);
    try {
      setMessage(await task());
    } catch (err) {
      setMessage({ ok: false, text: err instanceof Error ? err.message : String(err) });
    } finally {
      setWork(undefined);
      setProgress(undefined);
      await refresh();
    }
  };

  const backUp = (all: boolean) =>
    run({ kind: 'backup', label: all ? 'Backing up the whole environment…' : `Backing up ${service.title}…` }, async () => {
      const b = await client.call('backup.take', { project, ...(all ? {} : { service: service.name }) });
      return { ok: true, text: `Backed up ${b.services.map((s) => s.title).join(', ')} (${formatBytes(b.totalBytes)}).` };
    });

  const restore = (b: BackupSummary, all: boolean, kind: Work['kind'] = 'restore') =>
    run({ kind, label: kind === 'undo' ? `Undoing the reset of ${service.title}…` : `Restoring ${all ? 'the environment' : service.title}…` }, async () => {
      const r = await client.call('backup.restore', { project, backup: b.id, ...(all ? {} : { service: service.name }) });
      return { ok: r.ok, text: r.message };
    });

  const remove = (b: BackupSummary) =>
    run({ kind: 'backup', label: 'Deleting the backup…' }, async () => {
      await client.call('backup.delete', { project, backup: b.id });
      return { ok: true, text: `Deleted the backup of ${new Date(b.createdAt).toLocaleString()}.` };
    });

  // The desktop app shows the folder in the file manager; a browser cannot open a folder of this
  // computer, so there the path is shown to copy.
  const reveal = async () => {
    try {
      setRevealed(await client.call('backup.reveal', { project }));
    } catch (err) {
      setMessage({ ok: false, text: err instanceof Error ? err.message : String(err) });
    }
  };

  const mine = (backups ?? []).filter((b) => b.services.some((s) => s.service === service.name));
  const undo = mine[0]?.reason === 'before-reset' ? mine[0] : undefined;

  return (
    <section className="backups" aria-label={`Backups of ${service.title}`}>
      <div className="backups__actions">
        <button type="button" className="btn btn--primary" disabled={!!work} onClick={() => void backUp(false)}>
          Back up {service.title} now
        </button>
        <button type="button" className="btn" disabled={!!work} onClick={() => void backUp(true)}>
          Back up the whole environment
        </button>
        {undo && (
          <button type="button" className="btn btn--primary" disabled={!!work} onClick={() => void restore(undo, false, 'undo')}>
            Undo reset
          </button>
        )}
        <button type="button" className="btn" onClick={() => void reveal()}>
          Reveal folder
        </button>
      </div>
      {settings && (
        <div className="backups__settings">
          <label>
            <input type="checkbox" checked={settings.daily} onChange={(e) => void setDaily(e.target.checked)} /> Back up daily while the
            environment runs
          </label>
          <span className="backups__retention">
            Automatic backups are kept {settings.keepDays} days, {formatBytes(settings.maxGigabytes * 1024 ** 3)} at most (oldest removed
            first); manual ones until you delete them.
          </span>
        </div>
      )}
      {undo && !work && <p className="backups__note">{service.title} was reset; its data from before the reset is kept in a backup.</p>}
      {revealed && (
        <p className="backups__folder" role="status">
          {revealed.shown ? 'Shown in your file manager: backups are in ' : 'Backups are in '}
          <code>{revealed.path}</code> <CopyButton label="Copy the backups folder path" text={revealed.path} showText />
          {!revealed.shown && <span> A browser cannot open a folder on this computer: copy the path and open it in your file manager.</span>}
        </p>
      )}
      {work && (
        <div className="backups__progress" role="status" aria-live="polite">
          <progress aria-label={work.label} />
          <span>
            {work.label}
            {progress ? ` ${progress.service ? `${progress.service}: ` : ''}${progress.step}${progress.bytes ? ` (${formatBytes(progress.bytes)})` : ''}` : ''}
          </span>
        </div>
      )}
      {message && (
        <p className={message.ok ? 'backups__ok' : 'backups__error'} role={message.ok ? 'status' : 'alert'}>
          {message.text}
        </p>
      )}
      {backups === undefined ? (
        <p>Loading backups…</p>
      ) : backups.length === 0 ? (
        <p>No backups yet{folder ? ` (they go to ${folder})` : ''}. Automatic backups are taken before a reset.</p>
      ) : (
        <table className="backups__table" aria-label="Backups">
          <thead>
            <tr>
              <th scope="col">Taken</th>
              <th scope="col">Size</th>
              <th scope="col">Kind</th>
              <th scope="col">Holds</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {backups.map((b) => {
              const hasMine = b.services.some((s) => s.service === service.name);
              return (
                <tr key={b.id} aria-label={`Backup of ${new Date(b.createdAt).toLocaleString()}`}>
                  <td>
                    <time dateTime={b.createdAt}>{new Date(b.createdAt).toLocaleString()}</time>
                    {b.project !== project && <span className="backups__from"> from {b.project}</span>}
                  </td>
                  <td>{formatBytes(b.totalBytes)}</td>
                  <td>{kindWords(b)}</td>
                  <td>{b.services.map((s) => s.title).join(', ')}</td>
                  <td className="backups__row-actions">
                    {hasMine && (
                      <button type="button" className="btn btn--small" disabled={!!work} onClick={() => setAsking({ backup: b, all: false })}>
                        Restore {service.title}
                      </button>
                    )}
                    {b.services.length > 1 && (
                      <button type="button" className="btn btn--small" disabled={!!work} onClick={() => setAsking({ backup: b, all: true })}>
                        Restore all
                      </button>
                    )}
                    <button type="button" className="btn btn--small btn--danger" disabled={!!work} onClick={() => void remove(b)}>
                      Delete
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {asking && (
        <Dialog
          title={`Restore ${asking.all ? 'the environment' : service.title}?`}
          onClose={() => setAsking(undefined)}
          footer={
            <>
              <button type="button" className="btn" onClick={() => setAsking(undefined)}>
                Cancel
              </button>
              <button
                type="button"
                className="btn btn--primary"
                onClick={() => {
                  const { backup, all } = asking;
                  setAsking(undefined);
                  void restore(backup, all);
                }}
              >
                Restore
              </button>
            </>
          }
        >
          <p>
            {asking.all ? 'The data of every service in this backup' : `${service.title}'s data`} goes back to how it was on{' '}
            {new Date(asking.backup.createdAt).toLocaleString()}. Its databases are replaced by the backup's; files in the backup replace
            files of the same name in your folders. The backup is checked first: a damaged one is refused and nothing changes.
          </p>
        </Dialog>
      )}
    </section>
  );
}
