// Shown while the panel has lost its link to Coursedock itself (the browser shell stopped or
// restarted); the transport reconnects on its own.
import type { ConnectionState } from '../api/transport.js';
import { Spinner } from './icons.js';

export function ConnectionBanner({ state, everOpen }: { state: ConnectionState; everOpen: boolean }) {
  if (state === 'open' || (!everOpen && state === 'connecting')) return null;
  return (
    <div className="banner banner--warn" role="alert">
      <Spinner />
      <span>
        {everOpen ? 'Lost the connection to Coursedock — reconnecting…' : 'Cannot reach Coursedock — retrying…'} If this lasts,
        check that Coursedock is still running and open the address it printed.
      </span>
    </div>
  );
}
