// Where the desktop windows may go, as pure functions (tested with URL tables, no Electron):
//   - the panel window shows our own page and nothing else; it never opens Electron windows;
//   - http(s) links leave for the system browser only when they point at a port a course
//     environment publishes on this computer (the notebook's webUrl) or at a few known help
//     sites; every other URL (file:, javascript:, data:, other sites, credentials in the URL)
//     is refused;
//   - the notebook window stays on the notebook's own origin.

import { sameFile } from './file-urls.js';

export type NavigationDecision = 'allow' | 'external' | 'deny';

export interface ExternalPolicy {
  /** Host ports on 127.0.0.1 that an open environment publishes right now. */
  loopbackPorts: ReadonlySet<number>;
  /** Other sites (https only) the panel may send the student to, e.g. Docker's install pages. */
  hosts: readonly string[];
}

/** Help pages the panel may link to (installing and starting Docker). */
export const DEFAULT_EXTERNAL_HOSTS: readonly string[] = ['docs.docker.com', 'www.docker.com'];

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

function parse(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

const effectivePort = (u: URL): number => (u.port ? Number(u.port) : u.protocol === 'https:' ? 443 : 80);

/**
 * Whether `url` is the panel's own page (`appUrl`, the file:// URL of dist/renderer/index.html),
 * with any query or fragment: the two name the same file (file-urls.ts), however each is escaped.
 * Windows paths compare without regard to case.
 */
export function isAppPage(url: string, appUrl: string, platform: NodeJS.Platform = process.platform): boolean {
  const u = parse(url);
  const app = parse(appUrl);
  if (!u || !app || u.protocol !== 'file:' || app.protocol !== 'file:') return false;
  return sameFile(u.href, app.href, platform);
}

/** The URL to hand to the system browser, or undefined when the link must not leave the app at all. */
export function externalTarget(url: string, policy: ExternalPolicy): string | undefined {
  const u = parse(url);
  if (!u || (u.protocol !== 'http:' && u.protocol !== 'https:')) return undefined;
  if (u.username || u.password) return undefined;
  if (LOOPBACK_HOSTS.has(u.hostname)) return policy.loopbackPorts.has(effectivePort(u)) ? u.href : undefined;
  if (u.protocol !== 'https:') return undefined;
  return policy.hosts.includes(u.hostname.toLowerCase()) ? u.href : undefined;
}

/** `will-navigate` in the panel window: stay on our page; allowed links go to the system browser. */
export function panelNavigation(url: string, appUrl: string, policy: ExternalPolicy): NavigationDecision {
  if (isAppPage(url, appUrl)) return 'allow';
  return externalTarget(url, policy) ? 'external' : 'deny';
}

/** `setWindowOpenHandler` in the panel window: never a new Electron window. */
export function panelWindowOpen(url: string, policy: ExternalPolicy): Exclude<NavigationDecision, 'allow'> {
  return externalTarget(url, policy) ? 'external' : 'deny';
}

/** The notebook window: anything on the notebook's own origin stays in the app; the rest as above. */
export function notebookNavigation(url: string, notebookOrigin: string, policy: ExternalPolicy): NavigationDecision {
  const u = parse(url);
  if (u && (u.protocol === 'http:' || u.protocol === 'https:') && !u.username && !u.password && u.origin === notebookOrigin) {
    return 'allow';
  }
  return externalTarget(url, policy) ? 'external' : 'deny';
}

/** Origin of a notebook URL that may be shown in the notebook window: http on a loopback host. */
export function notebookOrigin(url: string): string | undefined {
  const u = parse(url);
  if (!u || u.protocol !== 'http:' || !LOOPBACK_HOSTS.has(u.hostname) || u.username || u.password) return undefined;
  return u.origin;
}
