// One course environment (a loaded spec) and everything a UI can do with it. An operation reads
// Docker once, plans (the plan `plan()` shows) and hands the plan to the executor (converge/),
// which runs each service's step in that service's queue; the state tracker reports, and
// Docker's events keep the state current in between.
import { EventEmitter } from 'node:events';
import type Dockerode from 'dockerode';
import { z } from 'zod';
import type { DockerConnection, ContainerEvent } from './docker/docker-connection.js';
import {
  ensureNetwork,
  ensureVolume,
  inspectContainer,
  listProjectContainers,
  readActualState,
  removeContainer,
  removeVolume,
  stopContainer,
} from './docker/containers.js';
import { describeError } from './describe-error.js';
import { ImageUnavailableError } from './docker/images.js';
import { executePlan, type Execution, type ExecutorHost, type Prepared } from './converge/plan-executor.js';
import { prepareImages } from './converge/prepare-images.js';
import { takeDown } from './converge/take-down.js';
import { StartUpProbes } from './state/start-up-probes.js';
import { followLogs, type LogHandle, type LogLine } from './docker/logs.js';
import { openContainerShell } from './terminals/container-shell.js';
import { terminalUser } from './terminals/terminal-user.js';
import type { Terminal } from './terminals/terminal.js';
import type { ActualState } from './plan/actual.js';
import type { ResolvedPort } from './plan/resolved-port.js';
import { namedVolumesOf } from './plan/service-volumes.js';
import { dependencyOrder, planUp, type UpPlan } from './plan/plan-up.js';
import { resolvePorts, type PortMemory, type PortNotice, type PortProbe, isPortFree } from './operations/host-ports.js';
import { ServiceQueues } from './operations/service-queue.js';
import { readSetting, type SettingsStore } from './settings/settings-store.js';
import { envKey } from './settings/variables.js';
import type { CourseSpec } from './spec/types.js';
import type { OperationKind, ServiceState, ServiceStatus } from './state/service-state.js';
import type { WebUiTarget } from './state/web-address.js';
import { StateTracker } from './state/state-tracker.js';
import { findingText, preflightErrorFor, preflightGate } from './preflight/index.js';
import { ProjectWriter, type Coordination, type WriterHost, type WriterNotice } from './operations/project-writer.js';
import { activityWords } from './operations/activity-words.js';
import { checkImagesOnOpen } from './availability/check-on-open.js';
import { notAvailableText } from './availability/image-availability.js';
import { forgetPullFailure, rememberPullFailure } from './availability/pull-failures.js';
import { backupBeforeDeleting } from './backups/index.js';

export interface Notice {
  level: 'info' | 'warning' | 'error';
  message: string;
  service?: string;
  at: number;
}

export interface ServiceOutcome {
  service: string;
  ok: boolean;
  error?: string;
}

export interface OperationResult {
  ok: boolean;
  services: ServiceOutcome[];
  /** What failed for the course as a whole rather than one service (e.g. its network could not be removed). */
  courseError?: string;
}

interface EnvironmentEvents {
  state: [ServiceState];
  notice: [Notice];
  /** Replaced or closed: whatever follows it (schedulers, sessions) lets go. */
  disposed: [];
}

export interface EnvironmentOptions {
  probe?: PortProbe;
  /** Longest wait for a service to become healthy before giving up. */
  readyTimeoutMs?: number;
  /** Values of the spec's declared variables (x-coursedock.variables) this install uses. */
  variables?: Record<string, string>;
  /** The project lock and operation journal shared with other processes (set by the Engine). */
  coordination?: Coordination;
  /**
   * Told when the student asks for services to run (up, start, restart, reinstall, reset) or
   * to stop (stop, down), before anything is done: the desired state kept across restarts.
   */
  onIntent?: (services: string[], want: 'running' | 'stopped') => void;
}

export class Environment extends EventEmitter<EnvironmentEvents> {
  readonly tracker: StateTracker;
  private readonly queues = new ServiceQueues();
  private readonly portMemory: PortMemory;
  private readonly probe: PortProbe;
  private readonly readyTimeoutMs: number;
  private readonly variables: Record<string, string>;
  private readonly onIntent: NonNullable<EnvironmentOptions['onIntent']>;
  private readonly onContainer = (e: ContainerEvent) => this.containerEvent(e);
  private readonly onStatus = () => {
    if (this.connection.status().state !== 'connected') return;
    void this.tracker.refreshAll();
    this.recovery = this.writer.recover(); // operations cut short when Docker went away
  };
  /** One writer per project across processes, and the journal of multi-step operations. */
  private readonly writer: ProjectWriter;
  private recovery: Promise<WriterNotice[]> = Promise.resolve([]);
  /** The start-up probe of each service's current run (state/start-up-probes.ts). */
  private readonly startUp: StartUpProbes;
  /** What the plan executor (converge/) needs from this environment. */
  private readonly host: ExecutorHost;

  constructor(
    readonly spec: CourseSpec,
    private readonly connection: DockerConnection,
    private readonly store: SettingsStore,
    options: EnvironmentOptions = {},
  ) {
    super();
    this.setMaxListeners(100);
    this.probe = options.probe ?? isPortFree;
    this.readyTimeoutMs = options.readyTimeoutMs ?? 10 * 60_000;
    this.variables = options.variables ?? {};
    this.onIntent = options.onIntent ?? (() => undefined);
    this.tracker = new StateTracker(spec, () => connection.docker);
    this.startUp = new StartUpProbes(spec, this.tracker, () => connection.docker);
    this.tracker.on('state', (s) => {
      this.startUp.follow(s.service);
      this.emit('state', s);
    });
    this.portMemory = {
      get: (service, key) => readSetting(store, envKey(spec.project, 'ports', service, key), z.number()),
      set: (service, key, port) => store.set(envKey(spec.project, 'ports', service, key), port),
      pin: (service, key) => readSetting(store, envKey(spec.project, 'portPins', service, key), z.number()),
    };
    this.writer = new ProjectWriter(this.writerHost(), options.coordination);
    this.host = this.executorHost();
    connection.on('container', this.onContainer);
    connection.on('status', this.onStatus);
  }

  get project(): string {
    return this.spec.project;
  }

  /** Reads the current state of every service from Docker (once; events keep it current). */
  async init(): Promise<void> {
    if (!this.connection.docker) return;
    await this.tracker.refreshAll();
    // A service whose image cannot be had here says so now, not after someone presses Start.
    await checkImagesOnOpen(this.connection.docker, this.spec, this.store, { mark: (service, reason) => this.markAvailability(service, reason) });
    // A service found starting is probed once before the state is read (e.g. by `status`).
    await this.startUp.firstAnswers();
    this.recovery = this.writer.recover();
  }

  /** Not available (with words) or available again, as found when the environment opened; never mid-operation. */
  private markAvailability(service: string, reason: string | undefined): void {
    if (this.queues.busy(service)) return;
    if (reason) this.tracker.setError(service, reason, true);
    else if (this.tracker.get(service).unavailable) this.tracker.setError(service, undefined);
  }

  /** A download that failed (or worked) is remembered per environment, with its time. */
  private rememberImageOutcome(service: string, err: unknown): void {
    const svc = this.spec.services[service];
    if (!svc || svc.build) return;
    if (!err) { forgetPullFailure(this.store, this.spec.project, service); return; }
    if (!(err instanceof ImageUnavailableError)) return;
    const failure = { image: svc.image, at: new Date().toISOString(), reason: err.message };
    rememberPullFailure(this.store, this.spec.project, service, failure);
    this.tracker.setError(service, notAvailableText(failure), true);
  }

  /** Resolves, with what was said, once operations the journal found cut short are dealt with. */
  recovered(): Promise<WriterNotice[]> {
    return this.recovery;
  }

  /** How operations found cut short ended, for a panel that connects afterwards. */
  recoveryNotices(): Notice[] {
    return this.writer.outcomes.map(({ level, message, service, at }) => ({ level, message, at, ...(service ? { service } : {}) }));
  }

  /** The value this install uses for a declared variable (a folder, a uid, a token). */
  variable(name: string): string | undefined {
    return this.variables[name];
  }

  states(): ServiceState[] {
    return this.tracker.all();
  }

  state(service: string): ServiceState {
    this.assertService(service);
    return this.tracker.get(service);
  }

  /**
   * Where the service's running web UI answers, with its token: for the shells' proxies and the
   * CLI's `status --json`, never for state events.
   */
  webTarget(service: string): WebUiTarget | undefined {
    this.assertService(service);
    return this.tracker.webTarget(service);
  }

  dispose(): void {
    this.startUp.dispose();
    this.connection.off('container', this.onContainer);
    this.connection.off('status', this.onStatus);
    this.writer.dispose();
    this.tracker.dispose();
    this.emit('disposed');
    this.removeAllListeners();
  }

  /** Resolves when no operation is queued or running. */
  idle(): Promise<void> {
    return this.queues.idle();
  }

  busy(service: string): boolean {
    return this.queues.busy(service);
  }

  private containerEvent(e: ContainerEvent): void {
    if (e.project !== this.spec.project || e.oneoff || !(e.service in this.spec.services)) return;
    void this.tracker.refresh(e.service);
  }

  private notice(level: Notice['level'], message: string, service?: string): void {
    this.emit('notice', { level, message, ...(service ? { service } : {}), at: Date.now() });
  }

  /** What the project writer (lock, journal, recovery) needs from this environment. */
  private writerHost(): WriterHost {
    return {
      spec: this.spec,
      docker: () => this.docker(),
      notice: (n) => this.notice(n.level, n.message, n.service),
      title: (service) => this.title(service),
      waiting: (services, text) => {
        for (const s of services) {
          const op = this.tracker.get(s).operation;
          if (op) this.phase(s, op.kind, text ?? 'working');
        }
      },
      bringUp: async (service, kind, refreshImage) => {
        const r = await this.runUp([service], kind, refreshImage ? { force: [service] } : {});
        return { ok: r.ok, ...(r.ok ? {} : { error: r.services.find((o) => !o.ok)?.error }) };
      },
    };
  }

  private assertService(service: string): void {
    if (!(service in this.spec.services)) {
      throw new Error(
        `There is no service "${service}" in ${this.spec.meta.title}. Services: ${Object.keys(this.spec.services).join(', ')}.`,
      );
    }
  }

  private async docker(): Promise<Dockerode> {
    return this.connection.require();
  }

  // ---- planning -------------------------------------------------------------------------

  /** What `up` would do now, without doing it (for `coursedock plan` and tests). */
  async plan(services?: string[]): Promise<UpPlan> {
    const docker = await this.docker();
    const actual = await readActualState(docker, this.spec);
    return (await this.planFor(actual, dependencyOrder(this.spec, services), this.readOnlyPortMemory())).plan;
  }

  /** The plan of `up` for these services against `actual`: the one `plan()` shows and `up` executes. */
  private async planFor(actual: ActualState, names: string[], memory: PortMemory, force: string[] = []): Promise<{ plan: UpPlan; ports: Record<string, ResolvedPort[]>; notices: PortNotice[] }> {
    const { ports, notices } = await resolvePorts(this.spec, actual, memory, this.probe, names);
    const plan = planUp(this.spec, actual, ports, { services: names, forceRecreate: force, refreshImages: force });
    return { plan, ports, notices };
  }

  private readOnlyPortMemory(): PortMemory {
    const { pin } = this.portMemory;
    return { get: (service, key) => this.portMemory.get(service, key), set: () => undefined, ...(pin ? { pin: (service, key) => pin(service, key) } : {}) };
  }

  // ---- operations -----------------------------------------------------------------------

  /** Runs `task` in the service's queue with the operation shown in its state. */
  private operate<T>(service: string, kind: OperationKind, task: () => Promise<T>): Promise<T> {
    return this.queues.run(service, async () => {
      this.tracker.setError(service, undefined);
      this.tracker.setPhase(service, { kind, phase: 'working', startedAt: Date.now() });
      try {
        const result = await task();
        this.rememberImageOutcome(service, undefined);
        return result;
      } catch (err) {
        const message = describeError(err);
        this.tracker.setError(service, message, err instanceof ImageUnavailableError);
        this.rememberImageOutcome(service, err);
        throw err;
      } finally {
        this.tracker.setPhase(service, undefined);
        await this.tracker.refresh(service);
      }
    });
  }

  private phase(service: string, kind: OperationKind, phase: string, status?: ServiceStatus): void {
    this.tracker.setPhase(service, {
      kind,
      phase,
      ...(status ? { status } : {}),
      startedAt: Date.now(),
    });
  }

  /**
   * Brings services (default: all) and their dependencies up: images fetched or built,
   * containers created or recreated when their configuration changed, started, and waited for
   * until healthy. Independent services go in parallel; dependents wait for the condition
   * their `depends_on` names. One service failing does not stop the others.
   */
  up(services?: string[]): Promise<OperationResult> {
    return this.runUp(services, 'up', {});
  }

  /**
   * Reads Docker once, plans (the plan `plan()` shows) and hands the plan to the executor
   * (converge/plan-executor.ts). Every service's task is queued synchronously, at call time.
   */
  private runUp(
    roots: string[] | undefined,
    kind: OperationKind,
    options: { force?: string[]; before?: Record<string, () => Promise<void>>; onlyRoots?: boolean; journal?: 'reinstall' | 'reset' },
  ): Promise<OperationResult> {
    try {
      roots?.forEach((s) => this.assertService(s));
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
    // onlyRoots (bringing back): dependencies not named are neither started nor waited for.
    const names = dependencyOrder(this.spec, roots).filter((n) => !options.onlyRoots || !roots || roots.includes(n));
    if (!options.onlyRoots) this.onIntent(names, 'running');
    // Planned again at their turn: an earlier operation may still change their containers.
    const replan = new Set(names.filter((n) => this.queues.busy(n) || options.before?.[n] !== undefined));
    const force = options.force ?? [];
    let release: (() => void) | undefined;
    const prepared = (async (): Promise<Prepared> => {
      const docker = await this.docker();
      await this.preflight(docker, names, kind);
      release = await this.writer.hold(activityWords(kind, roots, this.title.bind(this)), names);
      // Side by side: the network, the volumes, and the one read of containers, images and
      // build contexts the plan is made from.
      const [repaired, actual] = await Promise.all([
        ensureNetwork(docker, this.spec.project, this.spec.networks),
        readActualState(docker, this.spec),
        this.ensureVolumes(docker, names),
      ]);
      if (repaired) this.notice('warning', repaired);
      const { plan, ports, notices } = await this.planFor(actual, names, this.portMemory, force);
      for (const n of notices) if (!replan.has(n.service)) this.notice(n.level, n.message, n.service);
      for (const name of names) if (!replan.has(name)) this.tracker.setRequestedPorts(name, ports[name] ?? []);
      return { docker, actual, steps: new Map(plan.services.map((s) => [s.service, s])) };
    })();
    prepared.catch(() => undefined);
    const run: Execution = {
      kind,
      roots,
      names,
      replan,
      force: new Set(force),
      ...(options.before ? { before: options.before } : {}),
      ...(options.journal ? { journal: options.journal } : {}),
      failure: preflightErrorFor,
    };
    return executePlan(this.host, run, prepared).finally(() => release?.());
  }

  /**
   * Host problems in words before anything is created or removed (preflight/): warnings are
   * said, errors refuse the operation. Ports are checked when services are asked to run.
   */
  private async preflight(docker: Dockerode, names: string[], kind: OperationKind): Promise<void> {
    await preflightGate(docker, this.spec, names, {
      variables: this.variables,
      ports: kind === 'up' || kind === 'start',
      probe: this.probe,
      warn: (f) => this.notice('warning', findingText(f), f.service),
    });
  }

  private async ensureVolumes(docker: Dockerode, names: string[]): Promise<void> {
    // Creating an existing volume is a no-op in Docker: its data stays as it is.
    await Promise.all(namedVolumesOf(this.spec, names).map((vol) => ensureVolume(docker, this.spec.project, vol.dockerName, vol.key)));
  }

  private title(service: string): string {
    return this.spec.services[service]?.meta.title ?? service;
  }

  /** Host ports for one service (remembered, moves said), shown in its state. */
  private async servicePorts(actual: ActualState, name: string): Promise<ResolvedPort[]> {
    const { ports, notices } = await resolvePorts(this.spec, actual, this.portMemory, this.probe, [name]);
    for (const n of notices) this.notice(n.level, n.message, n.service);
    const resolved = ports[name] ?? [];
    this.tracker.setRequestedPorts(name, resolved);
    return resolved;
  }

  /** What the executor needs from this environment. */
  private executorHost(): ExecutorHost {
    return {
      spec: this.spec,
      tracker: this.tracker,
      writer: this.writer,
      readyTimeoutMs: this.readyTimeoutMs,
      phase: (service, kind, phase, status) => this.phase(service, kind, phase, status),
      notice: (level, message, service) => this.notice(level, message, service),
      title: (service) => this.title(service),
      servicePorts: (actual, service) => this.servicePorts(actual, service),
      operate: (service, kind, task) => this.operate(service, kind, task),
      resetVolumes: (service) => this.resetVolumes(service),
    };
  }

  /**
   * Fetches or builds every image that is missing (what the setup script runs before the first
   * start), without creating containers. Images that cannot be had are reported, not fatal.
   */
  async prepareImages(): Promise<OperationResult> {
    return prepareImages(this.host, await this.docker());
  }

  /** Starts one service (creating or updating its container if needed) and its dependencies. */
  start(service: string): Promise<OperationResult> {
    this.assertService(service);
    return this.runUp([service], 'start', {});
  }

  /**
   * Starts services the student had running (after Docker or the app restarted) without
   * recording a new wish and without starting dependencies not named: a dependency the student
   * stopped stays stopped.
   */
  bringBack(services: string[]): Promise<OperationResult> {
    return this.runUp(services, 'start', { onlyRoots: true });
  }

  /** Stops one service; the others keep running. */
  stop(service: string): Promise<OperationResult> {
    this.assertService(service);
    this.onIntent([service], 'stopped');
    return this.single(service, 'stop', async (docker) => {
      const id = this.tracker.containerId(service);
      if (!id) return;
      this.phase(service, 'stop', 'stopping', 'stopping');
      await stopContainer(docker, id, this.stopTimeout(service));
    });
  }

  private stopTimeout(service: string): number {
    const ms = this.spec.services[service]?.stopGracePeriodMs;
    return ms === undefined ? 10 : Math.ceil(ms / 1000);
  }

  /** Stops and starts the same container (its filesystem is kept); creates it if missing. */
  restart(service: string): Promise<OperationResult> {
    this.assertService(service);
    return this.runUp([service], 'restart', {
      before: {
        [service]: async () => {
          const docker = await this.docker();
          const id = this.tracker.containerId(service);
          if (!id) return;
          this.phase(service, 'restart', 'stopping', 'stopping');
          await stopContainer(docker, id, this.stopTimeout(service));
        },
      },
    });
  }

  /**
   * A fresh container from a freshly fetched (or rebuilt) image. Named volumes and bind mounts
   * are kept, so the student's databases and notebooks survive; anonymous volumes go.
   */
  reinstall(service: string): Promise<OperationResult> {
    this.assertService(service);
    return this.runUp([service], 'reinstall', { force: [service], journal: 'reinstall' });
  }

  /** Docker names of the named volumes a reset of this service deletes. */
  resetVolumes(service: string): string[] {
    this.assertService(service);
    return namedVolumesOf(this.spec, [service]).map((v) => v.dockerName);
  }

  /**
   * Reinstall plus deleting the service's named volumes: the only operation that deletes
   * student data, so it requires `confirm: true` from the caller (the UI asks the student).
   */
  reset(service: string, options: { confirm: boolean; backup?: boolean }): Promise<OperationResult> {
    this.assertService(service);
    if (!options.confirm) {
      return Promise.reject(
        new Error(`Reset deletes the data of ${this.title(service)} (${this.resetVolumes(service).join(', ') || 'no volumes'}); it needs an explicit confirmation.`),
      );
    }
    return this.runUp([service], 'reset', {
      force: [service],
      journal: 'reset',
      before: {
        [service]: async () => {
          const docker = await this.docker();
          // Undoable: the data is backed up first (engine/backups); a failed backup stops the reset.
          if (options.backup !== false && this.resetVolumes(service).length) {
            this.phase(service, 'reset', 'backing up the data first', 'stopping');
            this.notice('info', await backupBeforeDeleting(docker, this, this.store, service), service);
          }
          this.phase(service, 'reset', 'deleting data', 'stopping');
          for (const c of await listProjectContainers(docker, this.spec.project)) {
            if (c.service === service) await removeContainer(docker, c.id);
          }
          this.writer.mark(service, 'deleting-data');
          for (const name of this.resetVolumes(service)) {
            if (!(await removeVolume(docker, name))) continue;
            this.notice('info', `Deleted the data of ${this.title(service)} (volume ${name}).`, service);
          }
          await this.ensureVolumes(docker, [service]);
          this.writer.mark(service, 'data-deleted');
        },
      },
    });
  }

  /** Stops and removes every container and the network; volumes (student data) are kept. */
  async down(): Promise<OperationResult> {
    const release = await this.writer.hold(activityWords('down', undefined, this.title.bind(this)), Object.keys(this.spec.services));
    try {
      return await this.downHoldingLock();
    } finally {
      release();
    }
  }

  private async downHoldingLock(): Promise<OperationResult> {
    const order = dependencyOrder(this.spec).reverse();
    this.onIntent(order, 'stopped');
    return takeDown(this.host, order, () => this.docker(), (service) => this.stopTimeout(service));
  }

  private async single(
    service: string,
    kind: OperationKind,
    task: (docker: Dockerode) => Promise<void>,
  ): Promise<OperationResult> {
    // Queued before any await: see runUp.
    const queued = this.operate(service, kind, async () => {
      const release = await this.writer.hold(activityWords(kind, [service], this.title.bind(this)), [service]);
      try {
        await task(await this.docker());
      } finally {
        release();
      }
    });
    try {
      await queued;
      return { ok: true, services: [{ service, ok: true }] };
    } catch (err) {
      return { ok: false, services: [{ service, ok: false, error: describeError(err) }] };
    }
  }

  // ---- terminals ------------------------------------------------------------------------

  /**
   * A shell in the service's running container (bash when present, else sh), as the user the
   * service runs as (terminals/terminal-user.ts); `asRoot`: as root, the student's explicit choice.
   */
  async openTerminal(service: string, size: { cols?: number; rows?: number; asRoot?: boolean } = {}): Promise<Terminal> {
    this.assertService(service);
    const docker = await this.docker();
    const id = this.tracker.containerId(service);
    if (!id || this.tracker.get(service).status === 'stopped' || this.tracker.get(service).status === 'missing') {
      throw new Error(`${this.title(service)} is not running: start it to open a terminal.`);
    }
    const { cols, rows, asRoot } = size;
    const who = terminalUser(this.spec, service, this.variables, { asRoot: !!asRoot });
    return openContainerShell(docker, id, this.title(service), { cols, rows, ...who });
  }

  // ---- logs -----------------------------------------------------------------------------

  /** The last `tail` lines of a service's output and, with `follow`, every new line. */
  async logs(
    service: string,
    options: { tail?: number; follow?: boolean },
    onLine: (line: LogLine) => void,
  ): Promise<LogHandle> {
    this.assertService(service);
    const docker = await this.docker();
    const id = this.tracker.containerId(service);
    if (!id) throw new Error(`${this.title(service)} has no container yet: start it first.`);
    const view = await inspectContainer(docker, id);
    if (!view) throw new Error(`${this.title(service)} has no container yet: start it first.`);
    return followLogs(docker, id, options, onLine);
  }
}
