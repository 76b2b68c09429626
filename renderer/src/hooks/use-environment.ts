// The open course: its description (services, volumes, connections) and every service's live
// state. Opened when Docker answers, opened again after the link or Docker came back (events
// may have been missed meanwhile); then kept current by `env.state` events alone, no polling.
import { useCallback, useEffect, useEffectEvent, useRef, useState } from 'react';
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
  const [error, setError] = useState<ApiCallError>();
  const [again, setAgain] = useState(0);
  // The open wanted now (asked again when the course, epoch or `again` change, or once ready):
  // loading until it has answered.
  const wanted = course && ready ? JSON.stringify([course, epoch, again]) : undefined;
  const [answered, setAnswered] = useState<string>();
  const loading = wanted !== undefined && answered !== wanted;
  const project = useRef<string | undefined>(undefined);
  const reportError = useEffectEvent((e: ApiCallError) => onError?.(e));

  // A different course: forget the previous one's services at once (before it is drawn), and
  // its events until the new one's open answers.
  const [shown, setShown] = useState(course);
  if (shown !== course) {
    setShown(course);
    setInfo(undefined);
    setStates({});
  }
  useEffect(() => {
    project.current = undefined;
  }, [course]);

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
    if (!course || wanted === undefined) return;
    let live = true;
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
        reportError(e);
      })
      .finally(() => live && setAnswered(wanted));
    return () => {
      live = false;
    };
  }, [client, course, wanted]);

  const reopen = useCallback(() => setAgain((n) => n + 1), []);
  return { info, states, loading, error, reopen };
}
