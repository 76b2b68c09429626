// The open course: its description (services, volumes, connections) and every service's live
// state. Opened when Docker answers, opened again after the link or Docker came back (events
// may have been missed meanwhile); then kept current by `env.state` events alone, no polling.
import { useCallback, useEffect, useRef, useState } from 'react';
import { toApiCallError, type ApiCallError } from '../api/transport.js';
import type { EnvironmentInfo, ServiceState } from '../lib/types.js';
import { useClient } from './client-context.js';

export interface EnvironmentHook {
  info: EnvironmentInfo | undefined;
  states: Record<string, ServiceState>;
  loading: boolean;
  error: ApiCallError | undefined;
  reopen: () => void;
}

export function useEnvironment(course: string | undefined, ready: boolean, epoch: string, onError?: (e: ApiCallError) => void): EnvironmentHook {
  const client = useClient();
  const [info, setInfo] = useState<EnvironmentInfo>();
  const [states, setStates] = useState<Record<string, ServiceState>>({});
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<ApiCallError>();
  const [again, setAgain] = useState(0);
  const project = useRef<string | undefined>(undefined);
  const onErrorRef = useRef(onError);
  onErrorRef.current = onError;

  useEffect(
    () =>
      client.on('env.state', ({ project: p, state }) => {
        // Events from before the open's answer are older than the states it carries: dropped.
        if (p !== project.current) return;
        setStates((prev) => ({ ...prev, [state.service]: state }));
      }),
    [client],
  );

  useEffect(() => {
    if (!course || !ready) return;
    let live = true;
    setLoading(true);
    client
      .call('env.open', { course })
      .then((env) => {
        if (!live) return;
        project.current = env.project;
        setInfo(env);
        setStates(Object.fromEntries(env.states.map((s) => [s.service, s])));
        setError(undefined);
      })
      .catch((err: unknown) => {
        if (!live) return;
        const e = toApiCallError(err);
        setError(e);
        onErrorRef.current?.(e);
      })
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [client, course, ready, epoch, again]);

  // A different course: forget the previous one's services at once.
  const shown = useRef(course);
  useEffect(() => {
    if (shown.current === course) return;
    shown.current = course;
    project.current = undefined;
    setInfo(undefined);
    setStates({});
  }, [course]);

  const reopen = useCallback(() => setAgain((n) => n + 1), []);
  return { info, states, loading, error, reopen };
}
