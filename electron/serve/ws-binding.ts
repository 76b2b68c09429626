// The contract over a WebSocket: requests `{id, method, params}`, replies `{id, result}` or
// `{id, error}`, and pushed events `{event, payload}`. Anything malformed gets an error reply
// (or is dropped) and never takes the server down.
import type { WebSocket } from 'ws';
import type { Engine } from '../engine/engine.js';
import { ApiSession, type SessionOptions } from '../api/api-session.js';
import { ApiFailure, type ApiError } from '../api/contract.js';
import { messageText } from '../api/ws-text.js';

export const MAX_MESSAGE_BYTES = 1024 * 1024;
/** A client that stops reading must not make the server buffer without end. */
const MAX_BUFFERED_BYTES = 32 * 1024 * 1024;

/** `onCall` hears every method name before it runs (the shell logs the sensitive ones). */
export function bindSocket(ws: WebSocket, engine: Engine, options: SessionOptions = {}, onCall?: (method: string) => unknown): ApiSession {
  const send = (msg: unknown) => {
    if (ws.readyState !== ws.OPEN) return;
    if (ws.bufferedAmount > MAX_BUFFERED_BYTES) return;
    try {
      ws.send(JSON.stringify(msg));
    } catch {
      // A value JSON cannot carry (a cycle, a BigInt) is dropped, not thrown into the engine's emitter.
    }
  };
  const session = new ApiSession(engine, (event, payload) => send({ event, payload }), { ...options, backlog: () => ws.bufferedAmount });
  ws.on('message', (data, isBinary) => {
    // Never an unhandled rejection (that would end the process): a hook that throws drops the reply.
    void handle(session, messageText(data), isBinary, onCall)
      .then((reply) => reply && send(reply))
      .catch(() => undefined);
  });
  ws.on('close', () => session.dispose());
  ws.on('error', () => session.dispose());
  return session;
}

async function handle(session: ApiSession, text: string, isBinary: boolean, onCall?: (method: string) => unknown): Promise<unknown> {
  if (isBinary) return { id: null, error: { code: 'invalid-input', message: 'Binary messages are not accepted.' } };
  let msg: unknown;
  try {
    msg = JSON.parse(text);
  } catch {
    return { id: null, error: { code: 'invalid-input', message: 'Messages must be JSON.' } satisfies ApiError };
  }
  if (!msg || typeof msg !== 'object') {
    return { id: null, error: { code: 'invalid-input', message: 'A message is an object {id, method, params}.' } };
  }
  const { id, method, params } = msg as { id?: unknown; method?: unknown; params?: unknown };
  if ((typeof id !== 'number' && typeof id !== 'string') || typeof method !== 'string') {
    return { id: null, error: { code: 'invalid-input', message: 'A message needs an id (number or string) and a method (string).' } };
  }
  onCall?.(method);
  try {
    return { id, result: await session.call(method, params) };
  } catch (err) {
    const error: ApiError =
      err instanceof ApiFailure ? err.error : { code: 'failed', message: err instanceof Error ? err.message : String(err) };
    return { id, error };
  }
}
