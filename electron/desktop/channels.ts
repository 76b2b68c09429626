// The IPC surface between the desktop window and the main process, in one place: one channel
// per contract method (`coursedock:call:<method>`), one channel for pushed events, and the
// shapes that travel on them. Imported by the main process AND the (bundled, sandboxed)
// preload.
import { eventNames, methodNames, type ApiError, type EventName, type MethodName } from '../api/contract.js';

/** The global the preload defines in the page: `window.coursedock` (see renderer/src/api/ipc-bridge.ts). */
export const BRIDGE_KEY = 'coursedock';

export const CALL_PREFIX = 'coursedock:call:';
export const EVENT_CHANNEL = 'coursedock:event';

export const callChannel = (method: MethodName): string => `${CALL_PREFIX}${method}`;

/**
 * The contract's own method and event names. The preload refuses anything else before it
 * reaches IPC; the main process binds exactly these. (The preload bundle carries the contract
 * module, zod schemas included, so that there is no second list to keep in step.)
 */
export const bridgeMethodNames: readonly MethodName[] = methodNames;
export const bridgeEventNames: readonly EventName[] = eventNames;

const methodSet: ReadonlySet<string> = new Set(methodNames);
const eventSet: ReadonlySet<string> = new Set(eventNames);

export const isBridgeMethod = (m: unknown): m is MethodName => typeof m === 'string' && methodSet.has(m);
export const isBridgeEvent = (e: unknown): e is EventName => typeof e === 'string' && eventSet.has(e);

/** What a call channel answers: never a thrown Error (Electron would flatten it to a string). */
export type CallReply = { ok: true; result: unknown } | { ok: false; error: ApiError };

/** What travels on EVENT_CHANNEL. */
export interface EventMessage {
  event: EventName;
  payload: unknown;
}
