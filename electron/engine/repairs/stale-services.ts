// "Stuck after the computer slept": a container still says running, but its healthcheck has
// not run for far longer than its interval (Docker's timers froze with the VM or the laptop),
// or it stays unhealthy. Pure judgement over what `docker inspect` says, plus the reader.
import type Dockerode from 'dockerode';

export interface HealthFacts {
  running: boolean;
  /** State.Health.Status */
  health?: string;
  /** End of the last healthcheck run (ISO), if any ran. */
  lastCheckEnd?: string;
  /** Healthcheck.Interval in ns (Docker's default 30 s when 0 or absent). */
  intervalNs?: number;
  startedAt?: string;
}

export interface Staleness {
  stale: boolean;
  reason?: string;
}

const DEFAULT_INTERVAL_MS = 30_000;

/** Stale: no healthcheck result for 3 intervals (at least 90 s) while running. */
export function judgeStaleness(f: HealthFacts, now: number): Staleness {
  if (!f.running || f.health === undefined) return { stale: false };
  const interval = f.intervalNs ? f.intervalNs / 1e6 : DEFAULT_INTERVAL_MS;
  const limit = Math.max(90_000, 3 * interval);
  const last = Date.parse(f.lastCheckEnd ?? f.startedAt ?? '');
  if (!Number.isFinite(last)) return { stale: false };
  const age = now - last;
  if (age > limit) return { stale: true, reason: `its health was last checked ${Math.round(age / 1000)} s ago (expected every ${Math.round(interval / 1000)} s)` };
  return { stale: false };
}

export async function readHealthFacts(docker: Dockerode, containerId: string): Promise<HealthFacts> {
  const i = await docker.getContainer(containerId).inspect();
  const h = i.State.Health as { Status?: string; Log?: Array<{ End?: string }> } | undefined;
  const log = h?.Log ?? [];
  const lastCheck = log.at(-1);
  const hc = (i.Config as { Healthcheck?: { Interval?: number } }).Healthcheck;
  return {
    running: i.State.Running,
    ...(h?.Status ? { health: h.Status } : {}),
    ...(lastCheck?.End ? { lastCheckEnd: lastCheck.End } : {}),
    ...(hc?.Interval ? { intervalNs: hc.Interval } : {}),
    ...(i.State.StartedAt ? { startedAt: i.State.StartedAt } : {}),
  };
}
