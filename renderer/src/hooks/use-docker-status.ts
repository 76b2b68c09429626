// Whether Docker answers: asked once per connection, then kept current by `docker.status`
// events (the engine reconnects by itself). A call that fails with `docker-unreachable` also
// flips it, with the attempts the error carries.
import { useCallback, useEffect, useReducer, useState } from 'react';
import type { ApiCallError } from '../api/transport.js';
import type { Attempt, DockerStatus } from '../lib/types.js';
import { useClient } from './client-context.js';

export interface DockerStatusHook {
  status: DockerStatus;
  /** Grows each time Docker becomes connected (after being anything else). */
  connectedEpoch: number;
  checking: boolean;
  retry: () => void;
  reportError: (err: ApiCallError) => void;
}

export function useDockerStatus(connectionEpoch: number): DockerStatusHook {
  const client = useClient();
  const [{ status, connectedEpoch }, setStatus] = useReducer(reduce, { status: { state: 'connecting' }, connectedEpoch: 0 });
  // Checking, derived: the question asked on each (re)connection until that epoch's answer comes,
  // or a retry while it runs.
  const [answered, setAnswered] = useState(0);
  const [retrying, setRetrying] = useState(false);
  const checking = retrying || answered < connectionEpoch;

  useEffect(() => client.on('docker.status', setStatus), [client, setStatus]);
  useEffect(() => {
    if (connectionEpoch === 0) return;
    client
      .call('docker.status', {})
      .then(setStatus)
      .catch(() => undefined) // the connection banner says why
      .finally(() => setAnswered((n) => Math.max(n, connectionEpoch)));
  }, [client, connectionEpoch, setStatus]);

  const reportError = useCallback(
    (err: ApiCallError) => {
      if (err.code !== 'docker-unreachable') return;
      const d = (err.details ?? {}) as { attempts?: Attempt[]; hint?: string };
      setStatus({ state: 'unreachable', attempts: d.attempts ?? [], hint: d.hint ?? '', message: err.message });
    },
    [setStatus],
  );

  // "Try again" asks the engine to connect now rather than at its next scheduled attempt.
  const retry = useCallback(() => {
    setRetrying(true);
    client
      .call('docker.retry', {})
      .then(setStatus)
      .catch(() => undefined)
      .finally(() => setRetrying(false));
  }, [client, setStatus]);
  return { status, connectedEpoch, checking, retry, reportError };
}

function reduce(prev: { status: DockerStatus; connectedEpoch: number }, next: DockerStatus) {
  const up = next.state === 'connected' && prev.status.state !== 'connected';
  return { status: next, connectedEpoch: prev.connectedEpoch + (up ? 1 : 0) };
}
