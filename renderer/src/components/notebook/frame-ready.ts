// Did the page in the web UI frame load? Chromium cancels requests in flight when the computer's
// network changes (net::ERR_NETWORK_CHANGED, whenever Docker adds an interface for a container
// starting); a notebook page whose require.js was cancelled stays blank. The frame is on another
// origin and untrusted, so the panel cannot look inside: instead a web UI whose spec says
// `announces-ready` (the tm351 notebook image's announce-ready nbextension) posts
// {coursedock: 'ready'} to the panel once its scripts ran. No valid 'ready' within
// READY_TIMEOUT_MS of the frame's first load event means the page is silent: NotebookTab reloads
// it once, then says it did not load.
//
// Only the frame's first load is watched: later loads are the student's own navigations, to pages
// that may rightly say nothing (a file's raw view, the logout page). One timer per watched load,
// no polling. A 'ready' counts only from that frame's window, on the origin it was loaded from,
// with exactly that shape; a late one still counts (the view then shows the page after all).
import { useCallback, useLayoutEffect, useRef } from 'react';
import { frameOrigin } from './frame-save.js';

/** Far longer than a page needs from its load event to its extensions, even on a busy machine. */
export const READY_TIMEOUT_MS = 10_000;

/** Exactly {coursedock: 'ready'}: no other key, nothing else. */
export function isReadyMessage(data: unknown): boolean {
  if (!data || typeof data !== 'object' || Array.isArray(data)) return false;
  const keys = Object.keys(data);
  return keys.length === 1 && keys[0] === 'coursedock' && (data as Record<string, unknown>).coursedock === 'ready';
}

export interface ReadyWatchOptions {
  /** The watched frame's window now (null once it is gone). */
  frameWindow: () => Window | null;
  /** The origin the frame was loaded on. */
  origin: string;
  timeoutMs: number;
  onSilent: () => void;
  onReady: () => void;
}

type WatchState = 'loading' | 'waiting' | 'silent' | 'ready' | 'disposed';

/** One frame's first load: ready when its page says so, silent when it has not within timeoutMs of loading. */
export class ReadyWatch {
  private state: WatchState = 'loading';
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly options: ReadyWatchOptions) {}

  get current(): WatchState {
    return this.state;
  }

  /** A message event on the panel's window: only the frame's valid 'ready' is taken. */
  message(event: Pick<MessageEvent, 'source' | 'origin' | 'data'>): void {
    if (this.state === 'ready' || this.state === 'disposed') return;
    const frame = this.options.frameWindow();
    if (!frame || event.source !== frame || event.origin !== this.options.origin || !isReadyMessage(event.data)) return;
    clearTimeout(this.timer);
    this.state = 'ready';
    this.options.onReady();
  }

  /** The frame's load event: the first one starts the one timer. */
  loaded(): void {
    if (this.state !== 'loading') return;
    this.state = 'waiting';
    this.timer = setTimeout(() => {
      this.state = 'silent';
      this.options.onSilent();
    }, this.options.timeoutMs);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.state = 'disposed';
  }
}

export interface FrameReadyHandlers {
  onSilent: (key: string) => void;
  onReady: (key: string) => void;
}

/**
 * Watches the frame shown for `key` (loaded from `url`) while `enabled`. Returns the ref callback
 * for the iframe (it listens to the frame's load events, and returns its cleanup); the handlers
 * hear which key went silent or said ready.
 */
export function useFrameReady(
  key: string | undefined,
  url: string | undefined,
  enabled: boolean,
  handlers: FrameReadyHandlers,
  timeoutMs = READY_TIMEOUT_MS,
): (frame: HTMLIFrameElement | null) => (() => void) | undefined {
  const frame = useRef<HTMLIFrameElement | null>(null);
  const watch = useRef<ReadyWatch | undefined>(undefined);
  const latest = useRef(handlers);
  useLayoutEffect(() => {
    latest.current = handlers;
  });
  // A layout effect: in place before the frame's load event can arrive.
  useLayoutEffect(() => {
    const origin = frameOrigin(url);
    if (!enabled || key === undefined || !origin) return undefined;
    const w = new ReadyWatch({
      frameWindow: () => frame.current?.contentWindow ?? null,
      origin,
      timeoutMs,
      onSilent: () => latest.current.onSilent(key),
      onReady: () => latest.current.onReady(key),
    });
    watch.current = w;
    const onMessage = (event: MessageEvent) => w.message(event);
    window.addEventListener('message', onMessage);
    return () => {
      window.removeEventListener('message', onMessage);
      w.dispose();
      if (watch.current === w) watch.current = undefined;
    };
  }, [key, url, enabled, timeoutMs]);
  return useCallback((el: HTMLIFrameElement | null) => {
    frame.current = el;
    if (!el) return undefined;
    // Attached as the frame is mounted, before its page can have loaded.
    const onLoad = () => watch.current?.loaded();
    el.addEventListener('load', onLoad);
    return () => {
      el.removeEventListener('load', onLoad);
      if (frame.current === el) frame.current = null;
    };
  }, []);
}
