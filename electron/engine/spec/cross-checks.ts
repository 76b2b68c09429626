// Checks Compose leaves to the user, made on the normalized services: problems that Docker
// would only report when a container starts (or not at all), said when the spec loads, at the
// line to fix.
// - two services (or one twice) on one host port: the second cannot start;
// - two mounts on one target in a service: Docker refuses the container;
// - a bind of a host path that does not exist: created (short syntax, or the long syntax with
//   `bind.create_host_path: true`) — a warning — or refused (the long syntax's default).
import fs from 'node:fs';
import { formatPath as formatKey, type KeyPath } from './locate.js';
import type { Reporter } from './report.js';
import { originOf } from './spec-origins.js';
import type { MountSpec, PortSpec, ServiceSpec } from './types.js';

export interface CrossCheckOptions {
  /** Host folders the engine creates itself before a service starts (folder variables' values). */
  createdByEngine?: ReadonlySet<string>;
  /** For tests: whether a host path exists. */
  exists?: (path: string) => boolean;
}

export function crossCheck(services: Record<string, ServiceSpec>, report: Reporter, options: CrossCheckOptions = {}): void {
  checkHostPorts(services, report);
  for (const service of Object.values(services)) {
    checkMountTargets(service, report);
    checkBindSources(service, report, options);
  }
}

function where(value: object, fallback: KeyPath): KeyPath {
  return originOf(value) ?? fallback;
}

function checkHostPorts(services: Record<string, ServiceSpec>, report: Reporter): void {
  const taken = new Map<string, { service: string; port: PortSpec }>();
  for (const service of Object.values(services)) {
    for (const port of service.ports) {
      if (port.published === undefined) continue;
      const id = `${port.hostIp}:${port.published}/${port.protocol}`;
      const first = taken.get(id);
      if (!first) {
        taken.set(id, { service: service.name, port });
        continue;
      }
      const firstAt = originOf(first.port);
      const by = first.service === service.name ? 'this service already publishes it' : `service "${first.service}" already publishes it`;
      report.error(
        where(port, ['services', service.name, 'ports']),
        `host port ${id} is used twice: ${by}${firstAt ? ` (${formatKey(firstAt)})` : ''}, and one port can be published only once, so the second container would not start. ` +
          'Give one of them another host port (or leave the host port out to get a free one)',
      );
    }
  }
}

function checkMountTargets(service: ServiceSpec, report: Reporter): void {
  const seen = new Map<string, MountSpec>();
  for (const mount of service.mounts) {
    const target = mount.target.replace(/\/+$/, '') || '/';
    const first = seen.get(target);
    if (!first) {
      seen.set(target, mount);
      continue;
    }
    const firstAt = originOf(first);
    report.error(
      where(mount, ['services', service.name, 'volumes']),
      `two mounts on ${target}${firstAt ? ` (the first is ${formatKey(firstAt)})` : ''}: Docker refuses a container with two mounts on one path. Keep one of them`,
    );
  }
}

function checkBindSources(service: ServiceSpec, report: Reporter, options: CrossCheckOptions): void {
  const exists = options.exists ?? ((p: string) => fs.existsSync(p));
  for (const mount of service.mounts) {
    if (mount.type !== 'bind' || exists(mount.source)) continue;
    if (options.createdByEngine?.has(mount.source.replace(/\/+$/, ''))) continue;
    const at = where(mount, ['services', service.name, 'volumes']);
    if (mount.createHostPath) {
      report.warn(
        at,
        `${mount.source} does not exist: it is created as an empty folder when ${service.name} starts ` +
          '(Compose does this for the short syntax and for `bind: {create_host_path: true}`); if the course expects files there, they are missing',
      );
    } else {
      report.error(
        at,
        `${mount.source} does not exist, and a long-syntax bind mount is not created (Compose's rule: \`create_host_path\` is off unless written). ` +
          'Create it, or add `bind: {create_host_path: true}` to this mount',
      );
    }
  }
}
