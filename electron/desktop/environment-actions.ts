// What the tray, the dock menu, the app menu and the quit question do to the course
// environments, through the same contract the panel uses (an ApiSession of the main process:
// same validation, same operations queue, and the panel sees the progress as events).
import type { Engine } from '../engine/engine.js';
import type { ServiceStatus } from '../engine/state/service-state.js';
import type { OperationResult } from '../engine/environment.js';

export interface ContractCaller {
  call(method: string, input: unknown): Promise<unknown>;
}

/** States in which a service has (or is getting) a running container. */
const UP: ReadonlySet<ServiceStatus> = new Set(['creating', 'starting', 'running', 'healthy', 'unhealthy', 'pulling', 'building']);

export class EnvironmentActions {
  constructor(
    private readonly engine: Pick<Engine, 'opened'>,
    private readonly api: ContractCaller,
  ) {}

  projects(): string[] {
    return this.engine.opened().map((e) => e.project);
  }

  /** Whether any open environment has a service running (or on its way up). */
  anyRunning(): boolean {
    return this.engine.opened().some((e) => e.states().some((s) => UP.has(s.status)));
  }

  /** Host ports open environments publish on 127.0.0.1: where the panel's links may point. */
  publishedPorts(): Set<number> {
    const ports = new Set<number>();
    for (const e of this.engine.opened()) for (const s of e.states()) for (const p of s.ports) ports.add(p.hostPort);
    return ports;
  }

  /** The first running web UI (the notebook): where the notebook window goes. */
  notebookService(): { project: string; service: string } | undefined {
    for (const e of this.engine.opened()) {
      for (const s of e.states()) if (s.webUrl && UP.has(s.status)) return { project: e.project, service: s.service };
    }
    return undefined;
  }

  /**
   * A one-time URL for that notebook on its own origin (service.webView), for the notebook
   * window: the window never gets the notebook's token, the shell's proxy adds it.
   */
  async notebookUrl(): Promise<string | undefined> {
    const target = this.notebookService();
    if (!target) return undefined;
    const { url } = (await this.api.call('service.webView', target)) as { url: string };
    return url;
  }

  async startAll(): Promise<OperationResult[]> {
    return Promise.all(this.projects().map((project) => this.api.call('env.up', { project }) as Promise<OperationResult>));
  }

  async stopAll(): Promise<OperationResult[]> {
    return Promise.all(this.projects().map((project) => this.api.call('env.down', { project }) as Promise<OperationResult>));
  }
}
