// Inside the Docker screen: what is installed on this computer and how to start it (one
// click), what stands in the way (WSL 2), or, with nothing installed, the choices for this OS
// with their requirements, licence terms and links; a .wslconfig prepared when WSL 2 holds too
// much memory. Coursedock carries on by itself when the engine answers (the engine watches).
import type { Outputs } from '../lib/types.js';

type OnboardingView = Outputs['onboarding.state'];
import { CopyButton } from './CopyButton.js';
import '../styles/onboarding.css';

interface Props {
  view: OnboardingView;
  starting: boolean;
  error?: string;
  onStart: (engine: string) => void;
}

const OS: Record<OnboardingView['os'], string> = { linux: 'Linux', macos: 'macOS', windows: 'Windows' };

export function EngineOnboarding({ view, starting, error, onStart }: Props) {
  const offer = view.offer;
  return (
    <section className="onboarding" aria-labelledby="onboarding-title" data-testid="onboarding" data-situation={view.situation}>
      <h2 id="onboarding-title" className="onboarding__headline">
        {view.situation === 'starting' && view.started ? `Starting ${view.started.engine}…` : view.headline}
      </h2>
      {view.recorded && <p className="onboarding__recorded">Recorded {OS[view.os]} computer: {view.recorded}</p>}
      <p className="onboarding__lead">{view.situation === 'starting' && view.started ? view.started.message : view.lead}</p>
      {error && (
        <p className="onboarding__error" role="alert">
          {error}
        </p>
      )}
      {view.started && !view.started.ok && (
        <p className="onboarding__error" role="alert">
          {view.started.message}
        </p>
      )}

      {view.blockers.map((b) => (
        <div key={b.title} className="onboarding__blocker" role="note" aria-label={b.title}>
          <strong>{b.title}</strong>
          <p>{b.detail}</p>
          {b.command && (
            <div className="onboarding__command">
              <code>{b.command}</code>
              <CopyButton text={b.command} label={`Copy ${b.command}`} />
            </div>
          )}
        </div>
      ))}

      {offer?.start && view.situation !== 'starting' && (
        <div className="onboarding__offer">
          <button type="button" className="btn btn--primary" onClick={() => onStart(offer.id)} disabled={starting || view.blockers.length > 0}>
            {starting ? `Starting ${offer.name}…` : offer.state === 'needs-setup' ? `Set up ${offer.name}` : `Start ${offer.name}`}
          </button>
          <span className="onboarding__words">
            or yourself: <code>{offer.start.words}</code>
          </span>
          {offer.note && <p className="onboarding__note">{offer.note}</p>}
        </div>
      )}

      {view.engines.length > 0 && (
        <details className="onboarding__found">
          <summary>What Coursedock found on this computer</summary>
          <ul aria-label="Engines found">
            {view.engines.map((e) => (
              <li key={e.id}>
                <strong>{e.name}</strong> — {e.state === 'running' ? 'running' : e.state === 'stopped' ? 'installed, not running' : 'installed, needs setting up'}
                <ul>
                  {e.evidence.map((x) => (
                    <li key={x}>{x}</li>
                  ))}
                </ul>
              </li>
            ))}
          </ul>
        </details>
      )}

      {view.choices.length > 0 && (
        <ul className="onboarding__choices" aria-label="Engines you can install">
          {view.choices.map((c) => (
            <li key={c.id} className="onboarding__choice">
              <h3>{c.name}</h3>
              <p>{c.summary}</p>
              <p className="onboarding__label">Needs</p>
              <ul>
                {c.requirements.map((r) => (
                  <li key={r}>{r}</li>
                ))}
              </ul>
              <p className="onboarding__label">Licence</p>
              <p>{c.licence}</p>
              {c.commands && (
                <pre className="onboarding__pre">{c.commands.join('\n')}</pre>
              )}
              <a href={c.link} target="_blank" rel="noreferrer noopener">
                How to install {c.name}
              </a>
            </li>
          ))}
        </ul>
      )}

      {view.wslconfig && (
        <div className="onboarding__wsl" role="note" aria-label="Prepared .wslconfig">
          <strong>WSL 2 is using a lot of memory</strong>
          <p>{view.wslconfig.reason} Limit it with this .wslconfig:</p>
          <pre className="onboarding__pre">{view.wslconfig.content.replace(/\r\n/g, '\n')}</pre>
          <CopyButton text={view.wslconfig.content} label="Copy the .wslconfig text" />
          <ol>
            {view.wslconfig.steps.map((s) => (
              <li key={s}>{s}</li>
            ))}
          </ol>
        </div>
      )}
    </section>
  );
}
