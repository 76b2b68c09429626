// The tutor's typed client: the front door's tutor methods and events (tutor-session.ts) over
// the same WebSocket transport the panel uses. Types only, from the tutor's contract
// (electron/api/tutor-contract.ts).
import type { TutorEventName, TutorEvents, TutorInput, TutorMethod, TutorOutputs } from '../../../../electron/api/tutor-contract.js';
import { toApiCallError, type ConnectionState, type Transport } from '../../api/transport.js';
import { apiProtocols, createWsTransport, pageApiKey } from '../../api/ws-transport.js';

export type { ClassroomTable, StudentStatus } from '../../../../electron/api/tutor-contract.js';

export interface TutorClient {
  call<M extends TutorMethod>(method: M, input: TutorInput<M>): Promise<TutorOutputs[M]>;
  /** A pushed event; returns the unsubscribe function. */
  on<E extends TutorEventName>(event: E, cb: (payload: TutorEvents[E]) => void): () => void;
  /** Connection changes (the socket reconnects by itself); called at once with the current state. */
  onConnection(cb: (state: ConnectionState) => void): () => void;
  close(): void;
}

export function createTutorClient(transport: Transport): TutorClient {
  return {
    async call(method, input) {
      try {
        return (await transport.request(method, input)) as never;
      } catch (err) {
        throw toApiCallError(err);
      }
    },
    on: (event, cb) =>
      transport.subscribe((name, payload) => {
        if (name === event) cb(payload as TutorEvents[typeof event]);
      }),
    onConnection: (cb) => transport.onConnection(cb),
    close: () => transport.close(),
  };
}

export const connectTutorClient = (): TutorClient => createTutorClient(createWsTransport({ protocols: apiProtocols(pageApiKey()) }));
