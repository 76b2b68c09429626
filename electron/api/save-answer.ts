// The "save before a restart" handshake with the course image's save-on-request nbextension
// (compose-specs/tm351/notebook/save-on-request/main.js), in one place for both sides that ask:
// the panel's notebook frame (renderer/src/components/notebook/frame-save.ts) and the desktop's
// notebook windows (electron/desktop/notebook-window-save.ts). A request is
// {coursedock: 'save-request', id}; the page answers {coursedock: 'save-answer', id, saved, failed}.
// The page is untrusted, so an answer counts only in exactly that shape. Imports nothing: the
// renderer bundles it.

/** How long a page gets to answer before the operation goes on without it. */
export const SAVE_TIMEOUT_MS = 3000;

/** What is posted to the page; `id` is fresh for each request. */
export const saveRequest = (id: string): { coursedock: 'save-request'; id: string } => ({ coursedock: 'save-request', id });

/** The ids the nbextension accepts (a UUID is one). */
export const SAVE_ID = /^[A-Za-z0-9-]{1,64}$/;

const smallCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 1000;

/** The page's answer to request `id`, when it has exactly the expected shape; never throws. */
export function parseSaveAnswer(data: unknown, id: string): { saved: number; failed: number } | undefined {
  try {
    if (!data || typeof data !== 'object' || Array.isArray(data)) return undefined;
    const d = data as Record<string, unknown>;
    if (d.coursedock !== 'save-answer' || d.id !== id || !smallCount(d.saved) || !smallCount(d.failed)) return undefined;
    return { saved: d.saved, failed: d.failed };
  } catch {
    // A getter or proxy that throws (only possible in the same JavaScript world): not an answer.
    return undefined;
  }
}

/** What the desktop's notebook windows of one service did when asked to save (service.saveNotebookWindows). */
export interface NotebookWindowsSaved {
  /** Notebook windows showing the service's pages (asked). */
  windows: number;
  /** Of those, the ones that did not answer in time (or could not be asked). */
  unanswered: number;
  /** Documents saved and documents that failed to save, over the windows that answered. */
  saved: number;
  failed: number;
}

export const NO_NOTEBOOK_WINDOWS: NotebookWindowsSaved = { windows: 0, unanswered: 0, saved: 0, failed: 0 };
