// Idle culling: thirty Jupyter servers and databases left running after a tutorial hold memory
// the next class needs. A student's stack with no activity for N minutes (default 60) — no
// front-door traffic (panel calls, notebook pages; activity.ts) and no kernel at work — is
// stopped (scaled to 0: volumes, so the student's files and tables, are kept), and noted, so
// the student's next sign-in starts it again and says why it was stopped.
//
// "No kernel at work" is asked of the notebook server itself (Jupyter's GET /api/kernels),
// through the student's own overlay network: a kernel executing now (`busy`) keeps the stack,
// and a kernel's `last_activity` counts as activity (a long computation the student left
// running, or output still arriving). A kernel left idle and open for longer than N minutes
// does not keep the stack: it is what culling is for (JupyterHub's culler does the same).
// When the kernels cannot be asked (the notebook does not answer) the stack is kept and the
// tutor told why: culling never stops what it could not check.
//
// The decision is pure (`idleStudents`, `kernelsVerdict`) and tested with an injected clock;
// `cullIdleStudents` asks Docker and the notebooks, and stops.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import type Dockerode from 'dockerode';
import { demux } from '../docker/demux.js';
import { withFileLock } from '../settings/file-lock.js';
import { dataDir } from '../settings/settings-store.js';
import { GATEWAY_LABEL, connectThrough } from './front-door/gateway.js';
import type { CourseSpec } from '../spec/types.js';
import { CLASSROOM_LABEL, classroomFilter, studentNetworkName, swarmServiceName } from './names.js';
import type { ClassroomListener, StudentStatus } from './types.js';

export const DEFAULT_IDLE_MINUTES = 60;

const MINUTE = 60_000;

// ---------------------------------------------------------------------------------------------
// Pure decisions

export interface IdleInput {
  studentId: string;
  /** The stack runs (or is starting): something to stop. */
  running: boolean;
  /** Last front-door activity (ms since epoch). */
  lastActivityMs?: number;
  /** When the stack last (re)started: a stack started by the tutor and never used is idle from then. */
  startedAtMs?: number;
}

/** Running stacks idle for at least `idleMinutes` at `nowMs`, with how long (whole minutes). */
export function idleStudents(input: IdleInput[], nowMs: number, idleMinutes: number): Array<{ studentId: string; idleMinutes: number }> {
  const out: Array<{ studentId: string; idleMinutes: number }> = [];
  for (const s of input) {
    if (!s.running) continue;
    const since = Math.max(s.lastActivityMs ?? 0, s.startedAtMs ?? 0);
    // Nothing known about when it started or was used: not ours to judge idle.
    if (since === 0) continue;
    const idle = nowMs - since;
    if (idle >= idleMinutes * MINUTE) out.push({ studentId: s.studentId, idleMinutes: Math.floor(idle / MINUTE) });
  }
  return out;
}

/** One kernel as Jupyter's GET /api/kernels lists it. */
export interface KernelInfo {
  id: string;
  name?: string;
  last_activity?: string;
  execution_state?: string;
  connections?: number;
}

/** Whether the notebook's kernels keep the stack: `keep` with the reason, or idle. */
export function kernelsVerdict(
  kernels: KernelInfo[],
  nowMs: number,
  idleMinutes: number,
): { keep: true; reason: string; lastActivityMs?: number } | { keep: false } {
  const busy = kernels.filter((k) => k.execution_state === 'busy' || k.execution_state === 'starting');
  if (busy.length) return { keep: true, reason: `${busy.length === 1 ? 'a kernel is' : `${busy.length} kernels are`} running code` };
  const latest = Math.max(0, ...kernels.map((k) => (k.last_activity ? Date.parse(k.last_activity) : 0)).filter((t) => !Number.isNaN(t)));
  if (latest > 0 && nowMs - latest < idleMinutes * MINUTE) {
    return { keep: true, reason: `a kernel was active ${Math.max(0, Math.round((nowMs - latest) / MINUTE))} min ago`, lastActivityMs: latest };
  }
  return { keep: false };
}

export const culledMessage = (idleMinutes: number): string =>
  `Your environment was stopped after ${idleMinutes} minutes without activity; your files and data are kept. Starting it again…`;

// ---------------------------------------------------------------------------------------------
// Who was culled (so the next sign-in can say so), shared by every process of the classroom

export interface CulledRecord {
  /** ISO time it was stopped. */
  at: string;
  /** How long it had been idle, in minutes. */
  idleMinutes: number;
}

export const culledFile = (course: string, home: string = dataDir()): string => path.join(home, 'classroom', course, 'culled.json');

export class CulledStore {
  constructor(readonly file: string) {}

  static forCourse(course: string, home?: string): CulledStore {
    return new CulledStore(culledFile(course, home));
  }

  read(): Record<string, CulledRecord> {
    const out = Object.create(null) as Record<string, CulledRecord>;
    if (!existsSync(this.file)) return out;
    try {
      const parsed = JSON.parse(readFileSync(this.file, 'utf8')) as Record<string, Partial<CulledRecord> | null> | null;
      for (const [id, r] of Object.entries(parsed ?? {})) {
        if (r && typeof r.at === 'string' && typeof r.idleMinutes === 'number') out[id] = { at: r.at, idleMinutes: r.idleMinutes };
      }
    } catch {
      // unreadable: nobody is known to be culled
    }
    return out;
  }

  get(studentId: string): CulledRecord | undefined {
    return this.read()[studentId];
  }

  /** Rewrites the file with what `fn` makes of its current records. */
  private change(fn: (all: Record<string, CulledRecord>) => Record<string, CulledRecord>): void {
    mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
    withFileLock(`${this.file}.lock`, () => {
      const all = fn(this.read());
      const tmp = `${this.file}.${process.pid}.tmp`;
      writeFileSync(tmp, `${JSON.stringify(all, null, 2)}\n`, { mode: 0o600 });
      renameSync(tmp, this.file);
    });
  }

  mark(studentId: string, record: CulledRecord): void {
    this.change((all) => ({ ...all, [studentId]: record }));
  }

  clear(studentId: string): void {
    if (!this.get(studentId)) return;
    this.change((all) => Object.fromEntries(Object.entries(all).filter(([id]) => id !== studentId)));
  }
}

// ---------------------------------------------------------------------------------------------
// Asking a student's notebook for its kernels

/** Where a student's notebook server answers on their overlay, and its token. */
export interface NotebookTarget {
  /** Swarm's DNS name of the student's notebook service (`<course>-<student>_notebook`). */
  host: string;
  port: number;
  /** The server's base URL path, e.g. `/p/<course>-<student>/notebook/`. */
  basePath: string;
  token: string;
}

export type KernelProbe = (studentId: string) => Promise<KernelInfo[]>;

const kernelsPath = (target: NotebookTarget): string => `${target.basePath.replace(/\/?$/, '/')}api/kernels`;

function parseKernels(status: number, body: string): KernelInfo[] {
  if (status !== 200) throw new Error(`the notebook answered ${status} to GET /api/kernels`);
  const parsed = JSON.parse(body) as unknown;
  if (!Array.isArray(parsed)) throw new Error('the notebook did not list its kernels');
  return parsed as KernelInfo[];
}

/** GET over an already opened stream (HTTP/1.0, so the answer ends with the stream). */
export function getOver(stream: Duplex, target: NotebookTarget, timeoutMs = 10_000): Promise<KernelInfo[]> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      stream.destroy();
      reject(new Error('the notebook did not answer GET /api/kernels in time'));
    }, timeoutMs);
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    stream.on('end', () => {
      clearTimeout(timer);
      stream.destroy();
      const text = Buffer.concat(chunks).toString('utf8');
      const split = text.indexOf('\r\n\r\n');
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1] ?? 0);
      try {
        resolve(parseKernels(status, split >= 0 ? text.slice(split + 4) : ''));
      } catch (err) {
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    });
    stream.write(
      `GET ${kernelsPath(target)} HTTP/1.0\r\nHost: ${target.host}:${target.port}\r\n` +
        `Authorization: token ${target.token}\r\nAccept: application/json\r\n\r\n`,
    );
  });
}

/** Through the classroom gateway (the front door's proxy on the students' overlays). */
export function kernelsThroughGateway(proxyPort: number, targetOf: (studentId: string) => NotebookTarget): KernelProbe {
  return async (studentId) => {
    const target = targetOf(studentId);
    return getOver(await connectThrough(proxyPort, target.host, target.port), target);
  };
}

/** The running classroom gateway's port on 127.0.0.1, if the front door runs one. */
export async function runningGatewayPort(docker: Dockerode, course: string): Promise<number | undefined> {
  const list = await docker.listContainers({
    filters: { label: [`${GATEWAY_LABEL}=${course}`], status: ['running'] },
  });
  const port = list[0]?.Ports.find((p) => p.PrivatePort === 3128 && p.PublicPort)?.PublicPort;
  return port || undefined;
}

/**
 * Without a gateway (`classroom cull` while no front door runs): a one-off container of the
 * notebook's own image (it has curl) on the student's overlay asks, and is removed.
 */
export function kernelsThroughProbeContainer(
  docker: Dockerode,
  targetOf: (studentId: string) => NotebookTarget & { image: string; network: string },
): KernelProbe {
  return async (studentId) => {
    const target = targetOf(studentId);
    const url = `http://${target.host}:${target.port}${kernelsPath(target)}`;
    const container = await docker.createContainer({
      Image: target.image,
      Entrypoint: ['curl'],
      // The token travels as a header read from stdin, never on a command line Docker keeps.
      Cmd: ['-sS', '--max-time', '10', '-w', '\n%{http_code}', '-H', '@/dev/stdin', url],
      OpenStdin: true,
      StdinOnce: true,
      AttachStdin: true,
      AttachStdout: true,
      AttachStderr: true,
      User: '65534:65534',
      Labels: { [CLASSROOM_LABEL.classroom]: targetClassroom(target.host), [CLASSROOM_LABEL.managedBy]: 'coursedock', 'org.coursedock.classroom-role': 'kernel-probe' },
      HostConfig: { NetworkMode: target.network, AutoRemove: false, CapDrop: ['ALL'], SecurityOpt: ['no-new-privileges'] },
    });
    try {
      const stream = await container.attach({ stream: true, stdin: true, stdout: true, stderr: true, hijack: true });
      let out = '';
      let err = '';
      const { PassThrough } = await import('node:stream');
      const stdout = new PassThrough();
      const stderr = new PassThrough();
      stdout.on('data', (c: Buffer) => (out += c.toString()));
      stderr.on('data', (c: Buffer) => (err += c.toString()));
      demux(stream, stdout, stderr);
      await container.start();
      stream.end(`Authorization: token ${target.token}\n`);
      const { StatusCode } = (await container.wait()) as { StatusCode: number };
      if (StatusCode !== 0) throw new Error(`could not reach the notebook (${err.trim() || `curl exit ${StatusCode}`})`);
      const cut = out.lastIndexOf('\n');
      return parseKernels(Number(out.slice(cut + 1)), out.slice(0, cut));
    } finally {
      await container.remove({ force: true }).catch(() => undefined);
    }
  };
}

const targetClassroom = (host: string): string => host.split('_')[0] ?? host;

/** What finding a student's notebook needs of the classroom engine. */
export interface NotebookSource {
  readonly course: string;
  studentSpec(studentId: string): { spec: CourseSpec };
}

/**
 * A student's notebook server as their stack runs it: the course service with a web UI, its
 * port, base path (the web path without its page, e.g. `/p/<course>-<student>/notebook/`) and
 * token (the web path's `token=`), on the student's overlay under its Swarm service name.
 */
export function notebookTarget(classroom: NotebookSource, studentId: string): NotebookTarget & { image: string; network: string } {
  const { spec } = classroom.studentSpec(studentId);
  const svc = Object.values(spec.services).find((s) => s.meta.web);
  if (!svc?.meta.web) throw new Error(`the course ${classroom.course} has no notebook (no service with a web UI)`);
  const url = new URL(svc.meta.web.path, 'http://notebook');
  const basePath = svc.environment.NOTEBOOK_BASE_URL ?? url.pathname.replace(/[^/]*$/, '');
  return {
    host: swarmServiceName(classroom.course, studentId, svc.name),
    port: svc.meta.web.port,
    basePath,
    token: url.searchParams.get('token') ?? '',
    image: svc.image,
    network: studentNetworkName(classroom.course, studentId),
  };
}

/** Through the front door's gateway when one runs, else a one-off probe on the student's overlay. */
export async function classroomKernelProbe(docker: Dockerode, classroom: NotebookSource): Promise<KernelProbe> {
  const port = await runningGatewayPort(docker, classroom.course);
  const targetOf = (id: string) => notebookTarget(classroom, id);
  return port ? kernelsThroughGateway(port, targetOf) : kernelsThroughProbeContainer(docker, targetOf);
}

// ---------------------------------------------------------------------------------------------
// Running it

/** What culling needs of the classroom engine (classroom.ts's Classroom has these). */
export interface CullTarget {
  readonly course: string;
  status(): Promise<StudentStatus[]>;
  stop(ids?: string[], options?: { onEvent?: ClassroomListener }): Promise<unknown>;
  start(ids?: string[], options?: { waitReady?: boolean; onEvent?: ClassroomListener }): Promise<unknown>;
}

export interface CullOptions {
  docker: Dockerode;
  classroom: CullTarget;
  /** Last front-door activity of a student (activity.ts's `last`), ISO. */
  lastActivity: (studentId: string) => string | undefined;
  /** Records activity seen elsewhere (a kernel's), so the next pass knows it. */
  recordActivity?: (studentId: string, atMs: number) => void;
  kernels: KernelProbe;
  culled: CulledStore;
  idleMinutes?: number;
  /** The clock (tests pass their own; never a real wait). */
  now?: () => number;
  onEvent?: ClassroomListener;
}

export interface CullReport {
  culled: Array<{ studentId: string; idleMinutes: number }>;
  kept: Array<{ studentId: string; reason: string }>;
}

/** When each student's running tasks last started (ms), read from Swarm in one call. */
export async function stackStartTimes(docker: Dockerode, course: string): Promise<Map<string, number>> {
  const services = (await docker.listServices({ filters: classroomFilter(course) })) as Array<{ ID: string; Spec?: { Labels?: Record<string, string> } }>;
  const studentOf = new Map(services.map((s) => [s.ID, s.Spec?.Labels?.[CLASSROOM_LABEL.student] ?? '']));
  const out = new Map<string, number>();
  if (services.length === 0) return out;
  const tasks = (await docker.listTasks({ filters: { service: services.map((s) => s.ID), 'desired-state': ['running'] } })) as Array<{
    ServiceID: string;
    CreatedAt?: string;
  }>;
  for (const t of tasks) {
    const student = studentOf.get(t.ServiceID);
    const at = t.CreatedAt ? Date.parse(t.CreatedAt) : NaN;
    if (!student || Number.isNaN(at)) continue;
    out.set(student, Math.max(out.get(student) ?? 0, at));
  }
  return out;
}

/** One culling pass: `classroom cull` runs it once; the front door every few minutes. */
export async function cullIdleStudents(options: CullOptions): Promise<CullReport> {
  const now = options.now ?? Date.now;
  const idleMinutes = options.idleMinutes ?? DEFAULT_IDLE_MINUTES;
  const [statuses, started] = await Promise.all([options.classroom.status(), stackStartTimes(options.docker, options.classroom.course)]);
  const input: IdleInput[] = statuses.map((s) => {
    const last = options.lastActivity(s.student.id);
    return {
      studentId: s.student.id,
      running: s.state !== 'stopped' && s.state !== 'absent',
      lastActivityMs: last ? Date.parse(last) : undefined,
      startedAtMs: started.get(s.student.id),
    };
  });
  const report: CullReport = { culled: [], kept: [] };
  for (const candidate of idleStudents(input, now(), idleMinutes)) {
    const { studentId } = candidate;
    let kernels: KernelInfo[];
    try {
      kernels = await options.kernels(studentId);
    } catch (err) {
      const reason = `could not ask its notebook for running kernels (${(err as Error).message}); not stopped`;
      report.kept.push({ studentId, reason });
      options.onEvent?.({ kind: 'warning', student: studentId, message: `${studentId}: ${reason}` });
      continue;
    }
    const verdict = kernelsVerdict(kernels, now(), idleMinutes);
    if (verdict.keep) {
      if (verdict.lastActivityMs) options.recordActivity?.(studentId, verdict.lastActivityMs);
      report.kept.push({ studentId, reason: verdict.reason });
      continue;
    }
    // Noted first: a sign-in racing the stop still finds the note and starts the stack.
    options.culled.mark(studentId, { at: new Date(now()).toISOString(), idleMinutes: candidate.idleMinutes });
    await options.classroom.stop([studentId], { onEvent: options.onEvent });
    report.culled.push(candidate);
  }
  return report;
}

/**
 * At a student's sign-in: a stack culling stopped is started again (not waited for: the panel
 * shows it coming up) and the student told why it was stopped. A stack the tutor stopped stays
 * stopped; one already running again just drops the note.
 */
export async function wakeOnSignIn(
  classroom: CullTarget,
  culled: CulledStore,
  studentId: string,
  onEvent?: ClassroomListener,
): Promise<{ started: boolean; message?: string }> {
  const record = culled.get(studentId);
  if (!record) return { started: false };
  const status = (await classroom.status()).find((s) => s.student.id === studentId);
  culled.clear(studentId);
  if (!status || status.state !== 'stopped') return { started: false };
  await classroom.start([studentId], { waitReady: false, onEvent });
  return { started: true, message: culledMessage(record.idleMinutes) };
}
