// A service's log stream: subscribes while mounted (and again when the container restarts or
// the link comes back), keeps the last `capacity` lines in a ring buffer, and re-renders on an
// animation frame at most every LOG_RENDER_INTERVAL_MS however fast lines arrive. Unsubscribes
// when left.
import { useEffect, useRef, useState } from 'react';
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

export interface LogsHook {
  buffer: RingBuffer<LogLine>;
  /** Changes whenever the buffer does (to re-render on). */
  version: number;
  stream: LogStreamState;
  clear(): void;
}

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
  const buffer = useRef<RingBuffer<LogLine>>(undefined as unknown as RingBuffer<LogLine>);
  if (!buffer.current || buffer.current.capacity !== capacity) buffer.current = new RingBuffer<LogLine>(capacity);
  const [version, setVersion] = useState(0);
  const [stream, setStream] = useState<LogStreamState>({ kind: 'subscribing' });

  useEffect(() => {
    const buf = buffer.current;
    buf.clear();
    setVersion((v) => v + 1);
    setStream({ kind: 'subscribing' });

    let subscription: string | undefined;
    let left = false;
    let cancelFrame: (() => void) | undefined;
    let lastRender = 0;
    // Lines may race the subscribe call's answer: keep them until we know our id.
    const early = new Map<string, LogLine[]>();
    const earlyEnd = new Map<string, string | undefined>();

    const scheduleRender = () => {
      if (cancelFrame) return;
      const render = () => {
        cancelFrame = undefined;
        lastRender = Date.now();
        setVersion((v) => v + 1);
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
    const offLines = client.on('logs.lines', ({ subscription: id, lines }) => {
      if (subscription === undefined) {
        const list = early.get(id) ?? [];
        list.push(...lines);
        early.set(id, list);
        return;
      }
      if (id !== subscription) return;
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
        buf.pushAll(early.get(id) ?? []);
        early.clear();
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
  }, [client, project, service, generation]);

  return {
    buffer: buffer.current,
    version,
    stream,
    clear: () => {
      buffer.current.clear();
      setVersion((v) => v + 1);
    },
  };
}
