// The classroom's sign-in page: a student (or the tutor) types their access code. The code goes
// to the front door once (POST /signin, same origin); the answer sets the session cookie and
// the page reloads into the student's panel or the tutor's Classroom view. A link with the code
// (`?code=`) never gets here: the front door signs it in and takes the code out of the address.
import { useEffect, useRef, useState, type SubmitEvent } from 'react';

const LINK_FAILURES: Record<string, string> = {
  'wrong-code': 'The code in that link is not right (it may have been replaced). Type the code from your sheet.',
  'too-many': 'Too many wrong codes: wait a minute and try again.',
};

export function SignIn({ onSignedIn = () => window.location.assign('/') }: { onSignedIn?: () => void }) {
  const [code, setCode] = useState('');
  const codeInput = useRef<HTMLInputElement>(null);
  // The page is this one field: typing goes straight into it.
  useEffect(() => codeInput.current?.focus(), []);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(() => {
    const reason = new URLSearchParams(window.location.search).get('signin');
    return reason ? (LINK_FAILURES[reason] ?? LINK_FAILURES['wrong-code']) : undefined;
  });

  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    if (!code.trim()) { setError('Type your access code.'); return; }
    setBusy(true);
    setError(undefined);
    try {
      const res = await fetch('/signin', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ code }),
      });
      if (res.ok) { onSignedIn(); return; }
      const body = (await res.json().catch(() => ({}))) as { message?: string };
      setError(body.message ?? 'That did not work. Try again.');
    } catch {
      setError('The classroom server did not answer. Check your connection and try again.');
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="screen">
      <form className="screen__card classroom-signin" onSubmit={(e) => void submit(e)} aria-labelledby="signin-title">
        <h1 id="signin-title">Sign in to your course environment</h1>
        <p className="screen__lead">Type the access code your tutor gave you (for example ABCD-EFGH-JKMN).</p>
        <label className="field">
          <span className="field__label">Access code</span>
          <input
            className="input classroom-signin__code"
            name="code"
            autoComplete="off"
            autoCapitalize="characters"
            spellCheck={false}
            ref={codeInput}
            value={code}
            onChange={(e) => setCode(e.target.value)}
            aria-invalid={!!error}
            aria-describedby={error ? 'signin-error' : undefined}
          />
        </label>
        {error && (
          <p id="signin-error" className="banner banner--error" role="alert">
            {error}
          </p>
        )}
        <div className="screen__actions">
          <button type="submit" className="btn btn--primary" disabled={busy}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
        </div>
      </form>
    </main>
  );
}
