// How the client reaches the engine: a WebSocket (browser shell) or Electron IPC (desktop
// shell). A transport only moves JSON; the typed surface is in client.ts.
import { isApiErrorCode } from '../../../electron/api/contract-lists.js';
import type { ApiError } from '../../../electron/api/contract.js';

export type ConnectionState = 'connecting' | 'open' | 'closed';

export interface Transport {
  request(method: string, params: unknown): Promise<unknown>;
  /** Every pushed event, by name. Returns the unsubscribe function. */
  subscribe(listener: (event: string, payload: unknown) => void): () => void;
  /** Connection changes (IPC is always open). Called at once with the current state. */
  onConnection(listener: (state: ConnectionState) => void): () => void;
  close(): void;
  /** The shell has native file pickers (the desktop app): "Choose…" buttons are offered. */
  readonly canChooseFiles?: boolean;
  /** The shell shows the notebook in windows of its own that it can ask to save (service.saveNotebookWindows). */
  readonly canSaveNotebookWindows?: boolean;
}

/** An ApiError as a thrown Error, so `catch (e)` gets a message and a code. */
export class ApiCallError extends Error {
  readonly code: ApiError['code'];
  readonly details: unknown;
  constructor(readonly error: ApiError) {
    super(error.message);
    this.name = 'ApiCallError';
    this.code = error.code;
    this.details = error.details;
  }
}

/** Whatever came back as an error (an ApiError object, an Error, a string) as an ApiCallError. */
export function toApiCallError(err: unknown): ApiCallError {
  if (err instanceof ApiCallError) return err;
  if (err && typeof err === 'object') {
    const e = err as { code?: unknown; message?: unknown; details?: unknown };
    const code = isApiErrorCode(e.code) ? e.code : 'failed';
    // Electron prefixes errors thrown in the main process: keep the words the engine wrote.
    const message = typeof e.message === 'string' ? e.message.replace(/^Error invoking remote method '[^']*': (\w*Error: )?/, '') : describeObject(err);
    return new ApiCallError({ code, message, ...(e.details !== undefined ? { details: e.details } : {}) });
  }
  return new ApiCallError({ code: 'failed', message: String(err) });
}

/** An error object with no message: its JSON, which says more than String()'s "[object Object]". */
function describeObject(value: object): string {
  try {
    return JSON.stringify(value);
  } catch {
    return 'an error with no message';
  }
}
