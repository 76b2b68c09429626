// How to reach a database: from a notebook (the service's name on the course network) and from
// this computer (127.0.0.1 and the port actually published, which Coursedock may have moved).
// The password stays hidden until asked for; snippets are ready to paste.
import { useCallback, useState } from 'react';
import { useClient } from '../hooks/client-context.js';
import { MASK } from '../lib/format.js';
import { connectionSnippets, type Endpoint } from '../lib/snippets.js';
import type { ServiceInfo, ServiceState } from '../lib/types.js';
import { CopyButton } from './CopyButton.js';
import { EyeIcon } from './icons.js';

interface Props {
  project: string;
  service: ServiceInfo & { connection: NonNullable<ServiceInfo['connection']> };
  state: ServiceState | undefined;
}

export function ConnectionTab({ project, service, state }: Props) {
  const client = useClient();
  const conn = service.connection;
  const published = state?.ports.find((p) => p.target === conn.port && p.protocol === 'tcp');
  const [password, setPassword] = useState<string>();
  const [revealed, setRevealed] = useState(false);
  const [error, setError] = useState<string>();
  const [where, setWhere] = useState<'notebook' | 'computer'>('notebook');

  const fetchPassword = useCallback(async () => {
    if (password !== undefined) return password;
    const { value } = await client.call('service.revealSecret', { project, service: service.name, field: 'password' });
    setPassword(value);
    return value;
  }, [client, password, project, service.name]);

  const toggleReveal = async () => {
    setError(undefined);
    if (revealed) {
      setRevealed(false);
      return;
    }
    try {
      await fetchPassword();
      setRevealed(true);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };

  const fromNotebook: Endpoint = { host: service.name, port: conn.port };
  const fromComputer: Endpoint | undefined = published ? { host: '127.0.0.1', port: published.hostPort } : undefined;
  const at = where === 'notebook' ? fromNotebook : fromComputer;
  const shownPassword = conn.hasPassword ? (revealed && password !== undefined ? password : MASK) : undefined;
  const snippets = at ? connectionSnippets(conn, at, shownPassword, shownPassword === MASK) : [];
  const snippetText = async (id: string) => {
    if (!at) return '';
    const real = conn.hasPassword ? await fetchPassword() : undefined;
    return connectionSnippets(conn, at, real).find((s) => s.id === id)?.code ?? '';
  };

  return (
    <div className="connection">
      <div className="conn-cards">
        <section className="card" aria-labelledby="conn-notebook">
          <h3 id="conn-notebook">From a notebook</h3>
          <p className="muted">Notebooks reach {service.title} by its service name on the course network.</p>
          <dl className="fields">
            <Field label="Host" value={fromNotebook.host} />
            <Field label="Port" value={String(fromNotebook.port)} />
          </dl>
        </section>
        <section className="card" aria-labelledby="conn-computer">
          <h3 id="conn-computer">From this computer</h3>
          <p className="muted">For programs installed on this computer, e.g. psql, pgAdmin or DBeaver.</p>
          {fromComputer ? (
            <dl className="fields">
              <Field label="Host" value={fromComputer.host} />
              <Field
                label="Port"
                value={String(fromComputer.port)}
                note={
                  published?.requested !== undefined && published.requested !== published.hostPort
                    ? `${published.requested} was busy`
                    : undefined
                }
              />
            </dl>
          ) : (
            <p className="muted">Start {service.title} to see the port it is published on.</p>
          )}
        </section>
      </div>

      {(conn.user || conn.database || conn.hasPassword) && (
        <section className="card" aria-labelledby="conn-credentials">
          <h3 id="conn-credentials">Credentials</h3>
          <dl className="fields">
            {conn.user && <Field label="User" value={conn.user} />}
            {conn.database && <Field label="Database" value={conn.database} />}
            {conn.hasPassword && (
              <div className="field-row">
                <dt>Password</dt>
                <dd>
                  <code className="field-row__value" data-testid="password-value">
                    {revealed && password !== undefined ? password : MASK}
                  </code>
                  <button type="button" className="btn btn--small btn--ghost" onClick={() => void toggleReveal()} aria-pressed={revealed}>
                    <EyeIcon /> {revealed ? 'Hide' : 'Reveal'}
                  </button>
                  <CopyButton label="Copy password" get={fetchPassword} onError={setError} />
                </dd>
              </div>
            )}
          </dl>
          {error && (
            <p className="inline-error" role="alert">
              {error}
            </p>
          )}
        </section>
      )}

      {conn.envVars && Object.keys(conn.envVars).length > 0 && (
        <section className="card" aria-labelledby="conn-env">
          <h3 id="conn-env">Already set in notebooks</h3>
          <p className="muted">These environment variables hold the connection details inside the course environment:</p>
          <ul className="env-vars">
            {Object.entries(conn.envVars).map(([k, v]) => (
              <li key={k}>
                <code>{k}</code> <span className="muted">{v}</span>
              </li>
            ))}
          </ul>
        </section>
      )}

      {(snippets.length > 0 || !at) && (
        <section className="card" aria-labelledby="conn-snippets">
          <div className="card__header">
            <h3 id="conn-snippets">Code to paste</h3>
            <div className="segmented" role="radiogroup" aria-label="Where the code runs">
              {(['notebook', 'computer'] as const).map((w) => (
                <button
                  key={w}
                  type="button"
                  role="radio"
                  aria-checked={where === w}
                  className={`segmented__item${where === w ? ' is-active' : ''}`}
                  onClick={() => setWhere(w)}
                >
                  {w === 'notebook' ? 'In a notebook' : 'On this computer'}
                </button>
              ))}
            </div>
          </div>
          {!at && <p className="muted">Start {service.title} to get code for this computer.</p>}
          {snippets.map((s) => (
            <figure key={s.id} className="snippet">
              <figcaption className="snippet__title">
                <span>{s.title}</span>
                <CopyButton label={`Copy ${s.title} code`} get={() => snippetText(s.id)} onError={setError} />
              </figcaption>
              <pre className="snippet__code" data-testid={`snippet-${s.id}`}>
                <code>{s.code}</code>
              </pre>
            </figure>
          ))}
        </section>
      )}
    </div>
  );
}

function Field({ label, value, note }: { label: string; value: string; note?: string | undefined }) {
  return (
    <div className="field-row">
      <dt>{label}</dt>
      <dd>
        <code className="field-row__value">{value}</code>
        {note && <span className="port__moved">({note})</span>}
        <CopyButton label={`Copy ${label.toLowerCase()}`} text={value} />
      </dd>
    </div>
  );
}
