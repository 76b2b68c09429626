// Reading and filtering cookies without trusting them. Cookies ignore ports, so a page on another
// loopback port (a service's web UI) can set a cookie with our name: a header may hold several
// cookies of one name, and a check accepts when any of them is right. Values that do not decode
// are skipped, never thrown.
import { sameToken } from './access.js';

interface Pair {
  name: string;
  value: string;
}

function pairs(header: string | undefined): Pair[] {
  const out: Pair[] = [];
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    out.push({ name: part.slice(0, eq).trim(), value: part.slice(eq + 1).trim() });
  }
  return out;
}

function decode(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}

/** Every value the Cookie header holds for `name` (decoded; undecodable ones left out). */
export function cookieValues(header: string | undefined, name: string): string[] {
  return pairs(header)
    .filter((p) => p.name === name)
    .map((p) => decode(p.value))
    .filter((v): v is string => v !== undefined);
}

/** Whether any cookie named `name` carries `expected`. */
export function hasCookie(header: string | undefined, name: string, expected: string): boolean {
  // Every value is compared (no early exit) so timing says nothing about which one matched.
  return cookieValues(header, name).reduce((ok, v) => sameToken(v, expected) || ok, false);
}

/** The Cookie header without the cookies whose name starts with `prefix` (undefined when none are left). */
export function withoutCookies(header: string | undefined, prefix: string): string | undefined {
  if (!header) return undefined;
  const kept = header
    .split(';')
    .map((c) => c.trim())
    .filter((c) => c && !c.startsWith(prefix));
  return kept.length ? kept.join('; ') : undefined;
}

/** The name a Set-Cookie line sets. */
export function setCookieName(line: string): string {
  const eq = line.indexOf('=');
  return (eq < 0 ? line : line.slice(0, eq)).trim();
}

/** An HttpOnly, SameSite=Strict cookie for `path`. */
export function strictCookie(name: string, value: string, path: string): string {
  return `${name}=${encodeURIComponent(value)}; HttpOnly; SameSite=Strict; Path=${path}`;
}
