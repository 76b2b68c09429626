// The browser shell: the panel and the contract served on 127.0.0.1 to whoever holds the
// access token. The same engine the desktop app uses; a product feature for labs and hosted
// use, and what the end-to-end tests drive. Services' web UIs (the notebook) are never served
// here: each gets an origin of its own (service-origins.ts), so their pages cannot reach the API
// (panel-access.ts says who can).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type { Engine } from '../engine/engine.js';
import { newAccessToken, trustedOrigin } from './access.js';
import { strictCookie } from './cookies.js';
import { API_PROTOCOL, apiUpgradeRefusal, injectApiKey, newApiKey, panelAuthorized, panelCookieName } from './panel-access.js';
import { engineWebUis, ServiceOrigins } from './service-origins.js';
import { answerClientErrors, guardRequests, guardUpgrades, rateLimitedLog } from './request-guard.js';
import { serveStatic } from './static-files.js';
import { bindSocket, MAX_MESSAGE_BYTES } from './ws-binding.js';

export interface BrowserShellOptions {
  engine: Engine;
  /** Folder with the built panel (index.html + assets). */
  rendererDir: string;
  port?: number;
  token?: string;
  /** Allow terminals on this computer (off by default: the URL would hand out a host shell). */
  allowHostShell?: boolean;
  /** Refused API connections and sensitive calls are reported here (serve prints them). */
  log?: (message: string) => void;
  /** How long a service page's one-time ticket lasts. */
  ticketTtlMs?: number;
}

export interface BrowserShell {
  server: Server;
  port: number;
  token: string;
  /** The panel's origin, `http://127.0.0.1:<port>`. */
  origin: string;
  /** The key the panel reads from index.html and sends in the API's WebSocket subprotocol. */
  apiKey: string;
  /** The URL to open: carries the token once; the page then keeps it in a cookie. */
  url: string;
  serviceOrigins: ServiceOrigins;
  close(): Promise<void>;
}

export const HOST = '127.0.0.1';

/** Calls worth a line in the log: what a hostile page would be after. */
const AUDITED = new Set(['settings.get', 'settings.set', 'service.reset', 'service.revealSecret', 'terminal.open', 'service.webView']);

function refuse(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(`${message}\n`);
}

export async function startBrowserShell(options: BrowserShellOptions): Promise<BrowserShell> {
  const token = options.token ?? newAccessToken();
  const apiKey = newApiKey();
  const log = options.log ?? (() => undefined);
  // Only our subprotocol is ever echoed: the key stays unanswered.
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES, handleProtocols: () => API_PROTOCOL });
  let port = 0;
  const origin = () => `http://${HOST}:${port}`;
  const serviceOrigins = new ServiceOrigins({
    resolve: engineWebUis(options.engine),
    panelOrigin: origin,
    ...(options.ticketTtlMs !== undefined ? { ticketTtlMs: options.ticketTtlMs } : {}),
    log,
  });

  // Hostile input (any web page can send requests here) is answered 400 and logged, never thrown.
  const guardLog = rateLimitedLog(options.log ?? ((line) => console.warn(line)));
  const server = createServer(guardRequests((req, res) => {
    if (!trustedOrigin(req, port)) { refuse(res, 403, 'Forbidden: Coursedock answers only on 127.0.0.1.'); return; }
    if (!panelAuthorized(req, port, token)) {
      refuse(res, 401, 'This Coursedock panel needs its access token: open the URL Coursedock printed when it started.'); return;
    }
    const url = new URL(`http://${HOST}${req.url?.startsWith('/') ? req.url : '/'}`);
    if (url.searchParams.has('token')) {
      // Keep the token in a cookie and take it out of the address bar (and browser history).
      url.searchParams.delete('token');
      res.writeHead(302, {
        'Set-Cookie': strictCookie(panelCookieName(port), token, '/'),
        Location: `${url.pathname}${url.search}`,
        'Cache-Control': 'no-store',
      });
      return res.end();
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') { refuse(res, 405, 'Method not allowed'); return; }
    if (!serveStatic(options.rendererDir, url.pathname, res, { index: (html) => injectApiKey(html, apiKey) })) refuse(res, 404, 'Not found');
  }, guardLog));
  answerClientErrors(server, guardLog);

  server.on('upgrade', guardUpgrades((req: IncomingMessage, socket, head) => {
    socket.on('error', () => socket.destroy());
    const path = req.url?.split('?')[0];
    if (path !== '/api') {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    const refusal = apiUpgradeRefusal(req, port, apiKey);
    if (refusal) {
      log(`Refused an API connection (${refusal}; Origin ${req.headers.origin ?? 'none'}).`);
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    const from = req.headers.origin ?? 'none';
    wss.handleUpgrade(req, socket, head, (ws) =>
      bindSocket(
        ws,
        options.engine,
        { allowHostShell: options.allowHostShell ?? false, webViews: serviceOrigins },
        (method) => AUDITED.has(method) && log(`API call ${method} (Origin ${from}).`),
      ),
    );
  }, guardLog));

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: HOST, port: options.port ?? 0 }, () => resolve());
  });
  port = (server.address() as AddressInfo).port;

  return {
    server,
    port,
    token,
    origin: origin(),
    apiKey,
    url: `${origin()}/?token=${token}`,
    serviceOrigins,
    close: async () => {
      await serviceOrigins.close();
      await new Promise<void>((resolve) => {
        for (const ws of wss.clients) ws.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
}
