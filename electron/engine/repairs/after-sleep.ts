// After the computer slept: the Docker connection may be dead, health results old, and a
// service stuck (its healthcheck timer froze with the VM). On resume — Electron's powerMonitor
// in the desktop shell, a clock jump here in the browser shell, since Node has no power events —
// the connection is tried at once and every open environment's state is read afresh; then,
// after a grace period in which Docker's own healthchecks have had time to run, a service whose
// healthcheck has not run since the wake-up (or that is unhealthy) is restarted when the
// setting allows it (on unless turned off), and the student is told.
import { z } from 'zod';
import type { Engine } from '../engine.js';
import type { Environment } from '../environment.js';
import { readSetting } from '../settings/settings-store.js';
import { readHealthFacts } from './stale-services.js';

/** Setting key: restart services stuck after sleep (on unless set to false). */
export const RESTART_STALE_SETTING = 'restartStaleAfterSleep';

export interface ClockJumpOptions {
  /** How often the clock is read (a timer, not a poll of anything outside this process). */
  intervalMs?: number;
  /** A gap this much longer than the interval means the process was frozen: a sleep. */
  jumpMs?: number;
  now?: () => number;
}

/**
 * Calls `onResume(gapMs)` when the wall clock jumps ahead of the timer: the process did not
 * run for a while (the computer slept or hibernated).
 */
export function watchClockJumps(onResume: (gapMs: number) => void, options: ClockJumpOptions = {}): () => void {
  const interval = options.intervalMs ?? 10_000;
  const jump = options.jumpMs ?? 30_000;
  const now = options.now ?? Date.now;
  let last = now();
  const timer = setInterval(() => {
    const t = now();
    const gap = t - last;
    last = t;
    if (gap > interval + jump) onResume(gap);
  }, interval);
  timer.unref();
  return () => clearInterval(timer);
}

export interface StaleVerdict {
  project: string;
  service: string;
  reason: string;
  restarted: boolean;
}

export interface ResumeOptions {
  /** When the computer woke up (default: now). */
  resumedAt?: number;
  /** Time given to Docker's healthchecks to run after the wake-up. */
  graceMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/** The whole after-sleep round; resolves with the services found stuck (and whether restarted). */
export async function recheckAfterResume(engine: Engine, options: ResumeOptions = {}): Promise<StaleVerdict[]> {
  const resumedAt = options.resumedAt ?? Date.now();
  await engine.connection.retryNow();
  if (engine.connection.status().state !== 'connected') return [];
  const envs = engine.opened();
  await Promise.all(envs.map((e) => e.init().catch(() => undefined)));
  await (options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))))(options.graceMs ?? 75_000);
  const docker = engine.connection.docker;
  if (!docker) return [];
  const restart = readSetting(engine.store, RESTART_STALE_SETTING, z.boolean()) !== false;
  const verdicts: StaleVerdict[] = [];
  for (const env of envs) {
    for (const service of Object.keys(env.spec.services)) {
      const state = env.state(service);
      if (!state.containerId || !['running', 'healthy', 'unhealthy', 'starting'].includes(state.status)) continue;
      const facts = await readHealthFacts(docker, state.containerId).catch(() => undefined);
      if (!facts?.running || facts.health === undefined) continue;
      const lastRun = Date.parse(facts.lastCheckEnd ?? '');
      const reason =
        facts.health === 'unhealthy'
          ? 'it is unhealthy'
          : !Number.isFinite(lastRun) || lastRun < resumedAt
            ? 'its healthcheck has not run since the computer woke up'
            : undefined;
      if (!reason) continue;
      verdicts.push({ project: env.project, service, reason, restarted: restart });
      await tell(env, service, reason, restart);
    }
  }
  return verdicts;
}

async function tell(env: Environment, service: string, reason: string, restart: boolean): Promise<void> {
  const title = env.spec.services[service]?.meta.title ?? service;
  const notice = (level: 'info' | 'warning' | 'error', message: string) => env.emit('notice', { level, message, service, at: Date.now() });
  if (!restart) {
    notice('warning', `${title} looks stuck after the computer slept (${reason}). Restart it (Settings: restarting stuck services is turned off).`);
    return;
  }
  notice('info', `${title} looked stuck after the computer slept (${reason}): restarting it.`);
  const r = await env.restart(service).catch((err: unknown) => ({ ok: false, services: [{ service, ok: false, error: String(err) }] }));
  if (!r.ok) notice('error', `Restarting ${title} after sleep failed: ${r.services.find((s) => !s.ok)?.error ?? 'see its logs'}.`);
}
