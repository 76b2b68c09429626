// A service's log stream: subscribes while mounted (and again when the container restarts or
// the link comes back), keeps the last `capacity` lines in a ring buffer, and re-renders on an
// animation frame at most every LOG_RENDER_INTERVAL_MS however fast lines arrive. Unsubscribes
// when left.
import { useEffect, useMemo, useState } from 'react';
import { RingBuffer } from '../lib/ring-buffer.js';
import type { LogLine } from '../lib/types.js';
import { useClient } from './client-context.js';

export const LOG_CAPACITY = 5000;
export const LOG_TAIL = 500;
/** A flood re-renders about ten times a second (a quiet log at once, on the next frame). */
export const LOG_RENDER_INTERVAL_MS = 100;

export type LogStreamState =
  | { kind: 'subscribing' }
  | { kind: 'following' }
  | { kind: 'ended'; reason?: string }
  | { kind: 'failed'; message: string };

/** The buffer as last drawn: its lines, and how many ever arrived (to count the unseen). */
export interface LogSnapshot {
  lines: LogLine[];
  total: number;
}

export interface LogsHook {
  /** A new snapshot whenever the buffer changed (at most once a frame, see above). */
  snapshot: LogSnapshot;
  stream: LogStreamState;
  clear: () => void;
}

const EMPTY: LogSnapshot = { lines: [], total: 0 };

const nextFrame = (cb: () => void): (() => void) => {
  if (typeof requestAnimationFrame === 'function') {
    const id = requestAnimationFrame(cb);
    return () => cancelAnimationFrame(id);
  }
  const id = setTimeout(cb, 16);
  return () => clearTimeout(id);
};

export function useLogs(
  project: string,
  service: string,
  /** Anything that should start a fresh subscription when it changes (a restart, a reconnect). */
  generation: string,
  capacity = LOG_CAPACITY,
): LogsHook {
  const client = useClient();
  const buffer = useMemo(() => new RingBuffer<LogLine>(capacity), [capacity]);
  const [snapshot, setSnapshot] = useState<LogSnapshot>(EMPTY);
  const [stream, setStream] = useState<LogStreamState>({ kind: 'subscribing' });
  // A new stream starts empty and subscribing: reset while rendering, before its effect runs.
  const streamKey = `${project}\n${service}\n${generation}\n${String(capacity)}`;
  const [shownKey, setShownKey] = useState(streamKey);
  if (shownKey !== streamKey) {
    setShownKey(streamKey);
    setSnapshot(EMPTY);
    setStream({ kind: 'subscribing' });
  }

  useEffect(() => {
    const buf = buffer;
    buf.clear();

    let subscription: string | undefined;
    let left = false;
    let cancelFrame: (() => void) | undefined;
    let lastRender = 0;
    // Lines may race the subscribe call's answer: keep them until we know our id.
    const early = new Map<string, LogLine[]>();
    const earlySkipped = new Map<string, number>();
    const earlyEnd = new Map<string, string | undefined>();

    const scheduleRender = () => {
      if (cancelFrame) return;
      const render = () => {
        cancelFrame = undefined;
        lastRender = Date.now();
        setSnapshot({ lines: buf.toArray(), total: buf.total });
      };
      const wait = LOG_RENDER_INTERVAL_MS - (Date.now() - lastRender);
      if (wait <= 0) {
        cancelFrame = nextFrame(render);
        return;
      }
      let cancelInner: (() => void) | undefined;
      const t = setTimeout(() => (cancelInner = nextFrame(render)), wait);
      cancelFrame = () => {
        clearTimeout(t);
        cancelInner?.();
      };
    };
    const offLines = client.on('logs.lines', ({ subscription: id, lines, skipped = 0 }) => {
      if (subscription === undefined) {
        const list = early.get(id) ?? [];
        list.push(...lines);
        early.set(id, list);
        earlySkipped.set(id, (earlySkipped.get(id) ?? 0) + skipped);
        return;
      }
      if (id !== subscription) return;
      // Lines the engine left out (it kept the newest for a panel that read too slowly) still count.
      buf.total += skipped;
      buf.pushAll(lines);
      scheduleRender();
    });
    const offEnd = client.on('logs.end', ({ subscription: id, reason }) => {
      if (subscription === undefined) earlyEnd.set(id, reason);
      else if (id === subscription) setStream({ kind: 'ended', ...(reason ? { reason } : {}) });
    });

    client
      .call('logs.subscribe', { project, service, tail: LOG_TAIL })
      .then(({ subscription: id }) => {
        if (left) {
          void client.call('logs.unsubscribe', { subscription: id }).catch(() => undefined);
          return;
        }
        subscription = id;
        buf.total += earlySkipped.get(id) ?? 0;
        buf.pushAll(early.get(id) ?? []);
        early.clear();
        earlySkipped.clear();
        scheduleRender();
        if (earlyEnd.has(id)) {
          const reason = earlyEnd.get(id);
          setStream({ kind: 'ended', ...(reason ? { reason } : {}) });
        } else setStream({ kind: 'following' });
        earlyEnd.clear();
      })
      .catch((err: unknown) => {
        if (!left) setStream({ kind: 'failed', message: err instanceof Error ? err.message : String(err) });
      });

    return () => {
      left = true;
      offLines();
      offEnd();
      cancelFrame?.();
      if (subscription) void client.call('logs.unsubscribe', { subscription }).catch(() => undefined);
    };
  }, [client, buffer, project, service, generation]);

  return {
    snapshot,
    stream,
    clear: () => {
      buffer.clear();
      setSnapshot({ lines: [], total: buffer.total });
    },
  };
}
