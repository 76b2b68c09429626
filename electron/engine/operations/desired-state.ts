// What the student wants running, remembered across restarts of the app and of Docker, and the
// pure decision of what to bring back. Only the student's own requests change it: up, start,
// restart, reinstall and reset say "running", stop and down say "stopped"; a crash, a Docker
// restart or a reboot never does. Bringing back starts exactly the services wanted running that
// are not running now, never one the student stopped (not even as another's dependency).
import type { ServiceState } from '../state/service-state.js';

export type Want = 'running' | 'stopped';

export interface DesiredState {
  services: Record<string, { want: Want; at: number }>;
}

export const emptyDesiredState = (): DesiredState => ({ services: {} });

/** The record as read from disk: it may be missing, and any entry malformed. */
export interface StoredDesiredState {
  services?: Record<string, { want?: unknown; at?: unknown } | null | undefined>;
}

/** The record after the student asked for `want` on these services. */
export function recordWant(current: StoredDesiredState, services: readonly string[], want: Want, at: number): DesiredState {
  const next: DesiredState['services'] = {};
  // Only plain entries survive a read from disk: no prototype keys, no malformed values.
  for (const [name, entry] of Object.entries(current.services ?? {})) {
    if (name === '__proto__' || name === 'constructor' || name === 'prototype') continue;
    if (entry && (entry.want === 'running' || entry.want === 'stopped')) next[name] = { want: entry.want, at: Number(entry.at) || 0 };
  }
  for (const s of services) next[s] = { want, at };
  return { services: next };
}

/** States in which a service wanted running must be started again. */
const DOWN: ReadonlySet<ServiceState['status']> = new Set(['missing', 'stopped', 'exited', 'error']);

export interface BringBackDecision {
  /** Services to start, in the order given by `order`. */
  start: string[];
}

/**
 * Which services to bring back: wanted running, down now, not unavailable on this computer and
 * not being operated on (an operation in flight decides for itself). `order` is the spec's
 * dependency order, so dependencies come first.
 */
export function decideBringBack(desired: DesiredState, states: readonly ServiceState[], order: readonly string[]): BringBackDecision {
  const byName = new Map(states.map((s) => [s.service, s]));
  const start = order.filter((name) => {
    if (!Object.prototype.hasOwnProperty.call(desired.services, name)) return false;
    if (desired.services[name]?.want !== 'running') return false;
    const s = byName.get(name);
    return !!s && DOWN.has(s.status) && !s.operation && !s.unavailable;
  });
  return { start };
}

export type BringBackReason = 'docker-restarted' | 'app-started';

/** "PostgreSQL and Notebook", "A, B and C". */
export function listInWords(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** The notice after bringing back: what came back, and what could not, in words. */
export function bringBackMessage(
  reason: BringBackReason,
  broughtBack: readonly string[],
  failed: readonly string[],
): { level: 'info' | 'warning'; message: string } | undefined {
  if (!broughtBack.length && !failed.length) return undefined;
  const when = reason === 'docker-restarted' ? ' after Docker restarted' : ', which you had running';
  const parts: string[] = [];
  if (broughtBack.length) parts.push(`Brought back ${listInWords(broughtBack)}${when}.`);
  if (failed.length) parts.push(`Could not bring back ${listInWords(failed)}: see ${failed.length > 1 ? 'their' : 'its'} error.`);
  return { level: failed.length ? 'warning' : 'info', message: parts.join(' ') };
}
