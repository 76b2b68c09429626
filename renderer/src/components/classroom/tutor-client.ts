// The tutor's typed client: the front door's tutor methods (tutor-session.ts) over the same
// WebSocket transport the panel uses. Types only, from the tutor's contract (electron/api/tutor-contract.ts).
import type { TutorInput, TutorMethod, TutorOutputs } from '../../../../electron/api/tutor-contract.js';
import { toApiCallError, type Transport } from '../../api/transport.js';
import { apiProtocols, createWsTransport, pageApiKey } from '../../api/ws-transport.js';

export type { ClassroomTable, StudentStatus } from '../../../../electron/api/tutor-contract.js';

export interface TutorClient {
  call<M extends TutorMethod>(method: M, input: TutorInput<M>): Promise<TutorOutputs[M]>;
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
    close: () => transport.close(),
  };
}

export const connectTutorClient = (): TutorClient => createTutorClient(createWsTransport({ protocols: apiProtocols(pageApiKey()) }));
