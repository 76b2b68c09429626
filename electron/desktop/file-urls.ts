// file:// URLs of the panel, compared as the files they name, never as strings. The same file
// has many spellings: Electron's loadFile builds its URL with url.format (leaving `[`, `]`, `%`,
// spaces and non-ASCII as they are), Node's pathToFileURL escapes them, Chromium re-escapes what
// it receives, and Windows paths differ in case and slashes. Comparing strings made the IPC page
// check refuse every call when the app was installed in a folder such as `C:\Apps [x]\` (issue
// #19). Here a URL becomes a path (each segment decoded, as fileURLToPath does) and paths are
// compared, without regard to case on Windows.
//
// Written for any platform on any platform (the platform is a parameter), so the unit tests
// cover Windows drive paths on Linux; on its own platform the result equals Node's
// fileURLToPath / pathToFileURL (checked in file-urls.test.ts).
import path from 'node:path';
import { pathToFileURL } from 'node:url';

type Platform = NodeJS.Platform;

const pathApi = (platform: Platform) => (platform === 'win32' ? path.win32 : path.posix);

/** Characters pathToFileURL escapes in a path segment, beyond what WHATWG's URL parser escapes. */
const escapeSegment = (s: string): string =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** The file:// URL of an absolute path (Node's pathToFileURL on its own platform). */
export function fileUrlOf(filePath: string, platform: Platform = process.platform): string {
  if (platform !== 'win32' && process.platform !== 'win32') return pathToFileURL(filePath).href;
  if (platform !== 'win32') return new URL(`file://${filePath.split('/').map(escapeSegment).join('/')}`).href;
  const p = path.win32.resolve(filePath);
  if (p.startsWith('\\\\')) {
    const [host = '', ...rest] = p.slice(2).split('\\');
    return new URL(`file://${host}/${rest.map(escapeSegment).join('/')}`).href;
  }
  const [drive = '', ...rest] = p.split('\\');
  return new URL(`file:///${drive}/${rest.map(escapeSegment).join('/')}`).href;
}

/** The path a file:// URL names, or undefined when it is not a file URL or cannot name a file. */
export function filePathOfUrl(url: string, platform: Platform = process.platform): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  if (u.protocol !== 'file:') return undefined;
  const raw = u.pathname.split('/');
  // An escaped separator would name another path than the one it seems to.
  if (raw.some((s) => /%2f/i.test(s) || (platform === 'win32' && /%5c/i.test(s)))) return undefined;
  let segments: string[];
  try {
    segments = raw.map((s) => decodeURIComponent(s));
  } catch {
    return undefined; // a lone "%": not a spelling any of our URLs has
  }
  if (platform !== 'win32') {
    if (u.hostname && u.hostname !== 'localhost') return undefined;
    return path.posix.normalize(segments.join('/'));
  }
  // file:///C:/x → C:\x ; file://server/share/x and file://///server/share/x → \\server\share\x
  if (u.hostname) return path.win32.normalize(`\\\\${u.hostname}${segments.join('\\')}`);
  const rest = segments.slice(1);
  if (rest[0] === '' && rest[1] === '' && rest[2]) return path.win32.normalize(`\\\\${rest.slice(2).join('\\')}`);
  if (!/^[a-zA-Z]:$/.test(rest[0] ?? '')) return undefined;
  return path.win32.normalize(rest.join('\\') + (rest.length === 1 ? '\\' : ''));
}

const comparable = (p: string, platform: Platform): string => {
  const n = pathApi(platform).normalize(p);
  return platform === 'win32' ? n.toLowerCase() : n;
};

/** Whether two file URLs (or a URL and a path) name the same file. */
export function sameFile(a: string, b: string, platform: Platform = process.platform): boolean {
  const pa = a.startsWith('file:') ? filePathOfUrl(a, platform) : a;
  const pb = b.startsWith('file:') ? filePathOfUrl(b, platform) : b;
  return pa !== undefined && pb !== undefined && comparable(pa, platform) === comparable(pb, platform);
}

/** Whether a file URL names a file inside `dir` (a path). */
export function fileUrlInside(url: string, dir: string, platform: Platform = process.platform): boolean {
  const p = filePathOfUrl(url, platform);
  if (p === undefined) return false;
  const rel = pathApi(platform).relative(comparable(dir, platform), comparable(p, platform));
  return rel !== '' && !rel.startsWith('..') && !pathApi(platform).isAbsolute(rel);
}

/** The URL the panel window loads: the page's file URL (escaped, so any folder name works) and its query. */
export function appPageUrl(indexHtml: string, query: Record<string, string> = {}, platform: Platform = process.platform): string {
  const u = new URL(fileUrlOf(indexHtml, platform));
  for (const [k, v] of Object.entries(query)) u.searchParams.set(k, v);
  return u.href;
}

/**
 * The same file outside app.asar: files listed in electron-builder.yml's asarUnpack live in
 * app.asar.unpacked, where other programs (the OS shell showing the tray icon) can read them.
 * Outside a packaged app the path is returned as it is.
 */
export function unpackedPath(p: string): string {
  return p.replace(/([\\/])app\.asar([\\/])/, '$1app.asar.unpacked$2');
}
