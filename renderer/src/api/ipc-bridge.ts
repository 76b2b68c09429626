// What the desktop shell's preload exposes on `window.coursedock` (through contextBridge). The
// renderer never touches Electron itself: this small surface is all it sees of the main process.

export interface CoursedockBridge {
  /** Calls a contract method; rejects with an ApiError-shaped object ({ code, message }). */
  invoke(method: string, input: unknown): Promise<unknown>;
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
