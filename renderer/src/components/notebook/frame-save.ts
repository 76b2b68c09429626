// Saving the notebooks open in the embedded notebook view before the panel stops, restarts,
// reinstalls or resets the notebook server (issue 15, "work in progress is not lost"). The frame
// is on the service's own origin and runs the course image's save-on-request nbextension: the
// panel posts {coursedock: 'save-request', id} to that origin only and waits, briefly, for
// {coursedock: 'save-answer', id, saved, failed}.
//
// The frame is untrusted: an answer counts only when it comes from that frame's window, from the
// origin the frame was loaded on, with the id just sent and small whole numbers; anything else
// is ignored, and no answer in time just means nothing was saved (the operation goes on).
//
// The desktop app shows the notebook in windows of its own instead; the main process asks those
// (service.saveNotebookWindows), and the words below count both kinds of view together.
import { useCallback } from 'react';
import { SAVE_TIMEOUT_MS, parseSaveAnswer, saveRequest, type NotebookWindowsSaved } from '../../../../electron/api/save-answer.js';

export { SAVE_TIMEOUT_MS, parseSaveAnswer };

interface FramedView {
  frame: HTMLIFrameElement;
  origin: string;
}

export type SaveOutcome =
  | { kind: 'no-frame' }
  | { kind: 'no-answer' }
  | { kind: 'answered'; saved: number; failed: number };

const framed = new Map<string, FramedView>();
const keyOf = (project: string, service: string) => `${project}\u0000${service}`;

/** The notebook view of (project, service) is this frame, loaded on `origin`; returns the unregister. */
export function registerNotebookFrame(project: string, service: string, frame: HTMLIFrameElement, origin: string): () => void {
  const key = keyOf(project, service);
  const view = { frame, origin };
  framed.set(key, view);
  return () => {
    if (framed.get(key) === view) framed.delete(key);
  };
}

/** The origin of a frame URL, or undefined for anything that is not http(s). */
export function frameOrigin(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.origin : undefined;
  } catch {
    return undefined;
  }
}

const newId = (): string =>
  typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function' ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(36).slice(2)}`;

/** Asks the notebook view of (project, service), if one is open, to save what it shows. */
export function saveFramedNotebooks(project: string, service: string, timeoutMs = SAVE_TIMEOUT_MS, host: Window = window): Promise<SaveOutcome> {
  const view = framed.get(keyOf(project, service));
  const target = view?.frame.isConnected ? view.frame.contentWindow : null;
  if (!view || !target) return Promise.resolve({ kind: 'no-frame' });
  const id = newId();
  return new Promise((resolve) => {
    const finish = (outcome: SaveOutcome) => {
      clearTimeout(timer);
      host.removeEventListener('message', onMessage);
      resolve(outcome);
    };
    const onMessage = (event: MessageEvent) => {
      if (event.source !== target || event.origin !== view.origin) return;
      const answer = parseSaveAnswer(event.data, id);
      if (answer) finish({ kind: 'answered', ...answer });
    };
    const timer = setTimeout(() => finish({ kind: 'no-answer' }), timeoutMs);
    host.addEventListener('message', onMessage);
    try {
      // Delivered only if the frame is still on that origin.
      target.postMessage(saveRequest(id), view.origin);
    } catch {
      finish({ kind: 'no-answer' });
    }
  });
}

/** The ref callback for the notebook view's iframe: registered while mounted on `url`'s origin. */
export function useNotebookFrameRef(project: string, service: string, url: string | undefined): (frame: HTMLIFrameElement | null) => (() => void) | undefined {
  return useCallback(
    (frame: HTMLIFrameElement | null) => {
      const origin = frameOrigin(url);
      if (!frame || !origin) return undefined;
      return registerNotebookFrame(project, service, frame, origin);
    },
    [project, service, url],
  );
}

/** What saving first did over every view asked: the panel's frame and the desktop's notebook windows. */
export interface SaveTally {
  saved: number;
  failed: number;
  /** The frame did not answer in time. */
  silentFrame: boolean;
  /** Notebook windows that did not answer in time. */
  silentWindows: number;
}

/** The frame's outcome and the notebook windows' counts (absent: none were asked) together. */
export function tallySaves(frame: SaveOutcome, windows?: NotebookWindowsSaved): SaveTally {
  const answered = frame.kind === 'answered' ? frame : { saved: 0, failed: 0 };
  return {
    saved: answered.saved + (windows?.saved ?? 0),
    failed: answered.failed + (windows?.failed ?? 0),
    silentFrame: frame.kind === 'no-answer',
    silentWindows: windows?.unanswered ?? 0,
  };
}

/** Words for what saving first did, or undefined when there was nothing to say. */
export function saveWords(what: SaveOutcome | SaveTally): string | undefined {
  const t = 'kind' in what ? tallySaves(what) : what;
  const words: string[] = [];
  if (t.failed) words.push(`${t.failed === 1 ? 'A notebook' : `${t.failed} notebooks`} could not be saved first.`);
  else if (t.saved) words.push(`Saved ${t.saved === 1 ? 'the open notebook' : `${t.saved} open notebooks`} first.`);
  if (t.silentFrame) words.push('The notebook view did not answer in time: what it showed was not saved first.');
  if (t.silentWindows === 1) words.push('The notebook window did not answer in time: what it showed was not saved first.');
  else if (t.silentWindows > 1) words.push(`${t.silentWindows} notebook windows did not answer in time: what they showed was not saved first.`);
  return words.length ? words.join(' ') : undefined;
}
