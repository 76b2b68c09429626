// The browser shell's transport: one WebSocket at /api speaking {id, method, params} →
// {id, result} | {id, error}, plus pushed {event, payload}. When the socket drops it reconnects
// with backoff; calls in flight fail (nothing is re-sent on its own: the UI decides what to redo).
// The shell opens /api only to its own page: the panel's Origin plus the API key it put in
// index.html, sent as a WebSocket subprotocol (`coursedock.v1`, `key.<key>`), never a cookie.
import { ApiCallError, type ConnectionState, type Transport } from './transport.js';
import { callTimeoutMs, waitWords } from './call-timeouts.js';

type SocketLike = Pick<WebSocket, 'send' | 'close' | 'readyState'> & {
  onopen: ((ev: Event) => unknown) | null;
  onclose: ((ev: CloseEvent) => unknown) | null;
  onerror: ((ev: Event) => unknown) | null;
  onmessage: ((ev: MessageEvent) => unknown) | null;
};

export interface WsTransportOptions {
  url?: string;
  /** Subprotocols to offer (the browser shell wants `coursedock.v1` and `key.<api key>`). */
  protocols?: string[];
  /** For tests: the WebSocket constructor. */
  WebSocketImpl?: new (url: string, protocols?: string[]) => SocketLike;
  /** Delays between reconnection attempts; the last one repeats. */
  backoffMs?: number[];
  /** How long a call made while disconnected waits for the socket before failing. */
  waitForOpenMs?: number;
  /** How long a call waits for its answer (default: call-timeouts.ts, by method). */
  callTimeoutMs?: (method: string) => number;
}

export const DEFAULT_BACKOFF_MS = [250, 500, 1000, 2000, 4000];
const OPEN = 1;

export const API_PROTOCOL = 'coursedock.v1';

/** The API key the browser shell wrote into index.html (`<meta name="coursedock-api-key">`). */
export function pageApiKey(doc: Pick<Document, 'querySelector'> = document): string | undefined {
  return doc.querySelector<HTMLMetaElement>('meta[name="coursedock-api-key"]')?.content || undefined;
}

/** The subprotocols the panel offers: ours, and the key when the page has one. */
export function apiProtocols(key: string | undefined): string[] {
  return key ? [API_PROTOCOL, `key.${key}`] : [API_PROTOCOL];
}

export function apiUrl(loc: Pick<Location, 'protocol' | 'host'> = window.location): string {
  return `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}/api`;
}

const lost = () =>
  new ApiCallError({
    code: 'failed',
    message: 'Lost the connection to Coursedock before it answered. It is reconnecting; try again in a moment.',
  });

export function createWsTransport(options: WsTransportOptions = {}): Transport {
  const url = options.url ?? apiUrl();
  const Impl = options.WebSocketImpl ?? WebSocket;
  const protocols = options.protocols;
  const backoff = options.backoffMs ?? DEFAULT_BACKOFF_MS;
  const waitForOpenMs = options.waitForOpenMs ?? 15_000;
  const timeoutOf = options.callTimeoutMs ?? callTimeoutMs;

  let socket: SocketLike | undefined;
  let state: ConnectionState = 'connecting';
  let attempt = 0;
  let nextId = 1;
  let closed = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  const waitingForOpen = new Set<() => void>();
  const eventListeners = new Set<(event: string, payload: unknown) => void>();
  const connectionListeners = new Set<(s: ConnectionState) => void>();

  const setState = (s: ConnectionState) => {
    if (s === state) return;
    state = s;
    for (const l of [...connectionListeners]) l(s);
  };

  const connect = () => {
    if (closed) return;
    setState('connecting');
    const ws = protocols ? new Impl(url, protocols) : new Impl(url);
    socket = ws;
    ws.onopen = () => {
      if (socket !== ws) return;
      attempt = 0;
      setState('open');
      for (const w of [...waitingForOpen]) w();
    };
    ws.onmessage = (ev) => {
      if (socket !== ws) return;
      let msg: { id?: unknown; result?: unknown; error?: unknown; event?: unknown; payload?: unknown };
      try {
        msg = JSON.parse(String(ev.data)) as typeof msg;
      } catch {
        return;
      }
      if (typeof msg.event === 'string') {
        for (const l of [...eventListeners]) l(msg.event, msg.payload);
        return;
      }
      if (typeof msg.id !== 'number') return;
      const p = pending.get(msg.id);
      if (!p) return;
      pending.delete(msg.id);
      if (msg.error !== undefined) p.reject(msg.error);
      else p.resolve(msg.result);
    };
    ws.onerror = () => undefined; // onclose follows and does the work
    ws.onclose = () => {
      if (socket !== ws) return;
      socket = undefined;
      for (const [, p] of pending) p.reject(lost());
      pending.clear();
      if (closed) return;
      setState('closed');
      const delay = backoff[Math.min(attempt++, backoff.length - 1)] ?? 1000;
      timer = setTimeout(connect, delay);
    };
  };

  const whenOpen = (): Promise<void> => {
    if (socket && socket.readyState === OPEN && state === 'open') return Promise.resolve();
    return new Promise((resolve, reject) => {
      const done = () => {
        clearTimeout(t);
        waitingForOpen.delete(done);
        resolve();
      };
      const t = setTimeout(() => {
        waitingForOpen.delete(done);
        reject(
          new ApiCallError({
            code: 'failed',
            message: 'Coursedock is not answering: the panel could not reach it. Is `coursedock serve` still running?',
          }),
        );
      }, waitForOpenMs);
      waitingForOpen.add(done);
    });
  };

  connect();

  return {
    async request(method, params) {
      if (closed) throw new ApiCallError({ code: 'failed', message: 'The connection to Coursedock is closed.' });
      await whenOpen();
      // The socket may have dropped again between its opening and this line.
      const ws = socket;
      if (!ws) throw new ApiCallError({ code: 'failed', message: 'The connection to Coursedock dropped: try again.' });
      const id = nextId++;
      const limit = timeoutOf(method);
      return new Promise((resolve, reject) => {
        // The answer may never come (the shell drops messages to a panel far behind): say so.
        const t = setTimeout(() => {
          if (!pending.delete(id)) return;
          reject(
            new ApiCallError({
              code: 'failed',
              message: `Coursedock did not answer ${method} within ${waitWords(limit)}. Its answer may have been dropped while the panel was far behind (a very busy log or terminal), or the engine is stuck: reload the panel to see the current state.`,
            }),
          );
        }, limit);
        const settle =
          <V>(f: (v: V) => void) =>
          (v: V) => {
            clearTimeout(t);
            f(v);
          };
        pending.set(id, { resolve: settle(resolve), reject: settle(reject) });
        try {
          ws.send(JSON.stringify({ id, method, params }));
        } catch (err) {
          pending.delete(id);
          clearTimeout(t);
          reject(err instanceof Error ? err : new Error(String(err)));
        }
      });
    },
    subscribe(listener) {
      eventListeners.add(listener);
      return () => void eventListeners.delete(listener);
    },
    onConnection(listener) {
      connectionListeners.add(listener);
      listener(state);
      return () => void connectionListeners.delete(listener);
    },
    close() {
      closed = true;
      clearTimeout(timer);
      socket?.close();
      socket = undefined;
      for (const [, p] of pending) p.reject(lost());
      pending.clear();
    },
  };
}
