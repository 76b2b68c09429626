// Port auto-correct: when a host port the spec asks for is taken by something else at start
// time, use another free one, remember it for this environment, and say so in words. The move
// is not for ever: the next start goes back to the wanted port as soon as it is free again,
// unless the student pinned a port (then the pin is the wanted port). A running container keeps
// the port it holds: nothing is recreated just to move a port.
import net from 'node:net';
import type { ActualState } from '../plan/actual.js';
import { portKey, type ResolvedPort } from '../plan/resolved-port.js';
import type { CourseSpec } from '../spec/types.js';
import { serviceOf } from '../spec/service-of.js';

export type PortProbe = (hostIp: string, port: number, protocol: 'tcp' | 'udp') => Promise<boolean>;

export interface PortMemory {
  /** The port last used instead of the wanted one (absent while on the wanted port). */
  get(service: string, key: string): number | undefined;
  /** `undefined` forgets the move (the service is back on its wanted port). */
  set(service: string, key: string, port: number | undefined): void;
  /** A port the student pinned for this service port: it is wanted instead of the spec's. */
  pin?: (service: string, key: string) => number | undefined;
}

export interface PortNotice {
  service: string;
  requested: number;
  port: number;
  level: 'info' | 'warning';
  message: string;
}

/** True when nothing listens on hostIp:port (we can bind it ourselves for a moment). */
export const isPortFree: PortProbe = (hostIp, port, protocol) => {
  if (protocol === 'udp') return Promise.resolve(true);
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ host: hostIp, port, exclusive: true }, () => server.close(() => resolve(true)));
  });
};

const MAX_TRIES = 200;

export async function resolvePorts(
  spec: CourseSpec,
  actual: ActualState,
  memory: PortMemory,
  probe: PortProbe = isPortFree,
  services: string[] = Object.keys(spec.services),
): Promise<{ ports: Record<string, ResolvedPort[]>; notices: PortNotice[] }> {
  const ports: Record<string, ResolvedPort[]> = {};
  const notices: PortNotice[] = [];
  const claimed = new Set<number>();
  // Ports our own running containers hold are not "in use by another program".
  const ownRunning = new Map<string, Record<string, number>>();
  for (const c of actual.containers) if (c.state === 'running' && !c.oneoff) ownRunning.set(c.service, c.hostPorts);
  const free = async (hostIp: string, port: number, protocol: 'tcp' | 'udp') =>
    !claimed.has(port) && (await probe(hostIp, port, protocol));

  for (const name of services) {
    const svc = serviceOf(spec, name);
    const out: ResolvedPort[] = [];
    for (const p of svc.ports) {
      const key = portKey(p);
      const base = { target: p.target, protocol: p.protocol, hostIp: p.hostIp };
      if (p.published === undefined) {
        out.push(base);
        continue;
      }
      const pinned = memory.pin?.(name, key);
      const wanted = pinned ?? p.published;
      const remembered = memory.get(name, key);
      const held = ownRunning.get(name)?.[key];
      let port: number;
      if (held !== undefined && !claimed.has(held)) port = held;
      else if (await free(p.hostIp, wanted, p.protocol)) port = wanted;
      else if (remembered !== undefined && remembered !== wanted && (await free(p.hostIp, remembered, p.protocol))) port = remembered;
      else port = await nextFree(p.hostIp, wanted, p.protocol, free);
      claimed.add(port);

      const title = svc.meta.title;
      if (port === wanted) {
        if (remembered !== undefined) {
          memory.set(name, key, undefined);
          if (remembered !== wanted) {
            notices.push({ service: name, requested: wanted, port, level: 'info', message: `Port ${wanted} is free again — ${title} is back on ${wanted}.` });
          }
        }
      } else if (port !== remembered) {
        memory.set(name, key, port);
        // Said once, when the port moves; the state keeps showing it (`requested`) after that.
        notices.push({
          service: name,
          requested: wanted,
          port,
          level: 'warning',
          message: `Port ${wanted}${pinned !== undefined ? ' (pinned)' : ''} is in use by another program — Coursedock uses ${port} for ${title} instead.`,
        });
      }
      out.push({ ...base, hostPort: port, requested: wanted });
    }
    ports[name] = out;
  }
  return { ports, notices };
}

async function nextFree(
  hostIp: string,
  from: number,
  protocol: 'tcp' | 'udp',
  free: (hostIp: string, port: number, protocol: 'tcp' | 'udp') => Promise<boolean>,
): Promise<number> {
  let candidate = from;
  for (let i = 0; i < MAX_TRIES; i++) {
    candidate = candidate >= 65535 ? 1024 : candidate + 1;
    if (await free(hostIp, candidate, protocol)) return candidate;
  }
  throw new Error(`No free port near ${from} on ${hostIp}: ${MAX_TRIES} ports tried.`);
}
