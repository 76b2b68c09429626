// The engine as the UIs see it: one Docker connection, the course specs on offer, and the
// environments opened from them. Pure Node: the desktop shell, the browser shell and the CLI
// all drive this same object.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { addCourse, addedCourses } from './added-courses.js';
import { DockerConnection } from './docker/docker-connection.js';
import { defaultDiscovery, type DiscoveryInput } from './docker/connect.js';
import { Environment, type EnvironmentOptions } from './environment.js';
import { bringBackServices } from './operations/bring-back.js';
import { mountsInUse } from './docker/container-mounts.js';
import {
  adoptObservedLocations,
  answerDataLocation,
  emptyDataLocations,
  reconcileDataLocations,
  rememberDataLocations,
  type DataLocationQuestion,
  type DataLocations,
} from './operations/data-location.js';
import { emptyDesiredState, recordWant, type BringBackReason, type DesiredState } from './operations/desired-state.js';
import { ProjectFile } from './settings/project-file.js';
import { lockFile, ProjectLock, type ProcessKind } from './operations/project-lock.js';
import { dataDir, FileSettingsStore, readSetting, type SettingsStore } from './settings/settings-store.js';
import { resolveVariables } from './settings/variables.js';
import { chosenProfiles, declaredProfiles, rememberProfiles } from './profile-choice.js';
import { loadSpec } from './spec/index.js';
import type { CourseSpec, VariableDecl } from './spec/types.js';

export interface CourseInfo {
  /** Folder name under the specs folder, or the spec file's path for one opened by hand. */
  id: string;
  title: string;
  description?: string;
  file: string;
}

export interface EngineOptions {
  store: SettingsStore;
  specsDir?: string;
  discovery?: () => DiscoveryInput;
  environment?: EnvironmentOptions;
  env?: Record<string, string | undefined>;
  /**
   * Bring back the services the student had running when a course is opened and when Docker
   * comes back after a restart (the desktop app and the browser shell; not the CLI). The
   * student can turn it off in Settings (`bringBackServices`).
   */
  bringBack?: boolean;
  /** Where per-project files live; default: the settings file's folder. */
  settingsDir?: string;
  /** Which program this is, named to other processes waiting for its work (default: the CLI). */
  processKind?: ProcessKind;
  /** Compose's `--profile`: the active profiles (default: COMPOSE_PROFILES, from the environment or .env). */
  profiles?: string[];
  /** Compose's `--env-file`: read instead of the `.env` next to the spec. */
  envFiles?: string[];
}

export interface OpenOptions {
  reload?: boolean;
  /** Student data locations to switch to what this run asks for (an explicit choice). */
  switchDataLocations?: (q: DataLocationQuestion) => boolean;
}

/** Setting key: bring back running services after a restart (on unless set to false). */
export const BRING_BACK_SETTING = 'bringBackServices';

/** The repository's (or the installed app's) compose-specs folder. */
export function defaultSpecsDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [
    process.env.COURSEDOCK_SPECS,
    path.resolve(here, '../../compose-specs'),
    path.resolve(here, '../../../compose-specs'),
    path.resolve(process.cwd(), 'compose-specs'),
  ];
  return candidates.find((c): c is string => !!c && existsSync(c)) ?? path.resolve('compose-specs');
}

const SPEC_NAMES = ['compose.yml', 'compose.yaml', 'docker-compose.yml', 'docker-compose.yaml'];

/** Compose's project name rule: the spec folder's name, lowercased, safe characters only. */
export const projectNameFor = (file: string): string =>
  path.basename(path.dirname(path.resolve(file))).toLowerCase().replace(/[^a-z0-9_-]/g, '') || 'course';

export class Engine {
  readonly connection: DockerConnection;
  readonly specsDir: string;
  readonly store: SettingsStore;
  private readonly environments = new Map<string, Environment>();
  private readonly options: EngineOptions;
  readonly settingsDir: string;
  private readonly questions = new Map<string, DataLocationQuestion[]>();
  /** Projects brought back once since this engine started (later: only after Docker restarts). */
  private readonly broughtBack = new Set<string>();
  private readonly bringing = new Map<string, Promise<unknown>>();
  /** One writer per project across processes: this engine's lock of each project. */
  private readonly locks = new Map<string, ProjectLock>();
  private readonly opening = new Map<string, Promise<Environment>>();
  private readonly replacedListeners = new Set<(old: Environment, next: Environment) => void>();

  constructor(options: EngineOptions) {
    this.options = options;
    this.store = options.store;
    this.specsDir = options.specsDir ?? defaultSpecsDir();
    this.settingsDir =
      options.settingsDir ?? (options.store instanceof FileSettingsStore ? path.dirname(options.store.file) : dataDir(options.env ?? process.env));
    this.connection = new DockerConnection(
      options.discovery ?? (() => defaultDiscovery(readSetting(this.store, 'dockerEndpoint', z.string()))),
    );
    if (options.bringBack) {
      this.connection.on('status', (s) => {
        if (s.state === 'connected') for (const env of this.opened()) this.bringBack(env, 'app-started');
      });
      this.connection.on('reconnected', () => {
        for (const env of this.opened()) this.bringBack(env, 'docker-restarted');
      });
    }
  }

  private desiredFile(project: string): ProjectFile<DesiredState> {
    return new ProjectFile(this.settingsDir, 'desired-state', project, emptyDesiredState);
  }

  private dataLocationsFile(project: string): ProjectFile<DataLocations> {
    return new ProjectFile(this.settingsDir, 'data-locations', project, emptyDataLocations);
  }

  /** What the student wants running in a project (read from disk: other processes change it). */
  desiredState(project: string): DesiredState {
    return this.desiredFile(project).read();
  }

  /** Places where this run would put student data elsewhere than where it is: asked, not done. */
  dataLocationQuestions(project: string): DataLocationQuestion[] {
    return this.questions.get(project) ?? [];
  }

  /**
   * The student's answer to data-location questions. Keep: stay, and stop asking about that
   * place. Switch: the service uses the new place from its next start (the environment is
   * reopened with it; the old place keeps its files). Returns the environment now open.
   */
  async answerDataLocations(project: string, which: (q: DataLocationQuestion) => boolean, choice: 'keep' | 'switch'): Promise<Environment> {
    const env = this.opened().find((e) => e.project === project);
    if (!env) throw new Error(`Environment "${project}" is not open.`);
    if (choice === 'switch') return this.open(env.spec.file, { reload: true, switchDataLocations: which });
    const answered = this.dataLocationQuestions(project).filter(which);
    this.dataLocationsFile(project).update((r) => answered.reduce((acc, q) => answerDataLocation(acc, q, 'keep'), r));
    this.questions.set(project, this.dataLocationQuestions(project).filter((q) => !answered.includes(q)));
    return env;
  }

  /** Brings back what the student had running (once per open, then after each Docker restart). */
  private bringBack(env: Environment, reason: BringBackReason): void {
    if (!this.options.bringBack || readSetting(this.store, BRING_BACK_SETTING, z.boolean()) === false) return;
    if (reason === 'app-started' && this.broughtBack.has(env.project)) return;
    if (!this.connection.docker) return;
    this.broughtBack.add(env.project);
    const before = this.bringing.get(env.project) ?? Promise.resolve();
    const next = before
      .then(() => (this.environments.get(env.project) === env ? bringBackServices(env, this.desiredState(env.project), reason) : undefined))
      .catch(() => undefined);
    this.bringing.set(env.project, next);
  }

  /** Resolves when every bringing back started so far has finished (for tests and shutdown). */
  async broughtBackSettled(): Promise<void> {
    await Promise.all([...this.bringing.values()]);
  }

  /** Starts connecting to Docker in the background (and reconnecting when it comes and goes). */
  start(): this {
    this.connection.start();
    return this;
  }

  listCourses(): CourseInfo[] {
    const found: Array<{ id: string; file: string }> = [];
    for (const entry of existsSync(this.specsDir) ? readdirSync(this.specsDir).sort() : []) {
      const file = this.specFileIn(path.join(this.specsDir, entry));
      if (file) found.push({ id: entry, file });
    }
    // Compose files added by hand (`coursedock open`), after the shipped courses.
    for (const added of addedCourses(this.store)) {
      if (!found.some((c) => c.id === added.id) && existsSync(added.file)) found.push(added);
    }
    return found.map(({ id, file }) => {
      try {
        const spec = this.load(file);
        return { id, title: spec.meta.title, ...(spec.meta.description ? { description: spec.meta.description } : {}), file };
      } catch {
        return { id, title: `${id} (spec has errors)`, file };
      }
    });
  }

  /**
   * Adds a Compose file (or a folder holding one) to the course list, after loading it (a
   * SpecError, and nothing added, when it has errors). Returns the course and its spec.
   */
  addCourseFile(fileOrFolder: string): { course: CourseInfo; spec: CourseSpec } {
    const resolved = path.resolve(fileOrFolder);
    const file = existsSync(resolved) && statSync(resolved).isFile() ? resolved : this.specFileIn(resolved);
    if (!file) throw new Error(`No Compose file at ${resolved} (looked for ${SPEC_NAMES.join(', ')}).`);
    const spec = this.load(file);
    const shipped = new Set(existsSync(this.specsDir) ? readdirSync(this.specsDir) : []);
    const { id } = addCourse(this.store, file, projectNameFor(file), shipped);
    return { course: { id, title: spec.meta.title, ...(spec.meta.description ? { description: spec.meta.description } : {}), file }, spec };
  }

  private specFileIn(dir: string): string | undefined {
    if (!existsSync(dir) || !statSync(dir).isDirectory()) return undefined;
    return SPEC_NAMES.map((n) => path.join(dir, n)).find((f) => existsSync(f));
  }

  /** A course id (folder under the specs folder), a folder, or a Compose file path. */
  resolveCourseFile(course: string): string {
    const inSpecs = this.specFileIn(path.join(this.specsDir, course));
    if (inSpecs) return inSpecs;
    const added = addedCourses(this.store).find((c) => c.id === course);
    if (added && existsSync(added.file)) return added.file;
    const resolved = path.resolve(course);
    if (existsSync(resolved) && statSync(resolved).isFile()) return resolved;
    const inDir = this.specFileIn(resolved);
    if (inDir) return inDir;
    const known = this.listCourses().map((c) => c.id);
    throw new Error(
      `No course "${course}": not a folder in ${this.specsDir}${known.length ? ` (courses: ${known.join(', ')})` : ''} and not a Compose file.`,
    );
  }

  /** Loads a spec with this install's variables (token, folders); throws SpecError on problems. */
  load(file: string): CourseSpec {
    return this.loadWithVariables(file).spec;
  }

  private loadWithVariables(file: string): { spec: CourseSpec; variables: Record<string, string> } {
    const project = projectNameFor(file);
    const env = this.options.env ?? process.env;
    // Like Compose's COMPOSE_PROJECT_NAME: lets a spec put the project in paths (web UI prefixes).
    const builtins = { COURSEDOCK_PROJECT: project };
    const { profiles, envFiles } = this.options;
    // `--profile` wins; else the student's choice from the panel's switch, else COMPOSE_PROFILES.
    const chosen = profiles ? undefined : chosenProfiles(this.store, project);
    const profileOptions = profiles ? { profiles } : chosen ? { profiles: chosen, profilesExact: true } : {};
    // The declared variables' values (generated once, then kept) go over the shell's; ours over both.
    let variables: Record<string, string> = {};
    const variableValues = (declared: VariableDecl[]) => ({ ...(variables = resolveVariables(declared, this.store, project, env)), ...builtins });
    const spec = loadSpec(file, { env: { ...env, ...builtins }, variableValues, project, ...profileOptions, ...(envFiles ? { envFiles } : {}) });
    return { spec, variables };
  }

  /**
   * Opens (or returns the already open) environment of a course. `reload` reads the spec and
   * settings again (after the student changed a folder, or the course team edited the spec).
   */
  async open(course: string, options: OpenOptions = {}): Promise<Environment> {
    // Two opens of one course at once (the shell's --course and a panel) share one environment:
    // two would both act on Docker events and the journal.
    const project = projectNameFor(this.resolveCourseFile(course));
    const inFlight = this.opening.get(project);
    if (inFlight && !options.reload && !options.switchDataLocations) {
      const env = await inFlight.catch(() => undefined);
      if (env && this.environments.get(project) === env) return env;
    }
    const opening = this.openNow(course, options);
    this.opening.set(project, opening);
    try {
      return await opening;
    } finally {
      if (this.opening.get(project) === opening) this.opening.delete(project);
    }
  }

  private async openNow(course: string, options: OpenOptions): Promise<Environment> {
    const file = this.resolveCourseFile(course);
    const project = projectNameFor(file);
    const existing = this.environments.get(project);
    if (existing && existing.spec.file === file && !options.reload) return existing;
    // A reload replaces the environment: what is queued or running on the old one finishes first.
    if (existing) await existing.idle();
    const loaded = this.loadWithVariables(file);
    const locations = this.dataLocationsFile(project);
    await this.adoptDataLocationsInUse(project, loaded.spec, loaded.variables);
    let located = reconcileDataLocations(loaded.spec, loaded.variables, locations.read());
    const switching = options.switchDataLocations ? located.questions.filter(options.switchDataLocations) : [];
    if (switching.length) {
      const record = locations.update((r) => switching.reduce((acc, q) => answerDataLocation(acc, q, 'switch'), r));
      located = reconcileDataLocations(loaded.spec, loaded.variables, record);
    }
    const { spec, variables, questions } = located;
    this.questions.set(project, questions);
    // Operations asked of the old environment while this one was loading finish first too; then
    // it is replaced at once, so no operation of the old and the new one overlap.
    if (existing) await existing.idle();
    existing?.dispose();
    const env: Environment = new Environment(spec, this.connection, this.store, {
      ...this.options.environment,
      variables,
      onIntent: (services, want) => this.recordIntent(env, variables, services, want),
      coordination: this.coordination(project),
    });
    this.environments.set(project, env);
    if (existing) for (const listener of [...this.replacedListeners]) listener(existing, env);
    await env.init();
    this.bringBack(env, 'app-started');
    return env;
  }

  /**
   * The panel's profile switch: remembers which of the course's declared profiles are on and
   * re-opens the environment with them, after its queued operations. Services of profiles
   * switched off are stopped first (Compose would leave them running, unplanned).
   */
  async chooseProfiles(project: string, profiles: readonly string[]): Promise<Environment> {
    const env = this.environments.get(project);
    if (!env) throw new Error(`No open environment "${project}".`);
    const declared = declaredProfiles(env.spec);
    const unknown = profiles.filter((p) => !declared.includes(p));
    if (unknown.length) {
      throw new Error(
        `${unknown.map((p) => `"${p}"`).join(', ')} ${unknown.length === 1 ? 'is not a profile' : 'are not profiles'} of ${env.spec.meta.title}` +
          (declared.length ? ` (profiles: ${declared.join(', ')})` : ' (it declares none)'),
      );
    }
    await env.idle();
    const switchedOff = Object.values(env.spec.services).filter((s) => s.profiles?.length && !s.profiles.some((p) => profiles.includes(p)));
    const running = new Set(env.states().filter((s) => ['starting', 'running', 'healthy', 'unhealthy'].includes(s.status)).map((s) => s.service));
    for (const service of switchedOff) if (running.has(service.name)) await env.stop(service.name);
    rememberProfiles(this.store, project, profiles);
    return this.open(env.spec.file, { reload: true });
  }

  /** Places of student data the existing containers use, adopted where none is remembered. */
  private async adoptDataLocationsInUse(project: string, spec: CourseSpec, variables: Record<string, string>): Promise<void> {
    const docker = this.connection.docker;
    if (!docker) return;
    try {
      const observed = await mountsInUse(docker, project);
      const file = this.dataLocationsFile(project);
      const before = file.read();
      const after = adoptObservedLocations(before, spec, variables, observed);
      if (JSON.stringify(after) !== JSON.stringify(before)) file.write(after);
    } catch {
      // Docker went away meanwhile: what is remembered still holds.
    }
  }

  /** The student asked for services to run or stop: remembered, with where their data lives. */
  private recordIntent(env: Environment, variables: Record<string, string>, services: string[], want: 'running' | 'stopped'): void {
    try {
      this.desiredFile(env.project).update((d) => recordWant(d, services, want, Date.now()));
      if (want === 'running') this.dataLocationsFile(env.project).update((r) => rememberDataLocations(r, env.spec, variables, services));
    } catch (err) {
      // The operation goes ahead; only bringing back after a restart may miss this wish.
      const why = err instanceof Error ? err.message : String(err);
      env.emit('notice', { level: 'warning', message: `Could not remember which services you want running (${why}).`, at: Date.now() });
    }
    if (want !== 'running') return;
    for (const q of this.dataLocationQuestions(env.project)) {
      if (services.includes(q.service)) env.emit('notice', { level: 'warning', message: q.message, service: q.service, at: Date.now() });
    }
  }

  /** The project's lock and the folder of its operation journal (the settings folder). */
  private coordination(project: string) {
    const processKind = this.options.processKind ?? 'cli';
    let lock = this.locks.get(project);
    if (!lock) this.locks.set(project, (lock = new ProjectLock(lockFile(this.settingsDir, project), processKind)));
    return { dataDir: this.settingsDir, processKind, lock };
  }

  /**
   * Told when a reload replaces an open environment (after the old one's operations finished),
   * so whoever watched the old one (a panel's session) watches the new one. Returns the undo.
   */
  onReplaced(listener: (old: Environment, next: Environment) => void): () => void {
    this.replacedListeners.add(listener);
    return () => void this.replacedListeners.delete(listener);
  }

  opened(): Environment[] {
    return [...this.environments.values()];
  }

  close(): void {
    for (const e of this.environments.values()) e.dispose();
    this.environments.clear();
    for (const lock of this.locks.values()) lock.close();
    this.locks.clear();
    this.connection.close();
  }
}
