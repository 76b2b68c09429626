// Notices as toasts: the engine's (`env.notice`, e.g. a port it had to change) and the panel's
// own (a call that failed with no service to show it next to). Info and warnings fade by
// themselves; errors stay until dismissed.
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { Notice } from '../lib/types.js';
import { useClient } from './client-context.js';

export interface Toast extends Notice {
  id: number;
}

export const INFO_TOAST_MS = 8000;
/** Warnings (a port moved) stay longer; what they say also stays visible next to the service. */
export const WARNING_TOAST_MS = 20_000;
const MAX_TOASTS = 4;
/** The engine says the same thing on every start (a port it keeps moving): once is enough. */
export const REPEAT_QUIET_MS = 10 * 60_000;

export interface ToastsHook {
  toasts: Toast[];
  push: (notice: Omit<Notice, 'at'> & { at?: number }) => void;
  dismiss: (id: number) => void;
}

export function useToasts(project: string | undefined): ToastsHook {
  const client = useClient();
  const [toasts, setToasts] = useState<Toast[]>([]);
  const nextId = useRef(1);
  const timers = useRef(new Map<number, ReturnType<typeof setTimeout>>());
  const lastShown = useRef(new Map<string, number>());

  const dismiss = useCallback((id: number) => {
    clearTimeout(timers.current.get(id));
    timers.current.delete(id);
    setToasts((list) => list.filter((t) => t.id !== id));
  }, []);

  const push = useCallback(
    (notice: Omit<Notice, 'at'> & { at?: number }) => {
      const now = Date.now();
      const key = `${notice.level}:${notice.service ?? ''}:${notice.message}`;
      const seen = lastShown.current.get(key);
      if (notice.level !== 'error' && seen !== undefined && now - seen < REPEAT_QUIET_MS) return;
      lastShown.current.set(key, now);
      const id = nextId.current++;
      const toast: Toast = { ...notice, at: notice.at ?? now, id };
      setToasts((list) => {
        // The same words again (a retried operation): one toast, not a pile.
        const rest = list.filter((t) => t.message !== toast.message);
        return [...rest, toast].slice(-MAX_TOASTS);
      });
      const ttl = toast.level === 'info' ? INFO_TOAST_MS : toast.level === 'warning' ? WARNING_TOAST_MS : undefined;
      if (ttl) timers.current.set(id, setTimeout(() => dismiss(id), ttl));
    },
    [dismiss],
  );

  // The project is read when a notice comes, not re-subscribed for: a notice sent the moment a
  // course opened would otherwise reach the listener of the previous render (no project) and be
  // dropped. Layout effect: set in the same commit that shows the course.
  const projectNow = useRef(project);
  useLayoutEffect(() => {
    projectNow.current = project;
  }, [project]);
  useEffect(
    () =>
      client.on('env.notice', ({ project: p, notice }) => {
        if (p === projectNow.current) push(notice);
      }),
    [client, push],
  );

  useEffect(() => {
    const map = timers.current;
    return () => map.forEach((t) => clearTimeout(t));
  }, []);

  return { toasts, push, dismiss };
}
