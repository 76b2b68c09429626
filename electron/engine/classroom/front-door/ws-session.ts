// A front-door session (a student's or the tutor's) over the panel's WebSocket: the same wire
// format as the laptop's browser shell (`{id, method, params}` → `{id, result}` | `{id, error}`,
// pushed `{event, payload}`), bounded the same way, for any object with `call` and `dispose`.
import type { WebSocket } from 'ws';
import { ApiFailure, type ApiError } from '../../../api/contract.js';
import { messageText } from '../../../api/ws-text.js';

export const MAX_MESSAGE_BYTES = 1024 * 1024;
const MAX_BUFFERED_BYTES = 32 * 1024 * 1024;

export interface CallableSession {
  call(method: string, input: unknown): Promise<unknown>;
  dispose(): void;
}

/** A `send` for events that drops what the socket cannot take (closed, or a reader that stalls). */
export function socketSender(ws: WebSocket): (msg: unknown) => void {
  return (msg) => {
    if (ws.readyState !== ws.OPEN || ws.bufferedAmount > MAX_BUFFERED_BYTES) return;
    try {
      ws.send(JSON.stringify(msg));
    } catch {
      // A value JSON cannot carry is dropped.
    }
  };
}

export function bindSession(ws: WebSocket, session: CallableSession, onCall?: (method: string) => void): void {
  const send = socketSender(ws);
  ws.on('message', (data, isBinary) => {
    void answer(session, messageText(data), isBinary, onCall)
      .then((reply) => send(reply))
      .catch(() => undefined);
  });
  ws.on('close', () => session.dispose());
  ws.on('error', () => session.dispose());
}

async function answer(session: CallableSession, text: string, isBinary: boolean, onCall?: (method: string) => void): Promise<unknown> {
  const bad = (message: string) => ({ id: null, error: { code: 'invalid-input', message } satisfies ApiError });
  if (isBinary) return bad('Binary messages are not accepted.');
  let msg: unknown;
  try {
    msg = JSON.parse(text);
  } catch {
    return bad('Messages must be JSON.');
  }
  const { id, method, params } = (msg && typeof msg === 'object' ? msg : {}) as { id?: unknown; method?: unknown; params?: unknown };
  if ((typeof id !== 'number' && typeof id !== 'string') || typeof method !== 'string') {
    return bad('A message needs an id (number or string) and a method (string).');
  }
  onCall?.(method);
  try {
    return { id, result: await session.call(method, params) };
  } catch (err) {
    const error: ApiError = err instanceof ApiFailure ? err.error : { code: 'failed', message: err instanceof Error ? err.message : String(err) };
    return { id, error };
  }
}
