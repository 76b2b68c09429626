// When a run would keep a service's student data somewhere else than where it is (another
// notebooks folder because an environment variable differed), the engine keeps the data where
// it is and asks. This banner asks the student: keep, or switch (the old place keeps its
// files). Answered through service.confirmDataLocation.
import { useState } from 'react';
import { useClient } from '../hooks/client-context.js';
import type { EnvironmentInfo } from '../lib/types.js';

type Question = NonNullable<EnvironmentInfo['dataLocationQuestions']>[number];

interface Props {
  project: string;
  questions: Question[];
  /** After a switch: the environment was reopened on the new place. */
  onSwitched?: () => void;
}

export function DataLocationQuestions({ project, questions, onSwitched }: Props) {
  const client = useClient();
  // The engine's answer lists what is still open; new questions from the engine replace it.
  const [answered, setAnswered] = useState<{ for: Question[]; open: Question[] }>();
  const [busy, setBusy] = useState<string>();
  const [error, setError] = useState<string>();
  const open = answered?.for === questions ? answered.open : questions;

  const answer = async (q: Question, choice: 'keep' | 'switch') => {
    setBusy(`${q.service} ${q.target}`);
    setError(undefined);
    try {
      const r = await client.call('service.confirmDataLocation', { project, service: q.service, choice });
      setAnswered({ for: questions, open: r.questions });
      if (choice === 'switch') onSwitched?.();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(undefined);
    }
  };

  if (!open.length) return null;
  return (
    <>
      {open.map((q) => (
        <div key={`${q.service} ${q.target}`} className="banner banner--warn" role="alert">
          <span>{q.message}</span>
          <button type="button" className="btn btn--small" disabled={!!busy} onClick={() => void answer(q, 'keep')}>
            Keep {q.current}
          </button>
          <button type="button" className="btn btn--small btn--ghost" disabled={!!busy} onClick={() => void answer(q, 'switch')}>
            Switch to {q.asked}
          </button>
        </div>
      ))}
      {error && (
        <p className="inline-error" role="alert">
          {error}
        </p>
      )}
    </>
  );
}
