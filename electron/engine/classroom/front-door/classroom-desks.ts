// The front door's desks over the Swarm classroom (classroom.ts): each student's stack seen as
// the panel's one environment. States come from one shared, briefly cached classroom status (a
// class of 30 panels polling must not mean 30 × two list calls a second); a student's web UI
// is reached through the gateway; terminals and logs use the task's container on this node.
// Starting or stopping ONE service scales that Swarm service alone (the classroom's own start
// and stop work on whole stacks); restart is a fresh task, as a reinstall.
import type Dockerode from 'dockerode';
import type { EnvironmentInfo } from '../../../api/contract.js';
import type { InspectedContainer } from '../../docker/api-records.js';
import { serviceInfo } from '../../../api/service-info.js';
import { followLogs } from '../../docker/logs.js';
import type { OperationResult } from '../../environment.js';
import type { CourseSpec } from '../../spec/types.js';
import type { ServiceState, ServiceStatus } from '../../state/service-state.js';
import { splitWebPath } from '../../state/web-address.js';
import { openContainerShell } from '../../terminals/container-shell.js';
import type { Classroom } from '../classroom.js';
import { stackNamespace, studentNetworkName, swarmServiceName } from '../names.js';
import { studentVolumesOf } from '../swarm-spec.js';
import type { StudentServiceStatus, StudentStatus } from '../types.js';
import type { Gateway } from './gateway.js';
import type { DeskWebTarget, Desks, StudentDesk } from './student-desk.js';

const STATUS_TTL_MS = 1000;

/** The panel's state of one student's service, from the classroom's view of it. */
export function serviceStateOf(s: StudentServiceStatus, webUrl?: string): ServiceState {
  let status: ServiceStatus;
  let health: ServiceState['health'];
  switch (s.state) {
    case 'absent':
      status = 'missing';
      break;
    case 'stopped':
      status = 'stopped';
      break;
    case 'starting':
      status = 'starting';
      break;
    case 'failed':
      status = 'error';
      break;
    case 'running':
      if (s.health === 'none') status = 'running';
      else {
        health = s.health;
        status = s.health === 'starting' ? 'starting' : s.health;
      }
      break;
  }
  const up = s.state === 'running';
  return {
    service: s.service,
    status,
    ...(health ? { health } : {}),
    ...(s.containerId ? { containerId: s.containerId } : {}),
    ports: [],
    ...(s.message && (s.state === 'failed' || s.health === 'unhealthy') ? { lastError: s.message } : {}),
    ...(up && webUrl ? { webUrl } : {}),
  };
}

const outcome = async (service: string, work: Promise<unknown>): Promise<OperationResult> => {
  try {
    await work;
    return { ok: true, services: [{ service, ok: true }] };
  } catch (err) {
    return { ok: false, services: [{ service, ok: false, error: err instanceof Error ? err.message : String(err) }] };
  }
};

export class ClassroomDesks implements Desks {
  readonly course: string;
  private cached: { at: number; rows: Promise<StudentStatus[]> } | undefined;
  private readonly desks = new Map<string, ClassroomDesk>();

  constructor(
    readonly classroom: Classroom,
    readonly docker: Dockerode,
    readonly gateway: Gateway,
  ) {
    this.course = classroom.course;
  }

  get title(): string {
    const first = this.classroom.students()[0];
    return first ? this.classroom.studentSpec(first.id).spec.meta.title : this.course;
  }

  desk(studentId: string): StudentDesk | undefined {
    if (!this.classroom.students().some((s) => s.id === studentId)) return undefined;
    let d = this.desks.get(studentId);
    if (!d) this.desks.set(studentId, (d = new ClassroomDesk(this, studentId)));
    return d;
  }

  status(options: { resources?: boolean } = {}): Promise<StudentStatus[]> {
    if (options.resources) return this.classroom.status({ resources: true });
    return this.recentStatus();
  }

  /** The classroom's status, at most a second old (shared by every panel's poll). */
  recentStatus(): Promise<StudentStatus[]> {
    const now = Date.now();
    if (!this.cached || now - this.cached.at > STATUS_TTL_MS) {
      const rows = this.classroom.status();
      this.cached = { at: now, rows };
      rows.catch(() => (this.cached = undefined));
    }
    return this.cached.rows;
  }

  forget(): void {
    this.cached = undefined;
  }

  /** Docker's events about the class, at most two a second; the shared status is read afresh after each. */
  onChange(listener: () => void): () => void {
    return this.classroom.events.onChange(() => {
      this.forget();
      listener();
    });
  }

  async startStudents(ids: string[]): Promise<void> {
    try {
      const r = await this.classroom.start(ids, { waitReady: false });
      if (r.failed.length) throw new Error(r.failed.map((f) => `${f.student}: ${f.message}`).join('; '));
    } finally {
      this.forget();
    }
  }

  async stopStudents(ids: string[]): Promise<void> {
    try {
      await this.classroom.stop(ids);
    } finally {
      this.forget();
    }
  }
}

class ClassroomDesk implements StudentDesk {
  readonly project: string;
  private spec: CourseSpec | undefined;

  constructor(
    private readonly desks: ClassroomDesks,
    readonly studentId: string,
  ) {
    this.project = stackNamespace(desks.course, studentId);
  }

  private get classroom(): Classroom {
    return this.desks.classroom;
  }

  private courseSpec(): CourseSpec {
    this.spec ??= this.classroom.studentSpec(this.studentId).spec;
    return this.spec;
  }

  private deployed(): string[] {
    return this.classroom.services();
  }

  private title(service: string): string {
    return this.courseSpec().services[service]?.meta.title ?? service;
  }

  private assertService(service: string): void {
    if (!this.deployed().includes(service)) throw new Error(`No service "${service}" in your environment.`);
  }

  info(): EnvironmentInfo {
    const spec = this.courseSpec();
    const { folderVolumes } = this.classroom.studentSpec(this.studentId);
    const services = this.deployed()
      .map((name) => spec.services[name])
      .filter((s) => s !== undefined);
    return {
      project: this.project,
      course: this.desks.course,
      title: spec.meta.title,
      ...(spec.meta.description ? { description: spec.meta.description } : {}),
      file: spec.file,
      services: services.map((s) =>
        serviceInfo(s, {
          resetVolumes: studentVolumesOf({ course: this.desks.course, studentId: this.studentId, spec, service: s, folderVolumes }).map((v) => v.name),
          dependsOn: Object.keys(s.dependsOn).filter((d) => this.deployed().includes(d)),
        }),
      ),
      // Tokens and folders (volumes here) are never sent; the panel needs neither in a classroom.
      variables: spec.meta.variables
        .filter((v) => v.kind !== 'token' && v.kind !== 'folder')
        .map((v) => ({ name: v.name, kind: v.kind, ...(v.description ? { description: v.description } : {}) })),
      warnings: [],
      states: [],
    };
  }

  async states(): Promise<ServiceState[]> {
    const rows = await this.desks.recentStatus();
    const mine = rows.find((r) => r.student.id === this.studentId);
    return this.deployed().map((service) => {
      const s = mine?.services.find((x) => x.service === service) ?? { service, state: 'absent' as const, health: 'none' as const };
      const target = this.webTarget(service);
      return serviceStateOf(s, typeof target === 'string' ? undefined : `http://${swarmServiceName(this.desks.course, this.studentId, service)}:${target.port}${target.path}`);
    });
  }

  private async scale(service: string, replicas: 0 | 1): Promise<void> {
    this.assertService(service);
    const svc = (await this.desks.docker.getService(swarmServiceName(this.desks.course, this.studentId, service)).inspect()) as Dockerode.Service;
    const spec = structuredClone<Dockerode.ServiceSpec>(svc.Spec ?? {});
    spec.Mode = { Replicated: { Replicas: replicas } };
    await this.desks.docker.getService(svc.ID).update({ ...spec, version: svc.Version?.Index });
    this.desks.forget();
  }

  private async all(work: Promise<unknown>): Promise<OperationResult> {
    const r = await outcome('(all)', work);
    this.desks.forget();
    return { ok: r.ok, services: this.deployed().map((service) => ({ service, ok: r.ok, ...(r.services[0]?.error ? { error: r.services[0].error } : {}) })) };
  }

  up(service?: string): Promise<OperationResult> {
    if (service) return this.start(service);
    return this.all(this.desks.startStudents([this.studentId]));
  }

  down(): Promise<OperationResult> {
    return this.all(this.desks.stopStudents([this.studentId]));
  }

  start(service: string): Promise<OperationResult> {
    return outcome(service, this.scale(service, 1));
  }

  stop(service: string): Promise<OperationResult> {
    return outcome(service, this.scale(service, 0));
  }

  restart(service: string): Promise<OperationResult> {
    return this.reinstall(service);
  }

  reinstall(service: string): Promise<OperationResult> {
    return outcome(service, this.classroom.reinstall(this.studentId, service).finally(() => this.desks.forget()));
  }

  reset(service: string): Promise<OperationResult> {
    return outcome(service, this.classroom.reset(this.studentId, service).finally(() => this.desks.forget()));
  }

  password(service: string): string | undefined {
    return this.courseSpec().services[service]?.meta.connection?.password;
  }

  webTarget(service: string): DeskWebTarget | string {
    const svc = this.courseSpec().services[service];
    if (!svc || !this.deployed().includes(service)) return `No service "${service}" in your environment.`;
    if (!svc.meta.web) return `${svc.meta.title} has no web page.`;
    const { path, token } = splitWebPath(svc.meta.web.path);
    const host = swarmServiceName(this.desks.course, this.studentId, service);
    const network = studentNetworkName(this.desks.course, this.studentId);
    const port = svc.meta.web.port;
    return {
      port,
      path,
      ...(token ? { token } : {}),
      connect: async () => {
        await this.desks.gateway.attach([network]);
        return this.desks.gateway.connect(host, port);
      },
    };
  }

  private async containerOf(service: string): Promise<string> {
    this.assertService(service);
    this.desks.forget();
    const state = (await this.states()).find((s) => s.service === service);
    if (!state?.containerId) throw new Error(`${this.title(service)} is not running: start it first.`);
    // The label says the container is this student's (belt and braces: ids come from our own status).
    // Docker answers null, not {}, for a container without labels: InspectedContainer says so.
    const info: InspectedContainer = await this.desks.docker.getContainer(state.containerId).inspect();
    if (info.Config.Labels?.[`com.docker.swarm.service.name`] !== swarmServiceName(this.desks.course, this.studentId, service)) {
      throw new Error(`${this.title(service)} is not running: start it first.`);
    }
    return state.containerId;
  }

  async openTerminal(service: string, size: { cols?: number; rows?: number }) {
    return openContainerShell(this.desks.docker, await this.containerOf(service), this.title(service), size);
  }

  async logs(service: string, options: { tail: number; follow: boolean }, onLine: Parameters<StudentDesk['logs']>[2]) {
    return followLogs(this.desks.docker, await this.containerOf(service), options, onLine);
  }
}

