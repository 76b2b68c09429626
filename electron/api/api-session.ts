// The contract implemented over the engine, once. A session is one connected UI (a window or a
// browser tab): it gets every engine event and owns its log subscriptions, which end with it.
// Shells only move JSON: they call `call()` with untrusted input and forward `emit` events.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { BRING_BACK_SETTING, type Engine } from '../engine/engine.js';
import { RESTART_STALE_SETTING } from '../engine/repairs/after-sleep.js';
import { declaredProfiles, profileViews } from '../engine/profile-choice.js';
import type { Environment } from '../engine/environment.js';
import { DockerUnreachableError } from '../engine/docker/connect.js';
import { describeError } from '../engine/describe-error.js';
import type { LogHandle, LogLine } from '../engine/docker/logs.js';
import { openHostShell } from '../engine/terminals/host-shell.js';
import { serviceInfo } from './service-info.js';
import { backupHandlers, onBackupProgress } from './backup-handlers.js';
import { bundleHandlers, onInstallProgress, type ChooseFile } from './bundle-handlers.js';
import { askOpenWork } from '../engine/open-work/open-work.js';
import { NO_NOTEBOOK_WINDOWS, type NotebookWindowsSaved } from './save-answer.js';
import { scheduleBackups } from '../engine/backups/backup-schedules.js';
import type { Terminal } from '../engine/terminals/terminal.js';
import { dataDir, readSetting } from '../engine/settings/settings-store.js';
import { envKey, expandHome } from '../engine/settings/variables.js';
import { SpecError } from '../engine/spec/index.js';
import { runChecks } from '../engine/checks/index.js';
import { onboardingFor } from '../engine/onboarding/index.js';
import { fixCheck } from '../engine/repairs/run-repair.js';
import { spaceScopeFromEnv } from '../engine/repairs/docker-space.js';
import { writeSupportBundle } from '../engine/support/support-bundle.js';
import { checkBundleSecrets } from '../engine/support/bundle-secrets.js';
import { measuredPlaces, studentDataPlaces } from '../engine/student-data/student-data.js';
import {
  courseReferenceFile,
  driftOf,
  listSnapshots,
  loadSnapshot,
  recreate,
  referenceOf,
  snapshotFile,
  takeSnapshot,
} from '../engine/snapshots/index.js';
import {
  ApiFailure,
  apiError,
  parseInput,
  type EnvironmentInfo,
  type EventName,
  type Events,
  type MethodName,
  type MethodOutput,
  type ParsedInput,
  type RecreateSummary,
  type Settings,
} from './contract.js';

export interface SessionOptions {
  /** Whether this UI may open a shell on the host (the desktop app; the browser shell only with --host-shell). */
  allowHostShell?: boolean;
  /** Serves services' web pages on origins of their own (service.webView); absent: none here. */
  webViews?: WebViewProvider;
  /** Opens a folder of this computer in its file manager (the desktop's shell.openPath); absent: the UI shows the path. */
  openFolder?: (folder: string) => Promise<void>;
  /** Shows a file or folder in the file manager (the desktop's shell.showItemInFolder); absent: the UI shows the path. */
  showInFolder?: (target: string) => void;
  /** The desktop's file picker (courses.chooseBundleFile); absent: the UI has the path typed. */
  chooseFile?: ChooseFile;
  /** Asks the desktop's notebook windows of a service to save (service.saveNotebookWindows); absent: there are none. */
  saveNotebookWindows?: (project: string, service: string) => Promise<NotebookWindowsSaved>;
  /** Bytes sent but not yet taken by the UI (a WebSocket's bufferedAmount); absent: none (IPC). */
  backlog?: () => number;
}

/** What the shell provides for service.webView: a one-time URL to a service's page. */
export interface WebViewProvider {
  webView(project: string, service: string): Promise<{ url: string }>;
}

export type Emit = <E extends EventName>(event: E, payload: Events[E]) => void;

type Handlers = { [M in MethodName]: (input: ParsedInput<M>) => Promise<MethodOutput<M>> | MethodOutput<M> };

/** Log lines are sent in batches: a chatty container must not cost one message per line. */
const LOG_BATCH_MS = 50;
const LOG_BATCH_MAX = 2000;
/**
 * A service printing faster than the UI reads (a WebSocket backlog above LOG_BACKLOG_BYTES):
 * its lines wait, so replies and state events are not queued behind megabytes of log, and only
 * the newest LOG_HOLD_LINES are kept, which is more than the panel shows (LOG_CAPACITY in
 * renderer/src/hooks/use-logs.ts); the rest are counted as skipped.
 */
const LOG_BACKLOG_BYTES = 1024 * 1024;
const LOG_HOLD_LINES = 10_000;

export class ApiSession {
  private readonly logs = new Map<string, { handle?: LogHandle; closed: boolean }>();
  private readonly detach: Array<() => void> = [];
  private readonly watched = new WeakSet<Environment>();
  private readonly handlers: Handlers;
  private readonly terminals = new Map<string, Terminal>();
  private disposed = false;

  constructor(
    private readonly engine: Engine,
    private readonly emit: Emit,
    private readonly options: SessionOptions = {},
  ) {
    const onStatus = (s: Events['docker.status']) => emit('docker.status', s);
    engine.connection.on('status', onStatus);
    this.detach.push(() => engine.connection.off('status', onStatus));
    // Long work's progress is pushed as it changes (throttled where it is made), never polled.
    this.detach.push(onInstallProgress(engine, (p) => emit('courses.installProgress', p)));
    this.detach.push(onBackupProgress((p) => emit('backup.progress', p)));
    for (const env of engine.opened()) this.watch(env);
    // A reload (another panel's settings change, a profile switch) replaces an environment: this
    // panel keeps hearing its states.
    const onReplaced = (old: Environment, next: Environment) => {
      if (this.watched.has(old)) this.watch(next);
    };
    this.detach.push(engine.onReplaced(onReplaced));
    this.handlers = this.makeHandlers();
  }

  /** Validates and runs one call; errors come back as ApiFailure with a code and words. */
  async call(method: string, input: unknown): Promise<unknown> {
    const parsed = parseInput(method, input);
    try {
      const handler = this.handlers[parsed.method] as (i: unknown) => unknown;
      return await handler(parsed.input);
    } catch (err) {
      throw toApiFailure(err);
    }
  }

  /** Whether dispose() has run: a method, so a check after an await reads the field anew. */
  private hasEnded(): boolean {
    return this.disposed;
  }

  dispose(): void {
    this.disposed = true;
    for (const d of this.detach.splice(0)) d();
    for (const [id] of this.logs) this.stopLogs(id);
    for (const t of this.terminals.values()) t.close();
    this.terminals.clear();
  }

  private watch(env: Environment): void {
    if (this.watched.has(env)) return;
    this.watched.add(env);
    scheduleBackups(this.engine, env); // daily backups while it runs, when switched on in settings
    const onState = (state: Events['env.state']['state']) => this.emit('env.state', { project: env.project, state });
    const onNotice = (notice: Events['env.notice']['notice']) => this.emit('env.notice', { project: env.project, notice });
    env.on('state', onState);
    env.on('notice', onNotice);
    // An interrupted operation finished before this panel connected is still told (journal).
    for (const notice of env.recoveryNotices()) this.emit('env.notice', { project: env.project, notice });
    this.detach.push(() => {
      env.off('state', onState);
      env.off('notice', onNotice);
    });
  }

  private env(project: string): Environment {
    const env = this.engine.opened().find((e) => e.project === project);
    if (!env) throw apiError('invalid-input', `Environment "${project}" is not open: open its course first.`);
    this.watch(env);
    return env;
  }

  private info(env: Environment, course: string): EnvironmentInfo {
    const { spec } = env;
    return {
      project: spec.project,
      course,
      title: spec.meta.title,
      ...(spec.meta.description ? { description: spec.meta.description } : {}),
      file: spec.file,
      services: Object.values(spec.services).map((s) =>
        serviceInfo(s, { resetVolumes: env.resetVolumes(s.name), dependsOn: Object.keys(s.dependsOn) }),
      ),
      variables: spec.meta.variables.map((v) => ({
        name: v.name,
        kind: v.kind,
        ...(v.description ? { description: v.description } : {}),
        // Tokens are never sent unless asked for (service.revealSecret).
        ...(v.kind === 'token' ? {} : { value: env.variable(v.name) }),
      })),
      warnings: spec.warnings,
      states: env.states(),
      dataLocationQuestions: this.engine.dataLocationQuestions(env.project),
      profiles: profileViews(spec),
    };
  }


  private settings(): Settings {
    const environments: Settings['environments'] = {};
    for (const env of this.engine.opened()) {
      const folder = env.spec.meta.variables.find((v) => v.kind === 'folder');
      const portPins = readSetting(this.engine.store, envKey(env.project, 'portPins'), z.record(z.string(), z.record(z.string(), z.number())));
      environments[env.project] = {
        ...(folder ? { notebooksFolder: env.variable(folder.name) } : {}),
        ...(portPins ? { portPins } : {}),
      };
    }
    return {
      dockerEndpoint: readSetting(this.engine.store, 'dockerEndpoint', z.string()) ?? null,
      dataDir: dataDir(),
      bringBackServices: readSetting(this.engine.store, BRING_BACK_SETTING, z.boolean()) !== false,
      restartStaleAfterSleep: readSetting(this.engine.store, RESTART_STALE_SETTING, z.boolean()) !== false,
      environments,
    };
  }

  private makeHandlers(): Handlers {
    const op = (kind: 'start' | 'stop' | 'restart' | 'reinstall') =>
      ({ project, service }: { project: string; service: string }) => this.env(project)[kind](service);
    return {
      ...backupHandlers(this.engine, (project) => this.env(project), this.options.showInFolder),
      ...bundleHandlers(this.engine, this.options.chooseFile),
      'docker.status': () => this.engine.connection.status(),
      'docker.retry': () => this.engine.connection.retryNow(),
      'courses.list': () => this.engine.listCourses(),
      'env.open': async ({ course }) => {
        const env = await this.engine.open(course);
        this.watch(env);
        return this.info(env, course);
      },
      'env.profiles': async ({ project, profiles }) => {
        const { spec } = this.env(project);
        const declared = declaredProfiles(spec);
        const unknown = profiles.filter((p) => !declared.includes(p));
        if (unknown.length) {
          throw apiError(
            'invalid-input',
            `${spec.meta.title} has no profile ${unknown.map((p) => `"${p}"`).join(', ')}${declared.length ? ` (its profiles: ${declared.join(', ')})` : ''}.`,
          );
        }
        const env = await this.engine.chooseProfiles(project, profiles);
        this.watch(env);
        return { profiles: profileViews(env.spec) };
      },
      'env.state': ({ project }) => this.env(project).states(),
      'env.up': ({ project, service }) => this.env(project).up(service ? [service] : undefined),
      'env.down': ({ project }) => this.env(project).down(),
      'env.check': async ({ project, only }) =>
        runChecks(await this.engine.connection.require(), this.env(project), only ? { only } : {}),
      'env.fix': async ({ project, check }) => {
        const scope = spaceScopeFromEnv();
        return fixCheck(await this.engine.connection.require(), this.env(project), check, scope ? { spaceScope: scope } : {});
      },
      'onboarding.state': () => onboardingFor(this.engine).state(),
      'onboarding.start': ({ engine }) => onboardingFor(this.engine).startEngine(engine),
      'env.supportBundle': async ({ project }) => {
        const b = await writeSupportBundle(await this.engine.connection.require(), this.env(project), this.engine.store);
        const env = this.env(project);
        return { path: b.file, entries: b.entries, bytes: b.bytes, secrets: await checkBundleSecrets(b.file, env.spec, this.variables(env)) };
      },
      'service.start': op('start'),
      'service.stop': op('stop'),
      'service.restart': op('restart'),
      'service.reinstall': op('reinstall'),
      'service.reset': ({ project, service, confirm }) => this.env(project).reset(service, { confirm }),
      'service.revealSecret': ({ project, service, field }) => {
        const env = this.env(project);
        const svc = env.spec.services[service];
        if (!svc) throw apiError('invalid-input', `No service "${service}".`);
        if (field === 'password') {
          const value = svc.meta.connection?.password;
          if (value === undefined) throw apiError('invalid-input', `${svc.meta.title} has no password.`);
          return { value };
        }
        const token = env.webTarget(service)?.token;
        if (!token) throw apiError('invalid-input', `${svc.meta.title} has no token.`);
        return { value: token };
      },
      'service.data': async ({ project, service }) => {
        const env = this.env(project);
        const places = studentDataPlaces(env.spec, this.variables(env), service);
        const docker = places.some((p) => p.kind === 'volume') ? await this.engine.connection.require() : undefined;
        return { places: await measuredPlaces(docker, places), canOpenFolders: !!this.options.openFolder };
      },
      'service.openDataFolder': async ({ project, service, target }) => {
        const env = this.env(project);
        // Only a folder the course declares as this service's student data, never a path the UI names.
        const place = studentDataPlaces(env.spec, this.variables(env), service).find((p) => p.kind === 'folder' && p.target === target);
        if (!place) throw apiError('invalid-input', `${env.spec.services[service]?.meta.title ?? service} keeps no student folder at ${target}.`);
        if (!this.options.openFolder) throw apiError('invalid-input', `This panel cannot open folders on this computer: the folder is ${place.location}.`);
        await this.options.openFolder(place.location);
        return { path: place.location };
      },
      'service.openWork': ({ project, service }) => askOpenWork(this.env(project).webTarget(service)),
      'service.saveNotebookWindows': ({ project, service }) => this.options.saveNotebookWindows?.(project, service) ?? NO_NOTEBOOK_WINDOWS,
      'service.webView': async ({ project, service }) => {
        const svc = this.env(project).spec.services[service];
        if (!svc) throw apiError('invalid-input', `No service "${service}".`);
        if (!svc.meta.web) throw apiError('invalid-input', `${svc.meta.title} has no web page.`);
        if (!this.options.webViews) throw apiError('failed', 'This Coursedock window cannot show web pages.');
        try {
          return await this.options.webViews.webView(project, service);
        } catch (err) {
          throw apiError('invalid-input', err instanceof Error ? err.message : String(err));
        }
      },
      'service.confirmDataLocation': async ({ project, service, choice }) => {
        const env = this.env(project);
        const mine = (q: { service: string }) => q.service === service;
        if (!this.engine.dataLocationQuestions(project).some(mine)) {
          throw apiError('invalid-input', `Nothing to confirm: ${service} keeps its data where it is.`);
        }
        const running = ['running', 'healthy', 'starting', 'unhealthy'].includes(env.state(service).status);
        const next = await this.engine.answerDataLocations(project, mine, choice);
        this.watch(next);
        // Switching a running service: its container is recreated on the new place now.
        const result = choice === 'switch' && running ? await next.up([service]) : undefined;
        return { questions: this.engine.dataLocationQuestions(project), ...(result ? { result } : {}) };
      },
      'logs.subscribe': ({ project, service, tail }) => this.startLogs(this.env(project), service, tail),
      'logs.unsubscribe': ({ subscription }) => {
        this.stopLogs(subscription);
        return { ok: true as const };
      },
      'terminal.open': async (input) => {
        let terminal: Terminal;
        if ('host' in input) {
          if (!this.options.allowHostShell) {
            throw apiError(
              'invalid-input',
              'A terminal on this computer is off in the browser panel: it would give a shell on this machine to anyone with the panel URL. Start the panel with --host-shell to allow it.',
            );
          }
          terminal = await openHostShell(input);
        } else {
          terminal = await this.env(input.project).openTerminal(input.service, input);
        }
        this.terminals.set(terminal.id, terminal);
        terminal.onData((data) => this.emit('terminal.data', { terminal: terminal.id, data }));
        terminal.onExit((info) => {
          this.terminals.delete(terminal.id);
          this.emit('terminal.exit', { terminal: terminal.id, ...info });
        });
        return { terminal: terminal.id, title: terminal.title, ...(terminal.runsAs ? { runsAs: terminal.runsAs } : {}) };
      },
      'terminal.input': ({ terminal, data }) => {
        this.terminal(terminal).write(data);
        return { ok: true as const };
      },
      'terminal.resize': async ({ terminal, cols, rows }) => {
        await this.terminal(terminal).resize(cols, rows);
        return { ok: true as const };
      },
      'terminal.close': ({ terminal }) => {
        this.terminals.get(terminal)?.close();
        this.terminals.delete(terminal);
        return { ok: true as const };
      },
      'snapshot.capture': async ({ project, service, name }) => {
        const env = this.env(project);
        const taken = await takeSnapshot(await this.engine.connection.require(), env, service, name ? { name } : {});
        const { manifest, ...summary } = taken;
        return summary;
      },
      'snapshot.list': ({ project, service }) => {
        const env = this.env(project);
        const services = service ? [service] : Object.keys(env.spec.services);
        return {
          ...listSnapshots(project, service),
          references: services.filter((s) => existsSync(courseReferenceFile(env.spec.file, s))),
        };
      },
      'snapshot.drift': async ({ project, service, against }) => {
        const env = this.env(project);
        const docker = await this.engine.connection.require();
        return driftOf(docker, env, service, against === 'baseline' ? { baseline: true } : { snapshot: against });
      },
      'snapshot.reference': async ({ project, service }) => {
        const env = this.env(project);
        return referenceOf(await this.engine.connection.require(), env, service);
      },
      'snapshot.recreate': async ({ project, service, snapshot, check }): Promise<RecreateSummary> => {
        const { manifest } = loadSnapshot(project, service, snapshot);
        const outDir = snapshotFile(project, service, snapshot).replace(/\.json$/, '.recreate');
        const docker = check ? await this.engine.connection.require() : undefined;
        const { plan, files } = await recreate(docker, manifest, { outDir, check });
        return {
          baseImage: plan.baseImage,
          dockerfile: plan.dockerfile,
          script: plan.script,
          files,
          checked: plan.checked,
          notPinned: plan.notPinned,
          notes: plan.notes,
          counts: {
            debianPinned: plan.debian.pinned.length,
            debianInBase: plan.debian.inBase.length,
            pythonPinned: plan.python.pinned.length + plan.python.fromUrl.length,
            pythonFromDebian: plan.python.fromDebian,
            npm: plan.npm.pinned.length,
          },
        };
      },
      'settings.get': () => this.settings(),
      'settings.set': async ({ dockerEndpoint, notebooksFolder, bringBackServices, restartStaleAfterSleep, portPin }) => {
        if (bringBackServices !== undefined) this.engine.store.set(BRING_BACK_SETTING, bringBackServices);
        if (restartStaleAfterSleep !== undefined) this.engine.store.set(RESTART_STALE_SETTING, restartStaleAfterSleep);
        if (portPin) {
          const services = this.env(portPin.project).spec.services;
          const svc = Object.hasOwn(services, portPin.service) ? services[portPin.service] : undefined;
          if (!svc?.ports.some((p) => `${p.target}/${p.protocol}` === portPin.port)) {
            throw apiError('invalid-input', `${svc?.meta.title ?? portPin.service} publishes no port ${portPin.port}.`);
          }
          // Takes effect at the service's next start; a running container keeps its port.
          this.engine.store.set(envKey(portPin.project, 'portPins', portPin.service, portPin.port), portPin.hostPort ?? undefined);
        }
        if (dockerEndpoint !== undefined) {
          if (dockerEndpoint === null || dockerEndpoint === '') this.engine.store.delete('dockerEndpoint');
          else this.engine.store.set('dockerEndpoint', dockerEndpoint);
        }
        if (notebooksFolder) {
          const env = this.env(notebooksFolder.project);
          const folder = env.spec.meta.variables.find((v) => v.kind === 'folder');
          if (!folder) throw apiError('invalid-input', `${env.spec.meta.title} has no notebooks folder.`);
          if (!path.isAbsolute(notebooksFolder.path) && !notebooksFolder.path.startsWith('~')) {
            throw apiError('invalid-input', 'The notebooks folder must be an absolute path (or start with ~).');
          }
          this.engine.store.set(envKey(env.project, 'variables', folder.name), notebooksFolder.path);
          // The new folder takes effect on the next start of the services that mount it: an
          // explicit choice, so the remembered place of the student's files moves with it.
          const chosen = path.resolve(expandHome(notebooksFolder.path));
          const reopened = await this.engine.open(env.spec.file, {
            reload: true,
            switchDataLocations: (q) => q.kind === 'bind' && q.asked === chosen,
          });
          this.watch(reopened);
          // The process environment comes first (like Compose): said, never silently ignored.
          const used = reopened.variable(folder.name);
          if (used !== undefined && used !== chosen) {
            throw apiError('invalid-input', `${folder.name} is set in the environment Coursedock was started from (${used}), and that comes before this setting: the folder saved here is used once it is unset.`);
          }
        }
        return this.settings();
      },
    };
  }

  /** The values this install uses for the spec's declared variables. */
  private variables(env: Environment): Record<string, string> {
    const values: Record<string, string> = Object.create(null) as Record<string, string>;
    for (const v of env.spec.meta.variables) {
      const value = env.variable(v.name);
      if (value !== undefined) values[v.name] = value;
    }
    return values;
  }

  private terminal(id: string): Terminal {
    const t = this.terminals.get(id);
    if (!t) throw apiError('invalid-input', 'That terminal is closed.');
    return t;
  }

  private async startLogs(env: Environment, service: string, tail: number): Promise<{ subscription: string }> {
    if (this.disposed) throw apiError('failed', 'This panel\'s connection has ended.');
    const subscription = randomUUID();
    const entry: { handle?: LogHandle; closed: boolean } = { closed: false };
    this.logs.set(subscription, entry);
    let batch: LogLine[] = [];
    let skipped = 0;
    let timer: NodeJS.Timeout | undefined;
    /** Waiting for the UI to take what it was sent. */
    let held = false;
    const flush = (last = false) => {
      // One timer at a time: a flush by size must not leave the pending one to re-arm beside it.
      clearTimeout(timer);
      timer = undefined;
      if (entry.closed) return;
      held = !last && (this.options.backlog?.() ?? 0) > LOG_BACKLOG_BYTES;
      if (held) timer = setTimeout(flush, LOG_BATCH_MS);
      if (held || !batch.length) return;
      this.emit('logs.lines', { subscription, lines: batch, ...(skipped ? { skipped } : {}) });
      batch = [];
      skipped = 0;
    };
    const onLine = (line: LogLine) => {
      batch.push(line);
      if (batch.length >= 2 * LOG_HOLD_LINES) {
        const drop = batch.length - LOG_HOLD_LINES;
        batch.splice(0, drop);
        skipped += drop;
      }
      if (!held && batch.length >= LOG_BATCH_MAX) flush();
      else timer ??= setTimeout(flush, LOG_BATCH_MS);
    };
    let handle: LogHandle;
    try {
      handle = await env.logs(service, { tail, follow: true }, onLine);
    } catch (err) {
      this.logs.delete(subscription);
      throw err;
    }
    if (entry.closed || this.hasEnded()) {
      // The session ended (or unsubscribed) while the stream was being opened: nobody reads it.
      handle.stop();
      clearTimeout(timer);
      throw apiError('failed', 'The log subscription ended before it started.');
    }
    entry.handle = handle;
    void handle.done.then(() => {
      clearTimeout(timer);
      flush(true);
      if (!entry.closed) this.emit('logs.end', { subscription, reason: 'the container stopped' });
      this.logs.delete(subscription);
    });
    return { subscription };
  }

  /** How many log subscriptions this session holds (each one a Docker log stream). */
  get logSubscriptions(): number {
    return this.logs.size;
  }

  private stopLogs(subscription: string): void {
    const entry = this.logs.get(subscription);
    if (!entry) return;
    entry.closed = true;
    entry.handle?.stop();
    this.logs.delete(subscription);
  }
}

function toApiFailure(err: unknown): ApiFailure {
  if (err instanceof ApiFailure) return err;
  if (err instanceof DockerUnreachableError) return apiError('docker-unreachable', err.message, { attempts: err.attempts, hint: err.hint });
  if (err instanceof SpecError) return apiError('spec-error', err.message, { problems: err.problems });
  return apiError('failed', describeError(err));
}
