// What the desktop shell's preload exposes on `window.coursedock` (through contextBridge). The
// renderer never touches Electron itself: this small surface is all it sees of the main process.

/** A call's outcome: its result, or an ApiError-shaped object ({ code, message }). */
export type BridgeReply = { ok: true; result: unknown } | { ok: false; error: { code: string; message: string; details?: unknown } };

export interface CoursedockBridge {
  /** Calls a contract method; resolves with its reply, failures included (it does not reject). */
  invoke(method: string, input: unknown): Promise<BridgeReply>;
  /** Subscribes to a pushed contract event; returns the unsubscribe function. */
  on(event: string, cb: (payload: unknown) => void): () => void;
}

declare global {
  interface Window {
    coursedock?: CoursedockBridge;
  }
}

export const ipcBridge = (): CoursedockBridge | undefined =>
  typeof window !== 'undefined' ? window.coursedock : undefined;
