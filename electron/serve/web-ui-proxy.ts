// Forwards one service's web UI (the notebook), WebSockets included, to the port it publishes on
// 127.0.0.1, and keeps our secrets and the service's apart in both directions:
//   - upstream never sees our cookies (`coursedock_*`), our tickets or tokens in the query, or a
//     client's Authorization header; the proxy adds the service's own token itself;
//   - the browser never gets a `coursedock_*` cookie from the service, and the page may be framed
//     only by the panel (`frame-ancestors`, whatever the service says);
//   - absolute redirects to the upstream's own address are made relative (they would leave the
//     service's origin for its bare port).
// Which requests reach this module is decided by service-origins.ts (one origin per service).
import http, { type IncomingHttpHeaders, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import { setCookieName, withoutCookies } from './cookies.js';

/** Every cookie, query parameter and header name of ours starts with this. */
export const OUR_PREFIX = 'coursedock_';
/** Query parameters never forwarded: ours, and tokens (the proxy adds the service's token itself). */
const SECRET_PARAMS = new Set(['token', 'access_token']);

export interface ProxyTarget {
  /** The port the service publishes on 127.0.0.1. */
  port: number;
  /** The service's own token, sent as `Authorization: token …`. */
  token?: string;
  /** How to reach it when it publishes no port (a classroom's gateway tunnel); `port` is then its own. */
  connect?: () => Promise<Duplex>;
}

export interface ProxyPolicy {
  /** The `frame-ancestors` sources, e.g. `http://127.0.0.1:8350`, or `'none'`. */
  frameAncestors: string;
}

/** Path and query to forward: the request's, without our parameters or tokens. */
export function upstreamPath(pathAndQuery: string): string {
  const url = new URL(`http://x${pathAndQuery.startsWith('/') ? '' : '/'}${pathAndQuery}`);
  const drop = [...url.searchParams.keys()].filter((k) => SECRET_PARAMS.has(k.toLowerCase()) || k.startsWith(OUR_PREFIX));
  if (!drop.length) return `${url.pathname}${url.search}`;
  for (const k of drop) url.searchParams.delete(k);
  return `${url.pathname}${url.search}`;
}

/** Request headers for upstream: ours stripped, the service's token added, Host and Origin its own. */
export function upstreamHeaders(headers: IncomingHttpHeaders, target: ProxyTarget): OutgoingHttpHeaders {
  // Our own x-coursedock-* headers stay here.
  const out: OutgoingHttpHeaders = { ...Object.fromEntries(Object.entries(headers).filter(([k]) => !k.startsWith('x-coursedock'))), host: `127.0.0.1:${target.port}` };
  const cookie = withoutCookies(headers.cookie, OUR_PREFIX);
  if (cookie) out.cookie = cookie;
  else delete out.cookie;
  delete out.authorization;
  delete out['proxy-authorization'];
  delete out.referer;
  // The upstream checks Origin against its own host on WebSockets and unsafe methods.
  if (out.origin) out.origin = `http://127.0.0.1:${target.port}`;
  if (target.token) out.authorization = `token ${target.token}`;
  return out;
}

/** `policy` with its frame-ancestors (any number of them) replaced by ours. */
export function withFrameAncestors(csp: string | undefined, frameAncestors: string): string {
  const kept = (csp ?? '')
    .split(';')
    .map((d) => d.trim())
    .filter((d) => d && !/^frame-ancestors(\s|$)/i.test(d));
  return [...kept, `frame-ancestors ${frameAncestors}`].join('; ');
}

/** Response headers for the browser: no cookie of ours, our frame-ancestors, relative redirects. */
export function downstreamHeaders(headers: IncomingHttpHeaders, upstreamPort: number, policy: ProxyPolicy): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = { ...headers };
  const cookies = headers['set-cookie']?.filter((c) => !setCookieName(c).toLowerCase().startsWith(OUR_PREFIX));
  if (cookies?.length) out['set-cookie'] = cookies;
  else delete out['set-cookie'];
  const csp = headers['content-security-policy'];
  out['content-security-policy'] = withFrameAncestors(Array.isArray(csp) ? csp.join('; ') : csp, policy.frameAncestors);
  // Superseded by frame-ancestors, and a conflicting one would confuse older browsers.
  delete out['x-frame-options'];
  if (typeof out.location === 'string') {
    out.location = out.location.replace(new RegExp(`^https?://(127\\.0\\.0\\.1|localhost|\\[::1\\]):${upstreamPort}(?=/|$)`, 'i'), '') || '/';
  }
  return out;
}

/** An http.request `createConnection` that opens the connection with `connect` (asynchronously). */
function viaTunnel(connect: () => Promise<Duplex>): NonNullable<http.RequestOptions['createConnection']> {
  return (_options, oncreate) => {
    connect().then(
      (s) => oncreate(null, s),
      (e: unknown) => oncreate(e instanceof Error ? e : new Error(String(e)), undefined as unknown as net.Socket),
    );
    return undefined;
  };
}

export function proxyRequest(req: IncomingMessage, res: ServerResponse, target: ProxyTarget, policy: ProxyPolicy): void {
  const upstream = http.request(
    {
      host: '127.0.0.1',
      port: target.port,
      method: req.method,
      path: upstreamPath(req.url ?? '/'),
      headers: upstreamHeaders(req.headers, target),
      ...(target.connect ? { createConnection: viaTunnel(target.connect) } : {}),
    },
    (up) => {
      res.writeHead(up.statusCode ?? 502, downstreamHeaders(up.headers, target.port, policy));
      up.pipe(res);
    },
  );
  upstream.on('error', (e) => {
    if (!res.headersSent) res.writeHead(502, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(`The service did not answer: ${e.message}\n`);
  });
  req.pipe(upstream);
}

/** The upstream's handshake answer, with any `coursedock_*` Set-Cookie line taken out. */
export function filterHandshake(head: string): string {
  return head
    .split('\r\n')
    .filter((line) => {
      const m = line.match(/^set-cookie:\s*(.*)$/i);
      return !m || !setCookieName(m[1] ?? '').toLowerCase().startsWith(OUR_PREFIX);
    })
    .join('\r\n');
}

const MAX_HANDSHAKE_BYTES = 64 * 1024;

export function proxyUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, target: ProxyTarget): void {
  if (target.connect) {
    socket.on('error', () => socket.destroy());
    target.connect().then(
      (tunnel) => relayUpgrade(req, socket, head, target, tunnel, true),
      () => socket.destroy(),
    );
    return;
  }
  relayUpgrade(req, socket, head, target, net.connect({ host: '127.0.0.1', port: target.port }), false);
}

function relayUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, target: ProxyTarget, upstream: Duplex, connected: boolean): void {
  const onConnect = () => {
    const headers = upstreamHeaders(req.headers, target);
    const lines = [`${req.method ?? 'GET'} ${upstreamPath(req.url ?? '/')} HTTP/1.1`];
    for (const [k, v] of Object.entries(headers)) {
      if (v === undefined) continue;
      for (const value of Array.isArray(v) ? v : [String(v)]) lines.push(`${k}: ${value}`);
    }
    upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
    if (head.length) upstream.write(head);
    socket.pipe(upstream);
    // The handshake answer is read whole and filtered; after it, bytes flow untouched.
    let buffered = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      const end = buffered.indexOf('\r\n\r\n');
      if (end < 0) {
        if (buffered.length > MAX_HANDSHAKE_BYTES) close();
        return;
      }
      upstream.off('data', onData);
      socket.write(`${filterHandshake(buffered.subarray(0, end).toString('latin1'))}\r\n\r\n`, 'latin1');
      const rest = buffered.subarray(end + 4);
      if (rest.length) socket.write(rest);
      upstream.pipe(socket);
    };
    upstream.on('data', onData);
  };
  if (connected) onConnect();
  else upstream.once('connect', onConnect);
  const close = () => {
    upstream.destroy();
    socket.destroy();
  };
  upstream.on('error', close);
  socket.on('error', close);
  upstream.on('close', () => socket.destroy());
  socket.on('close', () => upstream.destroy());
}
