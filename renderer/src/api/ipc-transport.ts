// The desktop shell's transport: calls and events through the preload's `window.coursedock`.
import type { CoursedockBridge } from './ipc-bridge.js';
import { toApiCallError, type Transport } from './transport.js';
import { eventNames } from '../../../electron/api/contract-lists.js';

export function createIpcTransport(bridge: CoursedockBridge): Transport {
  const listeners = new Set<(event: string, payload: unknown) => void>();
  const offs = eventNames.map((event) =>
    bridge.on(event, (payload) => {
      for (const l of [...listeners]) l(event, payload);
    }),
  );
  return {
    canChooseFiles: true,
    canSaveNotebookWindows: true,
    async request(method, params) {
      const reply = await bridge.invoke(method, params);
      if (!reply.ok) throw toApiCallError(reply.error);
      return reply.result;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    onConnection(listener) {
      listener('open');
      return () => undefined;
    },
    close() {
      for (const off of offs) off();
    },
  };
}
