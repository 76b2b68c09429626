// The engine's single link to Docker: connects (discovering the endpoint), follows Docker's
// event stream for every Compose-labelled container, and notices when the engine goes away
// and comes back. Environments listen to it instead of polling.
import { EventEmitter } from 'node:events';
import type Dockerode from 'dockerode';
import {
  connectDocker,
  defaultDiscovery,
  DockerUnreachableError,
  type Attempt,
  type Connected,
  type DiscoveryInput,
} from './connect.js';
import { LABEL } from '../plan/labels.js';
import { onEventLines } from './event-lines.js';

export interface ContainerEvent {
  id: string;
  action: string;
  project: string;
  service: string;
  oneoff: boolean;
  exitCode?: number;
}

export type DockerStatus =
  | { state: 'connecting' }
  | { state: 'connected'; endpoint: string; source: string; version: string }
  | { state: 'unreachable'; attempts: Attempt[]; hint: string; message: string };

interface ConnectionEvents {
  status: [DockerStatus];
  container: [ContainerEvent];
  /** Docker answers again after the connection was lost (the engine restarted, or the computer). */
  reconnected: [];
}

/**
 * The container events that change a container's state, asked of Docker by name so that a
 * running course sends nothing while nothing happens: healthchecks (and terminals, and our own
 * start-up probes) run as execs, whose exec_create/exec_start/exec_die events would otherwise
 * arrive every few seconds. Docker matches health_status to "health_status: healthy" etc.
 */
const STATE_ACTIONS = ['create', 'start', 'restart', 'stop', 'kill', 'die', 'oom', 'pause', 'unpause', 'destroy', 'rename', 'update', 'health_status'] as const;

/** Retry delays while the engine is down: quick at first, then every few seconds. */
const RETRY_MS = [500, 1000, 2000, 3000];
const RETRY_MAX_MS = 5000;

export class DockerConnection extends EventEmitter<ConnectionEvents> {
  private connected?: Connected;
  private current: DockerStatus = { state: 'connecting' };
  private waiters: Array<(c: Connected) => void> = [];
  private retry = 0;
  private timer?: NodeJS.Timeout;
  private events?: NodeJS.ReadableStream & { destroy?: () => void };
  private closed = false;
  /** Set once connected; a later connection is a reconnection. */
  private wasConnected = false;

  constructor(private readonly discovery: () => DiscoveryInput = () => defaultDiscovery()) {
    super();
  }

  status(): DockerStatus {
    return this.current;
  }

  get docker(): Dockerode | undefined {
    return this.connected?.docker;
  }

  // Read through calls after an await: close() or a lost event stream may have changed these
  // meanwhile, which a check of the field made before the await would hide from the compiler.
  private connection(): Connected | undefined {
    return this.connected;
  }

  private isClosed(): boolean {
    return this.closed;
  }

  /** Starts connecting (and keeps trying in the background until close()). */
  start(): void {
    void this.attempt();
  }

  /** Resolves with a connected client, or rejects at once with what was tried. */
  async require(): Promise<Dockerode> {
    if (this.connected) return this.connected.docker;
    await this.attempt();
    const connected = this.connection();
    if (connected) return connected.docker;
    const s = this.current;
    if (s.state === 'unreachable') throw new DockerUnreachableError(s.attempts, s.hint);
    throw new Error('Docker is not connected');
  }

  /** Tries to connect now instead of at the next retry (the "Try again" button). */
  async retryNow(): Promise<DockerStatus> {
    this.retry = 0;
    await this.attempt();
    return this.current;
  }

  /** Resolves when Docker answers, however long that takes. */
  whenConnected(): Promise<Dockerode> {
    if (this.connected) return Promise.resolve(this.connected.docker);
    return new Promise((resolve) => this.waiters.push((c) => resolve(c.docker)));
  }

  private setStatus(s: DockerStatus): void {
    this.current = s;
    this.emit('status', s);
  }

  private attempting?: Promise<void>;

  private attempt(): Promise<void> {
    this.attempting ??= this.tryConnect().finally(() => (this.attempting = undefined));
    return this.attempting;
  }

  private async tryConnect(): Promise<void> {
    if (this.closed || this.connected) return;
    clearTimeout(this.timer);
    try {
      const c = await connectDocker(this.discovery());
      if (this.isClosed()) return;
      this.connected = c;
      this.retry = 0;
      await this.followEvents(c.docker);
      if (this.isClosed()) {
        // Closed while we were connecting: let go of the stream we just opened.
        this.events?.destroy?.();
        return;
      }
      this.setStatus({ state: 'connected', endpoint: c.endpoint.url, source: c.endpoint.source, version: c.version });
      for (const w of this.waiters.splice(0)) w(c);
      if (this.wasConnected) this.emit('reconnected');
      this.wasConnected = true;
    } catch (err) {
      this.connected = undefined;
      if (err instanceof DockerUnreachableError) {
        this.setStatus({ state: 'unreachable', attempts: err.attempts, hint: err.hint, message: err.message });
      } else {
        this.setStatus({ state: 'unreachable', attempts: [], hint: String(err), message: String(err) });
      }
      this.scheduleRetry();
    }
  }

  private scheduleRetry(): void {
    if (this.closed) return;
    // Nothing tells us when an engine starts, so while it is down we look again now and then.
    const delay = RETRY_MS[this.retry++] ?? RETRY_MAX_MS;
    this.timer = setTimeout(() => void this.attempt(), delay);
    this.timer.unref();
  }

  private async followEvents(docker: Dockerode): Promise<void> {
    const stream = (await docker.getEvents({
      filters: { type: ['container'], label: [LABEL.project], event: [...STATE_ACTIONS] },
    })) as NodeJS.ReadableStream & { destroy?: () => void };
    this.events = stream;
    onEventLines(stream, (line) => this.onEventLine(line));
    const lost = () => {
      if (this.events !== stream || this.closed) return;
      this.events = undefined;
      this.connected = undefined;
      this.setStatus({
        state: 'unreachable',
        attempts: [],
        hint: 'The Docker engine stopped answering. Start it again; Coursedock will reconnect by itself.',
        message: 'Lost the connection to Docker.',
      });
      this.scheduleRetry();
    };
    stream.on('end', lost);
    stream.on('close', lost);
    stream.on('error', lost);
  }

  private onEventLine(line: string): void {
    let e: { Type?: string; Action?: string; Actor?: { ID?: string; Attributes?: Record<string, string> } };
    try {
      e = JSON.parse(line) as typeof e;
    } catch {
      return;
    }
    const attrs = e.Actor?.Attributes ?? {};
    const action = e.Action ?? '';
    // Healthchecks run as execs every interval: they carry no state change of their own.
    if (e.Type !== 'container' || action.startsWith('exec_') || !e.Actor?.ID) return;
    const project = attrs[LABEL.project];
    const service = attrs[LABEL.service];
    if (!project || !service) return;
    this.emit('container', {
      id: e.Actor.ID,
      action,
      project,
      service,
      oneoff: attrs[LABEL.oneoff] === 'True',
      ...(attrs.exitCode !== undefined ? { exitCode: Number(attrs.exitCode) } : {}),
    });
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.events?.destroy?.();
    this.events = undefined;
    this.removeAllListeners();
  }
}
