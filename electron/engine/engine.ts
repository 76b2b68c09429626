// The engine as the UIs see it: one Docker connection, the course specs on offer, and the
// environments opened from them. Pure Node: the desktop shell, the browser shell and the CLI
// all drive this same object.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DockerConnection } from './docker/docker-connection.js';
import { defaultDiscovery, type DiscoveryInput } from './docker/connect.js';
import { Environment, type EnvironmentOptions } from './environment.js';
import type { SettingsStore } from './settings/settings-store.js';
import { resolveVariables } from './settings/variables.js';
import { loadSpec, readDeclaredVariables } from './spec/index.js';
import type { CourseSpec } from './spec/types.js';

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
}

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

  constructor(options: EngineOptions) {
    this.options = options;
    this.store = options.store;
    this.specsDir = options.specsDir ?? defaultSpecsDir();
    this.connection = new DockerConnection(
      options.discovery ?? (() => defaultDiscovery(this.store.get<string>('dockerEndpoint'))),
    );
  }

  /** Starts connecting to Docker in the background (and reconnecting when it comes and goes). */
  start(): this {
    this.connection.start();
    return this;
  }

  listCourses(): CourseInfo[] {
    if (!existsSync(this.specsDir)) return [];
    const out: CourseInfo[] = [];
    for (const entry of readdirSync(this.specsDir).sort()) {
      const file = this.specFileIn(path.join(this.specsDir, entry));
      if (!file) continue;
      try {
        const spec = this.load(file);
        out.push({ id: entry, title: spec.meta.title, ...(spec.meta.description ? { description: spec.meta.description } : {}), file });
      } catch {
        out.push({ id: entry, title: `${entry} (spec has errors)`, file });
      }
    }
    return out;
  }

  private specFileIn(dir: string): string | undefined {
    if (!existsSync(dir) || !statSync(dir).isDirectory()) return undefined;
    return SPEC_NAMES.map((n) => path.join(dir, n)).find((f) => existsSync(f));
  }

  /** A course id (folder under the specs folder), a folder, or a Compose file path. */
  resolveCourseFile(course: string): string {
    const inSpecs = this.specFileIn(path.join(this.specsDir, course));
    if (inSpecs) return inSpecs;
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
    const variables = resolveVariables(readDeclaredVariables(file), this.store, project, env);
    // Like Compose's COMPOSE_PROJECT_NAME: lets a spec put the project in paths (web UI prefixes).
    const builtins = { COURSEDOCK_PROJECT: project };
    return { spec: loadSpec(file, { env: { ...env, ...variables, ...builtins }, project }), variables };
  }

  /**
   * Opens (or returns the already open) environment of a course. `reload` reads the spec and
   * settings again (after the student changed a folder, or the course team edited the spec).
   */
  async open(course: string, options: { reload?: boolean } = {}): Promise<Environment> {
    const file = this.resolveCourseFile(course);
    const project = projectNameFor(file);
    const existing = this.environments.get(project);
    if (existing && existing.spec.file === file && !options.reload) return existing;
    const { spec, variables } = this.loadWithVariables(file);
    existing?.dispose();
    const env = new Environment(spec, this.connection, this.store, { ...this.options.environment, variables });
    this.environments.set(project, env);
    await env.init();
    return env;
  }

  opened(): Environment[] {
    return [...this.environments.values()];
  }

  close(): void {
    for (const e of this.environments.values()) e.dispose();
    this.environments.clear();
    this.connection.close();
  }
}
