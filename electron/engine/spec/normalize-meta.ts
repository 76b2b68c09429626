// x-coursedock → CourseMeta and per-service ServiceMeta.
import { existsSync, statSync } from 'node:fs';
import nodePath from 'node:path';
import type { KeyPath } from './locate.js';
import type { Reporter } from './report.js';
import { checkSchemas, courseMetaSchema, serviceMetaSchema, starterNotebooksSchema, type CheckRaw, type ServiceMetaRaw } from './schema.js';
import { didYouMean } from './suggest.js';
import { parseSizeBytes } from './units.js';
import type { CheckDecl, CourseMeta, ServiceMeta, ServiceSpec, VariableDecl } from './types.js';
import { validate } from './zod-issues.js';
import { backupDeclSchema } from '../backups/backup-spec.js';

export interface NormalizedMeta {
  course: CourseMeta;
  services: Map<string, ServiceMeta>;
}

/** `variables` were normalized earlier (before interpolation) and are passed in. */
export function normalizeMeta(
  raw: unknown,
  variables: VariableDecl[],
  serviceNames: ReadonlySet<string>,
  report: Reporter,
  /** The spec's folder: relative paths (starter-notebooks.source) are resolved against it. */
  dir = '.',
  /** The title when x-coursedock gives none: Compose's `name:`, else the spec folder's name. */
  fallbackTitle = nodePath.basename(nodePath.resolve(dir)),
  /** Services left out by their profiles, with those profiles: metadata for them is fine, and unused. */
  inactive: Readonly<Record<string, string[]>> = {},
): NormalizedMeta {
  const path = ['x-coursedock'];
  const course: CourseMeta = { title: '', variables, studentData: [], checks: [] };
  const services = new Map<string, ServiceMeta>();
  if (raw === undefined || raw === null) {
    // A plain Compose file: the course is titled after it, each service after its name.
    course.title = fallbackTitle;
    return { course, services };
  }
  const meta = validate(courseMetaSchema, raw, path, report);
  if (!meta) return { course, services };
  course.title = meta.title ?? fallbackTitle;
  if (meta.description !== undefined) course.description = meta.description;
  course.studentData = meta['student-data'] ?? [];
  for (const [name, value] of Object.entries(meta.services ?? {})) {
    const at = [...path, 'services', name];
    if (Object.hasOwn(inactive, name)) continue;
    if (!serviceNames.has(name)) {
      report.error(at, `metadata for "${name}", which is not a service in this spec${didYouMean(name, serviceNames)}`, 'key');
      continue;
    }
    const parsed = validate(serviceMetaSchema, value, at, report);
    if (parsed) services.set(name, serviceMeta(name, parsed, at, report));
  }
  if (meta['starter-notebooks'] !== undefined) {
    const at = [...path, 'starter-notebooks'];
    const starter = validate(starterNotebooksSchema, meta['starter-notebooks'], at, report);
    if (starter) {
      const source = nodePath.resolve(dir, starter.source);
      if (!existsSync(source) || !statSync(source).isDirectory()) report.warn([...at, 'source'], `"${starter.source}" is not a folder next to the spec: no starter notebooks will be copied`);
      const off = inactiveProfileOf(starter.service, inactive);
      if (off) {
        report.warn([...at, 'service'], `"${starter.service}" ${off}: no starter notebooks will be copied`);
      } else {
        if (!serviceNames.has(starter.service)) {
          report.error([...at, 'service'], `"${starter.service}" is not a service in this spec${didYouMean(starter.service, serviceNames)}`);
        }
        course.starterNotebooks = { source, service: starter.service, target: starter.target };
      }
    }
  }
  course.checks = normalizeChecks(meta.checks ?? [], [...path, 'checks'], serviceNames, report, inactive);
  return { course, services };
}

/** "runs only with the profile "x", which is not active" for a service left out by its profiles. */
function inactiveProfileOf(name: string, inactive: Readonly<Record<string, string[]>>): string | undefined {
  const profiles = Object.hasOwn(inactive, name) ? inactive[name] : undefined;
  if (!profiles) return undefined;
  const list = profiles.map((p) => `"${p}"`).join(' or ');
  return `runs only with the profile ${list}, which is not active`;
}

const CHECK_KINDS = Object.keys(checkSchemas) as Array<keyof typeof checkSchemas>;
type CheckSchema = (typeof checkSchemas)[keyof typeof checkSchemas];

function normalizeChecks(
  raw: unknown[],
  path: KeyPath,
  serviceNames: ReadonlySet<string>,
  report: Reporter,
  inactive: Readonly<Record<string, string[]>>,
): CheckDecl[] {
  const out: CheckDecl[] = [];
  const ids = new Set<string>();
  raw.forEach((value, index) => {
    const at = [...path, index];
    const kind = (value as { kind?: unknown } | null)?.kind;
    if (typeof kind !== 'string' || !(CHECK_KINDS as string[]).includes(kind)) {
      const words = typeof kind === 'string' ? `unknown check kind "${kind}"${didYouMean(kind, CHECK_KINDS)}` : 'a check needs a `kind`';
      report.error(typeof kind === 'string' ? [...at, 'kind'] : at, `${words} (kinds: ${CHECK_KINDS.join(', ')})`);
      return;
    }
    const parsed = validate<CheckSchema>(checkSchemas[kind as keyof typeof checkSchemas], value, at, report);
    if (!parsed) return;
    // A check of a service whose profile is off is left out (with a warning), not an error:
    // the spec is valid, and the check comes back when the profile is switched on.
    let leftOut = false;
    for (const key of ['service', 'target'] as const) {
      const name = (parsed as Partial<Record<typeof key, string>>)[key];
      const off = name === undefined ? undefined : inactiveProfileOf(name, inactive);
      if (off) {
        report.warn([...at, key], `"${name}" ${off}: this check is left out until it is`);
        leftOut = true;
      } else if (name !== undefined && !serviceNames.has(name)) {
        report.error([...at, key], `"${name}" is not a service in this spec${didYouMean(name, serviceNames)}`);
      }
    }
    if (leftOut) return;
    const decl = checkDecl(parsed, at, report);
    if (!decl) return;
    if (ids.has(decl.id)) report.error([...at, parsed.id === undefined ? 'kind' : 'id'], `two checks have the id "${decl.id}": give one an \`id\``);
    ids.add(decl.id);
    out.push(decl);
  });
  return out;
}

function checkDecl(raw: CheckRaw, at: KeyPath, report: Reporter): CheckDecl | undefined {
  const common = (id: string, title: string) => ({
    id: raw.id ?? id,
    title: raw.title ?? title,
    ...(raw.hint !== undefined ? { hint: raw.hint } : {}),
  });
  const user = 'user' in raw && raw.user !== undefined ? { user: raw.user } : {};
  switch (raw.kind) {
    case 'python-modules':
      return { kind: raw.kind, ...common(`python-modules-${raw.service}`, `Python modules import in ${raw.service}`), service: raw.service, ...user, modules: raw.modules };
    case 'connect':
      checkPort(raw.port, [...at, 'port'], report);
      return {
        kind: raw.kind,
        ...common(`connect-${raw.service}-${raw.target}`, `${raw.service} reaches ${raw.target}:${raw.port}`),
        service: raw.service,
        ...user,
        target: raw.target,
        port: raw.port,
        ...(raw.login !== undefined ? { login: raw.login } : {}),
        ...(raw['url-env'] !== undefined ? { urlEnv: raw['url-env'] } : {}),
      };
    case 'sql':
      return {
        kind: raw.kind,
        ...common(`sql-${raw.service}`, `Query in ${raw.service}: ${raw.query}`),
        service: raw.service,
        query: raw.query,
        ...(raw['at-least'] !== undefined ? { atLeast: raw['at-least'] } : {}),
        ...user,
        ...(raw.database !== undefined ? { database: raw.database } : {}),
      };
    case 'writable':
      return { kind: raw.kind, ...common(`writable-${raw.service}`, `${raw.path} is writable in ${raw.service}`), service: raw.service, path: raw.path, ...user };
    case 'disk-space': {
      const minFreeBytes = parseSizeBytes(raw['min-free']);
      if (minFreeBytes === undefined) {
        report.error([...at, 'min-free'], `"${raw['min-free']}" is not a size (e.g. 2GB, 500m)`);
        return undefined;
      }
      return { kind: raw.kind, ...common('disk-space', 'Free disk space for Docker'), minFreeBytes, ...(raw.service !== undefined ? { service: raw.service } : {}) };
    }
    case 'image-extras':
      return { kind: raw.kind, ...common(`image-extras-${raw.service}`, `Optional extras of the ${raw.service} image`), service: raw.service, ...user };
    case 'port':
      return {
        kind: raw.kind,
        ...common(raw.service ? `port-${raw.service}` : 'port', raw.service ? `Published ports of ${raw.service} answer` : 'Published ports answer'),
        ...(raw.service !== undefined ? { service: raw.service } : {}),
      };
  }
}

/** Container ports that usually serve a web page (a web UI is inferred from the first published one). */
const HTTP_PORTS = new Set([80, 3000, 3001, 4200, 5000, 5050, 5601, 8000, 8008, 8050, 8080, 8081, 8088, 8501, 8787, 8888, 9000, 9090, 15672]);

/** A web UI for a service the spec says nothing about: its first published port that looks HTTP. */
export function inferWebUi(service: ServiceSpec): ServiceMeta['web'] {
  const port = service.ports.find((p) => p.protocol === 'tcp' && HTTP_PORTS.has(p.target));
  return port ? { port: port.target, path: '/' } : undefined;
}

/** The starter notebooks go into a bind mount of their service: it must have one at `target`. */
export function checkStarterNotebooks(course: CourseMeta, services: Record<string, ServiceSpec>, report: Reporter): void {
  const starter = course.starterNotebooks;
  const service = starter && services[starter.service];
  if (!starter || !service) return;
  const mount = service.mounts.find((m) => m.target === starter.target);
  if (!mount || mount.type !== 'bind') {
    const binds = service.mounts.filter((m) => m.type === 'bind').map((m) => m.target);
    report.error(
      ['x-coursedock', 'starter-notebooks', 'target'],
      `${starter.service} has no folder from this computer mounted at ${starter.target}${binds.length ? ` (its bind mounts: ${binds.join(', ')})` : ''}`,
    );
  }
}

function serviceMeta(name: string, raw: ServiceMetaRaw, path: KeyPath, report: Reporter): ServiceMeta {
  const meta: ServiceMeta = { title: raw.title ?? name };
  if (raw.description !== undefined) meta.description = raw.description;
  if (raw.icon !== undefined) meta.icon = raw.icon;
  if (raw.web) {
    const webPath = raw.web.path ?? '/';
    checkPort(raw.web.port, [...path, 'web', 'port'], report);
    if (!webPath.startsWith('/')) report.error([...path, 'web', 'path'], `web path "${webPath}" must start with /`);
    meta.web = { port: raw.web.port, path: webPath, ...(raw.web['announces-ready'] ? { announcesReady: true } : {}) };
  }
  if (raw.connection) {
    const { kind, port, user, password, database } = raw.connection;
    checkPort(port, [...path, 'connection', 'port'], report);
    meta.connection = { kind, port };
    if (user !== undefined) meta.connection.user = user;
    if (password !== undefined) meta.connection.password = password;
    if (database !== undefined) meta.connection.database = database;
    const envVars = raw.connection['env-vars'];
    if (envVars !== undefined) meta.connection.envVars = envVars;
  }
  if (raw.backup !== undefined) {
    const backup = validate(backupDeclSchema, raw.backup, [...path, 'backup'], report);
    if (backup) meta.backup = backup;
  }
  return meta;
}

function checkPort(port: number, path: KeyPath, report: Reporter): void {
  if (port < 1 || port > 65535) report.error(path, `port ${port} is out of range (1-65535)`);
}
