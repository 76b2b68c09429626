// Saving the notebooks open in the embedded notebook view before the panel stops, restarts,
// reinstalls or resets the notebook server (issue 15, "work in progress is not lost"). The frame
// is on the service's own origin and runs the course image's save-on-request nbextension: the
// panel posts {coursedock: 'save-request', id} to that origin only and waits, briefly, for
// {coursedock: 'save-answer', id, saved, failed}.
//
// The frame is untrusted: an answer counts only when it comes from that frame's window, from the
// origin the frame was loaded on, with the id just sent and small whole numbers; anything else
// is ignored, and no answer in time just means nothing was saved (the operation goes on).
import { useCallback } from 'react';

interface FramedView {
  frame: HTMLIFrameElement;
  origin: string;
}

export type SaveOutcome =
  | { kind: 'no-frame' }
  | { kind: 'no-answer' }
  | { kind: 'answered'; saved: number; failed: number };

export const SAVE_TIMEOUT_MS = 3000;

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

const smallCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 1000;

/** The frame's answer to request `id`, when it has exactly the expected shape. */
export function parseSaveAnswer(data: unknown, id: string): { saved: number; failed: number } | undefined {
  if (!data || typeof data !== 'object' || Array.isArray(data)) return undefined;
  const d = data as Record<string, unknown>;
  if (d.coursedock !== 'save-answer' || d.id !== id || !smallCount(d.saved) || !smallCount(d.failed)) return undefined;
  return { saved: d.saved, failed: d.failed };
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
      target.postMessage({ coursedock: 'save-request', id }, view.origin);
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

/** Words for what the save did, or undefined when there was nothing to say. */
export function saveWords(outcome: SaveOutcome): string | undefined {
  if (outcome.kind !== 'answered') return outcome.kind === 'no-answer' ? 'The notebook view did not answer in time: what it showed was not saved first.' : undefined;
  if (outcome.failed) return `${outcome.failed === 1 ? 'A notebook' : `${outcome.failed} notebooks`} could not be saved first.`;
  return outcome.saved ? `Saved ${outcome.saved === 1 ? 'the open notebook' : `${outcome.saved} open notebooks`} first.` : undefined;
}
