// Who may use the panel's origin (http://127.0.0.1:<port>):
//   - its pages: whoever holds the printed access token (`?token=` once, then a cookie named
//     with the port, so two shells on one computer keep their own; cookies ignore ports, so
//     any of several same-named cookies may be the right one);
//   - its API (`/api`): only a page of this origin that has read the panel (index.html carries
//     a per-shell API key, sent back in the WebSocket subprotocol). A cookie never opens the API:
//     a browser sends cookies for pages on other loopback ports too, but no other origin can
//     read index.html or choose our Origin header.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { sameToken, trustedOrigin } from './access.js';
import { hasCookie } from './cookies.js';

export const API_PROTOCOL = 'coursedock.v1';
export const API_KEY_PROTOCOL_PREFIX = 'key.';
export const API_KEY_META = 'coursedock-api-key';

export const panelCookieName = (port: number): string => `coursedock_panel_${port}`;
export const newApiKey = (): string => randomBytes(24).toString('base64url');

/** Whether a request to the panel's pages carries the access token (query, Authorization, or cookie). */
export function panelAuthorized(req: IncomingMessage, port: number, token: string): boolean {
  let query: string | null = null;
  try {
    query = new URL(`http://x${(req.url ?? '/').startsWith('/') ? '' : '/'}${req.url ?? '/'}`).searchParams.get('token');
  } catch {
    return false;
  }
  if (query !== null) return sameToken(query, token);
  const auth = req.headers.authorization?.match(/^(?:token|bearer)\s+(\S+)$/i)?.[1];
  if (auth !== undefined) return sameToken(auth, token);
  return hasCookie(req.headers.cookie, panelCookieName(port), token);
}

/** The subprotocols a WebSocket handshake offers. */
export function offeredProtocols(req: IncomingMessage): string[] {
  return (req.headers['sec-websocket-protocol'] ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
}

/** Why an `/api` upgrade is refused, or undefined when it may open. */
export function apiUpgradeRefusal(req: IncomingMessage, port: number, apiKey: string): string | undefined {
  if (!trustedOrigin(req, port)) return 'Host or Origin is not this panel';
  const origin = req.headers.origin;
  if (!origin) return 'no Origin';
  if (origin.toLowerCase() !== `http://${(req.headers.host ?? '').toLowerCase()}`) return `Origin ${origin} is not this panel`;
  const offered = offeredProtocols(req);
  if (!offered.includes(API_PROTOCOL)) return `no ${API_PROTOCOL} subprotocol`;
  const keys = offered.filter((p) => p.startsWith(API_KEY_PROTOCOL_PREFIX)).map((p) => p.slice(API_KEY_PROTOCOL_PREFIX.length));
  if (!keys.some((k) => sameToken(k, apiKey))) return 'no valid API key';
  return undefined;
}

/** The panel's index.html with the API key in a <meta> (only this origin can read it). */
export function injectApiKey(html: string, apiKey: string): string {
  const meta = `<meta name="${API_KEY_META}" content="${apiKey}" />`;
  return /<head[^>]*>/i.test(html) ? html.replace(/<head[^>]*>/i, (m) => `${m}\n    ${meta}`) : `${meta}\n${html}`;
}
