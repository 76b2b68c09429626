// "Check my environment" with fixes: every check's result; a failed check that Coursedock can
// fix shows what the fix will do (before anything runs) and a Fix button; the check's new
// result replaces the old one after the fix.
import { useCallback, useEffect, useState } from 'react';
import type { Outputs } from '../lib/types.js';
import { useClient } from '../hooks/client-context.js';
import { Dialog } from './Dialog.js';
import { Spinner } from './icons.js';
import '../styles/onboarding.css';

type Report = Outputs['env.check'];
type Result = Report['results'][number];
type Fixed = Outputs['env.fix'];

interface Props {
  project: string;
  onClose: () => void;
}

const MARK: Record<Result['status'], string> = { pass: '✓', fail: '✗', skipped: '–', warn: '!' };

export function CheckDialog({ project, onClose }: Props) {
  const client = useClient();
  const [report, setReport] = useState<Report>();
  const [error, setError] = useState<string>();
  const [fixing, setFixing] = useState<string>();
  const [fixed, setFixed] = useState<Record<string, { ok: boolean; did: string }>>({});

  const check = useCallback(
    () => client.call('env.check', { project }).then(setReport, (e: unknown) => setError(e instanceof Error ? e.message : String(e))),
    [client, project],
  );
  // Another project is another dialog (App keys it by project): its state starts empty.
  useEffect(() => {
    void check();
  }, [check]);
  const checkAgain = () => {
    setReport(undefined);
    setError(undefined);
    void check();
  };

  const fix = (id: string) => {
    setFixing(id);
    client
      .call('env.fix', { project, check: id })
      .then((r: Fixed) => {
        setFixed((f) => ({ ...f, [id]: { ok: r.ok && r.after?.status !== 'fail', did: r.did } }));
        const after = r.after;
        if (after) setReport((rep) => rep && { ...rep, results: rep.results.map((x) => (x.id === id ? after : x)) });
      })
      .catch((e: unknown) => setFixed((f) => ({ ...f, [id]: { ok: false, did: e instanceof Error ? e.message : String(e) } })))
      .finally(() => setFixing(undefined));
  };

  const counts = report?.results.reduce((c, r) => ({ ...c, [r.status]: (c[r.status] ?? 0) + 1 }), {} as Record<string, number>);
  return (
    <Dialog
      title="Check my environment"
      onClose={onClose}
      className="dialog--wide"
      footer={
        <>
          <button type="button" className="btn" onClick={checkAgain} disabled={!report || !!fixing}>
            Check again
          </button>
          <button type="button" className="btn btn--primary" onClick={onClose}>
            Close
          </button>
        </>
      }
    >
      {error && <p role="alert">{error}</p>}
      {!report && !error && (
        <p>
          <Spinner /> Checking…
        </p>
      )}
      {report && (
        <>
          <p className="checks__summary" data-testid="checks-summary">
            {counts?.pass ?? 0} passed, {counts?.fail ?? 0} failed{counts?.warn ? `, ${counts.warn} ${counts.warn === 1 ? 'warning' : 'warnings'}` : ''}{counts?.skipped ? `, ${counts.skipped} skipped (not available on this computer)` : ''}
          </p>
          <ul className="checks" aria-label="Checks">
            {report.results.map((r) => (
              <li key={r.id} className={`check check--${r.status}`} data-check={r.id}>
                <div className="check__head">
                  <span className="check__mark" aria-label={r.status}>
                    {MARK[r.status]}
                  </span>
                  <span>{r.title}</span>
                </div>
                <p className="check__detail">{r.detail}</p>
                {r.hint && r.status !== 'pass' && <p className="check__hint">→ {r.hint}</p>}
                {r.repair && r.status === 'fail' && (
                  <div className="check__fix" role="group" aria-label={`Fix: ${r.title}`}>
                    <p>
                      <strong>{r.repair.title}.</strong> {r.repair.willDo}
                    </p>
                    <button type="button" className="btn btn--primary btn--small" onClick={() => fix(r.id)} disabled={!!fixing}>
                      {fixing === r.id ? 'Fixing…' : 'Fix'}
                    </button>
                  </div>
                )}
                <FixOutcome done={fixed[r.id]} />
              </li>
            ))}
          </ul>
        </>
      )}
    </Dialog>
  );
}

/** What a Fix did, under the check it was for (nothing before one ran). */
function FixOutcome({ done }: { done: { ok: boolean; did: string } | undefined }) {
  if (!done) return null;
  return (
    <p className={`check__done${done.ok ? '' : ' check__done--failed'}`} role="status">
      {done.did}
    </p>
  );
}
