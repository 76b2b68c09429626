// The browser shell listens on a local port that any web page the student visits can send
// requests to, so hostile or broken input must never take it down. This module is its
// outer wall: decoding helpers that report bad percent-encoding instead of throwing a
// URIError into Node's event loop, a request/upgrade pre-check (request target, sizes),
// wrappers so that no throw escapes a request or upgrade listener (the client gets a 400,
// or a 500 for our own bugs), an answer for what Node's HTTP parser rejects (`clientError`),
// and one log line per refusal — never a stack, never the whole hostile input, and not
// without end when a page floods us.
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';

/** A request we refuse to read: answered with 400 and `reason` in the log. */
export class BadRequest extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'BadRequest';
  }
}

/** Longest request target we read; browsers stop near 2 MB, our panel needs a few hundred bytes. */
export const MAX_URL_LENGTH = 8 * 1024;
/** Node refuses larger header blocks itself (→ clientError → 400). */
export const MAX_HEADER_BYTES = 16 * 1024;

/** `decodeURIComponent` that says what was wrong instead of throwing URIError. */
export function decodeComponent(text: string, where: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new BadRequest(`malformed percent-encoding in the ${where}`);
  }
}

/** The same, for callers that would rather treat undecodable text as absent. */
export function tryDecodeComponent(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/** The request target as a URL: origin-form only (`/path?query`), bounded, well-formed. */
export function requestUrl(req: Pick<IncomingMessage, 'url'>): URL {
  const raw = req.url ?? '/';
  if (raw.length > MAX_URL_LENGTH) throw new BadRequest(`request target longer than ${MAX_URL_LENGTH} bytes`);
  // `//host/…`, `http://…` or `*` would make URL() resolve somewhere else (or throw).
  if (!raw.startsWith('/') || raw.startsWith('//')) throw new BadRequest('request target is not a path');
  try {
    return new URL(raw, 'http://127.0.0.1');
  } catch {
    throw new BadRequest('request target is not a valid URL');
  }
}

/** One printable, bounded line about a request: no control characters, no token values. */
export function describeRequest(req: Pick<IncomingMessage, 'method' | 'url'> | undefined): string {
  if (!req) return '(unparsed request)';
  const target = (req.url ?? '').replace(/([?&](?:token)=)[^&]*/gi, '$1…');
  return printable(`${req.method ?? '?'} ${target}`, 120);
}

function printable(text: string, max: number): string {
  // eslint-disable-next-line no-control-regex -- control characters are what it replaces
  const clean = text.replace(/[\x00-\x1f\x7f-\x9f]/g, '?');
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}

export type GuardLog = (line: string) => void;

/**
 * At most `burst` lines per `windowMs`; the next line after a quiet spell says how many were
 * left out. A page that sends a thousand bad requests costs a few lines, not a full disk.
 */
export function rateLimitedLog(write: GuardLog, burst = 20, windowMs = 10_000, now: () => number = Date.now): GuardLog {
  let windowStart = -Infinity;
  let written = 0;
  let dropped = 0;
  return (line) => {
    const t = now();
    if (t - windowStart >= windowMs) {
      if (dropped) write(`Coursedock: ${dropped} more refused requests were not logged.`);
      windowStart = t;
      written = 0;
      dropped = 0;
    }
    if (written < burst) {
      written++;
      write(line);
    } else dropped++;
  };
}

export const defaultGuardLog: GuardLog = rateLimitedLog((line) => console.warn(line));

function isBadRequest(err: unknown): err is Error {
  if (err instanceof BadRequest || err instanceof URIError) return true;
  return (err as NodeJS.ErrnoException | null)?.code === 'ERR_INVALID_URL';
}

function reasonOf(err: unknown): string {
  if (err instanceof BadRequest) return err.reason;
  if (err instanceof URIError) return 'malformed percent-encoding';
  if ((err as NodeJS.ErrnoException | null)?.code === 'ERR_INVALID_URL') return 'invalid URL';
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return printable(text.split('\n')[0] ?? '', 200);
}

const PLAIN = { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'close' };

function answer(res: ServerResponse, status: number, text: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, PLAIN);
  res.end(`${text}\n`);
}

/** The request listener, with the pre-check in front and nothing thrown escaping it. */
export function guardRequests(
  listener: (req: IncomingMessage, res: ServerResponse) => unknown,
  log: GuardLog = defaultGuardLog,
): (req: IncomingMessage, res: ServerResponse) => void {
  const fail = (req: IncomingMessage, res: ServerResponse, err: unknown) => {
    const bad = isBadRequest(err);
    log(`Coursedock: ${bad ? 'refused a malformed request (400)' : 'a request failed (500)'}: ${reasonOf(err)} — ${describeRequest(req)}`);
    try {
      answer(res, bad ? 400 : 500, bad ? 'Bad request.' : 'Internal error.');
    } catch {
      res.destroy();
    }
  };
  return (req, res) => {
    try {
      requestUrl(req);
      const result = listener(req, res);
      if (result instanceof Promise) result.catch((err: unknown) => fail(req, res, err));
    } catch (err) {
      fail(req, res, err);
    }
  };
}

/** Closes an upgrade with a status line, if the socket can still take one. */
export function refuseUpgrade(socket: Duplex, status: number, text: string): void {
  if (socket.destroyed) return;
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/**
 * The upgrade listener, likewise. Node takes its own error handler off the socket before
 * 'upgrade': without ours, a client resetting the connection mid-handshake would be an
 * uncaught 'error' event — the end of the process.
 */
export function guardUpgrades(
  listener: (req: IncomingMessage, socket: Duplex, head: Buffer) => unknown,
  log: GuardLog = defaultGuardLog,
): (req: IncomingMessage, socket: Duplex, head: Buffer) => void {
  const fail = (req: IncomingMessage, socket: Duplex, err: unknown) => {
    const bad = isBadRequest(err);
    log(`Coursedock: ${bad ? 'refused a malformed upgrade (400)' : 'an upgrade failed (500)'}: ${reasonOf(err)} — ${describeRequest(req)}`);
    try {
      refuseUpgrade(socket, bad ? 400 : 500, bad ? 'Bad Request' : 'Internal Server Error');
    } catch {
      socket.destroy();
    }
  };
  return (req, socket, head) => {
    socket.on('error', () => socket.destroy());
    try {
      requestUrl(req);
      const result = listener(req, socket, head);
      if (result instanceof Promise) result.catch((err: unknown) => fail(req, socket, err));
    } catch (err) {
      fail(req, socket, err);
    }
  };
}

/**
 * What Node's parser refused (garbage request line, header block too large, bad characters,
 * a body that never came): a 400 (408 for the timeout) and a log line, then the socket closes.
 */
export function answerClientErrors(server: Server, log: GuardLog = defaultGuardLog): void {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    socket.on('error', () => socket.destroy());
    // A client that went away is not worth a line.
    if (err.code === 'ECONNRESET' || err.code === 'EPIPE' || !socket.writable) {
      socket.destroy();
      return;
    }
    if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') { refuseUpgrade(socket, 408, 'Request Timeout'); return; }
    log(`Coursedock: refused a malformed request (400): ${printable(err.code ?? err.message, 60)}`);
    try {
      refuseUpgrade(socket, 400, 'Bad Request');
    } catch {
      socket.destroy();
    }
  });
}
