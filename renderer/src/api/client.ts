// The typed client every component uses: contract method names and event names in, the
// contract's output and payload types out. Which shell carries it is the transport's business.
import type { EventName, Events, MethodInput, MethodName, Outputs } from '../../../electron/api/contract.js';
import { toApiCallError, type ConnectionState, type Transport } from './transport.js';

export interface Client {
  call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<Outputs[M]>;
  on<E extends EventName>(event: E, cb: (payload: Events[E]) => void): () => void;
  onConnection(cb: (state: ConnectionState) => void): () => void;
  /** The desktop app's native file pickers are there (the browser shell has the path typed). */
  readonly canChooseFiles?: boolean;
  /** The desktop app's notebook windows can be asked to save first (the browser shell frames the notebook). */
  readonly canSaveNotebookWindows?: boolean;
}

export function createClient(transport: Transport): Client & { close(): void } {
  const listeners = new Map<string, Set<(payload: never) => void>>();
  transport.subscribe((event, payload) => {
    for (const cb of [...(listeners.get(event) ?? [])]) {
      try {
        (cb as (p: unknown) => void)(payload);
      } catch (err) {
        // One broken listener must not starve the others.
        console.error(`Listener for ${event} failed`, err);
      }
    }
  });
  return {
    canChooseFiles: transport.canChooseFiles ?? false,
    canSaveNotebookWindows: transport.canSaveNotebookWindows ?? false,
    async call(method, input) {
      try {
        return (await transport.request(method, input)) as never;
      } catch (err) {
        throw toApiCallError(err);
      }
    },
    on(event, cb) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(cb);
      return () => void set.delete(cb);
    },
    onConnection: (cb) => transport.onConnection(cb),
    close: () => transport.close(),
  };
}
