// A service's web address split in two: the public part (the page to open, shown to every UI in
// `webUrl`) and the secret part (the server's `?token=` that the spec's `web.path` carries).
// The secret stays in the engine: the shells' proxies add it themselves, and only
// `service.revealSecret` (or `status --json`) shows it when asked.

export interface WebAddress {
  /** The path and query to open, without the token. */
  path: string;
  /** The server's token, when the spec's path carries one. */
  token?: string;
}

/** Splits a spec `web.path` (e.g. `/p/x/notebook/tree?token=abc`) into its public path and token. */
export function splitWebPath(webPath: string): WebAddress {
  const url = new URL(webPath, 'http://x');
  const token = url.searchParams.get('token') ?? undefined;
  url.searchParams.delete('token');
  return { path: `${url.pathname}${url.search}${url.hash}`, ...(token ? { token } : {}) };
}

/** What a proxy needs to reach a running web UI: its published port on 127.0.0.1 and its token. */
export interface WebUiTarget {
  port: number;
  /** The page to open (token-free), e.g. `/p/x/notebook/tree`. */
  path: string;
  token?: string;
}
