// The services' web UIs (the notebook) on the browser shell's own origin: `/p/<project>/<service>/…`
// is forwarded, path unchanged, to the port the service publishes on 127.0.0.1, WebSockets
// (kernels, terminals) included. The proxy adds the service's token itself, so the panel can
// embed the notebook without the student ever seeing or pasting a token; the shell's own
// token (checked before this runs) is what protects it.
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import type { Engine } from '../engine/engine.js';
import { TOKEN_COOKIE } from './access.js';

const PREFIX = /^\/p\/([a-z0-9][a-z0-9_-]*)\/([A-Za-z0-9][A-Za-z0-9_.-]*)(\/|$)/;

interface Target {
  port: number;
  token?: string;
}

/** Our own cookie stays with us: the upstream service has no business seeing it. */
function withoutOurCookie(cookie: string | undefined): string | undefined {
  if (!cookie) return undefined;
  const kept = cookie
    .split(';')
    .map((c) => c.trim())
    .filter((c) => c && !c.startsWith(`${TOKEN_COOKIE}=`));
  return kept.length ? kept.join('; ') : undefined;
}

export class WebUiProxy {
  constructor(private readonly engine: Engine) {}

  handles(pathname: string): boolean {
    return PREFIX.test(pathname);
  }

  private target(pathname: string): Target | string {
    const m = pathname.match(PREFIX);
    if (!m) return 'Not a service path.';
    const [, project, service] = m;
    const env = this.engine.opened().find((e) => e.project === project);
    if (!env || !(service! in env.spec.services)) return `No service ${service} in ${project}.`;
    const web = env.spec.services[service!]!.meta.web;
    if (!web) return `${service} has no web interface.`;
    const state = env.state(service!);
    const published = state.ports.find((p) => p.target === web.port);
    if (!published || !state.webUrl) return `${env.spec.services[service!]!.meta.title} is not running.`;
    const token = new URL(state.webUrl).searchParams.get('token') ?? undefined;
    return { port: published.hostPort, ...(token ? { token } : {}) };
  }

  private headers(req: IncomingMessage, target: Target): http.OutgoingHttpHeaders {
    const headers: http.OutgoingHttpHeaders = { ...req.headers, host: `127.0.0.1:${target.port}` };
    const cookie = withoutOurCookie(req.headers.cookie);
    if (cookie) headers.cookie = cookie;
    else delete headers.cookie;
    // The upstream checks Origin against its own host on WebSockets and unsafe methods.
    if (headers.origin) headers.origin = `http://127.0.0.1:${target.port}`;
    if (target.token) headers.authorization = `token ${target.token}`;
    delete headers.referer;
    return headers;
  }

  request(req: IncomingMessage, res: ServerResponse): void {
    const target = this.target(new URL(req.url ?? '/', 'http://x').pathname);
    if (typeof target === 'string') {
      res.writeHead(502, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(`${target}\n`);
      return;
    }
    const upstream = http.request(
      { host: '127.0.0.1', port: target.port, method: req.method, path: req.url, headers: this.headers(req, target) },
      (up) => {
        const headers = { ...up.headers };
        // Absolute redirects to the upstream's own address would leave our origin.
        if (typeof headers.location === 'string') {
          headers.location = headers.location.replace(/^https?:\/\/(127\.0\.0\.1|localhost):\d+/, '');
        }
        res.writeHead(up.statusCode ?? 502, headers);
        up.pipe(res);
      },
    );
    upstream.on('error', (e) => {
      if (!res.headersSent) res.writeHead(502, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(`The service did not answer: ${e.message}\n`);
    });
    req.pipe(upstream);
  }

  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const target = this.target(new URL(req.url ?? '/', 'http://x').pathname);
    if (typeof target === 'string') {
      socket.end('HTTP/1.1 502 Bad Gateway\r\nConnection: close\r\n\r\n');
      return;
    }
    const upstream = net.connect({ host: '127.0.0.1', port: target.port }, () => {
      const headers = this.headers(req, target);
      const lines = [`${req.method ?? 'GET'} ${req.url} HTTP/1.1`];
      for (const [k, v] of Object.entries(headers)) {
        if (v === undefined) continue;
        for (const value of Array.isArray(v) ? v : [String(v)]) lines.push(`${k}: ${value}`);
      }
      upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head.length) upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    const close = () => {
      upstream.destroy();
      socket.destroy();
    };
    upstream.on('error', close);
    socket.on('error', close);
    upstream.on('close', () => socket.destroy());
    socket.on('close', () => upstream.destroy());
  }
}
