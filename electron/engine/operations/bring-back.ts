// Bringing back what the student had running, after Docker restarted or when the app (or the
// browser shell) opens a course: reads the desired state, decides (desired-state.ts), starts
// those services through the environment's queues, and says what happened in one notice.
import type { Environment } from '../environment.js';
import { dependencyOrder } from '../plan/plan-up.js';
import { bringBackMessage, decideBringBack, type BringBackReason, type DesiredState } from './desired-state.js';

export async function bringBackServices(env: Environment, desired: DesiredState, reason: BringBackReason): Promise<string[]> {
  await env.tracker.refreshAll();
  const { start } = decideBringBack(desired, env.states(), dependencyOrder(env.spec));
  if (!start.length) return [];
  const result = await env.bringBack(start);
  const title = (s: string) => env.spec.services[s]?.meta.title ?? s;
  const said = bringBackMessage(
    reason,
    result.services.filter((s) => s.ok).map((s) => title(s.service)),
    result.services.filter((s) => !s.ok).map((s) => title(s.service)),
  );
  if (said) env.emit('notice', { ...said, at: Date.now() });
  return start;
}
