// Settings: the notebooks folder of the open course, the Docker endpoint and whether to bring
// back running services after a restart or restart services stuck after sleep, as the engine has
// them now (settings.get), saved with settings.set. A new notebooks folder is used from a
// service's next start: when a running service shows a folder (service.data), the dialog then
// asks whether to restart it now on the new one.
import { useEffect, useId, useRef, useState } from 'react';
import { useClient } from '../hooks/client-context.js';
import type { Settings } from '../lib/types.js';
import { Dialog } from './Dialog.js';
import { Spinner } from './icons.js';
import { BackupSettingsSection } from './backups/BackupSettingsSection.js';

interface Props {
  project: string | undefined;
  hasNotebooksFolder: boolean;
  /** The services running now: those showing a folder are offered a restart on a new one. */
  running?: Array<{ name: string; title: string }>;
  /** Restarts a service (its open notebooks saved first): it comes back on the new folder. */
  onRestart?: (service: string) => Promise<void>;
  onClose: () => void;
  onSaved: (settings: Settings, changed: { folder: boolean; endpoint: boolean }) => void;
}

export function SettingsDialog({ project, hasNotebooksFolder, running = [], onRestart, onClose, onSaved }: Props) {
  const client = useClient();
  const [settings, setSettings] = useState<Settings>();
  const [folder, setFolder] = useState('');
  const [endpoint, setEndpoint] = useState('');
  const [bringBack, setBringBack] = useState(true);
  const [restartStale, setRestartStale] = useState(true);
  const [error, setError] = useState<string>();
  const [saving, setSaving] = useState(false);
  /** After a new folder was saved: the running services that show a folder, to restart now or later. */
  const [onOldFolder, setOnOldFolder] = useState<Array<{ name: string; title: string }>>();
  const first = useRef<HTMLInputElement>(null);
  const id = useId();

  useEffect(() => {
    let live = true;
    client
      .call('settings.get', {})
      .then((s) => {
        if (!live) return;
        setSettings(s);
        setFolder((project && s.environments[project]?.notebooksFolder) || '');
        setEndpoint(s.dockerEndpoint ?? '');
        setBringBack(s.bringBackServices);
        setRestartStale(s.restartStaleAfterSleep);
        setTimeout(() => first.current?.focus(), 0);
      })
      .catch((err: unknown) => live && setError(err instanceof Error ? err.message : String(err)));
    return () => {
      live = false;
    };
  }, [client, project]);

  const currentFolder = (project && settings?.environments[project]?.notebooksFolder) || '';
  const folderChanged = hasNotebooksFolder && !!project && folder.trim() !== '' && folder.trim() !== currentFolder;
  const endpointChanged = !!settings && endpoint.trim() !== (settings.dockerEndpoint ?? '');
  const bringBackChanged = !!settings && bringBack !== settings.bringBackServices;
  const restartStaleChanged = !!settings && restartStale !== settings.restartStaleAfterSleep;

  const save = async () => {
    if (!folderChanged && !endpointChanged && !bringBackChanged && !restartStaleChanged) {
      onClose();
      return;
    }
    setSaving(true);
    setError(undefined);
    try {
      const saved = await client.call('settings.set', {
        ...(endpointChanged ? { dockerEndpoint: endpoint.trim() || null } : {}),
        ...(folderChanged && project ? { notebooksFolder: { project, path: folder.trim() } } : {}),
        ...(bringBackChanged ? { bringBackServices: bringBack } : {}),
        ...(restartStaleChanged ? { restartStaleAfterSleep: restartStale } : {}),
      });
      onSaved(saved, { folder: folderChanged, endpoint: endpointChanged });
      const restart = folderChanged && project && onRestart ? await servicesShowingAFolder(project) : [];
      if (restart.length) setOnOldFolder(restart);
      else onClose();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setSaving(false);
    }
  };

  const servicesShowingAFolder = async (p: string) => {
    const shown = await Promise.all(
      running.map(async (svc) => {
        const data = await client.call('service.data', { project: p, service: svc.name }).catch(() => undefined);
        return data?.places.some((place) => place.kind === 'folder') ? svc : undefined;
      }),
    );
    return shown.filter((svc): svc is { name: string; title: string } => !!svc);
  };

  const restartNow = async () => {
    if (!onOldFolder || !onRestart) return;
    setSaving(true);
    try {
      for (const svc of onOldFolder) await onRestart(svc.name);
      onClose();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setSaving(false);
    }
  };

  if (onOldFolder) {
    const names = onOldFolder.map((svc) => svc.title).join(', ');
    return (
      <Dialog
        title="Settings"
        onClose={onClose}
        footer={
          <>
            <button type="button" className="btn" onClick={onClose} disabled={saving}>
              Later
            </button>
            <button type="button" className="btn btn--primary" onClick={() => void restartNow()} disabled={saving}>
              {saving ? 'Restarting…' : 'Restart now'}
            </button>
          </>
        }
      >
        <p data-testid="folder-restart-question">
          Notebooks folder saved: <code>{folder.trim()}</code>. {names} still {onOldFolder.length > 1 ? 'show' : 'shows'} the old
          folder until {onOldFolder.length > 1 ? 'they restart' : 'it restarts'}. Restart now? Open notebooks are saved first; the
          files in the old folder stay where they are.
        </p>
        {error && (
          <p className="inline-error" role="alert">
            {error}
          </p>
        )}
      </Dialog>
    );
  }

  return (
    <Dialog
      title="Settings"
      onClose={onClose}
      footer={
        <>
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form="settings-form" className="btn btn--primary" disabled={!settings || saving}>
            {saving ? 'Saving…' : 'Save'}
          </button>
        </>
      }
    >
      {!settings && !error && (
        <p className="muted">
          <Spinner /> Loading settings…
        </p>
      )}
      {settings && (
        <form
          id="settings-form"
          className="form"
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          {hasNotebooksFolder && project && (
            <div className="field">
              <label className="field__label" htmlFor={`${id}-folder`}>
                Notebooks folder
              </label>
              <input
                id={`${id}-folder`}
                aria-describedby={`${id}-folder-help`}
                ref={first}
                className="input"
                value={folder}
                onChange={(e) => setFolder(e.target.value)}
                placeholder="/home/you/Coursedock/notebooks"
                spellCheck={false}
              />
              <span className="field__help" id={`${id}-folder-help`}>
                The folder on this computer that the notebook server shows (an absolute path, or one starting with ~). The change
                takes effect the next time the notebook server starts.
              </span>
            </div>
          )}
          <div className="field">
            <label className="field__label" htmlFor={`${id}-endpoint`}>
              Docker endpoint
            </label>
            <input
              id={`${id}-endpoint`}
              aria-describedby={`${id}-endpoint-help`}
              ref={hasNotebooksFolder && project ? undefined : first}
              className="input"
              value={endpoint}
              onChange={(e) => setEndpoint(e.target.value)}
              placeholder="Automatic (DOCKER_HOST, Docker Desktop, Colima, Podman…)"
              spellCheck={false}
            />
            <span className="field__help" id={`${id}-endpoint-help`}>
              Leave empty to let Coursedock find Docker. Otherwise e.g. <code>unix:///var/run/docker.sock</code> or{' '}
              <code>tcp://127.0.0.1:2375</code>; then only that endpoint is used.
            </span>
          </div>
          <div className="field">
            <label className="field__label">
              <input
                type="checkbox"
                aria-describedby={`${id}-bring-back-help`}
                checked={bringBack}
                onChange={(e) => setBringBack(e.target.checked)}
              />{' '}
              Bring back my services after a restart
            </label>
            <span className="field__help" id={`${id}-bring-back-help`}>
              When Docker or this computer restarts, Coursedock starts again the services you had running. A service you stopped
              stays stopped.
            </span>
          </div>
          <div className="field">
            <label className="field__label">
              <input
                type="checkbox"
                aria-describedby={`${id}-restart-stale-help`}
                checked={restartStale}
                onChange={(e) => setRestartStale(e.target.checked)}
              />{' '}
              Restart services stuck after sleep
            </label>
            <span className="field__help" id={`${id}-restart-stale-help`}>
              When this computer wakes up, a service whose health check has not run since, or that no longer answers, is
              restarted and you are told.
            </span>
          </div>
          <div className="field">
            <span className="field__label">Coursedock's data folder</span>
            <code className="field__static">{settings.dataDir}</code>
          </div>
        </form>
      )}
      {settings && <BackupSettingsSection />}
      {error && (
        <p className="inline-error" role="alert">
          {error}
        </p>
      )}
    </Dialog>
  );
}
