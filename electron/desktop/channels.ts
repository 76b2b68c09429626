// The IPC surface between the desktop window and the main process, in one place: one channel
// per contract method (`coursedock:call:<method>`), one channel for pushed events, and the
// shapes that travel on them. Imported by the main process AND the (bundled, sandboxed)
// preload, so it imports nothing at run time: the preload stays a few kilobytes, without the
// contract's zod schemas. Which methods exist is the main process's business (it handles a
// channel for each contract method and no other); the preload only refuses names that are
// not method-shaped, so a page can never pick a channel outside `coursedock:call:`.
import type { ApiError, EventName, MethodName } from '../api/contract.js';

/** The global the preload defines in the page: `window.coursedock` (see renderer/src/api/ipc-bridge.ts). */
export const BRIDGE_KEY = 'coursedock';

export const CALL_PREFIX = 'coursedock:call:';
export const EVENT_CHANNEL = 'coursedock:event';

export const callChannel = (method: MethodName): string => `${CALL_PREFIX}${method}`;

/** Contract names look like `area.verb` (`docker.status`, `service.revealSecret`). */
const NAME = /^[a-z][A-Za-z]*(\.[a-z][A-Za-z]*)+$/;

export const isContractName = (name: unknown): name is string => typeof name === 'string' && name.length <= 100 && NAME.test(name);

/** Electron's words when nothing handles an invoked channel (an unknown method). */
export const NO_HANDLER = /No handler registered for/;

/** What a call channel answers: never a thrown Error (Electron would flatten it to a string). */
export type CallReply = { ok: true; result: unknown } | { ok: false; error: ApiError };

/** What travels on EVENT_CHANNEL. */
export interface EventMessage {
  event: EventName;
  payload: unknown;
}
