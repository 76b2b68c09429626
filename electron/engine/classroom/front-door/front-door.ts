// `coursedock classroom serve`: the browser shell in classroom mode. One port (127.0.0.1 unless
// told otherwise) serves the same panel to every student; a code (typed, or `?code=` in a link)
// signs them in, and from then on their page's API key and cookie name one session bound to one
// student's desk: every call is checked against that student's project (student-rules.ts). The
// tutor's code opens the tutor's contract (tutor-session.ts) and the Classroom view instead.
// Web UIs (the notebook) keep the laptop's rule: each on a loopback origin of its own, entered
// with a one-time ticket — and in a classroom also only by a browser signed in as the page's
// owner (or the tutor, read-only by default). Traffic to students' stacks goes through the
// classroom gateway (gateway.ts): no student service publishes a port.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { trustedOrigin } from '../../../serve/access.js';
import { strictCookie } from '../../../serve/cookies.js';
import { API_KEY_PROTOCOL_PREFIX, API_PROTOCOL, injectApiKey, offeredProtocols } from '../../../serve/panel-access.js';
import { answerClientErrors, guardRequests, guardUpgrades, rateLimitedLog, requestUrl } from '../../../serve/request-guard.js';
import { ServiceOrigin, serviceBasePath } from '../../../serve/service-origins.js';
import { serveStatic } from '../../../serve/static-files.js';
import type { DockerStatus } from '../../docker/docker-connection.js';
import type { ActivityStore } from '../activity.js';
import type { CodeStore } from '../codes.js';
import { SignIns, sessionCookieName, type FrontDoorSession } from './sign-in.js';
import type { Desks, StudentDesk } from './student-desk.js';
import { StudentSession } from './student-session.js';
import { TutorSession } from './tutor-session.js';
import { MAX_MESSAGE_BYTES, bindSession, socketSender } from './ws-session.js';

export const CLASSROOM_META = 'coursedock-classroom';
export const CLASSROOM_WHO_META = 'coursedock-classroom-who';

export interface FrontDoorOptions {
  desks: Desks;
  codes: CodeStore;
  rendererDir: string;
  dockerStatus: () => DockerStatus;
  port?: number;
  /** Address to listen on (default 127.0.0.1). */
  listen?: string;
  /** The address students open when it is not this listener's (a reverse proxy with HTTPS). */
  publicUrl?: string;
  activity?: ActivityStore;
  log?: (line: string) => void;
  ticketTtlMs?: number;
  /** How often a student's panel gets fresh states (ms). */
  pollMs?: number;
  /** Wrong codes allowed per client address per minute. */
  maxSignInFailures?: number;
  /** At a student's sign-in (e.g. start a stack culling stopped); words returned are shown to them. */
  onStudentSignIn?: (studentId: string) => Promise<string | undefined>;
}

export interface FrontDoor {
  server: Server;
  port: number;
  /** The address to hand out: `http://127.0.0.1:<port>/`, or the public URL. */
  url: string;
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);
const MAX_SIGNIN_BODY = 2048;

function plain(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', ...headers });
  res.end(`${text}\n`);
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}

const ATTR_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function escapeAttr(v: string): string {
  return v.replace(/[&<>"']/g, (c) => ATTR_ESCAPES[c] ?? c);
}

/** index.html with what the page needs to know: signin, student or tutor, and who. */
export function classroomIndex(html: string, mode: 'signin' | 'student' | 'tutor', who?: string, apiKey?: string): string {
  const metas = [`<meta name="${CLASSROOM_META}" content="${mode}" />`, ...(who ? [`<meta name="${CLASSROOM_WHO_META}" content="${escapeAttr(who)}" />`] : [])];
  const withKey = apiKey ? injectApiKey(html, apiKey) : html;
  return withKey.replace(/<head[^>]*>/i, (m) => `${m}\n    ${metas.join('\n    ')}`);
}

async function readBody(req: IncomingMessage, max: number): Promise<string | undefined> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > max) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function codeFromBody(body: string, type: string | undefined): string | undefined {
  if (type?.startsWith('application/json')) {
    try {
      const v = (JSON.parse(body) as { code?: unknown }).code;
      return typeof v === 'string' ? v : undefined;
    } catch {
      return undefined;
    }
  }
  return new URLSearchParams(body).get('code') ?? undefined;
}

export async function startFrontDoor(options: FrontDoorOptions): Promise<FrontDoor> {
  const listen = options.listen ?? '127.0.0.1';
  const log = options.log ?? (() => undefined);
  const guardLog = rateLimitedLog(log);
  const signIns = new SignIns(options.codes, options.maxSignInFailures !== undefined ? { maxFailures: options.maxSignInFailures } : {});
  // Set after listening when the front door listens on one address that is not loopback.
  let publicOrigin = options.publicUrl ? new URL(options.publicUrl).origin : undefined;
  const secure = options.publicUrl?.startsWith('https:') ?? false;
  let port = 0;
  const panelOrigin = () => publicOrigin ?? `http://127.0.0.1:${port}`;

  /** Host (and Origin, when sent) must be this front door: loopback, or the public address. */
  const hostAllowed = (req: IncomingMessage): boolean => {
    if (LOOPBACK.has(listen) || listen === '0.0.0.0' || listen === '::') {
      if (trustedOrigin(req, port)) return true;
    }
    if (!publicOrigin) return false;
    const origin = req.headers.origin;
    return req.headers.host === new URL(publicOrigin).host && (origin === undefined || origin === publicOrigin);
  };
  /** The exact origin the panel's page has (what its WebSocket and sign-in requests send). */
  const pageOrigin = (req: IncomingMessage): string =>
    publicOrigin && req.headers.host === new URL(publicOrigin).host ? publicOrigin : `http://${(req.headers.host ?? '').toLowerCase()}`;

  const cookie = (value: string, extra = '') => `${strictCookie(sessionCookieName(port), value, '/')}${secure ? '; Secure' : ''}${extra}`;
  const record = (s: FrontDoorSession) => s.who.kind === 'student' && options.activity?.record(s.who.id);
  // What a student is told when their panel opens (e.g. why their stack was stopped), once.
  const welcome = new Map<string, string>();
  const signedIn = (s: FrontDoorSession) => {
    record(s);
    if (s.who.kind !== 'student' || !options.onStudentSignIn) return;
    const id = s.who.id;
    options.onStudentSignIn(id).then(
      (message) => message && welcome.set(id, message),
      (err: unknown) => log(`At ${id}'s sign-in: ${err instanceof Error ? err.message : String(err)}`),
    );
  };

  // ---- web UIs on origins of their own --------------------------------------------------
  const origins = new Map<string, Promise<ServiceOrigin>>();
  const webView = async (viewer: 'student' | 'tutor', desk: StudentDesk, service: string, readOnly: boolean): Promise<{ url: string }> => {
    const target = desk.webTarget(service);
    if (typeof target === 'string') throw new Error(target);
    const states = await desk.states();
    const state = states.find((s) => s.service === service);
    if (!state || !['running', 'healthy', 'starting', 'unhealthy'].includes(state.status)) {
      throw new Error(`${service} is not running: start it first.`);
    }
    const key = `${viewer}\u0000${desk.project}\u0000${service}\u0000${readOnly}`;
    let origin = origins.get(key);
    if (!origin) {
      const o = new ServiceOrigin(desk.project, service, serviceBasePath(desk.project, service, new URL(target.path, 'http://x').pathname), {
        resolve: () => desk.webTarget(service),
        panelOrigin,
        readOnly,
        log,
        ...(options.ticketTtlMs !== undefined ? { ticketTtlMs: options.ticketTtlMs } : {}),
        admit: (req) => {
          const s = signIns.fromRequest(req, port);
          if (!s) return 'Sign in at the classroom page first.';
          if (viewer === 'tutor') return s.who.kind === 'tutor' ? undefined : 'This view is the tutor’s.';
          if (s.who.kind !== 'student' || s.who.id !== desk.studentId) return 'This is not your notebook: you are signed in as someone else.';
          record(s);
          return undefined;
        },
      });
      origin = o.listen().then(() => o);
      origin.catch(() => origins.delete(key));
      origins.set(key, origin);
    }
    return { url: (await origin).ticketedUrl(target.path) };
  };

  // ---- the panel's port -----------------------------------------------------------------
  const server = createServer(
    guardRequests(async (req, res) => {
      if (!hostAllowed(req)) { plain(res, 403, 'Forbidden: this is not the address of the classroom.'); return; }
      const url = requestUrl(req);
      const client = req.socket.remoteAddress ?? '?';

      if (url.pathname === '/signin' && req.method === 'POST') {
        if (req.headers.origin !== pageOrigin(req)) { plain(res, 403, 'Sign in from the classroom page.'); return; }
        const body = await readBody(req, MAX_SIGNIN_BODY);
        const code = body === undefined ? undefined : codeFromBody(body, req.headers['content-type']);
        if (code === undefined) { json(res, 400, { message: 'Type your access code.' }); return; }
        const result = signIns.signIn(code, client);
        if (!result.ok) {
          log(`Sign-in refused (${result.reason}) from ${client}.`);
          json(res, result.reason === 'too-many' ? 429 : 401, {
            message: result.reason === 'too-many' ? 'Too many wrong codes: wait a minute and try again.' : 'That code is not right. Check it on your sheet and try again.',
          }); return;
        }
        signedIn(result.session);
        json(res, 200, { role: result.session.who.kind }, { 'Set-Cookie': cookie(result.session.id) }); return;
      }
      if (url.pathname === '/signout' && req.method === 'POST') {
        if (req.headers.origin !== pageOrigin(req)) { plain(res, 403, 'Sign out from the classroom page.'); return; }
        const s = signIns.fromRequest(req, port);
        if (s) signIns.signOut(s.id);
        json(res, 200, { ok: true }, { 'Set-Cookie': cookie('', '; Max-Age=0') }); return;
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') { plain(res, 405, 'Method not allowed'); return; }

      if (url.searchParams.has('code')) {
        // A link with the code: sign in, then take the code out of the address bar (and history).
        const result = signIns.signIn(url.searchParams.get('code') ?? '', client);
        url.searchParams.delete('code');
        if (!result.ok) {
          log(`Sign-in by link refused (${result.reason}) from ${client}.`);
          url.searchParams.set('signin', result.reason);
          res.writeHead(302, { Location: `${url.pathname}${url.search}`, 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' });
          return res.end();
        }
        signedIn(result.session);
        res.writeHead(302, {
          'Set-Cookie': cookie(result.session.id),
          Location: `${url.pathname}${url.search}`,
          'Cache-Control': 'no-store',
          'Referrer-Policy': 'no-referrer',
        });
        return res.end();
      }

      const session = signIns.fromRequest(req, port);
      if (session) record(session);
      const index = (html: string) =>
        session
          ? classroomIndex(html, session.who.kind, session.who.kind === 'student' ? session.who.id : 'tutor', session.apiKey)
          : classroomIndex(html, 'signin');
      if (!serveStatic(options.rendererDir, url.pathname, res, { index })) plain(res, 404, 'Not found');
    }, guardLog),
  );
  answerClientErrors(server, guardLog);

  // ---- the API ------------------------------------------------------------------------------
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES, handleProtocols: () => API_PROTOCOL });
  server.on(
    'upgrade',
    guardUpgrades((req, socket, head) => {
      socket.on('error', () => socket.destroy());
      const refuse = (why: string) => {
        log(`Refused an API connection (${why}; Origin ${req.headers.origin ?? 'none'}).`);
        socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      };
      if (requestUrl(req).pathname !== '/api') return void socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      if (!hostAllowed(req)) { refuse('Host or Origin is not this classroom'); return; }
      if (req.headers.origin !== pageOrigin(req)) { refuse('Origin is not the classroom page'); return; }
      const offered = offeredProtocols(req);
      if (!offered.includes(API_PROTOCOL)) { refuse(`no ${API_PROTOCOL} subprotocol`); return; }
      // The page's key names the session; the cookie must name the same one.
      const byKey = offered
        .filter((p) => p.startsWith(API_KEY_PROTOCOL_PREFIX))
        .map((p) => signIns.byApiKey(p.slice(API_KEY_PROTOCOL_PREFIX.length)))
        .find((s) => s !== undefined);
      const byCookie = signIns.fromRequest(req, port);
      if (!byKey || !byCookie || byKey.id !== byCookie.id) { refuse('not signed in, or signed in as someone else'); return; }
      const session = byKey;
      wss.handleUpgrade(req, socket, head, (ws) => {
        if (session.who.kind === 'tutor') {
          const send = socketSender(ws);
          const tutor = new TutorSession(options.desks, {
            webView: (desk, service, ro) => webView('tutor', desk, service, ro),
            log,
            emit: (event, payload) => send({ event, payload }),
          });
          bindSession(ws, tutor);
          return;
        }
        const studentId = session.who.id;
        const desk = options.desks.desk(studentId);
        if (!desk) { ws.close(1008, 'Not on the roster'); return; }
        const send = socketSender(ws);
        const student = new StudentSession(desk, (event, payload) => send({ event, payload }), {
          webView: (d, service) => webView('student', d, service, false),
          dockerStatus: options.dockerStatus,
          onActivity: () => options.activity?.record(studentId),
          welcome: () => {
            const message = welcome.get(studentId);
            welcome.delete(studentId);
            return message;
          },
          ...(options.pollMs !== undefined ? { pollMs: options.pollMs } : {}),
        });
        bindSession(ws, {
          // A rotated code ends the session on its next call, socket included.
          call: (method, input) => {
            if (!signIns.fromRequest(req, port)) {
              ws.close(1008, 'Signed out');
              return Promise.reject(new Error('Your code was changed: sign in again.'));
            }
            return student.call(method, input);
          },
          dispose: () => student.dispose(),
        });
      });
    }, guardLog),
  );

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: listen, port: options.port ?? 0 }, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  if (!publicOrigin && !LOOPBACK.has(listen) && listen !== '0.0.0.0' && listen !== '::') {
    publicOrigin = `http://${listen.includes(':') ? `[${listen}]` : listen}:${port}`;
  }

  return {
    server,
    port,
    url: options.publicUrl ?? `${publicOrigin ?? `http://127.0.0.1:${port}`}/`,
    close: async () => {
      const all = await Promise.allSettled([...origins.values()]);
      await Promise.all(all.flatMap((r) => (r.status === 'fulfilled' ? [r.value.close()] : [])));
      await new Promise<void>((resolve) => {
        for (const ws of wss.clients) ws.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
}
