// The classroom's one follower of Docker's event stream, shared by whoever needs to know that
// the class changed: the Swarm watch of a start or stop (every event, to re-read at once) and the
// tutor's Classroom view (at most one "changed" per half second, however busy Docker is). The
// stream carries service events (create, update, remove), node events (a node down or drained
// moves tasks) and, for containers on this node, start / die / health_status — how a task moves
// on here. Health checks run as execs: their exec_* events are no change. The stream is open only
// while someone listens; lost (Docker restarting), it is opened again and listeners are told, as
// changes may have been missed meanwhile.
import type Dockerode from 'dockerode';
import { LatestEvery } from '../latest-every.js';
import { onEventLines } from '../docker/event-lines.js';
import { CLASSROOM_LABEL } from './names.js';

interface DockerEvent {
  Type?: string;
  Action?: string;
  Actor?: { Attributes?: Record<string, string> };
}

/** Whether one line of Docker's event stream says something about `course`'s classroom. */
export function concernsClassroom(line: string, course: string): boolean {
  let event: DockerEvent;
  try {
    event = JSON.parse(line) as DockerEvent;
  } catch {
    return false;
  }
  const attrs = event.Actor?.Attributes ?? {};
  // Service events name the service; container events carry the task's labels (ours).
  if (event.Type === 'service') return (attrs.name ?? '').startsWith(`${course}-`);
  if (event.Type === 'container') return attrs[CLASSROOM_LABEL.classroom] === course && !(event.Action ?? '').startsWith('exec_');
  // A node joining, leaving, going down or drained moves every student's tasks on it.
  return event.Type === 'node';
}

type Stream = NodeJS.ReadableStream & { destroy?: () => void };

export interface ClassroomEventsOptions {
  /** At most one `onChange` call per this many ms (the tutor's view). Default 500. */
  changeEveryMs?: number;
  /** How long to wait before opening a lost stream again. Default 5000. */
  reopenMs?: number;
}

export class ClassroomEvents {
  private readonly raw = new Set<() => void>();
  private readonly changed = new Set<() => void>();
  private readonly coalesce: LatestEvery<'change', true>;
  private stream: Stream | undefined;
  private opening: Promise<void> | undefined;
  private reopen: NodeJS.Timeout | undefined;
  private readonly reopenMs: number;

  constructor(
    private readonly docker: Dockerode,
    private readonly course: string,
    options: ClassroomEventsOptions = {},
  ) {
    this.reopenMs = options.reopenMs ?? 5000;
    this.coalesce = new LatestEvery(options.changeEveryMs ?? 500, (_key, change) => {
      if (change) for (const l of [...this.changed]) l();
    });
  }

  /** Every event that concerns the class; resolves once the stream is open (rejects when Docker cannot be asked). */
  async onEvent(listener: () => void): Promise<() => void> {
    this.raw.add(listener);
    try {
      await this.open();
    } catch (err) {
      this.raw.delete(listener);
      this.closeIfUnused();
      throw err;
    }
    return () => {
      this.raw.delete(listener);
      this.closeIfUnused();
    };
  }

  /** "The class changed", coalesced; the stream is opened (and opened again when lost) meanwhile. */
  onChange(listener: () => void): () => void {
    this.changed.add(listener);
    this.open().catch(() => this.scheduleReopen());
    return () => {
      this.changed.delete(listener);
      this.closeIfUnused();
    };
  }

  /** Whether the stream is open (or being opened): only while someone listens. */
  get following(): boolean {
    return this.stream !== undefined || this.opening !== undefined;
  }

  private open(): Promise<void> {
    if (this.stream) return Promise.resolve();
    this.opening ??= (async () => {
      try {
        const stream = (await this.docker.getEvents({ filters: { type: ['service', 'container', 'node'] } })) as Stream;
        if (!this.listening()) {
          stream.destroy?.();
          return;
        }
        this.stream = stream;
        onEventLines(stream, (line) => {
          if (concernsClassroom(line, this.course)) this.tell();
        });
        const lost = () => {
          if (this.stream !== stream) return;
          this.stream = undefined;
          this.scheduleReopen();
        };
        stream.on('end', lost);
        stream.on('close', lost);
        stream.on('error', lost);
      } finally {
        this.opening = undefined;
      }
    })();
    return this.opening;
  }

  private tell(): void {
    for (const l of [...this.raw]) l();
    if (this.changed.size) this.coalesce.push('change', true);
  }

  private scheduleReopen(): void {
    if (this.reopen || !this.listening()) return;
    this.reopen = setTimeout(() => {
      this.reopen = undefined;
      if (!this.listening()) return;
      // Whatever happened while the stream was gone is told as one change.
      this.open().then(
        () => this.tell(),
        () => this.scheduleReopen(),
      );
    }, this.reopenMs);
    this.reopen.unref();
  }

  private listening(): boolean {
    return this.raw.size > 0 || this.changed.size > 0;
  }

  private closeIfUnused(): void {
    if (this.listening()) return;
    clearTimeout(this.reopen);
    this.reopen = undefined;
    const stream = this.stream;
    this.stream = undefined;
    stream?.destroy?.();
  }

  /** Lets go of the stream and every listener. */
  close(): void {
    this.raw.clear();
    this.changed.clear();
    this.closeIfUnused();
  }
}
