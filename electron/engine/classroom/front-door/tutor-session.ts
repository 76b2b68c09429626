// The tutor's methods at the front door: the classroom table, bulk start/stop, reinstall or
// reset of one student's service, and a one-time link to a student's notebook (read-only unless
// asked otherwise), and one pushed event, `classroom.changed`, so the tutor's view reads the
// table when something happened instead of polling it. A contract of its own, apart from the
// student's: the tutor's code opens these and nothing else, and a student's session never sees
// them. Inputs are zod-checked like the main contract's; ids are checked against the roster by
// the desks.
import { z } from 'zod';
import { apiError } from '../../../api/contract.js';
import type { StudentStatus } from '../types.js';
import type { Desks, StudentDesk } from './student-desk.js';

const studentId = z.string().min(1).max(64).regex(/^[a-z0-9][a-z0-9-]*$/, 'a student id');
const service = z.string().min(1).max(100).regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'a service name');
const students = z.array(studentId).min(1).max(1000);

export const tutorInputs = {
  'classroom.status': z.object({ resources: z.boolean().default(false) }).strict(),
  'classroom.start': z.object({ students }).strict(),
  'classroom.stop': z.object({ students }).strict(),
  'classroom.reinstall': z.object({ student: studentId, service }).strict(),
  'classroom.reset': z.object({ student: studentId, service, confirm: z.literal(true) }).strict(),
  'classroom.webView': z.object({ student: studentId, service, readOnly: z.boolean().default(true) }).strict(),
} as const;

export type TutorMethod = keyof typeof tutorInputs;
export type TutorInput<M extends TutorMethod> = z.input<(typeof tutorInputs)[M]>;

export interface ClassroomTable {
  course: string;
  title: string;
  students: StudentStatus[];
}

export interface TutorOutputs {
  'classroom.status': ClassroomTable;
  'classroom.start': { ok: true };
  'classroom.stop': { ok: true };
  'classroom.reinstall': { ok: boolean; error?: string };
  'classroom.reset': { ok: boolean; error?: string };
  'classroom.webView': { url: string };
}

export const tutorMethods = Object.keys(tutorInputs) as TutorMethod[];

export interface TutorEvents {
  /** Something about the class changed (a stack started or stopped, a task moved on, a health
   * check passed or failed): read `classroom.status` again. At most two a second. */
  'classroom.changed': Record<string, never>;
}

export type TutorEventName = keyof TutorEvents;

export interface TutorSessionOptions {
  webView(desk: StudentDesk, service: string, readOnly: boolean): Promise<{ url: string }>;
  log?: (line: string) => void;
  /** Pushes an event to the tutor's page. */
  emit?: <E extends TutorEventName>(event: E, payload: TutorEvents[E]) => void;
}

export class TutorSession {
  private readonly stopWatching: (() => void) | undefined;

  constructor(
    private readonly desks: Desks,
    private readonly options: TutorSessionOptions,
  ) {
    const emit = options.emit;
    this.stopWatching = emit && desks.onChange?.(() => emit('classroom.changed', {}));
  }

  async call(method: unknown, input: unknown): Promise<unknown> {
    if (typeof method !== 'string' || !Object.hasOwn(tutorInputs, method)) {
      throw apiError('unknown-method', `Unknown method "${String(method).slice(0, 100)}" (a tutor's session offers ${tutorMethods.join(', ')}).`);
    }
    const parsed = tutorInputs[method as TutorMethod].safeParse(input ?? {});
    if (!parsed.success) {
      const detail = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`).join('; ');
      throw apiError('invalid-input', `Invalid input for ${method}: ${detail}`);
    }
    const data = parsed.data as Record<string, unknown>;
    try {
      return await this.run(method as TutorMethod, data);
    } catch (err) {
      if ((err as { error?: unknown }).error) throw err;
      throw apiError('failed', err instanceof Error ? err.message : String(err));
    }
  }

  /** The connection ended: the class is no longer watched for it. */
  dispose(): void {
    this.stopWatching?.();
  }

  private desk(id: string): StudentDesk {
    const d = this.desks.desk(id);
    if (!d) throw apiError('invalid-input', `No student "${id}" in this classroom.`);
    return d;
  }

  private async run(method: TutorMethod, input: Record<string, unknown>): Promise<unknown> {
    switch (method) {
      case 'classroom.status':
        return {
          course: this.desks.course,
          title: this.desks.title,
          students: await this.desks.status({ resources: input.resources === true }),
        } satisfies ClassroomTable;
      case 'classroom.start':
      case 'classroom.stop': {
        const ids = input.students as string[];
        ids.forEach((id) => this.desk(id));
        this.options.log?.(`Tutor: ${method === 'classroom.start' ? 'start' : 'stop'} ${ids.join(', ')}`);
        await (method === 'classroom.start' ? this.desks.startStudents(ids) : this.desks.stopStudents(ids));
        return { ok: true };
      }
      case 'classroom.reinstall':
      case 'classroom.reset': {
        const desk = this.desk(input.student as string);
        this.options.log?.(`Tutor: ${method.slice('classroom.'.length)} ${desk.studentId}/${String(input.service)}`);
        const r = await (method === 'classroom.reinstall' ? desk.reinstall(input.service as string) : desk.reset(input.service as string));
        const error = r.services.find((s) => !s.ok)?.error;
        return { ok: r.ok, ...(error ? { error } : {}) };
      }
      case 'classroom.webView': {
        const desk = this.desk(input.student as string);
        return this.options.webView(desk, input.service as string, input.readOnly !== false);
      }
    }
  }
}
