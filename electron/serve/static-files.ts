// Serves the built panel (vite's output) with a strict Content-Security-Policy.
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import path from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/**
 * The panel's CSP: its own scripts and styles only; frames only from loopback origins (each
 * service's web UI has its own port: service-origins.ts); nobody else may frame the panel.
 */
export const PANEL_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  'frame-src http://127.0.0.1:*',
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "object-src 'none'",
].join('; ');

export interface StaticOptions {
  /** Rewrites index.html before it is sent (the shell puts its API key in). */
  index?: (html: string) => string;
}

export function serveStatic(root: string, urlPath: string, res: ServerResponse, options: StaticOptions = {}): boolean {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath.split('?')[0] ?? '/');
  } catch {
    return false;
  }
  const rel = path.normalize(decoded).replace(/^([/\\])+/, '');
  let file = path.join(root, rel);
  if (!file.startsWith(root)) return false;
  if (!existsSync(file) || statSync(file).isDirectory()) {
    // A single-page app: unknown paths without an extension get the panel.
    if (path.extname(rel)) return false;
    file = path.join(root, 'index.html');
    if (!existsSync(file)) return false;
  }
  const isIndex = path.basename(file) === 'index.html' && path.dirname(file) === path.resolve(root);
  res.writeHead(200, {
    'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream',
    'Content-Security-Policy': PANEL_CSP,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': isIndex ? 'no-store' : 'max-age=3600',
  });
  if (isIndex && options.index) res.end(options.index(readFileSync(file, 'utf8')));
  else createReadStream(file).pipe(res);
  return true;
}
