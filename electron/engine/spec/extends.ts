// `extends:` resolved before anything else looks at a service, with the Compose Specification's
// merge rules: mappings (environment, labels, healthcheck, build, deploy, …) merged key by key
// with the extending service winning; `ports`, `expose`, `secrets`, `configs`, `dns`, `env_file`,
// `profiles`, … appended without duplicates; `volumes` merged by container target; `command`,
// `entrypoint` and everything else replaced. The base may live in another file
// (`extends: {file, service}`): its relative paths are made absolute against that file's folder.
import path from 'node:path';
import type { KeyPath } from './locate.js';
import type { Reporter } from './report.js';
import { didYouMean } from './suggest.js';
import { isPlainObject, plainText, type Plain, type PlainObject } from './to-plain.js';

/** The services of another Compose file (interpolated), or undefined after reporting why not. */
export type LoadServices = (file: string, from: KeyPath) => PlainObject | undefined;

const MAPPINGS = new Set(['environment', 'labels', 'annotations', 'healthcheck', 'build', 'deploy', 'logging', 'sysctls', 'ulimits', 'storage_opt', 'extra_hosts', 'depends_on', 'networks', 'blkio_config']);
const KEY_VALUE_LISTS = new Set(['environment', 'labels', 'annotations', 'sysctls', 'args', 'extra_hosts']);
const SEQUENCES = new Set(['ports', 'expose', 'external_links', 'cap_add', 'cap_drop', 'secrets', 'configs', 'dns', 'dns_search', 'dns_opt', 'env_file', 'tmpfs', 'security_opt', 'profiles', 'device_cgroup_rules', 'group_add', 'links', 'volumes_from']);
const BY_TARGET = new Set(['volumes', 'devices']);

interface FileServices {
  file: string;
  dir: string;
  services: PlainObject;
}

/**
 * `inherited(base, name)`: a service of this file took keys from another service of this file
 * (so its inherited keys can be located at the base's lines).
 */
export function resolveExtends(
  services: PlainObject,
  file: string,
  report: Reporter,
  loadServices: LoadServices,
  inherited: (base: string, name: string) => void = () => undefined,
): PlainObject {
  const files = new Map<string, FileServices>([[file, { file, dir: path.dirname(file), services }]]);
  const done = new Map<string, Plain>();
  const out: PlainObject = {};

  const resolve = (where: FileServices, name: string, chain: string[], at: KeyPath): Plain | undefined => {
    const id = `${where.file}\u0000${name}`;
    if (done.has(id)) return done.get(id);
    const service = Object.hasOwn(where.services, name) ? where.services[name] : undefined;
    if (!isPlainObject(service) || service.extends === undefined) return service;
    if (chain.includes(id)) {
      report.error(at, `extends cycle: ${[...chain, id].map((c) => c.split('\u0000')[1]).join(' -> ')}`);
      return undefined;
    }
    const here = where.file === file ? ['services', name, 'extends'] : at;
    const ext = service.extends;
    const target = typeof ext === 'string' ? { service: ext } : isPlainObject(ext) ? ext : undefined;
    if (!target || typeof target.service !== 'string' || (target.file !== undefined && typeof target.file !== 'string')) {
      report.error(here, '`extends` takes a service name or `{service, file}`');
      return withoutExtends(service);
    }
    let base = where;
    if (typeof target.file === 'string') {
      const other = path.resolve(where.dir, target.file);
      const known = files.get(other);
      if (known) base = known;
      else {
        const loaded = loadServices(other, here);
        if (!loaded) return withoutExtends(service);
        base = { file: other, dir: path.dirname(other), services: loaded };
        files.set(other, base);
      }
    }
    if (!Object.hasOwn(base.services, target.service)) {
      const inFile = base === where ? 'in this file' : `in ${base.file}`;
      report.error(here, `extends "${target.service}", which is not a service ${inFile}${didYouMean(target.service, Object.keys(base.services))}`);
      return withoutExtends(service);
    }
    const resolvedBase = resolve(base, target.service, [...chain, id], here);
    if (!isPlainObject(resolvedBase)) return withoutExtends(service);
    const rebased = base.dir === where.dir ? resolvedBase : rebasePaths(resolvedBase, base.dir);
    const merged = mergeService(rebased, withoutExtends(service));
    if (base.file === file && where.file === file) inherited(target.service, name);
    done.set(id, merged);
    return merged;
  };

  const main = files.get(file) as FileServices;
  for (const name of Object.keys(services)) {
    const value = resolve(main, name, [], ['services', name]);
    out[name] = value === undefined ? (services[name] ?? null) : value;
    if (isPlainObject(out[name])) out[name] = withoutExtends(out[name]);
  }
  return out;
}

function withoutExtends(service: PlainObject): PlainObject {
  const { extends: _dropped, ...rest } = service;
  return rest;
}

/** Compose's merge of an extending service (`over`) onto its base. */
export function mergeService(base: PlainObject, over: PlainObject): PlainObject {
  const out: PlainObject = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const before = out[key];
    if (before === undefined || before === null || value === null) out[key] = value;
    else if (SEQUENCES.has(key)) out[key] = union(asList(before), asList(value));
    else if (BY_TARGET.has(key) && Array.isArray(before) && Array.isArray(value)) out[key] = byTarget(before, value);
    else if (MAPPINGS.has(key)) out[key] = mergeMapping(key, before, value);
    else out[key] = value;
  }
  return out;
}

function mergeMapping(key: string, before: Plain, value: Plain): Plain {
  const a = asMapping(key, before);
  const b = asMapping(key, value);
  if (!a || !b) return value;
  const out: PlainObject = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const prior = out[k];
    // healthcheck.test and build.context/dockerfile are replaced; nested maps (build.args,
    // deploy.resources.limits, logging.options) are merged.
    if (isPlainObject(prior) && isPlainObject(v)) out[k] = mergeMapping(k, prior, v);
    else if (KEY_VALUE_LISTS.has(k) && prior !== undefined && prior !== null && v !== null) out[k] = mergeMapping(k, prior, v);
    else out[k] = v;
  }
  return out;
}

/** A mapping, or a list written for one (`KEY=value`, a service list under depends_on/networks). */
function asMapping(key: string, value: Plain): PlainObject | undefined {
  if (isPlainObject(value)) return value;
  if (key === 'build' && typeof value === 'string') return { context: value };
  if (!Array.isArray(value)) return undefined;
  const out: PlainObject = {};
  for (const item of value) {
    if (typeof item !== 'string' && typeof item !== 'number') return undefined;
    const text = String(item);
    if (key === 'depends_on' || key === 'networks') out[text] = null;
    else {
      const eq = text.indexOf(key === 'extra_hosts' && !text.includes('=') ? ':' : '=');
      if (eq < 0) out[text] = null;
      else out[text.slice(0, eq)] = text.slice(eq + 1);
    }
  }
  return out;
}

function asList(value: Plain): Plain[] {
  return Array.isArray(value) ? value : [value];
}

function union(a: Plain[], b: Plain[]): Plain[] {
  const seen = new Set(a.map((v) => JSON.stringify(v)));
  return [...a, ...b.filter((v) => !seen.has(JSON.stringify(v)))];
}

/** Mounts (and devices) merged by their container path: the extending service's wins. */
function byTarget(a: Plain[], b: Plain[]): Plain[] {
  const targets = new Set(b.map(targetOf));
  return [...a.filter((item) => !targets.has(targetOf(item))), ...b];
}

function targetOf(item: Plain): string {
  if (isPlainObject(item)) return plainText(item.target ?? item.container_path ?? item);
  const text = plainText(item);
  const drive = /^[A-Za-z]:[\\/]/.test(text) ? 2 : 0;
  const parts = text.slice(drive).split(':');
  return parts.length === 1 ? (parts[0] ?? text) : (parts[1] ?? text);
}

/** Relative paths of a service from another folder, made absolute (build context, binds, env files). */
export function rebasePaths(service: PlainObject, dir: string): PlainObject {
  const abs = (p: string): string => (p.startsWith('.') ? path.resolve(dir, p) : p);
  const out: PlainObject = { ...service };
  if (typeof out.build === 'string') out.build = abs(out.build);
  else if (isPlainObject(out.build)) out.build = { ...out.build, context: abs(typeof out.build.context === 'string' ? out.build.context : '.') };
  if (typeof out.env_file === 'string') out.env_file = path.resolve(dir, out.env_file);
  else if (Array.isArray(out.env_file)) {
    out.env_file = out.env_file.map((e) =>
      typeof e === 'string' ? path.resolve(dir, e) : isPlainObject(e) && typeof e.path === 'string' ? { ...e, path: path.resolve(dir, e.path) } : e,
    );
  }
  if (Array.isArray(out.volumes)) {
    out.volumes = out.volumes.map((v) => {
      if (typeof v === 'string') return v.startsWith('.') ? abs(v.split(':')[0] ?? '') + v.slice((v.split(':')[0] ?? '').length) : v;
      if (isPlainObject(v) && v.type === 'bind' && typeof v.source === 'string') return { ...v, source: abs(v.source) };
      return v;
    });
  }
  return out;
}
