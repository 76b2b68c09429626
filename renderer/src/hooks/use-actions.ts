// Running a contract call on behalf of a service (or the whole course) and keeping its failure
// in words next to whatever it concerns. Operations report their progress through the state
// events; the call's own answer only matters when it fails.
import { useCallback, useState } from 'react';
import { toApiCallError, type ApiCallError } from '../api/transport.js';
import type { MethodInput, MethodName, OperationResult, Outputs } from '../lib/types.js';
import { useClient } from './client-context.js';

/** Errors keyed by service name; '' is the whole course. */
export type ActionErrors = Record<string, string>;

export interface ActionsHook {
  errors: ActionErrors;
  /** Keys ('' or a service) with a call on its way. */
  pending: Record<string, true>;
  run: <M extends MethodName>(key: string, method: M, input: MethodInput<M>) => Promise<Outputs[M] | undefined>;
  clear: (key: string) => void;
}

const isOperationResult = (v: unknown): v is OperationResult =>
  !!v && typeof v === 'object' && 'ok' in v && 'services' in v && Array.isArray((v as OperationResult).services);

export function useActions(onError?: (err: ApiCallError) => void): ActionsHook {
  const client = useClient();
  const [errors, setErrors] = useState<ActionErrors>({});
  const [pending, setPending] = useState<Record<string, true>>({});

  const clear = useCallback((key: string) => {
    setErrors(({ [key]: _gone, ...rest }) => rest);
  }, []);

  const run = useCallback(
    async <M extends MethodName>(key: string, method: M, input: MethodInput<M>) => {
      clear(key);
      setPending((p) => ({ ...p, [key]: true }));
      try {
        const result = await client.call(method, input);
        // A failed operation's words are in the service's state (lastError) and a notice;
        // here only what the state cannot carry: a failure of the whole course call.
        if (isOperationResult(result) && !result.ok) {
          const courseError = result.courseError;
          if (courseError) setErrors((e) => ({ ...e, [key]: courseError }));
        }
        return result;
      } catch (err) {
        const e = toApiCallError(err);
        setErrors((prev) => ({ ...prev, [key]: e.message }));
        onError?.(e);
        return undefined;
      } finally {
        setPending(({ [key]: _done, ...rest }) => rest);
      }
    },
    [client, clear, onError],
  );

  return { errors, pending, run, clear };
}
