import path from 'node:path';

/** True for sources that name a host path rather than a named volume (Compose's rule). */
export function isHostPath(source: string): boolean {
  return /^(?:[/.~\\]|[A-Za-z]:[\\/])/.test(source);
}

/** `~` → home, relative → against the spec folder. Undefined for `~user/…` (not supported). */
export function resolveHostPath(source: string, dir: string, home: string): string | undefined {
  if (source === '~') return home;
  if (source.startsWith('~/') || source.startsWith('~\\')) return path.join(home, source.slice(2));
  if (source.startsWith('~')) return undefined;
  // A Windows drive path is already absolute; path.resolve on a POSIX host would mangle it.
  if (/^[A-Za-z]:[\\/]/.test(source)) return source;
  return path.resolve(dir, source);
}
