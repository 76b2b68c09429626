// The last time each service's image could not be downloaded, per environment, kept in settings
// (`environments.<project>.pullFailures.<service>`: when, and why in words). An environment
// that opens says at once that such a service is not available, and since when, instead of
// waiting for someone to press Start; a later successful download forgets it.
import type { SettingsStore } from '../settings/settings-store.js';
import { envKey } from '../settings/variables.js';

export interface PullFailure {
  image: string;
  /** When the download last failed (ISO 8601). */
  at: string;
  /** Why, in words. */
  reason: string;
}

const key = (project: string, service: string): string => envKey(project, 'pullFailures', service);

function isPullFailure(v: unknown): v is PullFailure {
  const o = v as Partial<PullFailure> | null;
  return !!o && typeof o === 'object' && typeof o.image === 'string' && typeof o.at === 'string' && typeof o.reason === 'string';
}

/** The remembered failure for this image (one remembered for another image no longer counts). */
export function lastPullFailure(store: SettingsStore, project: string, service: string, image: string): PullFailure | undefined {
  const v = store.get(key(project, service));
  return isPullFailure(v) && v.image === image ? v : undefined;
}

export function rememberPullFailure(store: SettingsStore, project: string, service: string, failure: PullFailure): void {
  store.set(key(project, service), failure);
}

export function forgetPullFailure(store: SettingsStore, project: string, service: string): void {
  if (store.get(key(project, service)) !== undefined) store.delete(key(project, service));
}
