// The desktop shell's transport: calls and events through the preload's `window.coursedock`.
import type { CoursedockBridge } from './ipc-bridge.js';
import type { Transport } from './transport.js';
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
    request: (method, params) => bridge.invoke(method, params),
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
