// Port auto-correct: when a host port the spec asks for is taken by anything, use the next free
// one, remember it for this environment, and say so in words.
import net from 'node:net';
import type { ActualState } from '../plan/actual.js';
import { portKey, type ResolvedPort } from '../plan/resolved-port.js';
import type { CourseSpec } from '../spec/types.js';

export type PortProbe = (hostIp: string, port: number, protocol: 'tcp' | 'udp') => Promise<boolean>;

export interface PortMemory {
  get(service: string, key: string): number | undefined;
  set(service: string, key: string, port: number): void;
}

export interface PortNotice {
  service: string;
  requested: number;
  port: number;
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

  for (const name of services) {
    const svc = spec.services[name]!;
    const out: ResolvedPort[] = [];
    for (const p of svc.ports) {
      const key = portKey(p);
      const base = { target: p.target, protocol: p.protocol, hostIp: p.hostIp };
      if (p.published === undefined) {
        out.push(base);
        continue;
      }
      let candidate = memory.get(name, key) ?? p.published;
      const heldByUs = (port: number) => ownRunning.get(name)?.[key] === port;
      for (let i = 0; i < MAX_TRIES; i++) {
        if (!claimed.has(candidate) && (heldByUs(candidate) || (await probe(p.hostIp, candidate, p.protocol)))) break;
        candidate = candidate >= 65535 ? 1024 : candidate + 1;
      }
      claimed.add(candidate);
      const before = memory.get(name, key) ?? p.published;
      if (candidate !== before) memory.set(name, key, candidate);
      // Said once, when the port moves; the state keeps showing it (`requested`) after that.
      if (candidate !== before) {
        notices.push({
          service: name,
          requested: p.published,
          port: candidate,
          message: `Port ${p.published} is in use by another program — Coursedock uses ${candidate} for ${svc.meta.title} instead.`,
        });
      }
      out.push({ ...base, hostPort: candidate, requested: p.published });
    }
    ports[name] = out;
  }
  return { ports, notices };
}
