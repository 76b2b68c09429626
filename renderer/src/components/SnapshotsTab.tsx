// A service's Snapshots tab: what is installed in its container, kept as a snapshot the student
// can go back to. Take a snapshot (the packages of every ecosystem, with versions); list them;
// see what changed in the container since it was installed (drift from a fresh container of
// its image) or since a snapshot; and turn a snapshot into a Dockerfile that rebuilds it.
import { useCallback, useEffect, useState } from 'react';
import { useClient } from '../hooks/client-context.js';
import { isRunning } from '../lib/status.js';
import type { Outputs, ServiceInfo, ServiceState } from '../lib/types.js';
import { CopyButton } from './CopyButton.js';
import { Spinner } from './icons.js';
import '../styles/tools.css';

type List = Outputs['snapshot.list'];
type Drift = Outputs['snapshot.drift'];
type Recreated = Outputs['snapshot.recreate'];

interface Props {
  project: string;
  service: ServiceInfo;
  state: ServiceState | undefined;
}

const SHOWN = 40;

export function SnapshotsTab({ project, service, state }: Props) {
  const client = useClient();
  const ref = { project, service: service.name };
  const running = isRunning(state);
  const [list, setList] = useState<List>();
  const [busy, setBusy] = useState<string>();
  const [error, setError] = useState<string>();
  const [name, setName] = useState('');
  const [drift, setDrift] = useState<Drift>();
  const [recreated, setRecreated] = useState<{ id: string; result: Recreated }>();

  const refresh = useCallback(() => {
    client.call('snapshot.list', { project, service: service.name }).then(setList, (e: unknown) => setError(e instanceof Error ? e.message : String(e)));
  }, [client, project, service.name]);
  useEffect(refresh, [refresh]);

  const run = async (what: string, task: () => Promise<void>) => {
    setBusy(what);
    setError(undefined);
    try {
      await task();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(undefined);
    }
  };
  const capture = () =>
    run('capture', async () => {
      await client.call('snapshot.capture', { ...ref, ...(name.trim() ? { name: name.trim() } : {}) });
      setName('');
      refresh();
    });
  /** `against`: 'baseline' (the image as built) or a snapshot's id. */
  const driftFrom = (against: string) =>
    run(`drift:${against}`, async () => {
      setDrift(await client.call('snapshot.drift', { ...ref, against }));
    });
  const recreate = (id: string) =>
    run(`recreate:${id}`, async () => {
      setRecreated({ id, result: await client.call('snapshot.recreate', { ...ref, snapshot: id, check: false }) });
    });

  const snapshots = list?.snapshots.filter((s) => s.service === service.name) ?? [];
  return (
    <div className="snapshots" data-testid="snapshots-tab">
      <p className="muted snapshots__intro">
        A snapshot records the packages installed in {service.title} (Debian, Python, npm) with their versions. Drift shows what
        changed in the container since it was installed.
      </p>
      {!running && <p className="snapshots__note">Start {service.title} to take a snapshot or see its drift.</p>}
      <form
        className="snapshots__actions"
        onSubmit={(e) => {
          e.preventDefault();
          void capture();
        }}
      >
        <label className="snapshots__name">
          <span>Snapshot name</span>
          <input type="text" value={name} maxLength={100} placeholder="e.g. before week 3" onChange={(e) => setName(e.target.value)} />
        </label>
        <button type="submit" className="btn btn--primary" disabled={!running || !!busy}>
          {busy === 'capture' ? <Spinner /> : null} Take a snapshot
        </button>
        <button type="button" className="btn" disabled={!running || !!busy} onClick={() => void driftFrom('baseline')}>
          {busy === 'drift:baseline' ? <Spinner /> : null} Drift from the image
        </button>
      </form>
      {busy && (
        <p role="status" className="muted">
          <Spinner /> {busy === 'capture' ? 'Taking a snapshot…' : busy.startsWith('drift') ? 'Comparing…' : 'Writing the Dockerfile…'}
        </p>
      )}
      {error && (
        <p role="alert" className="snapshots__error">
          {error}
        </p>
      )}
      {drift && <DriftView drift={drift} />}
      <h3 className="snapshots__heading">Snapshots of {service.title}</h3>
      {!list ? (
        <p className="muted">Loading…</p>
      ) : snapshots.length === 0 ? (
        <p className="muted">No snapshot yet.</p>
      ) : (
        <ul className="snapshots__list" aria-label="Snapshots">
          {snapshots.map((s) => (
            <li key={s.id} className="snapshot" data-snapshot={s.id}>
              <div className="snapshot__head">
                <strong>{s.name}</strong>
                <span className="muted">{new Date(s.createdAt).toLocaleString()}</span>
              </div>
              <div className="muted snapshot__counts">
                {s.counts.debian} Debian, {s.counts.python} Python, {s.counts.npm} npm packages · image <code>{s.image.ref}</code>
              </div>
              <div className="snapshot__actions">
                <button type="button" className="btn btn--small" disabled={!running || !!busy} onClick={() => void driftFrom(s.id)}>
                  Compare with now
                </button>
                <button type="button" className="btn btn--small" disabled={!!busy} onClick={() => void recreate(s.id)}>
                  Recreate as Dockerfile
                </button>
              </div>
              {recreated?.id === s.id && <RecreateView result={recreated.result} />}
            </li>
          ))}
        </ul>
      )}
      {list && list.broken.filter((b) => b.service === service.name).length > 0 && (
        <ul className="snapshots__broken" aria-label="Snapshots that cannot be read">
          {list.broken
            .filter((b) => b.service === service.name)
            .map((b) => (
              <li key={b.id}>
                <code>{b.id}</code>: {b.problem}
              </li>
            ))}
        </ul>
      )}
    </div>
  );
}

function DriftView({ drift }: { drift: Drift }) {
  const against = drift.reference.kind === 'image' ? `a fresh container of its image (${drift.reference.imageRef})` : `snapshot “${drift.reference.name}”`;
  const rows = Object.entries(drift.ecosystems).flatMap(([eco, d]) => [
    ...d.added.map((p) => ({ eco, what: 'added', text: `${p.name} ${p.version}` })),
    ...d.removed.map((p) => ({ eco, what: 'removed', text: `${p.name} ${p.version}` })),
    ...d.changed.map((p) => ({ eco, what: 'changed', text: `${p.name} ${p.from} → ${p.to}` })),
  ]);
  return (
    <section className="drift" aria-label="Drift" data-testid="drift">
      <p className="drift__summary" data-testid="drift-summary">
        {drift.empty
          ? `Nothing changed compared with ${against}.`
          : `Compared with ${against}: ${drift.counts.added} added, ${drift.counts.removed} removed, ${drift.counts.changed} changed.`}
      </p>
      {rows.length > 0 && (
        <ul className="drift__list">
          {rows.slice(0, SHOWN).map((r) => (
            <li key={`${r.eco}:${r.what}:${r.text}`}>
              <span className={`drift__what drift__what--${r.what}`}>{r.what}</span> <span className="muted">{r.eco}</span> <code>{r.text}</code>
            </li>
          ))}
          {rows.length > SHOWN && <li className="muted">and {rows.length - SHOWN} more</li>}
        </ul>
      )}
    </section>
  );
}

function RecreateView({ result }: { result: Recreated }) {
  return (
    <section className="recreate" aria-label="Dockerfile" data-testid="recreate">
      <p>
        A Dockerfile from <code>{result.baseImage}</code> that installs {result.counts.debianPinned} Debian and {result.counts.pythonPinned} Python
        packages at these versions. Written to:
      </p>
      <ul className="recreate__files">
        {result.files.map((f) => (
          <li key={f}>
            <code>{f}</code>
          </li>
        ))}
      </ul>
      <div className="recreate__code">
        <CopyButton label="Copy the Dockerfile" text={result.dockerfile} showText />
        <pre tabIndex={0} aria-label="Dockerfile text">
          {result.dockerfile}
        </pre>
      </div>
      {result.notPinned.length > 0 && (
        <p className="muted">
          Not at their versions ({result.notPinned.length}): {result.notPinned.slice(0, 10).join('; ')}
          {result.notPinned.length > 10 ? '…' : ''}
        </p>
      )}
    </section>
  );
}
