// The contract for one signed-in student: the same methods the panel calls on a laptop, each
// checked against the student's project first (student-rules.ts), then answered over their
// desk (their stack on the Swarm). Terminals and log subscriptions belong to the session that
// opened them. State is pushed as `env.state` events from a light poll of the student's own
// stack while the panel is connected (Swarm has no per-task event stream worth following here).
import { randomUUID } from 'node:crypto';
import { ApiFailure, apiError, type Events, type EventName, type MethodName, type MethodOutput, type ParsedInput, type Settings } from '../../../api/contract.js';
import type { DockerStatus } from '../../docker/docker-connection.js';
import type { LogHandle, LogLine } from '../../docker/logs.js';
import type { ServiceState } from '../../state/service-state.js';
import type { Terminal } from '../../terminals/terminal.js';
import { checkStudentCall } from './student-rules.js';
import type { StudentDesk } from './student-desk.js';

export type Emit = <E extends EventName>(event: E, payload: Events[E]) => void;
type Handlers = { [M in MethodName]: (input: ParsedInput<M>) => Promise<MethodOutput<M>> | MethodOutput<M> };

export interface StudentSessionOptions {
  /** A one-time URL for the student's web page on its own origin. */
  webView(desk: StudentDesk, service: string): Promise<{ url: string }>;
  /** Docker's status as the front door sees it. */
  dockerStatus(): DockerStatus;
  /** Called on every call (idle culling counts it as activity). */
  onActivity?: () => void;
  /** How often the student's states are polled for `env.state` events (0: never). */
  pollMs?: number;
  /** Words for the student when their panel opens (asked once per env.open), e.g. why their stack was stopped. */
  welcome?: () => string | undefined;
}

const LOG_BATCH_MS = 50;

export class StudentSession {
  private readonly handlers: Handlers;
  private readonly terminals = new Map<string, Terminal>();
  private readonly logs = new Map<string, LogHandle | undefined>();
  private readonly lastStates = new Map<string, string>();
  private poll: NodeJS.Timeout | undefined;
  private disposed = false;
  private opened = false;

  constructor(
    readonly desk: StudentDesk,
    private readonly emit: Emit,
    private readonly options: StudentSessionOptions,
  ) {
    this.handlers = this.makeHandlers();
    const every = options.pollMs ?? 2000;
    if (every > 0) {
      this.poll = setInterval(() => void this.pushStates(), every);
      this.poll.unref();
    }
  }

  async call(method: string, input: unknown): Promise<unknown> {
    const parsed = checkStudentCall(method, input, this.desk.project);
    this.options.onActivity?.();
    try {
      const handler = this.handlers[parsed.method] as (i: unknown) => unknown;
      return await handler(parsed.input);
    } catch (err) {
      if (err instanceof ApiFailure) throw err;
      throw apiError('failed', err instanceof Error ? err.message : String(err));
    }
  }

  /** Whether dispose() has run: a method, so a check after an await reads the field anew. */
  private hasEnded(): boolean {
    return this.disposed;
  }

  dispose(): void {
    this.disposed = true;
    clearInterval(this.poll);
    for (const t of this.terminals.values()) t.close();
    this.terminals.clear();
    for (const h of this.logs.values()) h?.stop();
    this.logs.clear();
  }

  private tellWelcome(): void {
    if (this.disposed || !this.opened) return;
    const message = this.options.welcome?.();
    if (message) this.emit('env.notice', { project: this.desk.project, notice: { level: 'info', message, at: Date.now() } });
  }

  /** Emits `env.state` for each service whose state changed since the last push. */
  async pushStates(): Promise<void> {
    if (this.disposed) return;
    this.tellWelcome();
    const states = await this.desk.states().catch(() => undefined);
    if (!states || this.hasEnded()) return;
    for (const state of states) this.remember(state, true);
  }

  private remember(state: ServiceState, emit: boolean): void {
    const key = JSON.stringify(state);
    if (this.lastStates.get(state.service) === key) return;
    this.lastStates.set(state.service, key);
    if (emit) this.emit('env.state', { project: this.desk.project, state });
  }

  private afterOperation<T>(result: Promise<T>): Promise<T> {
    return result.finally(() => void this.pushStates());
  }

  private settings(): Settings {
    return { dockerEndpoint: null, dataDir: '', bringBackServices: true, restartStaleAfterSleep: true, environments: {} };
  }

  private makeHandlers(): Handlers {
    const desk = this.desk;
    const op = (kind: 'start' | 'stop' | 'restart' | 'reinstall') => ({ service }: { service: string }) =>
      this.afterOperation(desk[kind](service));
    return {
      'docker.status': () => this.options.dockerStatus(),
      'docker.retry': () => this.options.dockerStatus(),
      'courses.list': () => {
        const info = desk.info();
        return [{ id: info.course, title: info.title, file: info.file, ...(info.description ? { description: info.description } : {}) }];
      },
      'env.open': async () => {
        const info = desk.info();
        const states = await desk.states();
        for (const s of states) this.remember(s, false);
        // Told just after the answer, once the panel knows its project (it drops other projects'
        // notices); a message that comes later (the sign-in's work still running) at the next poll.
        this.opened = true;
        setTimeout(() => this.tellWelcome(), 300);
        return { ...info, states };
      },
      'env.state': async () => desk.states(),
      'env.up': ({ service }) => this.afterOperation(desk.up(service)),
      'env.down': () => this.afterOperation(desk.down()),
      'env.check': () => refusedHere(),
      'env.supportBundle': () => refusedHere(),
      'service.data': () => refusedHere(),
      'service.openDataFolder': () => refusedHere(),
      'service.openWork': () => refusedHere(),
      'service.saveNotebookWindows': () => refusedHere(),
      'env.fix': () => refusedHere(),
      'env.profiles': () => refusedHere(),
      'onboarding.state': () => refusedHere(),
      'onboarding.start': () => refusedHere(),
      'service.start': op('start'),
      'service.stop': op('stop'),
      'service.restart': op('restart'),
      'service.reinstall': op('reinstall'),
      'service.reset': ({ service }) => this.afterOperation(desk.reset(service)),
      'service.revealSecret': ({ service, field }) => {
        if (field === 'token') throw apiError('invalid-input', 'In a classroom the front door signs you in to the notebook: there is no token to show.');
        const value = desk.password(service);
        if (value === undefined) throw apiError('invalid-input', `${service} has no password.`);
        return { value };
      },
      'service.confirmDataLocation': () => refusedHere(),
      'service.webView': async ({ service }) => {
        try {
          return await this.options.webView(desk, service);
        } catch (err) {
          throw apiError('invalid-input', err instanceof Error ? err.message : String(err));
        }
      },
      'logs.subscribe': ({ service, tail }) => this.startLogs(service, tail),
      'logs.unsubscribe': ({ subscription }) => {
        this.ownLog(subscription);
        this.logs.get(subscription)?.stop();
        this.logs.delete(subscription);
        return { ok: true as const };
      },
      'terminal.open': async (input) => {
        if ('host' in input) return refusedHere();
        const terminal = await desk.openTerminal(input.service, input);
        this.terminals.set(terminal.id, terminal);
        terminal.onData((data) => this.emit('terminal.data', { terminal: terminal.id, data }));
        terminal.onExit((info) => {
          this.terminals.delete(terminal.id);
          this.emit('terminal.exit', { terminal: terminal.id, ...info });
        });
        return { terminal: terminal.id, title: terminal.title };
      },
      'terminal.input': ({ terminal, data }) => {
        this.ownTerminal(terminal).write(data);
        return { ok: true as const };
      },
      'terminal.resize': async ({ terminal, cols, rows }) => {
        await this.ownTerminal(terminal).resize(cols, rows);
        return { ok: true as const };
      },
      'terminal.close': ({ terminal }) => {
        this.ownTerminal(terminal).close();
        this.terminals.delete(terminal);
        return { ok: true as const };
      },
      'snapshot.capture': () => refusedHere(),
      'snapshot.list': () => refusedHere(),
      'snapshot.drift': () => refusedHere(),
      'snapshot.reference': () => refusedHere(),
      'snapshot.recreate': () => refusedHere(),
      'settings.get': () => this.settings(),
      'settings.set': () => refusedHere(),
      'backup.list': () => refusedHere(),
      'backup.take': () => refusedHere(),
      'backup.restore': () => refusedHere(),
      'backup.delete': () => refusedHere(),
      'backup.reveal': () => refusedHere(),
      'backup.progress': () => refusedHere(),
      'backup.settings': () => refusedHere(),
      'courses.installBundle': () => refusedHere(),
      'courses.installProgress': () => refusedHere(),
      'courses.chooseBundleFile': () => refusedHere(),
    };
  }

  private ownTerminal(id: string): Terminal {
    const t = this.terminals.get(id);
    if (!t) throw apiError('invalid-input', 'That terminal is not one of yours (or it is closed).');
    return t;
  }

  private ownLog(id: string): void {
    if (!this.logs.has(id)) throw apiError('invalid-input', 'That log is not one of yours (or it has ended).');
  }

  private async startLogs(service: string, tail: number): Promise<{ subscription: string }> {
    const subscription = randomUUID();
    this.logs.set(subscription, undefined);
    let batch: LogLine[] = [];
    let timer: NodeJS.Timeout | undefined;
    const flush = () => {
      timer = undefined;
      if (!batch.length || !this.logs.has(subscription)) return;
      this.emit('logs.lines', { subscription, lines: batch });
      batch = [];
    };
    const handle = await this.desk.logs(service, { tail, follow: true }, (line) => {
      batch.push(line);
      timer ??= setTimeout(flush, LOG_BATCH_MS);
    });
    if (!this.logs.has(subscription)) handle.stop();
    else this.logs.set(subscription, handle);
    void handle.done.then(() => {
      clearTimeout(timer);
      flush();
      if (this.logs.delete(subscription)) this.emit('logs.end', { subscription, reason: 'the container stopped' });
    });
    return { subscription };
  }
}

/** Never reached: the rules refuse these first. A second wall, should a rule be loosened by mistake. */
function refusedHere(): never {
  throw apiError('invalid-input', 'Not offered in a classroom.');
}
