// The switch for the course's Compose `profiles:` (issue 13): each profile the course declares,
// on or off, with the services it runs. Switching one re-opens the environment with the chosen
// profiles (services of a profile switched off are stopped first); the engine remembers the
// choice for this course. Shown beside "This course's spec" only when the course has profiles.
import { useId, useState } from 'react';
import { useClient } from '../hooks/client-context.js';
import type { EnvironmentInfo } from '../lib/types.js';

type Profile = NonNullable<EnvironmentInfo['profiles']>[number];

interface Props {
  project: string;
  profiles: readonly Profile[];
  /** Called after the engine re-opened the environment: the panel opens it again for its services. */
  onChanged: () => void;
}

/** "replica-set" → "Replica-set". */
const title = (name: string): string => name.charAt(0).toUpperCase() + name.slice(1);

export function ProfileSwitch({ project, profiles, onChanged }: Props) {
  const client = useClient();
  const [busy, setBusy] = useState<string>();
  const [error, setError] = useState<string>();
  const headingId = useId();
  if (!profiles.length) return null;

  const toggle = async (profile: Profile) => {
    const on = profiles.filter((p) => p.active && p.name !== profile.name).map((p) => p.name);
    setBusy(profile.name);
    setError(undefined);
    try {
      await client.call('env.profiles', { project, profiles: profile.active ? on : [...on, profile.name] });
      onChanged();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <section className="spec-notice" aria-labelledby={headingId}>
      <h2 id={headingId} className="spec-notice__title">
        Optional parts of this course
      </h2>
      <ul className="spec-notice__list">
        {profiles.map((p) => (
          <li key={p.name} className="spec-notice__item">
            <button
              type="button"
              role="switch"
              aria-checked={p.active}
              className="btn btn--small"
              disabled={busy !== undefined}
              onClick={() => void toggle(p)}
            >
              {title(p.name)} activity: {busy === p.name ? 'switching…' : p.active ? 'on' : 'off'}
            </button>{' '}
            <span className="spec-notice__message">
              {p.services.length === 1 ? 'Runs ' : 'Runs the services '}
              {p.services.join(', ')}.
            </span>
          </li>
        ))}
      </ul>
      {error && (
        <p className="inline-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
