// "This course's spec": what Coursedock ignores or changes in the course's Compose file, and
// why — keys it does not apply, ports moved to 127.0.0.1, folders it will create, host folders
// the course allows itself. Shown above the services whenever a course with warnings is open,
// folded after the first few so a long list does not push the services away; each line names
// the spec's line and key so a course team can act on it.
import { useId, useState } from 'react';
import type { EnvironmentInfo } from '../lib/types.js';

type SpecWarning = EnvironmentInfo['warnings'][number];

/** Shown unfolded up to this many; more are behind "Show all". */
const SHOWN = 3;

interface Props {
  warnings: readonly SpecWarning[];
  /** The spec's file name, as the lines refer to it. */
  file: string;
}

export function SpecNotice({ warnings, file }: Props) {
  const [all, setAll] = useState(false);
  const headingId = useId();
  if (!warnings.length) return null;
  const shown = all ? warnings : warnings.slice(0, SHOWN);
  const name = file.split(/[\\/]/).pop() ?? file;
  return (
    <section className="spec-notice" aria-labelledby={headingId}>
      <h2 id={headingId} className="spec-notice__title">
        This course’s spec
      </h2>
      <p className="spec-notice__lead">
        {warnings.length === 1 ? 'One thing' : `${warnings.length} things`} in <code title={file}>{name}</code> that Coursedock ignores
        or does differently, and why:
      </p>
      <ul className="spec-notice__list">
        {shown.map((w, i) => (
          <li key={`${w.line}:${w.column}:${i}`} className="spec-notice__item">
            <span className="spec-notice__where">
              line {w.line}
              {w.path ? (
                <>
                  {' · '}
                  <code>{w.path}</code>
                </>
              ) : null}
            </span>
            <span className="spec-notice__message">{w.message}</span>
          </li>
        ))}
      </ul>
      {warnings.length > SHOWN && (
        <button type="button" className="btn btn--small btn--ghost" aria-expanded={all} onClick={() => setAll(!all)}>
          {all ? 'Show fewer' : `Show all ${warnings.length}`}
        </button>
      )}
    </section>
  );
}
