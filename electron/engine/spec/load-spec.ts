// The loader: YAML text → CourseSpec, or a SpecError listing every problem with its line.
// Stages: parse (syntax) → convert + interpolate → key check (unknown/unsupported keys) →
// zod shapes per service/volume/section → normalize short syntaxes → cross-checks.
import os from 'node:os';
import path from 'node:path';
import { checkDependencies, type DependsOn } from './check-dependencies.js';
import { checkKeys, topRule } from './check-keys.js';
import { crossCheck } from './cross-checks.js';
import { interpolate, type Lookup } from './interpolate.js';
import type { KeyPath } from './locate.js';
import { resolveHostPath } from './host-path.js';
import { hostPathAllowance, socketOfDockerHost, type HostPathAllowance } from './host-path-guard.js';
import { checkStarterNotebooks, normalizeMeta } from './normalize-meta.js';
import { SERVICE_NAME, normalizeService } from './normalize-service.js';
import { normalizeTopVolumes } from './normalize-volumes.js';
import { parseYaml } from './parse-yaml.js';
import { readSpecFile } from './read-spec-file.js';
import { isReservedName, nullRecord, reservedNameMessage } from './reserved-names.js';
import { declaredVariables } from './read-variables.js';
import { sortProblems, type Reporter } from './report.js';
import { serviceSchema, topSchema } from './schema.js';
import { isPlainObject, toPlain, type Plain } from './to-plain.js';
import type { CourseSpec, ServiceSpec, VariableDecl } from './types.js';
import { validate } from './zod-issues.js';

export interface LoadSpecOptions {
  /** Values for `${VAR}`; declared defaults (x-coursedock.variables) fill in what is missing. */
  env: Record<string, string | undefined>;
  /** Compose project name; defaults to the spec folder's name, lowercased. */
  project?: string;
  /** The spec's text, when the caller already has it (the file is not read then). */
  text?: string;
}

const PROJECT_NAME = /^[a-z0-9][a-z0-9_-]*$/;

export function loadSpec(file: string, options: LoadSpecOptions): CourseSpec {
  const specFile = path.resolve(file);
  const dir = path.dirname(specFile);
  const { doc, sourceMap, locator, problems } = parseYaml(specFile, options.text ?? readSpecFile(specFile));
  problems.throwIfErrors();

  // Declared variables first, from the uninterpolated tree: their defaults feed interpolation.
  const variables = declaredVariables(toPlain({ doc, sourceMap, report: problems }), problems);
  const lookup = makeLookup(options.env, variables);
  const plain = toPlain({
    doc,
    sourceMap,
    report: problems,
    mapString: (value, at) => (isVariablesSection(at) ? value : interpolated(value, at, lookup, problems)),
  });
  // No stop here: variable errors are reported with every other problem, in one go.
  if (!isPlainObject(plain)) {
    problems.error([], plain === null ? 'the spec is empty' : 'a spec must be a mapping with `services:` and `x-coursedock:`');
    return problems.fail();
  }
  const top = checkKeys(plain, topRule, [], problems);
  validate(topSchema, top, [], problems);

  const project = projectName(options.project, dir, problems);
  const home = options.env.HOME || os.homedir();
  const servicesRaw = isPlainObject(top.services) ? top.services : {};
  const volumesRaw = isPlainObject(top.volumes) ? top.volumes : {};
  const serviceNames = new Set(Object.keys(servicesRaw));
  if (isPlainObject(top.services) && serviceNames.size === 0) problems.error(['services'], 'a spec needs at least one service');

  const volumes = normalizeTopVolumes(volumesRaw, project, problems);
  const services = nullRecord<ServiceSpec>();
  const graph = new Map<string, DependsOn>();
  const context = { project, dir, home, volumeKeys: new Set(Object.keys(volumesRaw)), lookup, report: problems, locator };
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

  const meta = normalizeMeta(top['x-coursedock'], variables, serviceNames, problems, dir);
  for (const service of Object.values(services)) service.meta = meta.services.get(service.name) ?? { title: service.name };
  checkStarterNotebooks(meta.course, services, problems);
  checkStudentData(meta.course.studentData, variables, volumes, services, problems);
  crossCheck(services, problems, { createdByEngine: foldersOf(variables, lookup, dir, home) });

  problems.throwIfErrors();
  return { file: specFile, dir, project, meta: meta.course, services, volumes, warnings: sortProblems(problems.warnings) };
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

function makeLookup(env: Record<string, string | undefined>, variables: VariableDecl[]): Lookup {
  const defaults = new Map(variables.flatMap((v) => (v.default === undefined ? [] : [[v.name, v.default] as const])));
  // hasOwn: a variable named `constructor` must not find Object.prototype's.
  return (name) => (Object.hasOwn(env, name) ? env[name] : undefined) ?? defaults.get(name);
}

function interpolated(value: string, at: KeyPath, lookup: Lookup, report: Reporter): string {
  if (!value.includes('$')) return value;
  const result = interpolate(value, lookup);
  if (result.ok) return result.value;
  report.error(at, result.message);
  // The value is left as written; what later stages would say about it follows from this error.
  report.settle?.(at);
  return value;
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
