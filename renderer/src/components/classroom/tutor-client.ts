// The tutor's typed client: the front door's tutor methods (tutor-session.ts) over the same
// WebSocket transport the panel uses. Types only are imported from the server side.
import type { TutorInput, TutorMethod, TutorOutputs } from '../../../../electron/engine/classroom/front-door/tutor-session.js';
import { toApiCallError, type Transport } from '../../api/transport.js';
import { apiProtocols, createWsTransport, pageApiKey } from '../../api/ws-transport.js';

export type { ClassroomTable } from '../../../../electron/engine/classroom/front-door/tutor-session.js';
export type { StudentStatus } from '../../../../electron/engine/classroom/types.js';

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
