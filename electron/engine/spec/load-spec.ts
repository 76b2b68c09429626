// The loader: YAML text → CourseSpec, or a SpecError listing every problem with its line.
// Stages: parse (syntax) → project environment (shell > env files > declared defaults) →
// convert + interpolate → a v1 file's services lifted under `services:` → `extends` resolved →
// v1 constructs converted (links, volumes_from, …) → the Compose Specification's JSON schema →
// profiles → key check (unknown/unsupported keys) → zod shapes per service/volume/section →
// normalize short syntaxes → cross-checks.
import os from 'node:os';
import path from 'node:path';
import { checkDependencies, type DependsOn } from './check-dependencies.js';
import { checkKeys, topRule } from './check-keys.js';
import { ComposeSchemaCheck } from './compose-schema.js';
import { convertV1Constructs, isComposeV1, liftV1Services } from './compose-v1.js';
import { crossCheck } from './cross-checks.js';
import { resolveExtends } from './extends.js';
import { normalizeTopFiles } from './file-grants.js';
import { interpolate, type Lookup } from './interpolate.js';
import type { KeyPath } from './locate.js';
import { resolveHostPath } from './host-path.js';
import { hostPathAllowance, socketOfDockerHost, type HostPathAllowance } from './host-path-guard.js';
import { checkStarterNotebooks, inferWebUi, normalizeMeta } from './normalize-meta.js';
import { normalizeTopNetworks } from './normalize-networks.js';
import { activeProfiles, selectProfiles } from './profiles.js';
import { projectEnvironment } from './project-env.js';
import { SERVICE_NAME, normalizeService } from './normalize-service.js';
import { normalizeTopVolumes } from './normalize-volumes.js';
import { parseYaml } from './parse-yaml.js';
import { readSpecFile } from './read-spec-file.js';
import { isReservedName, nullRecord, reservedNameMessage } from './reserved-names.js';
import { declaredVariables } from './read-variables.js';
import { ProblemCollector, sortProblems, type Reporter } from './report.js';
import { serviceSchema, topSchema } from './schema.js';
import { isPlainObject, toPlain, type Plain, type PlainObject } from './to-plain.js';
import type { CourseSpec, ServiceSpec, VariableDecl } from './types.js';
import { validate } from './zod-issues.js';

export interface LoadSpecOptions {
  /**
   * Values for `${VAR}` (the shell's environment): over the env files' values, which are over
   * the declared defaults (x-coursedock.variables).
   */
  env: Record<string, string | undefined>;
  /** `--env-file`: read instead of `.env` in the spec's folder (relative to that folder). */
  envFiles?: string[];
  /** `--profile`: the active profiles (default: COMPOSE_PROFILES). */
  profiles?: string[];
  /**
   * `profiles` is the student's own choice (the panel's switch), exactly: COMPOSE_PROFILES is
   * not read, and an empty list means no profile is active.
   */
  profilesExact?: boolean;
  /** Where secrets and configs from `environment:`/`content:` are written to be mounted (default: ~/.cache/coursedock/<project>/secrets). */
  secretsDir?: string;
  /** Compose project name; defaults to the spec folder's name, lowercased. */
  project?: string;
  /** The spec's text, when the caller already has it (the file is not read then). */
  text?: string;
  /**
   * Values for the declared variables (x-coursedock.variables), asked once they are read and
   * put over `env`: the engine generates or recalls them without parsing the spec twice. Not
   * asked when the declarations have errors (the load fails with them).
   */
  variableValues?: (declared: VariableDecl[]) => Record<string, string>;
}

const PROJECT_NAME = /^[a-z0-9][a-z0-9_-]*$/;

export function loadSpec(file: string, options: LoadSpecOptions): CourseSpec {
  const specFile = path.resolve(file);
  const dir = path.dirname(specFile);
  const { doc, sourceMap, locator, problems } = parseYaml(specFile, options.text ?? readSpecFile(specFile));
  problems.throwIfErrors();

  // Declared variables first, from the uninterpolated tree: their defaults feed interpolation.
  const variables = declaredVariables(toPlain({ doc, sourceMap, report: problems, onlyTopKeys: ['x-coursedock'] }), problems);
  const values = options.variableValues && !problems.errors.length ? options.variableValues(variables) : undefined;
  const { lookup } = projectEnvironment(dir, values ? { ...options.env, ...values } : options.env, options.envFiles, variables, problems);
  const unsetWarned = new Set<string>();
  const mapString = (value: string, at: KeyPath): string =>
    isVariablesSection(at) ? value : interpolated(value, at, lookup, problems, unsetWarned);
  const plain = toPlain({ doc, sourceMap, report: problems, mapString });
  if (!isPlainObject(plain)) {
    problems.error([], plain === null ? 'the spec is empty' : 'a spec must be a mapping with `services:`');
    return problems.fail();
  }
  let composed: PlainObject = plain;
  if (isComposeV1(composed)) composed = liftV1Services(composed, problems, (name) => sourceMap.alias([name], ['services', name]));
  if (isPlainObject(composed.services)) {
    const loadOther = (other: string, from: KeyPath): PlainObject | undefined => otherFileServices(other, from, lookup, problems, unsetWarned);
    composed.services = resolveExtends(composed.services, specFile, problems, loadOther, (base, name) =>
      sourceMap.alias(['services', base], ['services', name]),
    );
  }
  convertV1Constructs(composed, problems);
  const schemaCheck = new ComposeSchemaCheck(composed);
  const profiles = options.profilesExact ? activeProfiles(options.profiles, undefined) : activeProfiles(options.profiles, lookup('COMPOSE_PROFILES'));
  const selection = isPlainObject(composed.services) ? selectProfiles(composed.services, profiles, problems) : undefined;
  if (selection) composed.services = selection.services;
  const top = checkKeys(composed, topRule, [], problems);
  validate(topSchema, top, [], problems);

  const project = projectName(options.project ?? (typeof top.name === 'string' ? top.name : undefined), dir, problems);
  const home = options.env.HOME || os.homedir();
  const servicesRaw = isPlainObject(top.services) ? top.services : {};
  const volumesRaw = isPlainObject(top.volumes) ? top.volumes : {};
  const serviceNames = new Set(Object.keys(servicesRaw));
  const inactiveNames = new Set(Object.keys(selection?.inactive ?? {}));
  if (isPlainObject(top.services) && serviceNames.size === 0 && inactiveNames.size === 0) problems.error(['services'], 'a spec needs at least one service');

  const volumes = normalizeTopVolumes(volumesRaw, project, problems);
  const networks = normalizeTopNetworks(isPlainObject(top.networks) ? top.networks : undefined, project, problems);
  const secretsDir = options.secretsDir ?? path.join(home, '.cache', 'coursedock', project, 'secrets');
  const secrets = normalizeTopFiles('secrets', isPlainObject(top.secrets) ? top.secrets : undefined, lookup, secretsDir, problems);
  const configs = normalizeTopFiles('configs', isPlainObject(top.configs) ? top.configs : undefined, lookup, secretsDir, problems);
  const services = nullRecord<ServiceSpec>();
  const graph = new Map<string, DependsOn>();
  const context = { project, dir, home, volumeKeys: new Set(Object.keys(volumesRaw)), lookup, report: problems, locator, secrets, configs, networks, sink: problems };
  for (const [name, value] of Object.entries(servicesRaw)) {
    if (!SERVICE_NAME.test(name)) {
      problems.error(['services', name], `invalid service name "${name}" (letters, digits, _ . - only)`, 'key');
      continue;
    }
    if (isReservedName(name)) {
      problems.error(['services', name], reservedNameMessage('a service name', name), 'key');
      continue;
    }
    const raw = validate(serviceSchema, value, ['services', name], problems);
    if (!raw) continue;
    const hostPaths = allowanceOf(top['x-coursedock'], name, dir, home, options.env);
    const { service, dependsOn } = normalizeService(name, raw, { ...context, hostPaths });
    services[name] = service;
    graph.set(name, dependsOn);
    warnUnusedAllowances(hostPaths, problems);
  }
  checkDependencies(graph, serviceNames, problems);

  const fallbackTitle = typeof top.name === 'string' ? top.name : path.basename(dir);
  const meta = normalizeMeta(top['x-coursedock'], variables, serviceNames, problems, dir, fallbackTitle, selection?.inactive ?? {});
  for (const service of Object.values(services)) {
    const web = meta.services.has(service.name) ? undefined : inferWebUi(service);
    service.meta = meta.services.get(service.name) ?? { title: service.name, ...(web ? { web } : {}) };
  }
  checkStarterNotebooks(meta.course, services, problems);
  checkStudentData(meta.course.studentData, variables, volumes, services, problems);
  crossCheck(services, problems, { createdByEngine: foldersOf(variables, lookup, dir, home) });
  schemaCheck.report(problems);

  problems.throwIfErrors();
  return {
    file: specFile,
    dir,
    project,
    meta: meta.course,
    services,
    volumes,
    ...(Object.keys(networks).length ? { networks } : {}),
    ...(inactiveNames.size ? { inactiveServices: selection?.inactive ?? {} } : {}),
    ...(profiles.length ? { activeProfiles: profiles } : {}),
    warnings: sortProblems(problems.warnings),
  };
}

/**
 * The services of a file named by `extends: {file}`, interpolated with this project's variables;
 * its problems are reported at its own lines.
 */
function otherFileServices(file: string, from: KeyPath, lookup: Lookup, problems: ProblemCollector, unsetWarned: Set<string>): PlainObject | undefined {
  let text: string;
  try {
    text = readSpecFile(file);
  } catch {
    problems.error(from, `extends a service of ${file}, which cannot be read`);
    return undefined;
  }
  const parsed = parseYaml(file, text);
  const plain = toPlain({
    doc: parsed.doc,
    sourceMap: parsed.sourceMap,
    report: parsed.problems,
    mapString: (value, at) => interpolated(value, at, lookup, parsed.problems, unsetWarned),
  });
  for (const p of parsed.problems.errors) problems.addError(p);
  for (const p of parsed.problems.warnings) problems.addWarning(p);
  if (parsed.problems.errors.length) return undefined;
  let top = isPlainObject(plain) ? plain : {};
  if (isComposeV1(top)) top = { services: Object.fromEntries(Object.entries(top).filter(([k]) => !k.startsWith('x-') && k !== 'version')) };
  if (!isPlainObject(top.services)) {
    problems.error(from, `${file} has no \`services:\``);
    return undefined;
  }
  return top.services;
}

/** x-coursedock.services.<name>.allow-host-paths, read before the metadata is (it shapes the mounts). */
function allowanceOf(meta: Plain | undefined, name: string, dir: string, home: string, env: LoadSpecOptions['env']): HostPathAllowance {
  const services = isPlainObject(meta) && isPlainObject(meta.services) ? meta.services : undefined;
  const entry = services && Object.hasOwn(services, name) ? services[name] : undefined;
  const list = isPlainObject(entry) ? entry['allow-host-paths'] : undefined;
  const entries = Array.isArray(list) ? list.filter((e): e is string => typeof e === 'string' && e !== '') : [];
  return hostPathAllowance(name, entries, (e) => resolveHostPath(e, dir, home), [env.DOCKER_HOST, env.COURSEDOCK_DOCKER_HOST].flatMap(socketOfDockerHost));
}

function warnUnusedAllowances(allowance: HostPathAllowance, report: Reporter): void {
  for (const [real, index] of allowance.allowed) {
    if (allowance.used.has(real)) continue;
    report.warn(
      ['x-coursedock', 'services', allowance.service, 'allow-host-paths', index],
      `"${real}" is not a system folder that a bind mount of ${allowance.service} needs: this entry allows nothing and can go`,
    );
  }
}

function isVariablesSection(at: KeyPath): boolean {
  return at[0] === 'x-coursedock' && at[1] === 'variables';
}

/** Compose's interpolation; an unset variable is the empty string, with one warning per variable. */
function interpolated(value: string, at: KeyPath, lookup: Lookup, report: Reporter, unsetWarned: Set<string>): string {
  if (!value.includes('$')) return value;
  const result = interpolate(value, lookup);
  if (!result.ok) {
    report.error(at, result.message);
    // The value is left as written; what later stages would say about it follows from this error.
    report.settle?.(at);
    return value;
  }
  for (const name of result.unset) {
    if (unsetWarned.has(name)) continue;
    unsetWarned.add(name);
    report.warn(at, `variable ${name} is not set: using an empty string (set it in the environment or in .env next to the spec)`);
  }
  return result.value;
}

/** Host folders of `folder` variables: the engine creates them before a service starts. */
function foldersOf(variables: VariableDecl[], lookup: Lookup, dir: string, home: string): Set<string> {
  const out = new Set<string>();
  for (const v of variables) {
    const value = v.kind === 'folder' ? lookup(v.name) : undefined;
    const resolved = value ? resolveHostPath(value, dir, home) : undefined;
    if (resolved) out.add(resolved.replace(/\/+$/, ''));
  }
  return out;
}

function projectName(given: string | undefined, dir: string, report: Reporter): string {
  if (given !== undefined) {
    if (isReservedName(given)) report.error([], `${reservedNameMessage('a project name', given)} — rename the course folder`);
    else if (!PROJECT_NAME.test(given)) report.error([], `invalid project name "${given}" (lowercase letters, digits, _ and -)`);
    return given;
  }
  const name = path.basename(dir).toLowerCase().replace(/[^a-z0-9_-]/g, '').replace(/^[_-]+/, '');
  if (isReservedName(name)) report.error([], `${reservedNameMessage('a project name', name)} — rename the course folder`);
  return name || 'coursedock';
}

/** Entries should name something that holds data; a typo would leave student work unprotected. */
function checkStudentData(
  entries: readonly string[],
  variables: readonly VariableDecl[],
  volumes: CourseSpec['volumes'],
  services: Record<string, ServiceSpec>,
  report: Reporter,
): void {
  const known = new Set<string>([...variables.map((v) => v.name), ...Object.keys(volumes)]);
  for (const service of Object.values(services)) {
    for (const mount of service.mounts) if (mount.type !== 'tmpfs') known.add(mount.target);
  }
  entries.forEach((entry, index) => {
    if (!known.has(entry)) {
      report.warn(['x-coursedock', 'student-data', index], `"${entry}" is not a volume, a declared variable or a mount target`);
    }
  });
}
