// A classroom: one course spec, a roster, and one copy of the course's stack per student on
// the Docker Swarm the engine belongs to. Decisions are pure and live beside this file
// (swarm-spec.ts: what each Swarm service is; swarm-state.ts: what Swarm's tasks mean);
// this class sends them to Docker and waits on Swarm (swarm-watch.ts) for the outcome.
// Stacks are a CLI concept, so each student's services, network and volumes are created
// through the API and labelled as `docker stack deploy` labels them.
import path from 'node:path';
import type Dockerode from 'dockerode';
import { z } from 'zod';
import { isNotFound, statusOf } from '../docker/api-status.js';
import { ensureImage, imageId } from '../docker/images.js';
import { projectNameFor } from '../engine.js';
import { decideImage } from '../plan/decisions.js';
import { readSetting, type SettingsStore } from '../settings/settings-store.js';
import { loadSpec, readDeclaredVariables } from '../spec/index.js';
import type { CourseSpec, ServiceSpec, VariableDecl } from '../spec/types.js';
import { runBounded } from './bounded.js';
import { stackAnswers } from './start-slot.js';
import { seedStartersInContainer } from './starter-seed.js';
import { pinnedNode, removeNetworkWhenFree, removeVolumeWhenFree, requireSwarmManager, waitFor } from './swarm-objects.js';
import { CLASSROOM_LABEL, classroomFilter, studentNetworkName, swarmServiceName } from './names.js';
import { readContainerUsage } from './usage.js';
import { forgetStudentVariables, studentVariables, type StudentVariables } from './variables.js';
import {
  studentNetworkSpec,
  studentVolumesOf,
  swarmServiceSpec,
  type SwarmServiceSpec,
} from './swarm-spec.js';
import { classroomStatus, currentTask, replicasOf, taskProblem, type SwarmServiceView, type SwarmTask } from './swarm-state.js';
import { ClassroomEvents } from './classroom-events.js';
import { SwarmWatch, readClassroom, type ClassroomSnapshot } from './swarm-watch.js';
import type {
  ClassroomListener,
  DownOptions,
  LeftOutService,
  StartOptions,
  StatusOptions,
  Student,
  StudentStatus,
  UpOptions,
} from './types.js';
import { listVolumes } from '../docker/volume-list.js';

export interface ClassroomOptions {
  docker: Dockerode;
  store: SettingsStore;
  /** The course's Compose file. */
  specFile: string;
  /** The classroom's name (stack namespaces are `<course>-<student>`); default: the spec's project. */
  course?: string;
  /** When each student was last active (the front door records it); shown by status. */
  lastActivity?: (studentId: string) => string | undefined;
  /** Fetch (pull or build) an image a course service needs when it is missing. Default true. */
  fetchImages?: boolean;
}

export interface UpResult {
  students: Student[];
  /** Course services not deployed (their image is not available), with the reason. */
  leftOut: LeftOutService[];
  /** Students whose stack did not become ready when `up` also started them. */
  failed: Array<{ student: string; message: string }>;
}

export interface StartResult {
  ready: string[];
  failed: Array<{ student: string; message: string }>;
}

const DEFAULT_CONCURRENCY = 4;
const DEFAULT_TIMEOUT_MS = 300_000;
export { requireSwarmManager };

const TERMINAL = new Set(['complete', 'shutdown', 'failed', 'rejected', 'orphaned', 'remove']);
/** Container states in which a container is not yet done with (its volumes are still in use). */
const STILL_RUNNING = new Set(['running', 'restarting', 'paused', 'removing']);

export class Classroom {
  readonly course: string;
  readonly specFile: string;
  private readonly docker: Dockerode;
  private readonly store: SettingsStore;
  private decls: VariableDecl[] | undefined;

  constructor(private readonly options: ClassroomOptions) {
    this.docker = options.docker;
    this.store = options.store;
    this.specFile = path.resolve(options.specFile);
    this.course = options.course ?? projectNameFor(this.specFile);
  }

  private followed: ClassroomEvents | undefined;

  /** The class's one follower of Docker's events (open only while a watch or a view listens). */
  get events(): ClassroomEvents {
    this.followed ??= new ClassroomEvents(this.docker, this.course);
    return this.followed;
  }

  private key(...rest: string[]): string {
    return ['classrooms', this.course, ...rest].join('.');
  }

  /** The roster of the last `up`. */
  students(): Student[] {
    return readSetting(this.store, this.key('roster'), z.array(z.looseObject({ id: z.string(), name: z.string() }))) ?? [];
  }

  /** The course services deployed for each student at the last `up` (left-out ones excluded). */
  services(): string[] {
    return readSetting(this.store, this.key('services'), z.array(z.string())) ?? [];
  }

  /** Course services left out at the last `up`, with the reason. */
  leftOut(): LeftOutService[] {
    return readSetting(this.store, this.key('left-out'), z.array(z.looseObject({ service: z.string(), reason: z.string() }))) ?? [];
  }

  private student(id: string): Student {
    const s = this.students().find((x) => x.id === id);
    if (!s) throw new Error(`No student "${id}" in classroom ${this.course}.`);
    return s;
  }

  private resolveVariables(studentId: string): StudentVariables {
    this.decls ??= readDeclaredVariables(this.specFile);
    return studentVariables(this.decls, this.store, this.course, studentId);
  }

  /** The student's values for the course's variables (notebook token, passwords), made once and kept. */
  variables(studentId: string): Record<string, string> {
    this.student(studentId);
    return { ...this.resolveVariables(studentId).values };
  }

  /** The course spec as this student's stack runs it (their variables interpolated). */
  studentSpec(studentId: string): { spec: CourseSpec; folderVolumes: Record<string, string> } {
    const vars = this.resolveVariables(studentId);
    const spec = loadSpec(this.specFile, { env: { ...process.env, ...vars.values }, project: this.course });
    return { spec, folderVolumes: vars.folderVolumes };
  }

  private placementKey(studentId: string, service: string): string {
    return this.key('students', studentId, 'placement', service);
  }

  /** Remembers the node a student's service runs on: its volumes are there from now on. */
  private notePlacements(snap: ClassroomSnapshot): void {
    const byId = new Map(snap.services.map((s) => [s.ID, s]));
    for (const t of snap.tasks) {
      if (t.Status?.State !== 'running' || !t.NodeID) continue;
      const labels = byId.get(t.ServiceID)?.Spec?.Labels ?? {};
      const student = labels[CLASSROOM_LABEL.student];
      const service = labels[CLASSROOM_LABEL.service];
      if (!student || !service) continue;
      const key = this.placementKey(student, service);
      if (this.store.get(key) === undefined) this.store.set(key, t.NodeID);
    }
  }

  /** Which course services can be deployed: their image is here (or fetched now). */
  private async availableServices(spec: CourseSpec, chosen: string[] | undefined, onEvent?: ClassroomListener): Promise<{ deployed: string[]; leftOut: LeftOutService[] }> {
    const deployed: string[] = [];
    const leftOut: LeftOutService[] = [];
    const unknown = (chosen ?? []).filter((name) => !spec.services[name]);
    if (unknown.length) throw new Error(`The course ${this.course} has no service ${unknown.map((n) => `"${n}"`).join(', ')}; it has ${Object.keys(spec.services).join(', ')}.`);
    for (const svc of Object.values(spec.services)) {
      if (chosen && !chosen.includes(svc.name)) {
        leftOut.push({ service: svc.name, reason: 'not chosen for this class' });
        onEvent?.({ kind: 'left-out', service: svc.name, reason: 'not chosen for this class' });
        continue;
      }
      let present = (await imageId(this.docker, svc.image)) !== undefined;
      let reason = `image ${svc.image} is not on this computer`;
      if (!present && this.options.fetchImages !== false) {
        try {
          await ensureImage(this.docker, svc, decideImage(svc, false, false), () => undefined);
          present = true;
        } catch (err) {
          reason = err instanceof Error ? err.message : String(err);
        }
      }
      if (present) deployed.push(svc.name);
      else {
        leftOut.push({ service: svc.name, reason });
        onEvent?.({ kind: 'left-out', service: svc.name, reason });
      }
    }
    return { deployed, leftOut };
  }

  /**
   * Deploys one stack per student (created scaled to 0, existing ones keep their state), then
   * starts them with bounded concurrency unless `stopped`. A service whose image is not
   * available is left out of every stack with a warning; the class goes on without it.
   */
  async up(roster: Student[], options: UpOptions & Omit<StartOptions, 'onEvent'> = {}): Promise<UpResult> {
    const { onEvent } = options;
    const [first] = roster;
    if (!first) throw new Error('The roster lists no students.');
    await requireSwarmManager(this.docker);
    const { spec } = this.studentSpec(first.id);
    const { deployed, leftOut } = await this.availableServices(spec, options.services, onEvent);
    if (deployed.length === 0) throw new Error(`No service of ${this.course} can run here: ${leftOut.map((l) => `${l.service} (${l.reason})`).join('; ')}`);
    this.store.set(this.key('roster'), roster);
    this.store.set(this.key('services'), deployed);
    this.store.set(this.key('left-out'), leftOut);

    const nodes = (await this.docker.listNodes()) as Array<{ ID: string }>;
    const onlyNode = nodes.length === 1 ? nodes[0]?.ID : undefined;
    let done = 0;
    await runBounded(roster, options.concurrency ?? DEFAULT_CONCURRENCY, async (student) => {
      await this.deployStudent(student.id, deployed, onlyNode);
      onEvent?.({ kind: 'student-deployed', student: student.id, done: ++done, total: roster.length });
    });

    const onRoster = new Set(roster.map((s) => s.id));
    const { services } = await readClassroom(this.docker, this.course);
    const strays = new Set(services.map((s) => s.Spec?.Labels?.[CLASSROOM_LABEL.student] ?? '').filter((id) => id && !onRoster.has(id)));
    for (const id of strays) onEvent?.({ kind: 'warning', student: id, message: `Student ${id} is deployed but not on this roster; their stack is left as it is.` });

    if (options.stopped) return { students: roster, leftOut, failed: [] };
    const started = await this.start(undefined, { ...options, onEvent });
    return { students: roster, leftOut, failed: started.failed };
  }

  private async ensureNetwork(studentId: string): Promise<void> {
    const name = studentNetworkName(this.course, studentId);
    try {
      await this.docker.getNetwork(name).inspect();
      return;
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
    try {
      await this.docker.createNetwork(studentNetworkSpec(this.course, studentId));
    } catch (err) {
      if (statusOf(err) !== 409) throw err;
    }
  }

  private async inspectService(name: string): Promise<Dockerode.Service | undefined> {
    try {
      return (await this.docker.getService(name).inspect()) as Dockerode.Service;
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  /** The Swarm spec of a student's service from the course spec, keeping its live replicas. */
  private specFor(studentId: string, service: string, replicas: 0 | 1, forceUpdate: number, onlyNode?: string, live?: Dockerode.Service): SwarmServiceSpec {
    const { spec, folderVolumes } = this.studentSpec(studentId);
    const svc = spec.services[service];
    if (!svc) throw new Error(`The course ${this.course} has no service "${service}".`);
    return swarmServiceSpec({
      course: this.course,
      studentId,
      spec,
      service: svc,
      folderVolumes,
      replicas,
      nodeId: readSetting(this.store, this.placementKey(studentId, service), z.string()) ?? onlyNode ?? pinnedNode(live),
      forceUpdate,
    });
  }

  private async deployStudent(studentId: string, services: string[], onlyNode?: string): Promise<void> {
    await this.ensureNetwork(studentId);
    for (const service of services) {
      const existing = await this.inspectService(swarmServiceName(this.course, studentId, service));
      const replicas = existing ? (Math.min(1, replicasOf(existing as SwarmServiceView)) as 0 | 1) : 0;
      const force = existing?.Spec?.TaskTemplate?.ForceUpdate ?? 0;
      const body = this.specFor(studentId, service, replicas, force, onlyNode, existing);
      // Swarm replaces a task only when the task template changed: an unchanged spec is a no-op.
      if (existing) await this.docker.getService(existing.ID).update({ ...body, version: existing.Version?.Index });
      else await this.docker.createService(body);
    }
  }

  /** Sets a student's service to `replicas`, changing nothing else of its live spec. */
  private async scaleService(svc: Dockerode.Service, replicas: number, studentId: string, service: string, forceUpdate?: number): Promise<void> {
    const spec = structuredClone(svc.Spec ?? {}) as SwarmServiceSpec;
    spec.Mode = { Replicated: { Replicas: replicas } };
    const template = (spec.TaskTemplate ??= {});
    // Pinned once placed: Swarm put the volumes on this node when it first ran the task there.
    const node = readSetting(this.store, this.placementKey(studentId, service), z.string());
    if (node && !(template.Placement?.Constraints ?? []).length) template.Placement = { Constraints: [`node.id==${node}`] };
    if (forceUpdate !== undefined) template.ForceUpdate = forceUpdate;
    await this.docker.getService(svc.ID).update({ ...spec, version: svc.Version?.Index });
  }

  private async scaleStudent(studentId: string, replicas: number): Promise<void> {
    for (const service of this.services()) {
      const svc = await this.inspectService(swarmServiceName(this.course, studentId, service));
      if (!svc) throw new Error(`${this.course}: ${studentId}'s ${service} is not deployed; run classroom up first.`);
      if (replicasOf(svc as SwarmServiceView) !== replicas) await this.scaleService(svc, replicas, studentId, service);
    }
  }

  private studentReady(snap: ClassroomSnapshot, studentId: string): boolean {
    const [st] = classroomStatus(this.course, [this.student(studentId)], this.services(), snap.services, snap.tasks);
    return st?.ready ?? false;
  }

  /** Reports tasks Swarm cannot place or run, once per task and state, while `watch` is open. */
  private reportTaskProblems(watch: SwarmWatch, students: Set<string>, onEvent?: ClassroomListener): () => void {
    if (!onEvent) return () => undefined;
    const said = new Set<string>();
    return watch.onChange((snap) => {
      const tasksOf = new Map<string, SwarmTask[]>();
      for (const t of snap.tasks) tasksOf.set(t.ServiceID, [...(tasksOf.get(t.ServiceID) ?? []), t]);
      for (const svc of snap.services) {
        const labels = svc.Spec?.Labels ?? {};
        const student = labels[CLASSROOM_LABEL.student] ?? '';
        if (!students.has(student) || replicasOf(svc) === 0) continue;
        const task = currentTask(tasksOf.get(svc.ID) ?? []);
        const problem = taskProblem(task);
        if (!problem || !task) continue;
        const key = `${task.ID}/${problem.taskState}`;
        if (said.has(key)) continue;
        said.add(key);
        onEvent({ kind: 'task-problem', student, service: labels[CLASSROOM_LABEL.service] ?? '', ...problem });
      }
    });
  }

  /**
   * Starts students' stacks (all on the roster when `ids` is not given), `concurrency` at a
   * time, each waited for until ready (every service running, healthchecks passing) unless
   * `waitReady` is false. A student's slot is free for the next one as soon as their stack
   * answers its own healthchecks run by us (start-slot.ts); they are counted ready when Swarm
   * says so. One student's failure does not stop the others.
   */
  async start(ids?: string[], options: StartOptions = {}): Promise<StartResult> {
    const students = (ids ?? this.students().map((s) => s.id)).map((id) => this.student(id).id);
    const { onEvent } = options;
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const watch = await new SwarmWatch(this.docker, this.course, this.events).open();
    const stopReporting = this.reportTaskProblems(watch, new Set(students), onEvent);
    const stopNoting = watch.onChange((snap) => this.notePlacements(snap));
    const ready: string[] = [];
    const failed: StartResult['failed'] = [];
    const fail = (id: string, err: unknown) => {
      const message = err instanceof Error ? err.message : String(err);
      failed.push({ student: id, message });
      onEvent?.({ kind: 'warning', student: id, message });
    };
    const counted = (id: string) => {
      ready.push(id);
      onEvent?.({ kind: 'student-ready', student: id, ready: ready.length, total: students.length });
    };
    // Swarm's verdicts still awaited after their student's slot was freed.
    const verdicts: Array<Promise<void>> = [];
    try {
      await runBounded(students, options.concurrency ?? DEFAULT_CONCURRENCY, async (id) => {
        try {
          await this.scaleStudent(id, 1);
        } catch (err) {
          fail(id, err);
          return;
        }
        if (options.waitReady === false) { counted(id); return; }
        const swarmSays = watch.until((snap) => this.studentReady(snap, id), timeoutMs, `${id}'s stack to be ready`);
        const probing = new AbortController();
        const answers = stackAnswers({ docker: this.docker, watch, services: this.probedServices(id), signal: probing.signal }).catch(() => 'fallback' as const);
        let decided = false;
        const verdict = swarmSays.then(
          async (snap) => {
            await this.seedStarters(id, snap, onEvent);
            counted(id);
          },
          (err: unknown) => fail(id, err),
        );
        verdicts.push(
          verdict.finally(() => {
            decided = true;
            probing.abort();
          }),
        );
        // The slot is held until the stack answers by our probe, or Swarm decides, whichever is first.
        const answered = answers.then((r) => {
          if (r !== 'passed') return verdict;
          if (!decided) onEvent?.({ kind: 'student-answering', student: id });
        });
        await Promise.race([verdict, answered]);
      });
      await Promise.all(verdicts);
    } finally {
      stopReporting();
      stopNoting();
      watch.close();
    }
    return { ready, failed };
  }

  /**
   * The course's starter notebooks into the student's notebooks volume, through their running
   * container (starter-seed.ts: never over their files, once per volume). Never throws: a
   * failed copy is a warning, not a failed start.
   */
  private async seedStarters(studentId: string, snap: ClassroomSnapshot, onEvent?: ClassroomListener): Promise<void> {
    try {
      const { spec } = this.studentSpec(studentId);
      const starter = spec.meta.starterNotebooks;
      if (!starter || !this.services().includes(starter.service)) return;
      const [row] = classroomStatus(this.course, [this.student(studentId)], this.services(), snap.services, snap.tasks);
      const containerId = row?.services.find((s) => s.service === starter.service)?.containerId;
      if (!containerId) return;
      const result = await seedStartersInContainer(this.docker, containerId, spec);
      if (result && !result.alreadySeeded && (result.copied.length || result.kept.length)) {
        onEvent?.({ kind: 'starters-copied', student: studentId, copied: result.copied, kept: result.kept });
      }
    } catch (err) {
      onEvent?.({ kind: 'warning', student: studentId, message: `Could not copy the starter notebooks: ${err instanceof Error ? err.message : String(err)}` });
    }
  }

  /** A student's deployed services as start-slot.ts probes them: Swarm name and course service. */
  private probedServices(studentId: string): Array<{ swarmName: string; spec: ServiceSpec }> {
    const { spec } = this.studentSpec(studentId);
    return this.services().flatMap((name) => {
      const svc = spec.services[name];
      return svc ? [{ swarmName: swarmServiceName(this.course, studentId, name), spec: svc }] : [];
    });
  }

  /** Stops students' stacks (scaled to 0; volumes and networks kept). */
  async stop(ids?: string[], options: { onEvent?: ClassroomListener; concurrency?: number } = {}): Promise<void> {
    const students = (ids ?? this.students().map((s) => s.id)).map((id) => this.student(id).id);
    let done = 0;
    await runBounded(students, options.concurrency ?? DEFAULT_CONCURRENCY, async (id) => {
      await this.scaleStudent(id, 0);
      options.onEvent?.({ kind: 'student-stopped', student: id, done: ++done, total: students.length });
    });
  }

  /**
   * Every student's state, health and (with `resources`) CPU and memory. Two list calls for the
   * whole class; with `resources`, one stats call per running container on this node.
   */
  async status(options: StatusOptions = {}): Promise<StudentStatus[]> {
    const snap = await readClassroom(this.docker, this.course);
    this.notePlacements(snap);
    const rows = classroomStatus(this.course, this.students(), this.services(), snap.services, snap.tasks, this.options.lastActivity);
    if (options.resources) {
      const running = rows.flatMap((r) => r.services.flatMap((s) => (s.containerId ? [{ s, containerId: s.containerId }] : [])));
      await runBounded(running, DEFAULT_CONCURRENCY, async ({ s, containerId }) => {
        const usage = await readContainerUsage(this.docker, containerId);
        if (usage) Object.assign(s, usage);
      });
    }
    return rows;
  }

  private async requireService(studentId: string, service: string): Promise<Dockerode.Service> {
    this.student(studentId);
    const svc = await this.inspectService(swarmServiceName(this.course, studentId, service));
    if (!svc) throw new Error(`${studentId}'s ${service} is not deployed in classroom ${this.course}.`);
    return svc;
  }

  private async waitReplaced(svc: Dockerode.Service, studentId: string, oldTasks: Set<string>, timeoutMs: number): Promise<ClassroomSnapshot> {
    const watch = await new SwarmWatch(this.docker, this.course, this.events).open();
    try {
      return await watch.until(
        (snap) => {
          const task = currentTask(snap.tasks.filter((t) => t.ServiceID === svc.ID));
          return !!task && !oldTasks.has(task.ID) && task.Status?.State === 'running';
        },
        timeoutMs,
        `${studentId}'s ${svc.Spec?.Labels?.[CLASSROOM_LABEL.service] ?? 'service'} to run again`,
      );
    } finally {
      watch.close();
    }
  }

  private async taskIds(serviceId: string): Promise<Set<string>> {
    const tasks = (await this.docker.listTasks({ filters: { service: [serviceId] } })) as SwarmTask[];
    return new Set(tasks.map((t) => t.ID));
  }

  /**
   * A fresh container for one student's service, from the course spec as it is now (a changed
   * image or setting applies); their volumes are kept. Waits until it runs again if it was running.
   */
  async reinstall(studentId: string, service: string, options: { timeoutMs?: number; onEvent?: ClassroomListener } = {}): Promise<void> {
    const svc = await this.requireService(studentId, service);
    const replicas = Math.min(1, replicasOf(svc as SwarmServiceView)) as 0 | 1;
    const old = await this.taskIds(svc.ID);
    const body = this.specFor(studentId, service, replicas, (svc.Spec?.TaskTemplate?.ForceUpdate ?? 0) + 1, undefined, svc);
    await this.docker.getService(svc.ID).update({ ...body, version: svc.Version?.Index });
    if (replicas > 0) await this.seedStarters(studentId, await this.waitReplaced(svc, studentId, old, options.timeoutMs ?? DEFAULT_TIMEOUT_MS), options.onEvent);
    options.onEvent?.({ kind: 'service-reinstalled', student: studentId, service });
  }

  /**
   * Reinstall AND delete that student's volumes of that service: only theirs (the names carry
   * the student's namespace), no other student's and no other service's. Their task is
   * stopped and its containers removed first (a volume in use cannot be deleted).
   */
  async reset(studentId: string, service: string, options: { timeoutMs?: number; onEvent?: ClassroomListener } = {}): Promise<string[]> {
    const svc = await this.requireService(studentId, service);
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const replicas = Math.min(1, replicasOf(svc as SwarmServiceView));
    const { spec, folderVolumes } = this.studentSpec(studentId);
    const svcSpec = spec.services[service];
    if (!svcSpec) throw new Error(`The course ${this.course} has no service "${service}".`);
    const volumes = studentVolumesOf({ course: this.course, studentId, spec, service: svcSpec, folderVolumes }).map((v) => v.name);

    await this.scaleService(svc, 0, studentId, service);
    const watch = await new SwarmWatch(this.docker, this.course, this.events).open();
    try {
      await watch.until(
        (snap) => snap.tasks.filter((t) => t.ServiceID === svc.ID).every((t) => TERMINAL.has(t.Status?.State ?? '')),
        timeoutMs,
        `${studentId}'s ${service} to stop`,
      );
    } finally {
      watch.close();
    }
    const containers = await this.docker.listContainers({ all: true, filters: { label: [`com.docker.swarm.service.id=${svc.ID}`] } });
    for (const c of containers) await this.docker.getContainer(c.Id).remove({ force: true }).catch((err: unknown) => {
      if (!isNotFound(err)) throw err;
    });
    // Volumes on this node; on a multi-node Swarm a volume on another node is removed there.
    for (const name of volumes) await removeVolumeWhenFree(this.docker, name);

    const fresh = await this.requireService(studentId, service);
    const old = await this.taskIds(fresh.ID);
    await this.scaleService(fresh, replicas, studentId, service, (fresh.Spec?.TaskTemplate?.ForceUpdate ?? 0) + 1);
    // A reset notebooks volume is a fresh one: it gets the starter notebooks again.
    if (replicas > 0) await this.seedStarters(studentId, await this.waitReplaced(fresh, studentId, old, timeoutMs), options.onEvent);
    options.onEvent?.({ kind: 'service-reset', student: studentId, service, volumes });
    return volumes;
  }

  /**
   * Removes every student's services and networks. Volumes (the students' data) stay unless
   * `keepVolumes` is false; then the students' generated variables and placements go too.
   */
  async down(options: DownOptions = {}): Promise<void> {
    const { onEvent } = options;
    const keepVolumes = options.keepVolumes ?? true;
    const { services } = await readClassroom(this.docker, this.course);
    const byStudent = new Map<string, SwarmServiceView[]>();
    for (const s of services) {
      const id = s.Spec?.Labels?.[CLASSROOM_LABEL.student] ?? '';
      byStudent.set(id, [...(byStudent.get(id) ?? []), s]);
    }
    let done = 0;
    for (const [id, list] of byStudent) {
      for (const s of list) await this.docker.getService(s.ID).remove().catch((err: unknown) => {
        if (!isNotFound(err)) throw err;
      });
      onEvent?.({ kind: 'student-removed', student: id, done: ++done, total: byStudent.size });
    }
    await this.removeTaskContainers();
    for (const n of await this.docker.listNetworks({ filters: classroomFilter(this.course) })) {
      await removeNetworkWhenFree(this.docker, n.Id, n.Name, onEvent);
    }
    if (keepVolumes) return;
    for (const v of await listVolumes(this.docker, { filters: classroomFilter(this.course) })) await removeVolumeWhenFree(this.docker, v.Name);
    for (const s of this.students()) {
      forgetStudentVariables(this.store, this.course, s.id);
      this.store.delete(this.key('students', s.id, 'placement'));
    }
  }

  /**
   * Swarm stops the tasks' containers after their services go, then removes them; networks and
   * volumes can go only then. A task forgotten in an engine restart leaves its stopped container
   * behind for good, so once none is running, what is left is removed here. One containers list
   * per second, for at most two minutes.
   */
  private async removeTaskContainers(): Promise<void> {
    const filters = { label: [...classroomFilter(this.course).label, CLASSROOM_LABEL.student] };
    const list = () => this.docker.listContainers({ all: true, filters });
    await waitFor(async () => (await list()).every((c) => !STILL_RUNNING.has(c.State)), 120_000, "the students' containers to stop");
    for (const c of await list()) {
      await this.docker.getContainer(c.Id).remove({ force: true }).catch((err: unknown) => {
        // Gone already, or Swarm is removing it just now.
        if (!isNotFound(err) && statusOf(err) !== 409) throw err;
      });
    }
  }
}
