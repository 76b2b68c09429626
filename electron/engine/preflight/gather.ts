// Pre-flight checks, the looking half: reads this computer (stat, statfs, a port bind, Docker's
// container list) into the facts rules.ts judges. Reads only: nothing is created or changed.
import { constants } from 'node:fs';
import { access, stat, statfs } from 'node:fs/promises';
import path from 'node:path';
import type Dockerode from 'dockerode';
import { isPortFree, type PortProbe } from '../operations/host-ports.js';
import { LABEL } from '../plan/labels.js';
import type { ListedContainer } from '../docker/api-records.js';
import type { CourseSpec, ServiceSpec } from '../spec/types.js';
import type { BindFact, DiskFact, PathFact, PortFact, PortHolder, PreflightFacts } from './rules.js';

export interface GatherOptions {
  /** Values of the spec's variables this install uses (to recognise folder variables). */
  variables?: Record<string, string>;
  /** Check the host ports the services ask for (up and start; not on restart). */
  ports?: boolean;
  probe?: PortProbe;
  /** Default: process.platform. Owners of bind-mounted files are numeric on Linux only. */
  platform?: NodeJS.Platform;
}

export async function gatherPreflightFacts(
  docker: Dockerode | undefined,
  spec: CourseSpec,
  services: string[],
  options: GatherOptions = {},
): Promise<PreflightFacts> {
  const platform = options.platform ?? process.platform;
  const binds: BindFact[] = [];
  for (const name of services) {
    const svc = spec.services[name];
    if (!svc) continue; // the callers name services of this spec
    const runsAs = platform === 'linux' ? containerUser(svc) : undefined;
    for (const m of svc.mounts) {
      if (m.type !== 'bind') continue;
      const folderVariable = spec.meta.variables.find((v) => {
        const value = options.variables?.[v.name];
        return v.kind === 'folder' && value !== undefined && path.resolve(value) === m.source;
      });
      const fact = await pathFact(m.source);
      // A file the spec binds on purpose (a secret, a config file) is not a folder gone wrong.
      if (fact.kind === 'file' && !folderVariable) continue;
      binds.push({
        service: name,
        serviceTitle: svc.meta.title,
        source: m.source,
        target: m.target,
        readOnly: m.readOnly,
        ...(folderVariable ? { folderVariable: { name: folderVariable.name, ...(folderVariable.description ? { description: folderVariable.description } : {}) } } : {}),
        path: fact,
        ...(runsAs ? { runsAs } : {}),
      });
    }
  }
  const disks = await diskFacts(docker, binds);
  const ports = options.ports ? await portFacts(docker, spec, services, options.probe ?? isPortFree) : [];
  return { binds, disks, ports };
}

/**
 * The uid the container's main process runs as, when the spec says: `user:` (numeric), or the
 * NB_UID/NB_GID convention of notebook images (Jupyter's docker-stacks, our tm351 notebook).
 */
export function containerUser(svc: ServiceSpec): { uid: number; gid: number } | undefined {
  const m = /^(\d+)(?::(\d+))?$/.exec(svc.user ?? '');
  if (m) return { uid: Number(m[1]), gid: Number(m[2] ?? m[1]) };
  if (svc.user) return undefined; // a user name: only the image knows its uid
  const uid = svc.environment.NB_UID;
  if (uid === undefined || !/^\d+$/.test(uid)) return undefined;
  const gid = svc.environment.NB_GID;
  return { uid: Number(uid), gid: gid !== undefined && /^\d+$/.test(gid) ? Number(gid) : Number(uid) };
}

export async function pathFact(p: string): Promise<PathFact> {
  try {
    const s = await stat(p);
    if (s.isDirectory()) return { kind: 'folder', uid: s.uid, gid: s.gid, mode: s.mode & 0o777 };
    return { kind: s.isFile() ? 'file' : 'other' };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT' && (err as NodeJS.ErrnoException).code !== 'ENOTDIR') throw err;
  }
  // Missing: the nearest thing that exists decides whether it can be made.
  let ancestor = path.dirname(p);
  for (;;) {
    try {
      const s = await stat(ancestor);
      const ancestorKind = s.isDirectory() ? 'folder' : s.isFile() ? 'file' : 'other';
      const ancestorWritable = ancestorKind === 'folder' && (await access(ancestor, constants.W_OK | constants.X_OK).then(() => true, () => false));
      return { kind: 'missing', ancestor, ancestorKind, ancestorWritable };
    } catch {
      const up = path.dirname(ancestor);
      if (up === ancestor) return { kind: 'missing', ancestor, ancestorKind: 'other', ancestorWritable: false };
      ancestor = up;
    }
  }
}

/** Free space where Docker keeps its data (when on this computer) and under each bind source, once per disk. */
async function diskFacts(docker: Dockerode | undefined, binds: BindFact[]): Promise<DiskFact[]> {
  const wanted: Array<{ path: string; what: string }> = [];
  if (docker) {
    try {
      const info = (await docker.info()) as { DockerRootDir?: string };
      if (info.DockerRootDir) wanted.push({ path: info.DockerRootDir, what: "Docker's images, containers and volumes" });
    } catch {
      /* Docker's own errors are reported by the operation itself */
    }
  }
  for (const b of binds) {
    const where = b.path.kind === 'missing' ? b.path.ancestor : b.source;
    wanted.push({ path: where, what: b.folderVariable ? `your folder for ${b.serviceTitle}` : `${b.target} of ${b.serviceTitle}` });
  }
  const seen = new Set<number>();
  const out: DiskFact[] = [];
  for (const w of wanted) {
    try {
      // Docker Desktop keeps its data root in a VM: not on this computer, nothing to measure.
      const dev = (await stat(w.path)).dev;
      if (seen.has(dev)) continue;
      seen.add(dev);
      const s = await statfs(w.path);
      out.push({ path: w.path, what: w.what, freeBytes: s.bavail * s.bsize, totalBytes: s.blocks * s.bsize });
    } catch {
      continue;
    }
  }
  return out;
}

/** Who holds each host port the services ask for (the spec's port), when it is not free. */
async function portFacts(docker: Dockerode | undefined, spec: CourseSpec, services: string[], probe: PortProbe): Promise<PortFact[]> {
  const out: PortFact[] = [];
  let containers: Dockerode.ContainerInfo[] | undefined;
  for (const name of services) {
    const svc = spec.services[name];
    if (!svc) continue; // the callers name services of this spec
    for (const p of svc.ports) {
      if (p.published === undefined || p.protocol !== 'tcp') continue;
      let holder: PortHolder = { kind: 'free' };
      if (!(await probe(p.hostIp, p.published, p.protocol))) {
        containers ??= docker ? await docker.listContainers().catch(() => []) : [];
        holder = portHolder(containers, spec.project, p.hostIp, p.published);
      }
      out.push({ service: name, serviceTitle: svc.meta.title, hostIp: p.hostIp, port: p.published, holder });
    }
  }
  return out;
}

export function portHolder(containers: ListedContainer[], project: string, hostIp: string, port: number): PortHolder {
  for (const c of containers) {
    const publishes = c.Ports.some(
      (q) => q.PublicPort === port && q.Type === 'tcp' && (!q.IP || q.IP === hostIp || q.IP === '0.0.0.0' || q.IP === '::'),
    );
    if (!publishes) continue;
    const owner = c.Labels[LABEL.project];
    if (owner === project) return { kind: 'ours' };
    const service = c.Labels[LABEL.service];
    return {
      kind: 'container',
      name: (c.Names[0] ?? c.Id.slice(0, 12)).replace(/^\//, ''),
      ...(owner ? { project: owner } : {}),
      ...(owner && service ? { service } : {}),
    };
  }
  return { kind: 'program' };
}
