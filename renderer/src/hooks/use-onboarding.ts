// While Docker does not answer: what onboarding found on this computer (asked when the Docker
// screen shows and again on every change of Docker's status), and starting the engine offered.
import { useCallback, useEffect, useState } from 'react';
import { toApiCallError } from '../api/transport.js';
import type { Outputs } from '../lib/types.js';

type OnboardingView = Outputs['onboarding.state'];
import { useClient } from './client-context.js';

export interface OnboardingHook {
  view?: OnboardingView;
  starting: boolean;
  error?: string;
  start: (engine: string) => void;
}

/** `statusKey` changes with every Docker status the engine pushes (each failed retry too): look again then. */
export function useOnboarding(active: boolean, statusKey: unknown): OnboardingHook {
  const client = useClient();
  const [view, setView] = useState<OnboardingView>();
  const [starting, setStarting] = useState(false);
  const [error, setError] = useState<string>();

  useEffect(() => {
    if (!active) return;
    let live = true;
    client
      .call('onboarding.state', {})
      .then((v) => live && setView(v))
      .catch(() => undefined); // the Docker screen still says what was tried
    return () => {
      live = false;
    };
  }, [client, active, statusKey]);

  const start = useCallback(
    (engine: string) => {
      setStarting(true);
      setError(undefined);
      client
        .call('onboarding.start', { engine })
        .then(setView)
        .catch((e: unknown) => setError(toApiCallError(e).message))
        .finally(() => setStarting(false));
    },
    [client],
  );
  return { ...(view ? { view } : {}), starting, ...(error ? { error } : {}), start };
}
