// Who may talk to the browser shell: only a page that knows the random access token (like
// Jupyter's), and only through a loopback Host and Origin, so a web page elsewhere cannot
// reach it via DNS rebinding or a cross-site WebSocket.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { decodeComponent, requestUrl } from './request-guard.js';

export const TOKEN_COOKIE = 'coursedock_token';

export const newAccessToken = (): string => randomBytes(24).toString('base64url');

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

export function sameToken(given: string | undefined | null, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Our cookie's value; bad percent-encoding in it is a BadRequest (400), never a thrown URIError. */
export function cookieValue(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeComponent(part.slice(eq + 1).trim(), `${name} cookie`);
  }
  return undefined;
}

/** The token a request carries: `?token=`, an `Authorization: token …` header, or the cookie. */
export function requestToken(req: IncomingMessage): string | undefined {
  const url = requestUrl(req);
  const auth = req.headers.authorization?.match(/^(?:token|bearer)\s+(\S+)$/i)?.[1];
  return url.searchParams.get('token') ?? auth ?? cookieValue(req, TOKEN_COOKIE);
}

/** Host must name a loopback address and our port; Origin, when sent, the same. */
export function trustedOrigin(req: IncomingMessage, port: number): boolean {
  const host = req.headers.host;
  if (!host || !isLoopbackAuthority(host, port)) return false;
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  try {
    const u = new URL(origin);
    return u.protocol === 'http:' && isLoopbackAuthority(u.host, port);
  } catch {
    return false;
  }
}

function isLoopbackAuthority(authority: string, port: number): boolean {
  const m = authority.match(/^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/);
  if (!m) return false;
  return LOOPBACK_HOSTS.has((m[1] ?? '').toLowerCase()) && Number(m[2] ?? 80) === port;
}
