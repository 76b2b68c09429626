// The Content-Security-Policy of the panel's own pages in the desktop window, sent as a
// response header by the main process (session.webRequest.onHeadersReceived). The page's
// <meta> policy (renderer/index.html, PAGE_META_CSP below) applies as well, in both shells: a
// browser enforces every policy it is given, so the effective one is the stricter of the two.
//
// What the panel needs and nothing more: its own scripts and styles (React sets inline
// `style` attributes, hence 'unsafe-inline' for styles only), images and fonts from its own
// files or data: URLs. No eval, no inline scripts, no network (the panel talks to the main
// process over IPC), no frames, no plugins, no <base>, no form posts, and nobody may frame it.

export const APP_CSP_DIRECTIVES: ReadonlyArray<readonly [string, ...string[]]> = [
  ['default-src', "'none'"],
  ['script-src', "'self'"],
  ['style-src', "'self'", "'unsafe-inline'"],
  ['img-src', "'self'", 'data:'],
  ['font-src', "'self'", 'data:'],
  ['connect-src', "'self'"],
  ['worker-src', "'self'"],
  ['manifest-src', "'self'"],
  ['media-src', "'none'"],
  ['frame-src', "'none'"],
  ['child-src', "'none'"],
  ['object-src', "'none'"],
  ['base-uri', "'none'"],
  ['form-action', "'none'"],
  ['frame-ancestors', "'none'"],
];

export const APP_CSP = APP_CSP_DIRECTIVES.map((d) => d.join(' ')).join('; ');

/**
 * Where the panel may frame a service's web UI: in the browser shell each one is served on its
 * own loopback origin (`http://127.0.0.1:<its port>`), never the panel's. The desktop shell
 * frames nothing (its header says `frame-src 'none'`, which wins) and opens web UIs in windows
 * of their own.
 */
export const WEB_UI_FRAME_SOURCES = ['http://127.0.0.1:*'] as const;

/** Directives a <meta> policy may not carry: browsers ignore them there. */
const HEADER_ONLY = new Set(['frame-ancestors', 'report-uri', 'report-to', 'sandbox']);

/**
 * The <meta> policy in renderer/index.html (csp.test.ts checks the file says exactly this): the
 * header's policy, less what only a header can say, with frames allowed from the loopback web
 * UIs. It guards the page wherever it is loaded — the browser shell, vite's dev server, a copy
 * opened from disk — with no network but its own origin (the browser shell's WebSocket is
 * same-origin, which `connect-src 'self'` covers) and no `ws:` to any host.
 */
export const PAGE_META_CSP_DIRECTIVES: ReadonlyArray<readonly [string, ...string[]]> = APP_CSP_DIRECTIVES.filter(
  ([name]) => !HEADER_ONLY.has(name),
).map((d) => (d[0] === 'frame-src' ? (['frame-src', ...WEB_UI_FRAME_SOURCES] as const) : d));

export const PAGE_META_CSP = PAGE_META_CSP_DIRECTIVES.map((d) => d.join(' ')).join('; ');

export type ResponseHeaders = Record<string, string[]>;

/** The response headers with our policy (and a few hardening headers) replacing any the response had. */
export function withAppSecurityHeaders(headers: ResponseHeaders | undefined): ResponseHeaders {
  const out: ResponseHeaders = {};
  const ours: ResponseHeaders = {
    'Content-Security-Policy': [APP_CSP],
    'X-Content-Type-Options': ['nosniff'],
    'Cross-Origin-Opener-Policy': ['same-origin'],
    'Referrer-Policy': ['no-referrer'],
  };
  const replaced = new Set(Object.keys(ours).map((k) => k.toLowerCase()));
  for (const [k, v] of Object.entries(headers ?? {})) if (!replaced.has(k.toLowerCase())) out[k] = v;
  return { ...out, ...ours };
}
