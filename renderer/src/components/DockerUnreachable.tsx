// The whole panel while Docker does not answer: what was tried, what to do, and a retry. The
// engine keeps trying on its own, so this goes away by itself when Docker comes up.
import type { DockerStatus } from '../lib/types.js';
import { Spinner } from './icons.js';
import { EngineOnboarding } from './EngineOnboarding.js';
import { useOnboarding } from '../hooks/use-onboarding.js';

type Unreachable = Extract<DockerStatus, { state: 'unreachable' }>;

interface Props {
  status: Unreachable;
  checking: boolean;
  onRetry: () => void;
  onSettings: () => void;
}

export function DockerUnreachable({ status, checking, onRetry, onSettings }: Props) {
  const lost = status.attempts.length === 0 && /lost/i.test(status.message);
  // What is installed here and how to start it: looked at again with every status the engine
  // pushes (each of its retries), so a dockerd still shutting down is not taken for "running".
  const onboarding = useOnboarding(true, status);
  return (
    <main className="screen" aria-labelledby="docker-down-title" data-testid="docker-unreachable">
      <div className="screen__card">
        <div className="screen__icon" aria-hidden="true">
          <svg viewBox="0 0 48 48" width="48" height="48">
            <rect x="6" y="18" width="36" height="18" rx="4" fill="none" stroke="currentColor" strokeWidth="2.5" />
            <path d="M12 24h4M20 24h4M28 24h4" stroke="currentColor" strokeWidth="2.5" strokeLinecap="round" />
            <path d="M38 8l-8 8M30 8l8 8" stroke="var(--c-error)" strokeWidth="2.5" strokeLinecap="round" />
          </svg>
        </div>
        <h1 id="docker-down-title">{lost ? 'Docker stopped answering' : 'Docker is not running'}</h1>
        <p className="screen__lead">
          Coursedock runs your course's services in Docker, and cannot reach it.{' '}
          {status.hint || 'Start Docker Desktop (or your Docker engine) and wait until it says it is running.'}
        </p>
        {onboarding.view && <EngineOnboarding view={onboarding.view} starting={onboarding.starting} {...(onboarding.error ? { error: onboarding.error } : {})} onStart={onboarding.start} />}
        {status.attempts.length > 0 && (
          <>
            <h2 className="screen__subtitle">What Coursedock tried</h2>
            <ul className="attempts" aria-label="Connection attempts">
              {status.attempts.map((a, i) => (
                <li key={`${a.endpoint.url}-${i}`} className="attempt">
                  <code className="attempt__url">{a.endpoint.url}</code>
                  <span className="attempt__source">{a.endpoint.source}</span>
                  <span className="attempt__error">{a.error}</span>
                </li>
              ))}
            </ul>
          </>
        )}
        <p className="screen__note">
          <Spinner /> Coursedock keeps checking and carries on by itself as soon as Docker answers.
        </p>
        <div className="screen__actions">
          <button type="button" className="btn btn--primary" onClick={onRetry} disabled={checking}>
            {checking ? 'Checking…' : 'Try again'}
          </button>
          <button type="button" className="btn" onClick={onSettings}>
            Docker endpoint…
          </button>
        </div>
      </div>
    </main>
  );
}
