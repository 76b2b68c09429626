// Old Compose files, read as docker-compose read them. A v1 file (services at the top level, no
// `services:`) is recognised and read as if its services were under `services:`; then, in any
// file, the v1 ways of wiring containers are converted to what they mean today, each with one
// warning naming what became what: `links` → a network alias of the linked service (and a start
// order), `volumes_from` a data container → named volumes mounted in both, `dockerfile:` →
// `build.dockerfile`, `log_driver`/`log_opt` dropped. What cannot be converted (`net: host`,
// `net: container:…`, `volumes_from: container:…`) is refused with what to change.
import type { KeyPath } from './locate.js';
import type { Reporter } from './report.js';
import { isPlainObject, plainText, type Plain, type PlainObject } from './to-plain.js';

const TOP_LEVEL = new Set(['version', 'services', 'volumes', 'networks', 'secrets', 'configs', 'name', 'include', 'models']);
const SERVICE_HINTS = ['image', 'build', 'command', 'links', 'volumes_from', 'net', 'ports', 'environment'];

/** True for a file whose top level holds services (a mapping with `image:` or `build:`…) and no `services:`. */
export function isComposeV1(top: PlainObject): boolean {
  if (Object.hasOwn(top, 'services')) return false;
  const candidates = Object.entries(top).filter(([key]) => !key.startsWith('x-') && !TOP_LEVEL.has(key));
  return candidates.length > 0 && candidates.every(([, value]) => isPlainObject(value) && SERVICE_HINTS.some((k) => Object.hasOwn(value, k)));
}

/** A v1 file's top level → `{services: …}` (x- keys kept); `moved(name)` re-points locations. */
export function liftV1Services(top: PlainObject, report: Reporter, moved: (name: string) => void): PlainObject {
  const out: PlainObject = { services: {} };
  const services = out.services as PlainObject;
  for (const [key, value] of Object.entries(top)) {
    if (key.startsWith('x-') || TOP_LEVEL.has(key)) out[key] = value;
    else {
      services[key] = value;
      moved(key);
    }
  }
  const names = Object.keys(services);
  report.warn(
    [],
    `this is a Compose v1 file (services at the top level): read as if ${names.join(', ')} were under \`services:\`; to update it, indent them under \`services:\``,
  );
  return out;
}

/** Converts links, volumes_from, net, dockerfile and log_* of every service, in place. */
export function convertV1Constructs(top: PlainObject, report: Reporter): void {
  const services = isPlainObject(top.services) ? top.services : undefined;
  if (!services) return;
  for (const [name, service] of Object.entries(services)) {
    if (!isPlainObject(service)) continue;
    const at = ['services', name];
    convertNet(service, [...at, 'net'], report);
    convertDockerfile(service, at, report);
    for (const key of ['log_driver', 'log_opt']) {
      if (Object.hasOwn(service, key)) report.warn([...at, key], `\`${key}\` (Compose v1) is ignored: Coursedock keeps Docker's default logging`, 'key');
    }
    delete service.log_driver;
    delete service.log_opt;
  }
  for (const [name, service] of Object.entries(services)) {
    if (!isPlainObject(service)) continue;
    if (service.links !== undefined) convertLinks(name, service, services, ['services', name, 'links'], report);
    if (service.volumes_from !== undefined) convertVolumesFrom(name, service, top, ['services', name, 'volumes_from'], report);
  }
}

function convertNet(service: PlainObject, at: KeyPath, report: Reporter): void {
  if (!Object.hasOwn(service, 'net')) return;
  const net = service.net;
  delete service.net;
  if (net === 'bridge' || net === 'default' || net === null) {
    report.warn(at, `\`net: ${net ?? ''}\` (Compose v1) is ignored: every service is on the course's own network`, 'key');
    return;
  }
  report.error(
    at,
    `this Compose v1 file uses \`net: ${plainText(net)}\`, which Coursedock does not run (it would share ${net === 'host' ? "the computer's network" : 'another container\'s network'}): remove \`net\` and publish the ports the service needs under \`ports:\``,
    'key',
  );
}

function convertDockerfile(service: PlainObject, at: KeyPath, report: Reporter): void {
  if (!Object.hasOwn(service, 'dockerfile')) return;
  const dockerfile = service.dockerfile;
  delete service.dockerfile;
  const build: PlainObject = typeof service.build === 'string' ? { context: service.build } : isPlainObject(service.build) ? { ...service.build } : { context: '.' };
  if (build.dockerfile === undefined) build.dockerfile = dockerfile ?? null;
  service.build = build;
  report.warn([...at, 'dockerfile'], '`dockerfile:` (Compose v1) read as `build.dockerfile`', 'key');
}

function convertLinks(name: string, service: PlainObject, services: PlainObject, at: KeyPath, report: Reporter): void {
  const links = Array.isArray(service.links) ? service.links : [];
  delete service.links;
  links.forEach((entry, index) => {
    const text = plainText(entry);
    const [target = '', alias = target] = text.split(':');
    const linked = Object.hasOwn(services, target) ? services[target] : undefined;
    if (!isPlainObject(linked)) {
      report.error([...at, index], `links to "${target}", which is not a service in this spec`);
      return;
    }
    addDependency(service, target);
    const aliased = alias !== target;
    if (aliased) addAlias(linked, alias);
    report.warn(
      [...at, index],
      `\`links: ${text}\` converted: ${aliased ? `"${alias}" is a network alias of ${target}, and ` : `${target} is reachable by its name, and `}${name} starts after ${target}`,
    );
  });
}

function addDependency(service: PlainObject, target: string): void {
  const depends = service.depends_on;
  if (Array.isArray(depends)) {
    if (!depends.includes(target)) depends.push(target);
  } else if (isPlainObject(depends)) {
    if (!Object.hasOwn(depends, target)) depends[target] = null;
  } else service.depends_on = [target];
}

function addAlias(service: PlainObject, alias: string): void {
  const networks = service.networks;
  const withAlias = (entry: Plain | undefined): PlainObject => {
    const attached = isPlainObject(entry) ? { ...entry } : {};
    const aliases = Array.isArray(attached.aliases) ? attached.aliases : [];
    if (!aliases.includes(alias)) attached.aliases = [...aliases, alias];
    return attached;
  };
  if (networks === undefined || networks === null) service.networks = { default: withAlias(undefined) };
  else if (Array.isArray(networks)) service.networks = Object.fromEntries(networks.map((n) => [plainText(n), withAlias(undefined)]));
  else if (isPlainObject(networks)) for (const key of Object.keys(networks)) networks[key] = withAlias(networks[key]);
}

/**
 * `volumes_from: [data]`: the data container's anonymous volumes become named volumes
 * (`<data>-<path>`) mounted in both services; its named volumes and binds are mounted as they are.
 */
function convertVolumesFrom(name: string, service: PlainObject, top: PlainObject, at: KeyPath, report: Reporter): void {
  const services = top.services as PlainObject;
  const entries = Array.isArray(service.volumes_from) ? service.volumes_from : [service.volumes_from];
  delete service.volumes_from;
  entries.forEach((entry, index) => {
    const text = plainText(entry);
    const parts = text.split(':');
    if (parts[0] === 'container') {
      report.error([...at, index], `\`volumes_from: ${text}\` names a container outside this spec: declare a named volume under \`volumes:\` and mount it in ${name}`);
      return;
    }
    const [source = '', mode] = parts;
    const data = Object.hasOwn(services, source) ? services[source] : undefined;
    if (!isPlainObject(data)) {
      report.error([...at, index], `volumes_from "${source}", which is not a service in this spec`);
      return;
    }
    const mounts = Array.isArray(data.volumes) ? data.volumes : [];
    const shared: string[] = [];
    const named: string[] = [];
    data.volumes = mounts.map((mount) => {
      if (typeof mount !== 'string' || mount.includes(':')) {
        shared.push(typeof mount === 'string' ? withoutMode(mount) : '');
        return mount;
      }
      const volume = `${source}-${mount.replace(/^\/+/, '').replace(/[^A-Za-z0-9_.-]+/g, '-') || 'root'}`;
      const volumes = isPlainObject(top.volumes) ? top.volumes : (top.volumes = {});
      if (!Object.hasOwn(volumes, volume)) volumes[volume] = null;
      named.push(`${mount} → volume ${volume}`);
      shared.push(`${volume}:${mount}`);
      return `${volume}:${mount}`;
    });
    const own = Array.isArray(service.volumes) ? service.volumes : [];
    const readOnly = mode === 'ro';
    service.volumes = [...own, ...shared.filter(Boolean).map((m) => (readOnly ? `${m}:ro` : m))];
    report.warn(
      [...at, index],
      `\`volumes_from: ${text}\` converted: ${name} mounts ${source}'s volumes${named.length ? ` (its anonymous ${named.join(', ')}, now named so both share it)` : ''}${readOnly ? ' read-only' : ''}`,
    );
  });
}

function withoutMode(mount: string): string {
  const parts = mount.split(':');
  return parts.length > 2 ? parts.slice(0, 2).join(':') : mount;
}
