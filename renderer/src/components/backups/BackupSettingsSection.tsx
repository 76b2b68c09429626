// The backup settings in the Settings dialog (issue 15, items 3 and 4): where backups go, how
// long automatic ones are kept and how much room they may take (oldest removed first), and
// the daily backup while the environment runs. Its own Save, so it never waits on the rest of
// the dialog; each field says what is wrong with it before anything is sent.
import { useEffect, useId, useState } from 'react';
import type { BackupSettingsView } from '../../../../electron/api/backup-contract.js';
import { useClient } from '../../hooks/client-context.js';
import { backupSettingsChanges, checkBackupSettings, formOf, type BackupSettingsForm } from './backup-settings-form.js';

export function BackupSettingsSection() {
  const client = useClient();
  const id = useId();
  const [view, setView] = useState<BackupSettingsView>();
  const [form, setForm] = useState<BackupSettingsForm>();
  const [tried, setTried] = useState(false);
  const [saving, setSaving] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string }>();

  useEffect(() => {
    let live = true;
    client.call('backup.settings', {}).then(
      (v) => {
        if (!live) return;
        setView(v);
        setForm(formOf(v));
      },
      (err: unknown) => live && setResult({ ok: false, text: `Could not read the backup settings: ${err instanceof Error ? err.message : String(err)}` }),
    );
    return () => {
      live = false;
    };
  }, [client]);

  // Not an alert: the rest of the Settings dialog works without it.
  if (!form || !view) return result ? <p className="muted">{result.text}</p> : null;

  const errors = checkBackupSettings(form);
  const shown = tried ? errors : {};
  const change = (patch: Partial<BackupSettingsForm>) => {
    setForm({ ...form, ...patch });
    setResult(undefined);
  };

  const save = async () => {
    setTried(true);
    if (Object.keys(errors).length) return;
    const changes = backupSettingsChanges(form, view);
    if (!changes) {
      setResult({ ok: true, text: 'Nothing changed.' });
      return;
    }
    setSaving(true);
    try {
      const saved = await client.call('backup.settings', changes);
      setView(saved);
      setForm(formOf(saved));
      setTried(false);
      setResult({ ok: true, text: 'Backup settings saved.' });
    } catch (err) {
      setResult({ ok: false, text: err instanceof Error ? err.message : String(err) });
    } finally {
      setSaving(false);
    }
  };

  const field = (key: 'folder' | 'keepDays' | 'maxGigabytes', label: string, help: string, extra: React.InputHTMLAttributes<HTMLInputElement>) => (
    <div className="field">
      <label className="field__label" htmlFor={`${id}-${key}`}>
        {label}
      </label>
      <input
        id={`${id}-${key}`}
        className="input"
        value={form[key]}
        aria-invalid={shown[key] ? true : undefined}
        aria-describedby={`${id}-${key}-help${shown[key] ? ` ${id}-${key}-error` : ''}`}
        onChange={(e) => change({ [key]: e.target.value })}
        spellCheck={false}
        {...extra}
      />
      <span className="field__help" id={`${id}-${key}-help`}>
        {help}
      </span>
      {shown[key] && (
        <span className="inline-error" id={`${id}-${key}-error`} role="alert">
          {shown[key]}
        </span>
      )}
    </div>
  );

  return (
    <form
      className="form"
      aria-label="Backups"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <h3 className="field__label">Backups</h3>
      {field('folder', 'Backups folder', 'Where backups are kept on this computer (an absolute path, or one starting with ~). Leave empty for the default, under Coursedock’s data folder.', { placeholder: 'Default: under Coursedock’s data folder' })}
      {field('keepDays', 'Keep automatic backups for (days)', 'Automatic backups (before a reset, daily) older than this are removed. Backups you take yourself are kept until you delete them.', { inputMode: 'numeric' })}
      {field('maxGigabytes', 'Room for automatic backups (GB)', 'When automatic backups take more than this, the oldest are removed first.', { inputMode: 'decimal' })}
      <div className="field">
        <label className="field__label">
          <input type="checkbox" checked={form.daily} onChange={(e) => change({ daily: e.target.checked })} /> Back up daily while the environment runs
        </label>
      </div>
      <div>
        <button type="submit" className="btn" disabled={saving}>
          {saving ? 'Saving…' : 'Save backup settings'}
        </button>{' '}
        {result && (
          <span className={result.ok ? 'muted' : 'inline-error'} role={result.ok ? 'status' : 'alert'}>
            {result.text}
          </span>
        )}
      </div>
    </form>
  );
}
