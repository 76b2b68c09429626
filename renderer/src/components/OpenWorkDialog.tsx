// Asked before a Stop, Restart or Reinstall of a notebook server that has notebooks open or
// kernels running: says what is open ("2 notebooks are open, 1 kernel is busy") and what
// happens to it, then saves the notebook view's notebooks and goes on.
import { useState } from 'react';
import type { OpenWork, ServiceInfo } from '../lib/types.js';
import { Dialog } from './Dialog.js';

export type SavedAction = 'stop' | 'restart' | 'reinstall';

const verbs: Record<SavedAction, { title: string; button: string }> = {
  stop: { title: 'Stop', button: 'Save and stop' },
  restart: { title: 'Restart', button: 'Save and restart' },
  reinstall: { title: 'Reinstall', button: 'Save and reinstall' },
};

interface Props {
  action: SavedAction;
  service: ServiceInfo;
  work: OpenWork;
  /** Saves first, then runs the operation; the dialog closes when it resolves. */
  onConfirm: () => Promise<void>;
  onCancel: () => void;
}

/** The words about open work, shared with the reset dialog. */
export function OpenWorkNote({ work }: { work: OpenWork }) {
  return (
    <div className="open-work" data-testid="open-work">
      <p>
        <strong>{work.summary}</strong>
      </p>
      {work.notebooks.length > 0 && (
        <ul aria-label="Open notebooks">
          {work.notebooks.map((n) => (
            <li key={n}>
              <code>{n}</code>
            </li>
          ))}
          {work.notebookCount > work.notebooks.length && <li>and {work.notebookCount - work.notebooks.length} more</li>}
        </ul>
      )}
      <p>
        Notebooks open in the notebook view here are saved first. Notebooks open in other browser tabs keep what they last saved:
        save them there first.
        {work.busyKernels > 0 && ' Code running in a busy kernel is stopped, and every kernel loses its variables.'}
      </p>
    </div>
  );
}

export function OpenWorkDialog({ action, service, work, onConfirm, onCancel }: Props) {
  const [saving, setSaving] = useState(false);
  const words = verbs[action];
  return (
    <Dialog
      title={`${words.title} ${service.title}?`}
      onClose={onCancel}
      footer={
        <>
          <button type="button" className="btn" onClick={onCancel}>
            Cancel
          </button>
          <button
            type="button"
            className="btn btn--primary"
            disabled={saving}
            onClick={() => {
              setSaving(true);
              void onConfirm().finally(() => setSaving(false));
            }}
          >
            {saving ? 'Saving…' : words.button}
          </button>
        </>
      }
    >
      <OpenWorkNote work={work} />
    </Dialog>
  );
}
