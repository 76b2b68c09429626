// x-coursedock → CourseMeta and per-service ServiceMeta.
import type { KeyPath } from './locate.js';
import type { Reporter } from './report.js';
import { courseMetaSchema, serviceMetaSchema, type ServiceMetaRaw } from './schema.js';
import { didYouMean } from './suggest.js';
import type { CourseMeta, ServiceMeta, VariableDecl } from './types.js';
import { validate } from './zod-issues.js';

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
): NormalizedMeta {
  const path = ['x-coursedock'];
  const course: CourseMeta = { title: '', variables, studentData: [] };
  const services = new Map<string, ServiceMeta>();
  if (raw === undefined) {
    report.error([], 'missing `x-coursedock` section: a course spec needs at least `x-coursedock: {title: …}`');
    return { course, services };
  }
  const meta = validate(courseMetaSchema, raw, path, report);
  if (!meta) return { course, services };
  if (meta.title === undefined) report.error(path, 'a course needs a `title`');
  course.title = meta.title ?? '';
  if (meta.description !== undefined) course.description = meta.description;
  course.studentData = meta['student-data'] ?? [];
  for (const [name, value] of Object.entries(meta.services ?? {})) {
    const at = [...path, 'services', name];
    if (!serviceNames.has(name)) {
      report.error(at, `metadata for "${name}", which is not a service in this spec${didYouMean(name, serviceNames)}`, 'key');
      continue;
    }
    const parsed = validate(serviceMetaSchema, value, at, report);
    if (parsed) services.set(name, serviceMeta(name, parsed, at, report));
  }
  return { course, services };
}

function serviceMeta(name: string, raw: ServiceMetaRaw, path: KeyPath, report: Reporter): ServiceMeta {
  const meta: ServiceMeta = { title: raw.title ?? name };
  if (raw.description !== undefined) meta.description = raw.description;
  if (raw.icon !== undefined) meta.icon = raw.icon;
  if (raw.web) {
    const webPath = raw.web.path ?? '/';
    checkPort(raw.web.port, [...path, 'web', 'port'], report);
    if (!webPath.startsWith('/')) report.error([...path, 'web', 'path'], `web path "${webPath}" must start with /`);
    meta.web = { port: raw.web.port, path: webPath };
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
  return meta;
}

function checkPort(port: number, path: KeyPath, report: Reporter): void {
  if (port < 1 || port > 65535) report.error(path, `port ${port} is out of range (1-65535)`);
}
