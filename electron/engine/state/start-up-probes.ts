// Event-driven start-up probing: whenever a service's state changes, a container found starting
// (Docker's health "starting") gets one start-up probe (readiness/start-probe.ts), whoever
// started it (this process, another one, Docker itself). The probe stops when the container is
// healthy by our probe or Docker, unhealthy, stopped or replaced, and at the latest once Docker
// must have decided. No timer runs while nothing starts.
import type Dockerode from 'dockerode';
import { hasHealthcheck, probeWindowMs, readinessPlan, runKey } from '../readiness/rules.js';
import { probeUntilReady } from '../readiness/start-probe.js';
import type { CourseSpec } from '../spec/types.js';
import type { StateTracker } from './state-tracker.js';

interface Probe {
  /** The container run probed (see runKey): a new start gets a new probe. */
  run: string;
  stop: AbortController;
  firstAnswer: Promise<void>;
}

export class StartUpProbes {
  private readonly probes = new Map<string, Probe>();

  constructor(
    private readonly spec: CourseSpec,
    private readonly tracker: StateTracker,
    private readonly docker: () => Dockerode | undefined,
  ) {}

  /** Called on every state change of the service: starts or stops its probe. */
  follow(service: string): void {
    const svc = this.spec.services[service];
    const view = this.tracker.view(service);
    const starting = svc !== undefined && view?.status === 'running' && this.tracker.get(service).health === 'starting' && hasHealthcheck(svc);
    const run = view ? runKey(view) : '';
    const current = this.probes.get(service);
    if (current && (!starting || current.run !== run)) {
      current.stop.abort();
      this.probes.delete(service);
    }
    const docker = this.docker();
    if (!starting || !docker || this.probes.has(service)) return;
    const stop = new AbortController();
    let answered!: () => void;
    const firstAnswer = new Promise<void>((resolve) => (answered = resolve));
    this.probes.set(service, { run, stop, firstAnswer });
    const plan = readinessPlan(svc);
    const web = plan.web;
    const webHostPort = () => (web ? this.tracker.get(service).ports.find((p) => p.target === web.port && p.protocol === 'tcp')?.hostPort : undefined);
    void probeUntilReady({ docker, containerId: view.id, plan, webHostPort, signal: stop.signal, onFirstAnswer: answered, windowMs: probeWindowMs(svc.healthcheck) })
      .then(
        (result) => {
          if (result === 'passed' && !stop.signal.aborted) this.tracker.markProbedHealthy(service, run);
        },
        () => undefined, // a probe that cannot run leaves the verdict to Docker's own status
      )
      // Kept until the run changes: one probe per start of a container, never a second.
      .finally(answered);
  }

  /** Resolves once every probe running has had its first answer (a service found starting). */
  async firstAnswers(): Promise<void> {
    await Promise.all([...this.probes.values()].map((p) => p.firstAnswer));
  }

  dispose(): void {
    for (const p of this.probes.values()) p.stop.abort();
    this.probes.clear();
  }
}
