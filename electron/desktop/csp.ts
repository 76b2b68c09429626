// The Content-Security-Policy of the panel's own pages in the desktop window, sent as a
// response header by the main process (session.webRequest.onHeadersReceived). The page's
// <meta> policy (renderer/index.html) applies as well: a browser enforces every policy it is
// given, so the effective one is the stricter of the two.
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
