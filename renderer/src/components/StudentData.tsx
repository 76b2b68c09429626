// The Overview's "Data": every place the service keeps student data — its named volumes and
// the folders on this computer the course declares as student data (the notebooks folder) —
// with where each is and how big. A folder can be opened in the file manager where the panel
// runs as the desktop app; in the browser panel its path is shown to copy.
import { useEffect, useMemo, useState } from 'react';
import { useClient } from '../hooks/client-context.js';
import { formatBytes } from '../lib/format.js';
import type { Outputs } from '../lib/types.js';
import { CopyButton } from './CopyButton.js';
import '../styles/tools.css';

type DataView = Outputs['service.data'];
type Place = DataView['places'][number];

interface Props {
  project: string;
  service: string;
  /** Changes when the data may have changed (a new container): measured again. */
  generation?: string;
}

export function StudentData({ project, service, generation }: Props) {
  const client = useClient();
  const [view, setView] = useState<DataView>();
  // One token per measurement: an error is shown only for the measurement that failed, so a new
  // one starts without it (the last view stays until the new one arrives).
  const request = useMemo(() => ({ client, project, service, generation }), [client, project, service, generation]);
  const [failed, setFailed] = useState<{ request: typeof request; message: string }>();
  const error = failed?.request === request ? failed.message : undefined;
  useEffect(() => {
    let live = true;
    request.client.call('service.data', { project: request.project, service: request.service }).then(
      (v) => live && setView(v),
      (e: unknown) => live && setFailed({ request, message: e instanceof Error ? e.message : String(e) }),
    );
    return () => {
      live = false;
    };
  }, [request]);

  if (error) return <span className="muted">Could not list the data: {error}</span>;
  if (!view) return <span className="muted">Looking…</span>;
  if (!view.places.length) return <span className="muted">No student data kept by this service</span>;
  return (
    <ul className="data-places" aria-label="Where your data is">
      {view.places.map((p) => (
        <PlaceRow key={p.target} project={project} service={service} place={p} canOpen={view.canOpenFolders} />
      ))}
    </ul>
  );
}

function PlaceRow({ project, service, place, canOpen }: { project: string; service: string; place: Place; canOpen: boolean }) {
  const client = useClient();
  const [message, setMessage] = useState<string>();
  const open = () => {
    setMessage(undefined);
    client.call('service.openDataFolder', { project, service, target: place.target }).catch((e: unknown) => setMessage(e instanceof Error ? e.message : String(e)));
  };
  const size = place.missing ? 'not made yet (made at the first start)' : place.bytes === undefined ? 'size unknown' : `${place.bytesAtLeast ? 'at least ' : ''}${formatBytes(place.bytes)}`;
  return (
    <li className="data-place" data-kind={place.kind} data-target={place.target}>
      <div className="data-place__head">
        <span className="data-place__kind">{place.kind === 'folder' ? 'Folder on this computer' : 'Docker volume'}</span>
        <span className="data-place__size" data-testid="data-size">
          {size}
        </span>
      </div>
      <div className="data-place__where">
        <code className="data-place__location" data-testid="data-location">
          {place.location}
        </code>
        {place.kind === 'folder' && (
          <>
            <CopyButton label={`Copy the path ${place.location}`} text={place.location} />
            {canOpen && (
              <button type="button" className="btn btn--small" onClick={open} disabled={place.missing}>
                Open folder
              </button>
            )}
          </>
        )}
      </div>
      <p className="data-place__note muted">
        Seen by the service at <code>{place.target}</code>. {place.survives}
      </p>
      {message && (
        <p className="data-place__error" role="alert">
          {message}
        </p>
      )}
    </li>
  );
}
