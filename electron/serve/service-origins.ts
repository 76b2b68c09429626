// Each service's web UI on an origin of its own, never the panel's: one listener per
// (project, service) on 127.0.0.1 and an ephemeral port, started the first time the panel asks
// for the page and kept for the life of the shell. Whatever JavaScript runs on a service page
// (a notebook's output, a downloaded notebook, a package in the image) is then cross-origin to
// the panel: it cannot read the panel's pages or its API key, and the API refuses its Origin.
//
// A browser gets in with a one-time ticket in the URL (`?coursedock_ticket=`, from
// `service.webView`), swapped for this origin's own cookie (HttpOnly, SameSite=Strict, named
// with the port, scoped to the service's base path); the ticket leaves the address bar at once.
// Only the service's base path is served; everything is forwarded by web-ui-proxy.ts.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Engine } from '../engine/engine.js';
import type { WebUiTarget } from '../engine/state/web-address.js';
import { trustedOrigin } from './access.js';
import { hasCookie, strictCookie } from './cookies.js';
import { answerClientErrors, guardRequests, guardUpgrades, rateLimitedLog } from './request-guard.js';
import { proxyRequest, proxyUpgrade, type ProxyPolicy } from './web-ui-proxy.js';
import { TICKET_PARAM, WebTickets } from './web-tickets.js';

export const HOST = '127.0.0.1';

/** Where a service's web UI answers now, or why it does not (in words). */
export type ResolveWebUi = (project: string, service: string) => WebUiTarget | string;

export interface ServiceOriginsOptions {
  resolve: ResolveWebUi;
  /** The only origin allowed to frame service pages (the panel's); none when absent. */
  panelOrigin?: () => string | undefined;
  ticketTtlMs?: number;
  log?: (message: string) => void;
  /** Look, do not touch: only GET/HEAD reach the service, and no WebSocket (no kernel, no terminal). */
  readOnly?: boolean;
  /** A further check on every request and upgrade (a classroom: the signed-in owner); words refuse it. */
  admit?: (req: IncomingMessage) => string | undefined;
}

/** Thrown when the service has no page to show now; the message says why. */
export class WebViewUnavailable extends Error {
  override name = 'WebViewUnavailable';
}

export const webCookieName = (port: number): string => `coursedock_web_${port}`;

/** The path prefix a service's page lives under: `/p/<project>/<service>/` when it uses one, else `/`. */
export function serviceBasePath(project: string, service: string, path: string): string {
  const base = `/p/${project}/${service}/`;
  return path === base.slice(0, -1) || path.startsWith(base) ? base : '/';
}

/** Whether a request path (already normalised) lies under `base`. */
export function underBase(pathname: string, base: string): boolean {
  return base === '/' || pathname === base.slice(0, -1) || pathname.startsWith(base);
}

/** Resolves (project, service) against the engine's open environments. */
export function engineWebUis(engine: Pick<Engine, 'opened'>): ResolveWebUi {
  return (project, service) => {
    const env = engine.opened().find((e) => e.project === project);
    const svc = env?.spec.services[service];
    if (!env || !svc) return `No service ${service} in ${project}.`;
    if (!svc.meta.web) return `${svc.meta.title} has no web page.`;
    return env.webTarget(service) ?? `${svc.meta.title} is not running: start it first.`;
  };
}

function refuse(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(`${message}\n`);
}

function refuseUpgrade(socket: Duplex, status: string): void {
  socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`);
}

/** A request target as a URL; undefined for anything but an origin-form path. */
function parseTarget(raw: string | undefined): URL | undefined {
  if (!raw || !raw.startsWith('/')) return undefined;
  try {
    return new URL(`http://${HOST}${raw}`);
  } catch {
    return undefined;
  }
}

/** One service's origin: its listener, its cookie secret and its tickets. */
export class ServiceOrigin {
  readonly tickets: WebTickets;
  private readonly secret = randomBytes(24).toString('base64url');
  private readonly server: Server;
  port = 0;

  constructor(
    readonly project: string,
    readonly service: string,
    readonly basePath: string,
    private readonly options: ServiceOriginsOptions,
  ) {
    this.tickets = new WebTickets(options.ticketTtlMs !== undefined ? { ttlMs: options.ticketTtlMs } : {});
    // Hostile input is answered 400 and logged, never thrown (request-guard.ts), as on the panel.
    const guardLog = rateLimitedLog(options.log ?? ((line) => console.warn(line)));
    this.server = createServer(guardRequests((req, res) => this.onRequest(req, res), guardLog));
    answerClientErrors(this.server, guardLog);
    this.server.on('upgrade', guardUpgrades((req, socket, head) => this.onUpgrade(req, socket, head), guardLog));
  }

  get origin(): string {
    return `http://${HOST}:${this.port}`;
  }

  get cookieName(): string {
    return webCookieName(this.port);
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen({ host: HOST, port: 0 }, () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
  }

  /** A URL that lets one browser in (once, for a short while) and lands on `path`. */
  ticketedUrl(path: string): string {
    const url = new URL(path, this.origin);
    url.searchParams.set(TICKET_PARAM, this.tickets.issue());
    return url.href;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
  }

  private policy(): ProxyPolicy {
    return { frameAncestors: this.options.panelOrigin?.() ?? "'none'" };
  }

  private hasCookie(req: IncomingMessage): boolean {
    return hasCookie(req.headers.cookie, this.cookieName, this.secret);
  }

  private target(): WebUiTarget | string {
    return this.options.resolve(this.project, this.service);
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    if (!trustedOrigin(req, this.port)) { refuse(res, 403, 'Forbidden: this page answers only on 127.0.0.1.'); return; }
    const url = parseTarget(req.url);
    if (!url) { refuse(res, 400, 'Bad request.'); return; }
    if (!underBase(url.pathname, this.basePath)) { refuse(res, 404, 'Not found.'); return; }
    const refusal = this.options.admit?.(req);
    if (refusal) { refuse(res, 403, refusal); return; }
    if (url.searchParams.has(TICKET_PARAM)) {
      const fresh = this.tickets.redeem(url.searchParams.get(TICKET_PARAM));
      if (!fresh && !this.hasCookie(req)) {
        refuse(res, 401, 'This link has expired or was already used: open the page again from the Coursedock panel.'); return;
      }
      url.searchParams.delete(TICKET_PARAM);
      res.writeHead(302, {
        ...(fresh ? { 'Set-Cookie': strictCookie(this.cookieName, this.secret, this.basePath) } : {}),
        Location: `${url.pathname}${url.search}`,
        'Cache-Control': 'no-store',
        'Referrer-Policy': 'no-referrer',
      });
      return void res.end();
    }
    if (!this.hasCookie(req)) { refuse(res, 401, 'Open this page from the Coursedock panel.'); return; }
    if (this.options.readOnly && req.method !== 'GET' && req.method !== 'HEAD') { refuse(res, 403, 'This is a read-only view.'); return; }
    const target = this.target();
    if (typeof target === 'string') { refuse(res, 502, target); return; }
    proxyRequest(req, res, target, this.policy());
  }

  private onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => socket.destroy());
    const url = parseTarget(req.url);
    // Browsers always send Origin on WebSockets: it must be this origin (trustedOrigin checks it).
    if (!trustedOrigin(req, this.port) || !url || !this.hasCookie(req)) { refuseUpgrade(socket, '401 Unauthorized'); return; }
    if (!underBase(url.pathname, this.basePath)) { refuseUpgrade(socket, '404 Not Found'); return; }
    if (this.options.readOnly || this.options.admit?.(req)) { refuseUpgrade(socket, '403 Forbidden'); return; }
    const target = this.target();
    if (typeof target === 'string') { refuseUpgrade(socket, '502 Bad Gateway'); return; }
    proxyUpgrade(req, socket, head, target);
  }
}

/** The service origins of one shell: created on first use, closed with the shell. */
export class ServiceOrigins {
  private readonly origins = new Map<string, Promise<ServiceOrigin>>();

  constructor(private readonly options: ServiceOriginsOptions) {}

  /** A one-time URL for the service's page on its own origin (starts the origin if needed). */
  async webView(project: string, service: string): Promise<{ url: string }> {
    const target = this.options.resolve(project, service);
    if (typeof target === 'string') throw new WebViewUnavailable(target);
    const origin = await this.originFor(project, service, target.path);
    return { url: origin.ticketedUrl(target.path) };
  }

  /** The origin the service's page is served on, once it has one (the desktop's notebook windows are kept on it). */
  originOf(project: string, service: string): string | undefined {
    return this.ready.get(`${project}\u0000${service}`)?.origin;
  }

  /** Ports the service origins listen on (the desktop lets links to them leave for the browser). */
  ports(): number[] {
    return [...this.ready.values()].map((o) => o.port);
  }

  async close(): Promise<void> {
    const all = await Promise.allSettled([...this.origins.values()]);
    this.origins.clear();
    this.ready.clear();
    await Promise.all(all.flatMap((r) => (r.status === 'fulfilled' ? [r.value.close()] : [])));
  }

  private readonly ready = new Map<string, ServiceOrigin>();

  private originFor(project: string, service: string, path: string): Promise<ServiceOrigin> {
    const key = `${project}\u0000${service}`;
    let origin = this.origins.get(key);
    if (!origin) {
      const o = new ServiceOrigin(project, service, serviceBasePath(project, service, new URL(path, 'http://x').pathname), this.options);
      origin = o.listen().then(() => {
        this.ready.set(key, o);
        this.options.log?.(`${project}/${service} is served on its own origin ${o.origin}`);
        return o;
      });
      origin.catch(() => this.origins.delete(key));
      this.origins.set(key, origin);
    }
    return origin;
  }
}
