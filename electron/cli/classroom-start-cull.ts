// `coursedock classroom start` (start of class: images on every node, stacks a few at a time,
// "23 of 30 ready", stuck tasks in words) and `coursedock classroom cull` (one idle-culling
// pass). Printing only: the work is engine/classroom/start-class.ts and cull.ts. Progress goes
// to stderr as lines; the summary line last.
import type Dockerode from 'dockerode';
import { ActivityStore } from '../engine/classroom/activity.js';
import type { Classroom } from '../engine/classroom/classroom.js';
import { classroomKernelProbe, CulledStore, cullIdleStudents, DEFAULT_IDLE_MINUTES } from '../engine/classroom/cull.js';
import { startClass, type StartClassEvent } from '../engine/classroom/start-class.js';
import type { ClassroomEvent } from '../engine/classroom/types.js';

export const START_CULL_USAGE = `  classroom start <course> [student…] [--concurrency N] [--registry HOST:PORT] [--no-images]
                               start of class: images built or pulled on every node (through
                               the registry when there are several nodes), then the stacks N
                               at a time (default: three per core) with "n of N ready"; a task
                               Swarm cannot place or run is said within seconds
  classroom cull <course> [--idle-minutes N]
                               stop the stacks idle for N minutes (default ${DEFAULT_IDLE_MINUTES}): no front-door
                               traffic and no kernel at work; volumes kept, the next sign-in
                               starts it again`;

/** One line for a start-of-class event; ClassroomEvents go to the classroom's own formatter. */
export function describeStartClassEvent(e: StartClassEvent, classroomLine: (e: ClassroomEvent) => string): string | undefined {
  switch (e.kind) {
    case 'image':
      if (e.state === 'failed') return `✗ image ${e.image}: ${e.detail}`;
      if (e.state === 'present') return `✓ image ${e.image} is here`;
      if (e.state === 'ready') return `✓ image ${e.image} ready${e.detail ? ` ${e.detail}` : ''}`;
      return `  image ${e.image}: ${e.state}${e.detail ? ` — ${e.detail}` : ''}`;
    case 'image-nodes':
      return `  image ${e.image}: on ${e.ready} of ${e.total} node${e.total === 1 ? '' : 's'}`;
    case 'class-progress':
      return `  ${e.text}`;
    case 'class-ready':
      return `${e.ready} of ${e.total} ready in ${e.seconds.toFixed(1)} s${e.problems ? ` (${e.problems} problem${e.problems === 1 ? '' : 's'} above)` : ''}.`;
    case 'student-ready':
      // "n of N ready" follows as class-progress; say who.
      return `✓ ${e.student} ready`;
    default:
      return classroomLine(e);
  }
}

export interface StartCommandInput {
  docker: Dockerode;
  classroom: Classroom;
  students?: string[];
  concurrency?: number;
  registry?: string;
  images: boolean;
  classroomLine: (e: ClassroomEvent) => string;
}

export async function startClassCommand(input: StartCommandInput): Promise<number> {
  const { classroom } = input;
  const wanted = new Set(classroom.services());
  const spec = classroom.studentSpec(input.students?.[0] ?? classroom.students()[0]?.id ?? '').spec;
  const result = await startClass(input.docker, classroom, {
    students: input.students ?? classroom.students().map((s) => s.id),
    ...(input.concurrency ? { concurrency: input.concurrency } : {}),
    prepare: input.images ? { services: Object.values(spec.services).filter((s) => wanted.has(s.name)), registry: input.registry } : false,
    onEvent: (e) => {
      const line = describeStartClassEvent(e, input.classroomLine);
      if (line) console.error(line);
    },
  });
  return result.ready === result.total ? 0 : 1;
}

export async function cullCommand(docker: Dockerode, classroom: Classroom, idleMinutes: number | undefined, classroomLine: (e: ClassroomEvent) => string): Promise<number> {
  const activity = ActivityStore.forCourse(classroom.course);
  const minutes = idleMinutes ?? DEFAULT_IDLE_MINUTES;
  const report = await cullIdleStudents({
    docker,
    classroom,
    lastActivity: (id) => activity.last(id),
    recordActivity: (id, at) => activity.record(id, at),
    kernels: await classroomKernelProbe(docker, classroom),
    culled: CulledStore.forCourse(classroom.course),
    idleMinutes: minutes,
    onEvent: (e) => console.error(classroomLine(e)),
  });
  for (const c of report.culled) console.log(`stopped ${c.studentId} (idle ${c.idleMinutes} min; data kept)`);
  for (const k of report.kept) console.log(`kept ${k.studentId}: ${k.reason}`);
  console.error(
    report.culled.length
      ? `${report.culled.length} idle stack${report.culled.length === 1 ? '' : 's'} stopped (no activity for ${minutes} min).`
      : `No stack idle for ${minutes} min.`,
  );
  return 0;
}
