// The one place student data can be deleted: says exactly which volumes go, and only enables
// the button once the service's name has been typed.
import { useRef, useState } from 'react';
import type { OpenWork, ServiceInfo } from '../lib/types.js';
import { OpenWorkNote } from './OpenWorkDialog.js';
import { Dialog } from './Dialog.js';

interface Props {
  service: ServiceInfo;
  /** What is open on its notebook server, when something is (said before the reset). */
  openWork?: OpenWork | undefined;
  onConfirm: () => void;
  onCancel: () => void;
}

export function ResetDialog({ service, openWork, onConfirm, onCancel }: Props) {
  const [typed, setTyped] = useState('');
  const input = useRef<HTMLInputElement>(null);
  const matches = typed.trim() === service.name;
  const volumes = service.resetVolumes;
  return (
    <Dialog
      title={`Reset ${service.title}?`}
      tone="danger"
      onClose={onCancel}
      initialFocus={input}
      footer={
        <>
          <button type="button" className="btn" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" form="reset-form" className="btn btn--danger" disabled={!matches}>
            Delete data and reset
          </button>
        </>
      }
    >
      <form
        id="reset-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (matches) onConfirm();
        }}
      >
        {openWork && <OpenWorkNote work={openWork} />}
        {volumes.length ? (
          <>
            <p>
              This deletes everything {service.title} has stored and starts it again with the course's original data.{' '}
              {volumes.length === 1 ? 'This Docker volume is deleted:' : `These ${volumes.length} Docker volumes are deleted:`}
            </p>
            <ul className="volume-list" aria-label="Volumes that will be deleted">
              {volumes.map((v) => (
                <li key={v}>
                  <code>{v}</code>
                </li>
              ))}
            </ul>
            <p className="dialog__warning">
              <strong>A backup of this data is taken first</strong>, so the reset can be undone: afterwards, Backups › Undo reset
              brings it back. Your notebooks folder and the other services are not touched.
            </p>
          </>
        ) : (
          <p>
            {service.title} keeps no data of its own in Docker volumes, so a reset deletes nothing: it is the same as a
            reinstall (a fresh container from a fresh image).
          </p>
        )}
        <label className="field">
          <span className="field__label">
            Type <code>{service.name}</code> to confirm
          </span>
          <input
            ref={input}
            className="input"
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            autoComplete="off"
            spellCheck={false}
          />
        </label>
      </form>
    </Dialog>
  );
}
