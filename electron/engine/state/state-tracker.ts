// Keeps every service's live state: what Docker says about its container (re-read after each
// Docker event, never polled) combined with the operation the engine is running on it.
// Emits a `state` event whenever a service's state changes.
import { EventEmitter } from 'node:events';
import type Dockerode from 'dockerode';
import { LABEL } from '../plan/labels.js';
import type { ResolvedPort } from '../plan/resolved-port.js';
import type { CourseSpec } from '../spec/types.js';
import { inspectContainer } from '../docker/containers.js';
import type { ProgressState } from '../docker/progress.js';
import { splitWebPath, type WebUiTarget } from './web-address.js';
import { withProbedHealth } from '../readiness/rules.js';
import {
  statusDuringOperation,
  statusFromContainer,
  type ContainerView,
  type OperationKind,
  type PublishedPort,
  type ServiceState,
  type ServiceStatus,
} from './service-state.js';

interface TrackerEvents {
  state: [ServiceState];
}

export interface OperationPhase {
  kind: OperationKind;
  phase: string;
  /** Shown instead of the container's own status while this phase runs. */
  status?: ServiceStatus;
  startedAt: number;
}

const PROGRESS_EMIT_MS = 100;
const isLoopback = (ip: string) => ip.startsWith('127.') || ip === '::1';

export class StateTracker extends EventEmitter<TrackerEvents> {
  private views = new Map<string, ContainerView | undefined>();
  private ops = new Map<string, OperationPhase>();
  private errors = new Map<string, string>();
  private unavailable = new Set<string>();
  private progress = new Map<string, ProgressState>();
  private requested = new Map<string, ResolvedPort[]>();
  private last = new Map<string, string>();
  private refreshing = new Map<string, Promise<void>>();
  private dirty = new Set<string>();
  private progressTimers = new Map<string, NodeJS.Timeout>();
  private progressPending = new Set<string>();
  /** The container run (readiness/rules runKey) whose start-up probe passed, per service. */
  private probed = new Map<string, string>();

  constructor(private readonly spec: CourseSpec, private readonly docker: () => Dockerode | undefined) {
    super();
    this.setMaxListeners(100);
  }

  services(): string[] {
    return Object.keys(this.spec.services);
  }

  get(service: string): ServiceState {
    return this.compose(service);
  }

  all(): ServiceState[] {
    return this.services().map((s) => this.compose(s));
  }

  containerId(service: string): string | undefined {
    return this.views.get(service)?.id;
  }

  view(service: string): ContainerView | undefined {
    return this.views.get(service);
  }

  /** Where a proxy reaches the service's running web UI, token included (engine-side only). */
  webTarget(service: string): WebUiTarget | undefined {
    const web = this.spec.services[service]?.meta.web;
    const state = this.compose(service);
    if (!web || !state.webUrl) return undefined;
    const published = state.ports.find((p) => p.target === web.port);
    if (!published) return undefined;
    return { port: published.hostPort, ...splitWebPath(web.path) };
  }

  private compose(service: string): ServiceState {
    const view = withProbedHealth(this.views.get(service), this.probed.get(service));
    const derived = statusFromContainer(view);
    const op = this.ops.get(service);
    const meta = this.spec.services[service]?.meta;
    const requested = this.requested.get(service) ?? [];
    const ports: PublishedPort[] = (view?.ports ?? [])
      .filter((p) => isLoopback(p.hostIp))
      .map((p) => {
        const r = requested.find((q) => q.target === p.target && q.protocol === p.protocol);
        return r?.requested !== undefined && r.requested !== p.hostPort ? { ...p, requested: r.requested } : p;
      });
    const web = meta?.web;
    const webPort = web && view?.status === 'running' ? ports.find((p) => p.target === web.port) : undefined;
    const lastError = this.errors.get(service) ?? derived.error;
    const progress = this.progress.get(service);
    return {
      service,
      status: op?.status ?? (this.errors.has(service) && !view ? 'error' : op ? statusDuringOperation(op, derived.status, view) : derived.status),
      ...(derived.health ? { health: derived.health } : {}),
      ...(view ? { containerId: view.id } : {}),
      ports,
      ...(op ? { operation: { kind: op.kind, phase: op.phase, startedAt: op.startedAt } } : {}),
      ...(lastError ? { lastError } : {}),
      ...(this.unavailable.has(service) ? { unavailable: true } : {}),
      // Token-free: the token never travels in state events (see webTarget).
      ...(webPort && web ? { webUrl: `http://127.0.0.1:${webPort.hostPort}${splitWebPath(web.path).path}` } : {}),
      ...(progress ? { progress } : {}),
      ...(view && view.status !== 'running' ? { exitCode: view.exitCode } : {}),
      ...(view?.startedAt ? { startedAt: view.startedAt } : {}),
    };
  }

  /** Emits the service's state if it differs from the last one emitted. */
  private publish(service: string): void {
    const state = this.compose(service);
    const json = JSON.stringify(state);
    if (this.last.get(service) === json) return;
    this.last.set(service, json);
    this.emit('state', state);
  }

  /** Our own start-up probe passed on this run of the container: healthy until Docker says otherwise. */
  markProbedHealthy(service: string, run: string): void {
    this.probed.set(service, run);
    this.publish(service);
  }

  setPhase(service: string, phase: OperationPhase | undefined): void {
    if (phase) this.ops.set(service, phase);
    else this.ops.delete(service);
    this.publish(service);
  }

  setError(service: string, message: string | undefined, unavailable = false): void {
    if (message) this.errors.set(service, message);
    else this.errors.delete(service);
    if (unavailable) this.unavailable.add(service);
    else if (!message) this.unavailable.delete(service);
    this.publish(service);
  }

  setRequestedPorts(service: string, ports: ResolvedPort[]): void {
    this.requested.set(service, ports);
    this.publish(service);
  }

  clearProgress(service: string): void {
    this.progress.delete(service);
    this.publish(service);
  }

  /**
   * Progress arrives many times a second during a pull: published at most every 100 ms. The
   * first is published at once (a build from cache can be over within 100 ms, and the panel
   * should still have said "building"), later ones at the end of their 100 ms, the last always.
   */
  setProgress(service: string, progress: ProgressState): void {
    this.progress.set(service, progress);
    if (progress.done) {
      clearTimeout(this.progressTimers.get(service));
      this.progressTimers.delete(service);
      this.progressPending.delete(service);
      this.publish(service);
      return;
    }
    if (this.progressTimers.has(service)) {
      this.progressPending.add(service);
      return;
    }
    this.publish(service);
    this.progressWindow(service);
  }

  /** Holds progress back for 100 ms; publishes what arrived meanwhile at its end, and holds again. */
  private progressWindow(service: string): void {
    this.progressTimers.set(
      service,
      setTimeout(() => {
        this.progressTimers.delete(service);
        if (!this.progressPending.delete(service)) return;
        this.publish(service);
        this.progressWindow(service);
      }, PROGRESS_EMIT_MS),
    );
  }

  /**
   * Re-reads one service's container from Docker. Calls that arrive while one is in flight are
   * folded into a single follow-up read, so a burst of events costs two reads, not one each.
   */
  refresh(service: string): Promise<void> {
    const running = this.refreshing.get(service);
    if (running) {
      this.dirty.add(service);
      return running;
    }
    const p = this.read(service).finally(() => {
      this.refreshing.delete(service);
      if (this.dirty.delete(service)) void this.refresh(service);
    });
    this.refreshing.set(service, p);
    return p;
  }

  async refreshAll(): Promise<void> {
    await Promise.all(this.services().map((s) => this.refresh(s)));
  }

  private async read(service: string): Promise<void> {
    const docker = this.docker();
    if (!docker) return;
    try {
      const list = await docker.listContainers({
        all: true,
        filters: {
          label: [`${LABEL.project}=${this.spec.project}`, `${LABEL.service}=${service}`, `${LABEL.oneoff}=False`],
        },
      });
      // With duplicates (after a crash mid-operation) the running one is the one that counts.
      const pick = list.find((c) => c.State === 'running') ?? list[0];
      this.views.set(service, pick ? await inspectContainer(docker, pick.Id) : undefined);
    } catch {
      // Docker went away mid-read: the connection reports that; keep the last known view.
      return;
    }
    this.publish(service);
  }

  /**
   * Resolves once `check` says ok for the service's state, rejects once it says fail.
   * Checked now and on every state change, never by polling.
   */
  waitFor(
    service: string,
    /** `'ok'` when the wait is over, another string to fail with it, undefined to keep waiting. */
    check: (s: ServiceState) => string | undefined,
    timeoutMs = 10 * 60_000,
  ): Promise<void> {
    return new Promise((resolve, reject) => {
      const evaluate = (s: ServiceState): boolean => {
        if (s.service !== service) return false;
        const verdict = check(s);
        if (verdict === undefined) return false;
        cleanup();
        if (verdict === 'ok') resolve();
        else reject(new Error(verdict));
        return true;
      };
      const listener = (s: ServiceState) => void evaluate(s);
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`${service} did not get ready within ${Math.round(timeoutMs / 1000)} s`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.off('state', listener);
      };
      this.on('state', listener);
      evaluate(this.compose(service));
    });
  }

  dispose(): void {
    for (const t of this.progressTimers.values()) clearTimeout(t);
    this.removeAllListeners();
  }
}
