// Notices as toasts: the engine's (`env.notice`, e.g. a port it had to change) and the panel's
// own (a call that failed with no service to show it next to). Info fades by itself; warnings
// and errors stay until dismissed.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Notice } from '../lib/types.js';
import { useClient } from './client-context.js';

export interface Toast extends Notice {
  id: number;
}

export const INFO_TOAST_MS = 8000;
const MAX_TOASTS = 5;

export interface ToastsHook {
  toasts: Toast[];
  push(notice: Omit<Notice, 'at'> & { at?: number }): void;
  dismiss(id: number): void;
}

export function useToasts(project: string | undefined): ToastsHook {
  const client = useClient();
  const [toasts, setToasts] = useState<Toast[]>([]);
  const nextId = useRef(1);
  const timers = useRef(new Map<number, ReturnType<typeof setTimeout>>());

  const dismiss = useCallback((id: number) => {
    clearTimeout(timers.current.get(id));
    timers.current.delete(id);
    setToasts((list) => list.filter((t) => t.id !== id));
  }, []);

  const push = useCallback(
    (notice: Omit<Notice, 'at'> & { at?: number }) => {
      const id = nextId.current++;
      const toast: Toast = { ...notice, at: notice.at ?? Date.now(), id };
      setToasts((list) => {
        // The same words again (a retried operation): one toast, not a pile.
        const rest = list.filter((t) => t.message !== toast.message);
        return [...rest, toast].slice(-MAX_TOASTS);
      });
      if (toast.level === 'info') timers.current.set(id, setTimeout(() => dismiss(id), INFO_TOAST_MS));
    },
    [dismiss],
  );

  useEffect(
    () =>
      client.on('env.notice', ({ project: p, notice }) => {
        if (p === project) push(notice);
      }),
    [client, project, push],
  );

  useEffect(() => {
    const map = timers.current;
    return () => map.forEach((t) => clearTimeout(t));
  }, []);

  return { toasts, push, dismiss };
}
