// "Install a course from a file…": a student installs the course bundle their tutor handed out
// (a USB stick) with no network. The file is chosen with the desktop's file picker, or its path
// typed or pasted (both shells; the browser shell has no picker on the engine's computer); while
// the install runs its progress (bytes of the file read, of its size) is shown as the engine
// pushes it (`courses.installProgress` events; nothing is polled). Opened while an install runs
// (another window started it), the dialog reads where it has got once and follows it. A damaged,
// foreign or already-installed bundle is refused with the engine's reason in words.
import { useEffect, useState, type SyntheticEvent } from 'react';
import { useClient } from '../hooks/client-context.js';
import { formatBytes } from '../lib/format.js';
import type { Outputs } from '../lib/types.js';
import { Dialog } from './Dialog.js';
import { Spinner } from './icons.js';

type Installed = Outputs['courses.installBundle'];
type Progress = NonNullable<Outputs['courses.installProgress']['progress']>;

interface Props {
  onClose: () => void;
  /** The course was installed: the course list is read again and this course chosen. */
  onInstalled: (courseId: string) => void;
}

export function InstallCourseDialog({ onClose, onInstalled }: Props) {
  const client = useClient();
  const [file, setFile] = useState('');
  const [replace, setReplace] = useState(false);
  const [busy, setBusy] = useState(false);
  const [progress, setProgress] = useState<Progress>();
  const [error, setError] = useState<string>();
  const [installed, setInstalled] = useState<Installed>();

  // The end of this dialog's own install is shown by its answer: the last step stays until then.
  useEffect(
    () =>
      client.on('courses.installProgress', (p) => {
        if (p.progress || !busy) setProgress(p.progress);
      }),
    [client, busy],
  );

  // An install already running when the dialog opens: where it has got, once (events follow).
  useEffect(() => {
    client.call('courses.installProgress', {}).then(
      (r) => r.progress && setProgress((seen) => seen ?? r.progress),
      () => undefined,
    );
  }, [client]);

  const choose = () => {
    setError(undefined);
    client.call('courses.chooseBundleFile', {}).then(
      (r) => r.path && setFile(r.path),
      (err: unknown) => setError(err instanceof Error ? err.message : String(err)),
    );
  };

  const install = (e: SyntheticEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    setProgress(undefined);
    client
      .call('courses.installBundle', { path: file.trim(), ...(replace ? { replace } : {}) })
      .then(
        (r) => {
          setInstalled(r);
          onInstalled(r.course.id);
        },
        (err: unknown) => setError(err instanceof Error ? err.message : String(err)),
      )
      .finally(() => {
        setBusy(false);
        setProgress(undefined);
      });
  };

  // An install started elsewhere (another window) is running: this one waits for it.
  const elsewhere = !busy && progress !== undefined;

  return (
    <Dialog
      title="Install a course from a file"
      onClose={busy ? () => undefined : onClose}
      footer={
        <>
          {!installed && (
            <button type="submit" form="install-course-form" className="btn btn--primary" disabled={busy || elsewhere || !file.trim()}>
              {busy ? <Spinner /> : null} Install
            </button>
          )}
          <button type="button" className="btn" onClick={onClose} disabled={busy}>
            {installed ? 'Close' : 'Cancel'}
          </button>
        </>
      }
    >
      {!installed && (
        <form id="install-course-form" onSubmit={install}>
          <p>A course bundle (made by your tutor with coursedock bundle export) holds the course and its images: installing it needs no network.</p>
          <div className="field__row">
            <label className="field">
              <span>Path of the bundle file on this computer</span>
              <input type="text" value={file} onChange={(e) => setFile(e.target.value)} placeholder="/media/usb/tm351.coursedock" disabled={busy} spellCheck={false} />
            </label>
            {client.canChooseFiles && (
              <button type="button" className="btn" onClick={choose} disabled={busy}>
                Choose…
              </button>
            )}
          </div>
          <label className="field field--check">
            <input type="checkbox" checked={replace} onChange={(e) => setReplace(e.target.checked)} disabled={busy} /> Replace the course if it was installed from a bundle before
            (its student data is kept)
          </label>
        </form>
      )}
      {(busy || elsewhere) && !installed && (
        <p role="status" data-testid="install-progress">
          <Spinner /> {elsewhere && 'Another window is installing a course: '}
          {progress ? progress.message : 'Opening the bundle'}
          {progress && ` — ${formatBytes(progress.bytesDone)}${progress.bytesTotal ? ` of ${formatBytes(progress.bytesTotal)}` : ''}`}
          {progress?.bytesTotal ? <progress value={progress.bytesDone} max={progress.bytesTotal} /> : null}
        </p>
      )}
      {error && <p role="alert">{error}</p>}
      {installed && (
        <div role="status" data-testid="install-done">
          <p>
            Installed <strong>{installed.course.title}</strong>. It is chosen in the course list: Start all to begin.
          </p>
          {installed.notIncluded.length > 0 && (
            <p>Not in the bundle (downloaded when first used): {installed.notIncluded.map((n) => n.ref).join(', ')}</p>
          )}
        </div>
      )}
    </Dialog>
  );
}
