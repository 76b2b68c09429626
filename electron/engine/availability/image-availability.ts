// Whether a service can run on this computer, decided when its environment opens (before any
// Start): its image is here, or can be built from the spec's context, or can be downloaded.
// Pure: the Docker facts (image present, registry answer) and the remembered last download
// failure (pull-failures.ts) come in; the words the student reads come out.
import type { ServiceSpec } from '../spec/types.js';
import { decideImage } from '../plan/decisions.js';
import type { PullFailure } from './pull-failures.js';

export type Availability =
  /** Present, or obtainable by building: nothing to ask a registry. */
  | { kind: 'available' }
  /** Only a download can bring it: ask the registry (then `afterProbe`). */
  | { kind: 'ask-registry' }
  | { kind: 'unavailable'; reason: string };

/** What is known without a registry: the image's presence and the spec's pull policy and build context. */
export function availabilityWithoutRegistry(svc: ServiceSpec, imagePresent: boolean): Availability {
  if (imagePresent) return { kind: 'available' };
  const step = decideImage(svc, false, false);
  if (step === 'unavailable') {
    return {
      kind: 'unavailable',
      reason: `Image ${svc.image} is not on this computer and the spec does not allow fetching it (pull_policy: ${svc.pullPolicy}).`,
    };
  }
  return step === 'pull' ? { kind: 'ask-registry' } : { kind: 'available' };
}

/** "22:41 UTC on 29 Nov 2026": when a download last failed, in words that do not depend on the locale. */
export function failureTime(at: string): string {
  const d = new Date(at);
  if (Number.isNaN(d.getTime())) return at;
  const hh = String(d.getUTCHours()).padStart(2, '0');
  const mm = String(d.getUTCMinutes()).padStart(2, '0');
  const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][d.getUTCMonth()];
  return `${hh}:${mm} UTC on ${d.getUTCDate()} ${month} ${d.getUTCFullYear()}`;
}

/** The words for an image that is not here, cannot be built, and cannot be downloaded (as ensureImage says it). */
export function cannotBeHadReason(image: string, pullError: string): string {
  return `Image ${image} is not available: it is not on this computer, it could not be downloaded (${shortPullError(pullError)}), and the course spec has no build context to build it from.`;
}

/** What the panel and `status` show: the remembered failure and when it happened. */
export function notAvailableText(failure: Pick<PullFailure, 'reason' | 'at'>): string {
  return `${failure.reason} Last tried at ${failureTime(failure.at)}.`;
}

/** The download error in a student's words (a connection problem or a registry without the image). */
export function shortPullError(message: string): string {
  if (/no such host|dial tcp|lookup|network is unreachable|i\/o timeout|connection refused|did not answer/i.test(message))
    return 'no connection to the image registry';
  if (/not found|manifest unknown|pull access denied|no such image|unauthorized|forbidden/i.test(message)) return 'the registry does not have it';
  return message;
}
