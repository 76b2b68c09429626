// "Work in progress is not lost to a restart": before a stop, restart, reinstall or reset of a
// notebook service the panel says what is open on it ("2 notebooks are open, 1 kernel is
// busy"). The engine asks the notebook server itself, on its published port on 127.0.0.1 with
// the token it holds (the token never leaves the engine): Jupyter's GET /api/sessions (open
// notebooks, with their kernels) and GET /api/kernels (execution_state busy or idle).
//
// The words are decided in pure code (`describeOpenWork`); `askOpenWork` only fetches. A server
// that does not answer like Jupyter (stopped, starting, another web UI) gives `known: false`:
// nothing is claimed about it and the operation goes on as before.
import http from 'node:http';
import type { WebUiTarget } from '../state/web-address.js';

/** What is open on a notebook server, as the panel shows it before an operation. */
export interface OpenWork {
  /** The server answered as Jupyter does; false: what is open is not known (the rest is empty). */
  known: boolean;
  /** Paths (in the notebooks folder) of the notebooks open in a browser, at most 20. */
  notebooks: string[];
  /** Notebooks open (may exceed notebooks.length). */
  notebookCount: number;
  kernels: number;
  busyKernels: number;
  /** In words: "2 notebooks are open, 1 kernel is busy." (empty when not known). */
  summary: string;
}

/** One session as Jupyter's GET /api/sessions lists it (only what is read). */
interface KernelInfo {
  execution_state?: unknown;
}

const MAX_LISTED = 20;

export const UNKNOWN_WORK: OpenWork = { known: false, notebooks: [], notebookCount: 0, kernels: 0, busyKernels: 0, summary: '' };

const count = (n: number, one: string, many: string): string => (n === 1 ? `1 ${one}` : `${n === 0 ? 'no' : n} ${many}`);

/** The words and counts for what Jupyter listed; anything not shaped like Jupyter's answer is skipped. */
export function describeOpenWork(sessions: unknown, kernels: unknown): OpenWork {
  if (!Array.isArray(sessions) || !Array.isArray(kernels)) return UNKNOWN_WORK;
  const paths: string[] = [];
  for (const s of sessions as unknown[]) {
    if (!s || typeof s !== 'object') continue;
    const { type, path, notebook } = s as Record<string, unknown>;
    const nbField = notebook && typeof notebook === 'object' ? (notebook as Record<string, unknown>).path : undefined;
    const nbPath = typeof nbField === 'string' ? nbField : typeof path === 'string' ? path : undefined;
    const isNotebook = type === 'notebook' || (type === undefined && nbPath?.endsWith('.ipynb'));
    if (isNotebook && nbPath !== undefined && !paths.includes(nbPath)) paths.push(nbPath);
  }
  const live = (kernels as unknown[]).filter((k): k is KernelInfo => !!k && typeof k === 'object');
  const busy = live.filter((k) => k.execution_state === 'busy').length;
  const open = paths.length;
  const summary =
    `${count(open, 'notebook is open', 'notebooks are open')}, ` +
    (live.length === 0 ? 'no kernel is running.' : `${busy === 1 ? '1 kernel is busy' : `${busy === 0 ? 'no' : busy} kernels are busy`}.`);
  return {
    known: true,
    notebooks: paths.slice(0, MAX_LISTED),
    notebookCount: open,
    kernels: live.length,
    busyKernels: busy,
    summary: summary.charAt(0).toUpperCase() + summary.slice(1),
  };
}

/** The server's base URL path from the page it opens on: `/p/x/notebook/tree` → `/p/x/notebook/`. */
export function jupyterBasePath(pagePath: string): string {
  const pathname = pagePath.split(/[?#]/)[0] ?? '/';
  const m = /^(.*?\/)(?:tree|notebooks|edit|lab|terminals|view)(?:\/.*)?$/.exec(pathname);
  return m?.[1] ?? (pathname.endsWith('/') ? pathname : `${pathname}/`);
}

/** GET a JSON document from 127.0.0.1:port with the server's token; rejects on anything but 200 JSON. */
function getJson(port: number, urlPath: string, token: string | undefined, timeoutMs: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = http.get(
      { host: '127.0.0.1', port, path: urlPath, headers: { Accept: 'application/json', ...(token ? { Authorization: `token ${token}` } : {}) }, timeout: timeoutMs },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > 1024 * 1024) req.destroy(new Error('the answer is too large'));
          else chunks.push(c);
        });
        res.on('end', () => {
          if (res.statusCode !== 200) {
            reject(new Error(`the server answered ${String(res.statusCode)} to GET ${urlPath}`));
            return;
          }
          try {
            resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
          } catch {
            reject(new Error(`the server's answer to GET ${urlPath} is not JSON`));
          }
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer to GET ${urlPath} in ${timeoutMs} ms`)));
    req.on('error', reject);
  });
}

/** Asks the running web UI at `target` what is open; `known: false` when it is not a Jupyter server that answers. */
export async function askOpenWork(target: WebUiTarget | undefined, timeoutMs = 3000): Promise<OpenWork> {
  if (!target) return UNKNOWN_WORK;
  const base = jupyterBasePath(target.path);
  try {
    const [sessions, kernels] = await Promise.all([
      getJson(target.port, `${base}api/sessions`, target.token, timeoutMs),
      getJson(target.port, `${base}api/kernels`, target.token, timeoutMs),
    ]);
    return describeOpenWork(sessions, kernels);
  } catch {
    return UNKNOWN_WORK;
  }
}
