// The IPC surface between the desktop window and the main process, in one place: one channel
// per contract method (`coursedock:call:<method>`), one channel for pushed events, and the
// shapes that travel on them. Imported by the main process AND the (bundled, sandboxed)
// preload, so it holds no runtime dependency: the contract's zod schemas stay in the main process.
import type { ApiError, EventName, MethodName } from '../api/contract.js';

/** The global the preload defines in the page: `window.coursedock` (see renderer/src/api/ipc-bridge.ts). */
export const BRIDGE_KEY = 'coursedock';

export const CALL_PREFIX = 'coursedock:call:';
export const EVENT_CHANNEL = 'coursedock:event';

export const callChannel = (method: MethodName): string => `${CALL_PREFIX}${method}`;

/**
 * The contract's method and event names, checked against it at compile time (`satisfies`
 * fails when the contract gains or loses a name). The preload uses these to refuse anything
 * else before it reaches IPC; the main process binds from the contract itself, and a unit
 * test checks both lists are the contract's.
 */
const methods = {
  'docker.status': true,
  'courses.list': true,
  'env.open': true,
  'env.state': true,
  'env.up': true,
  'env.down': true,
  'service.start': true,
  'service.stop': true,
  'service.restart': true,
  'service.reinstall': true,
  'service.reset': true,
  'service.revealSecret': true,
  'logs.subscribe': true,
  'logs.unsubscribe': true,
  'terminal.open': true,
  'terminal.input': true,
  'terminal.resize': true,
  'terminal.close': true,
  'settings.get': true,
  'settings.set': true,
} satisfies Record<MethodName, true>;

const events = {
  'docker.status': true,
  'env.state': true,
  'env.notice': true,
  'logs.lines': true,
  'logs.end': true,
  'terminal.data': true,
  'terminal.exit': true,
} satisfies Record<EventName, true>;

export const bridgeMethodNames = Object.keys(methods) as MethodName[];
export const bridgeEventNames = Object.keys(events) as EventName[];

export const isBridgeMethod = (m: unknown): m is MethodName => typeof m === 'string' && Object.hasOwn(methods, m);
export const isBridgeEvent = (e: unknown): e is EventName => typeof e === 'string' && Object.hasOwn(events, e);

/** What a call channel answers: never a thrown Error (Electron would flatten it to a string). */
export type CallReply = { ok: true; result: unknown } | { ok: false; error: ApiError };

/** What travels on EVENT_CHANNEL. */
export interface EventMessage {
  event: EventName;
  payload: unknown;
}
