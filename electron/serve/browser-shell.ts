// The browser shell: the panel and the contract served on 127.0.0.1 to whoever holds the
// access token. The same engine the desktop app uses; a product feature for labs and hosted
// use, and what the end-to-end tests drive.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type { Engine } from '../engine/engine.js';
import { newAccessToken, requestToken, sameToken, TOKEN_COOKIE, trustedOrigin } from './access.js';
import { serveStatic } from './static-files.js';
import { WebUiProxy } from './web-ui-proxy.js';
import { bindSocket, MAX_MESSAGE_BYTES } from './ws-binding.js';

export interface BrowserShellOptions {
  engine: Engine;
  /** Folder with the built panel (index.html + assets). */
  rendererDir: string;
  port?: number;
  token?: string;
  /** Allow terminals on this computer (off by default: the URL would hand out a host shell). */
  allowHostShell?: boolean;
}

export interface BrowserShell {
  server: Server;
  port: number;
  token: string;
  /** The URL to open: carries the token once; the page then keeps it in a cookie. */
  url: string;
  close(): Promise<void>;
}

export const HOST = '127.0.0.1';

function refuse(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(`${message}\n`);
}

export async function startBrowserShell(options: BrowserShellOptions): Promise<BrowserShell> {
  const token = options.token ?? newAccessToken();
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  let port = 0;

  const authorized = (req: IncomingMessage) => sameToken(requestToken(req), token);
  const proxy = new WebUiProxy(options.engine);

  const server = createServer((req, res) => {
    if (!trustedOrigin(req, port)) return refuse(res, 403, 'Forbidden: Coursedock answers only on 127.0.0.1.');
    if (!authorized(req)) {
      return refuse(res, 401, 'This Coursedock panel needs its access token: open the URL Coursedock printed when it started.');
    }
    const url = new URL(req.url ?? '/', `http://${HOST}`);
    if (url.searchParams.has('token')) {
      // Keep the token in a cookie and take it out of the address bar (and browser history).
      url.searchParams.delete('token');
      res.writeHead(302, {
        'Set-Cookie': `${TOKEN_COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`,
        Location: `${url.pathname}${url.search}`,
        'Cache-Control': 'no-store',
      });
      return res.end();
    }
    if (proxy.handles(url.pathname)) return proxy.request(req, res);
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'Method not allowed');
    if (!serveStatic(options.rendererDir, url.pathname, res)) refuse(res, 404, 'Not found');
  });

  server.on('upgrade', (req, socket, head) => {
    const path = new URL(req.url ?? '/', `http://${HOST}`).pathname;
    if (!trustedOrigin(req, port) || !authorized(req)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      return;
    }
    if (proxy.handles(path)) return proxy.upgrade(req, socket, head);
    if (path !== '/api') {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) =>
      bindSocket(ws, options.engine, { allowHostShell: options.allowHostShell ?? false }),
    );
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: HOST, port: options.port ?? 0 }, () => resolve());
  });
  port = (server.address() as AddressInfo).port;

  return {
    server,
    port,
    token,
    url: `http://${HOST}:${port}/?token=${token}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const ws of wss.clients) ws.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
