// What the preload puts on `window.coursedock`: exactly renderer/src/api/ipc-bridge.ts's
// CoursedockBridge (invoke + on), built over a small IpcRendererLike so the unit tests can run
// it against an in-memory IPC. The page never gets ipcRenderer, an IPC event object or a way to
// name a channel: only contract methods and contract events, by name.
import type { BridgeReply, CoursedockBridge } from '../../renderer/src/api/ipc-bridge.js';
import type { MethodName } from '../api/contract.js';
import { BRIDGE_KEY, EVENT_CHANNEL, NO_HANDLER, callChannel, isContractName, type CallReply } from './channels.js';

export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

export interface ContextBridgeLike {
  exposeInMainWorld(apiKey: string, api: unknown): void;
}

const isReply = (v: unknown): v is CallReply => typeof v === 'object' && v !== null && typeof (v as { ok?: unknown }).ok === 'boolean';

export function createBridge(ipc: IpcRendererLike): CoursedockBridge {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  let attached = false;
  const onEvent = (_event: unknown, message: unknown) => {
    if (typeof message !== 'object' || message === null) return;
    const { event, payload } = message as { event?: unknown; payload?: unknown };
    if (!isContractName(event)) return;
    for (const cb of [...(listeners.get(event) ?? [])]) {
      try {
        cb(payload);
      } catch (err) {
        console.error(`[coursedock] a listener for ${event} failed:`, err);
      }
    }
  };

  return {
    async invoke(method: unknown, input: unknown): Promise<BridgeReply> {
      // Failures are replies, not rejections: an Error crossing the context bridge arrives with
      // its message only (its code dropped), and the panel needs both.
      const unknown = { ok: false, error: { code: 'unknown-method', message: `Unknown method "${String(method).slice(0, 100)}".` } } as const;
      if (!isContractName(method)) return unknown;
      let reply: unknown;
      try {
        reply = await ipc.invoke(callChannel(method as MethodName), input);
      } catch (err) {
        // The main process handles a channel for each contract method and no other.
        if (NO_HANDLER.test(String((err as { message?: unknown } | null)?.message ?? err))) return unknown;
        return { ok: false, error: { code: 'failed', message: `Coursedock did not answer ${method}.` } };
      }
      if (!isReply(reply)) return { ok: false, error: { code: 'failed', message: `No answer from Coursedock for ${method}.` } };
      return reply;
    },
    on(event: string, cb: (payload: unknown) => void): () => void {
      if (!isContractName(event)) throw new Error(`Not an event name: "${String(event).slice(0, 100)}".`);
      if (typeof cb !== 'function') throw new Error('on(event, callback): the callback must be a function.');
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(cb);
      if (!attached) {
        ipc.on(EVENT_CHANNEL, onEvent);
        attached = true;
      }
      return () => {
        set.delete(cb);
        if (set.size === 0) listeners.delete(event);
        if (listeners.size === 0 && attached) {
          ipc.removeListener(EVENT_CHANNEL, onEvent);
          attached = false;
        }
      };
    },
  };
}

/** The preload's whole job: `window.coursedock = createBridge(ipcRenderer)`, through the context bridge. */
export function exposeBridge(contextBridge: ContextBridgeLike, ipc: IpcRendererLike): CoursedockBridge {
  const bridge = createBridge(ipc);
  contextBridge.exposeInMainWorld(BRIDGE_KEY, bridge);
  return bridge;
}
