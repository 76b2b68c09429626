// Onboarding while no engine answers: what is on this computer (detect.ts over fresh probes,
// or a recorded computer when COURSEDOCK_ONBOARDING_FIXTURE names one), starting the engine
// the student chooses, and watching for it so the Docker connection tries at once. One per
// Engine; the UIs reach it through the contract (onboarding.state, onboarding.start).
import type { Engine } from '../engine.js';
import { detectEngines, type OnboardingReport } from './detect.js';
import { watchForEngine, type EngineWatcher } from './engine-watcher.js';
import { gatherProbes } from './gather-probes.js';
import type { HostProbes } from './probes.js';
import { loadRecordedProbes } from './recorded-probes.js';
import { startEngine, type StartOutcome } from './start-engine.js';

export interface OnboardingView extends OnboardingReport {
  /** Set when the probes are a recorded computer, not this one (tests, screenshots). */
  recorded?: string;
  /** The last start asked for, while waiting for the engine. */
  started?: StartOutcome & { engine: string };
}

export interface OnboardingOptions {
  probes?: () => Promise<HostProbes>;
  recorded?: string;
  start?: typeof startEngine;
}

export class Onboarding {
  private watcher?: EngineWatcher;
  private started?: OnboardingView['started'];
  private readonly probes: () => Promise<HostProbes>;
  private readonly recorded?: string;
  private readonly start: typeof startEngine;
  private readonly onStatus: (s: { state: string }) => void;

  constructor(private readonly engine: Engine, options: OnboardingOptions = {}) {
    this.probes = options.probes ?? gatherProbes;
    if (options.recorded) this.recorded = options.recorded;
    this.start = options.start ?? startEngine;
    this.onStatus = (s) => {
      if (s.state === 'connected') {
        this.stopWatching();
        this.started = undefined;
      } else if (s.state === 'unreachable' && !this.watcher) void this.state().catch(() => undefined);
    };
    engine.connection.on('status', this.onStatus);
  }

  /** What the panel shows while Docker does not answer; starts watching for the engine. */
  async state(): Promise<OnboardingView> {
    const report = detectEngines(await this.probes());
    if (!this.watcher && this.engine.connection.status().state !== 'connected') {
      this.watcher = watchForEngine(report.watch, () => void this.engine.connection.retryNow());
    }
    return {
      ...report,
      ...(this.started ? { situation: 'starting' as const, started: this.started } : {}),
      ...(this.recorded ? { recorded: this.recorded } : {}),
    };
  }

  /** Starts the engine `id` as detected now; the watcher and the connection take it from there. */
  async startEngine(id: string): Promise<OnboardingView> {
    const report = detectEngines(await this.probes());
    const found = report.engines.find((e) => e.id === id);
    if (!found?.start) throw new Error(found ? `${found.name} cannot be started from Coursedock: ${found.note ?? 'start it yourself.'}` : `No engine "${id}" was found on this computer.`);
    const outcome = this.recorded
      ? { ok: true, ran: found.start.words, message: `Recorded computer (${this.recorded}): Coursedock would run ${found.start.words} here.` }
      : await this.start(found.start);
    this.started = { ...outcome, engine: found.name };
    if (outcome.ok) void this.engine.connection.retryNow();
    return this.state();
  }

  private stopWatching(): void {
    this.watcher?.close();
    this.watcher = undefined;
  }

  close(): void {
    this.stopWatching();
    this.engine.connection.off('status', this.onStatus);
  }
}

const perEngine = new WeakMap<Engine, Onboarding>();

/** The engine's onboarding; COURSEDOCK_ONBOARDING_FIXTURE replays a recorded computer. */
export function onboardingFor(engine: Engine, env: Record<string, string | undefined> = process.env): Onboarding {
  let o = perEngine.get(engine);
  if (!o) {
    const fixture = env.COURSEDOCK_ONBOARDING_FIXTURE;
    if (fixture) {
      const rec = loadRecordedProbes(fixture);
      o = new Onboarding(engine, { probes: () => Promise.resolve(rec.probes), recorded: rec.recorded });
    } else o = new Onboarding(engine);
    perEngine.set(engine, o);
  }
  return o;
}
