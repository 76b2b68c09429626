// "Work in progress is not lost to a restart" for the desktop app, whose notebook is not framed
// in the panel but shown in windows of its own (notebook-window.ts): before the panel stops,
// restarts, reinstalls or resets the notebook service, the main process asks each notebook window
// on that service's origin to save what it shows, with the same handshake the panel's frame gets
// (../api/save-answer.ts), and tells the panel the counts (service.saveNotebookWindows).
//
// A notebook window has no preload, so the request is posted from a script run in an isolated
// world of the page (its own JavaScript globals, out of the page's reach): the page's
// save-on-request nbextension accepts a request posted to its own window from its own origin
// when it is not framed, and answers the same way; the script waits for that answer and returns
// it. The page is untrusted: only an answer of the exact shape with the id just sent counts,
// each window gets SAVE_TIMEOUT_MS (all are asked at once), and nothing a page returns or does
// (a rejection, no answer at all, a navigation away) throws here: it counts as unanswered.
// Written against a small interface so it is unit-tested without Electron.
import { randomUUID } from 'node:crypto';
import { NO_NOTEBOOK_WINDOWS, SAVE_ID, SAVE_TIMEOUT_MS, parseSaveAnswer, type NotebookWindowsSaved } from '../api/save-answer.js';

/** The part of Electron's WebContents used here. */
export interface SavableContents {
  isDestroyed(): boolean;
  getURL(): string;
  executeJavaScriptInIsolatedWorld(worldId: number, scripts: Array<{ code: string }>, userGesture?: boolean): Promise<unknown>;
}

export interface SaveOptions {
  timeoutMs?: number;
  /** A fresh request id (tests give their own). */
  newId?: () => string;
}

/** The isolated world the request is posted from (0 is the page's own; Electron's preloads use 999). */
export const SAVE_WORLD_ID = 1351;

/** The http(s) origin of a page URL, or undefined. */
export function pageOrigin(url: string): string | undefined {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.origin : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The script run in the page's isolated world: posts the request to the page's own window, on
 * its own origin, and resolves with the answer's four fields (or null when none came in time).
 */
export function saveRequestScript(id: string, timeoutMs: number): string {
  if (!SAVE_ID.test(id)) throw new Error('A save request id is letters, digits and dashes.');
  const ms = Math.max(0, Math.min(60_000, Math.round(timeoutMs)));
  return `new Promise((resolve) => {
  const id = ${JSON.stringify(id)};
  const origin = window.location.origin;
  if (!/^https?:/.test(origin)) { resolve(null); return; }
  const done = (value) => { clearTimeout(timer); window.removeEventListener('message', onMessage); resolve(value); };
  const onMessage = (event) => {
    if (event.source !== window || event.origin !== origin) return;
    const d = event.data;
    if (d && typeof d === 'object' && d.coursedock === 'save-answer' && d.id === id) done({ coursedock: d.coursedock, id: d.id, saved: d.saved, failed: d.failed });
  };
  const timer = setTimeout(() => done(null), ${ms});
  window.addEventListener('message', onMessage);
  window.postMessage({ coursedock: 'save-request', id }, origin);
})`;
}

/** Whether `contents` shows a page on `origin` now (false for anything that cannot be read). */
function showsOrigin(contents: SavableContents, origin: string): boolean {
  try {
    return !contents.isDestroyed() && pageOrigin(contents.getURL()) === origin;
  } catch {
    return false;
  }
}

/** Asks one window to save; its counts, or undefined when it did not answer in time. */
export async function askWindowToSave(contents: SavableContents, options: SaveOptions = {}): Promise<{ saved: number; failed: number } | undefined> {
  const timeoutMs = options.timeoutMs ?? SAVE_TIMEOUT_MS;
  let timer: NodeJS.Timeout | undefined;
  try {
    const id = (options.newId ?? randomUUID)();
    const code = saveRequestScript(id, timeoutMs);
    const late = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), timeoutMs)));
    const answer = Promise.resolve()
      .then(() => contents.executeJavaScriptInIsolatedWorld(SAVE_WORLD_ID, [{ code }], false))
      .then(
        (data) => parseSaveAnswer(data, id),
        () => undefined,
      );
    return await Promise.race([answer, late]);
  } catch {
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}

/** Asks every window in `all` that shows a page on `origin` to save, all at once; the counts together. */
export async function saveWindowsOn(all: Iterable<SavableContents>, origin: string | undefined, options: SaveOptions = {}): Promise<NotebookWindowsSaved> {
  if (!origin) return NO_NOTEBOOK_WINDOWS;
  const asked = [...all].filter((c) => showsOrigin(c, origin));
  const answers = await Promise.all(asked.map((c) => askWindowToSave(c, options)));
  const tally = { ...NO_NOTEBOOK_WINDOWS, windows: asked.length };
  for (const a of answers) {
    if (!a) tally.unanswered += 1;
    else {
      tally.saved += a.saved;
      tally.failed += a.failed;
    }
  }
  return tally;
}
