// "Make a support bundle": one file a student sends to their tutor or the help desk. The dialog
// says what goes in before it is made; afterwards where the file was saved (to copy), what is
// inside it, and that passwords and tokens are masked — the engine reads the file back and
// searches it for every secret of this environment, and the dialog says what it found.
import { useState } from 'react';
import { useClient } from '../hooks/client-context.js';
import { formatBytes } from '../lib/format.js';
import type { Outputs } from '../lib/types.js';
import { CopyButton } from './CopyButton.js';
import { Dialog } from './Dialog.js';
import { Spinner } from './icons.js';
import '../styles/tools.css';

type Bundle = Outputs['env.supportBundle'];

interface Props {
  project: string;
  onClose: () => void;
}

export function SupportBundleDialog({ project, onClose }: Props) {
  const client = useClient();
  const [bundle, setBundle] = useState<Bundle>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const make = () => {
    setBusy(true);
    setError(undefined);
    client
      .call('env.supportBundle', { project })
      .then(setBundle, (e: unknown) => setError(e instanceof Error ? e.message : String(e)))
      .finally(() => setBusy(false));
  };

  return (
    <Dialog
      title="Make a support bundle"
      onClose={onClose}
      className="dialog--wide"
      footer={
        <>
          <button type="button" className="btn" onClick={make} disabled={busy}>
            {busy ? <Spinner /> : null} {bundle ? 'Make another' : 'Make the bundle'}
          </button>
          <button type="button" className="btn btn--primary" onClick={onClose}>
            Close
          </button>
        </>
      }
    >
      {!bundle && (
        <p>
          One file with what a helper needs to see what is wrong: versions, the course's spec, each service's state and last log
          lines, the results of "Check my environment" and your settings. Passwords and tokens are replaced by <code>***</code>.
        </p>
      )}
      {busy && (
        <p role="status">
          <Spinner /> Making the bundle (the checks run first)…
        </p>
      )}
      {error && <p role="alert">{error}</p>}
      {bundle && <BundleView bundle={bundle} />}
    </Dialog>
  );
}

function BundleView({ bundle }: { bundle: Bundle }) {
  const top = bundle.entries[0]?.split('/')[0] ?? '';
  const { secrets } = bundle;
  return (
    <div className="bundle" data-testid="support-bundle">
      <p className="bundle__saved">
        Saved ({formatBytes(bundle.bytes)}) to{' '}
        <code className="bundle__path" data-testid="bundle-path">
          {bundle.path}
        </code>{' '}
        <CopyButton label="Copy the bundle's path" text={bundle.path} />
      </p>
      <p className={`bundle__secrets${secrets.found ? ' bundle__secrets--leak' : ''}`} data-testid="bundle-secrets" role="status">
        {secrets.found
          ? `Warning: ${secrets.found} of ${secrets.checked} secrets of this environment are in the bundle. Do not send it; please report this.`
          : `Secrets masked: ${secrets.what.length ? secrets.what.join(', ') : 'passwords and tokens'} appear as *** — the saved file was searched for all ${secrets.checked} secret values of this environment and none is in it.`}
      </p>
      <h3 className="bundle__heading">What is inside ({bundle.entries.length} files)</h3>
      <ul className="bundle__entries" aria-label="Files in the bundle">
        {bundle.entries.map((e) => (
          <li key={e}>
            <code>{top && e.startsWith(`${top}/`) ? e.slice(top.length + 1) : e}</code>
          </li>
        ))}
      </ul>
    </div>
  );
}
