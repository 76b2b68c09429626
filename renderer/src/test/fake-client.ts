// An in-memory client for component tests: calls answered by handlers the test gives,
// events pushed by the test. No engine, no socket.
import type { Client } from '../api/client.js';
import { ApiCallError, type ConnectionState } from '../api/transport.js';
import type { EventName, Events, MethodInput, MethodName, Outputs } from '../lib/types.js';

type Handler = (input: unknown) => unknown;

export interface FakeClient extends Client {
  calls: Array<{ method: string; input: unknown }>;
  handle<M extends MethodName>(method: M, fn: (input: MethodInput<M>) => Outputs[M] | Promise<Outputs[M]>): void;
  fail(method: MethodName, error: { code: ApiCallError['code']; message: string; details?: unknown }): void;
  emit<E extends EventName>(event: E, payload: Events[E]): void;
  setConnection(state: ConnectionState): void;
  callsOf(method: MethodName): unknown[];
}

/** `canChooseFiles`, `canSaveNotebookWindows`: as the desktop app's client; default as the browser shell's. */
export function fakeClient(options: { canChooseFiles?: boolean; canSaveNotebookWindows?: boolean } = {}): FakeClient {
  const handlers = new Map<string, Handler>();
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const connListeners = new Set<(s: ConnectionState) => void>();
  let connection: ConnectionState = 'open';
  const calls: FakeClient['calls'] = [];
  return {
    calls,
    canChooseFiles: options.canChooseFiles ?? false,
    canSaveNotebookWindows: options.canSaveNotebookWindows ?? false,
    async call(method, input) {
      calls.push({ method, input });
      const h = handlers.get(method);
      if (!h) throw new ApiCallError({ code: 'unknown-method', message: `fake client: no handler for ${method}` });
      return (await h(input)) as never;
    },
    on(event, cb) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(cb as (p: unknown) => void);
      return () => void set.delete(cb as (p: unknown) => void);
    },
    onConnection(cb) {
      connListeners.add(cb);
      cb(connection);
      return () => void connListeners.delete(cb);
    },
    handle(method, fn) {
      handlers.set(method, fn as Handler);
    },
    fail(method, error) {
      handlers.set(method, () => {
        throw new ApiCallError(error);
      });
    },
    emit(event, payload) {
      for (const cb of [...(listeners.get(event) ?? [])]) cb(payload);
    },
    setConnection(state) {
      connection = state;
      for (const cb of [...connListeners]) cb(state);
    },
    callsOf(method) {
      return calls.filter((c) => c.method === method).map((c) => c.input);
    },
  };
}
