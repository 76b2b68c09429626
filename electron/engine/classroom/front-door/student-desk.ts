// What the front door needs from the classroom to serve one student's panel: their stack seen
// as one environment (the panel's own vocabulary: EnvironmentInfo, ServiceState), operations on
// their services, a terminal, logs and the way to their web UI. `Desks` hands out one per
// student and one table for the tutor; classroom-desks.ts implements it over the Swarm engine,
// tests implement it in memory. Nothing here can name another student: a desk is bound to one.
import type { Duplex } from 'node:stream';
import type { EnvironmentInfo } from '../../../api/contract.js';
import type { LogHandle, LogLine } from '../../docker/logs.js';
import type { OperationResult } from '../../environment.js';
import type { ServiceState } from '../../state/service-state.js';
import type { Terminal } from '../../terminals/terminal.js';
import type { StudentStatus } from '../types.js';

/** Where a student's web UI answers: reached through the gateway, never a host port. */
export interface DeskWebTarget {
  /** The service's own port (inside the student's network). */
  port: number;
  /** The page to open, token-free (e.g. `/p/<ns>/notebook/tree`). */
  path: string;
  token?: string;
  connect: () => Promise<Duplex>;
}

export interface StudentDesk {
  readonly studentId: string;
  /** The student's stack namespace: the only project their calls may name. */
  readonly project: string;
  info(): EnvironmentInfo;
  states(): Promise<ServiceState[]>;
  /** All services (or one) started; `up` of a stopped student starts their stack. */
  up(service?: string): Promise<OperationResult>;
  /** Stops the stack: volumes kept (a classroom never removes a student's stack from the panel). */
  down(): Promise<OperationResult>;
  start(service: string): Promise<OperationResult>;
  stop(service: string): Promise<OperationResult>;
  restart(service: string): Promise<OperationResult>;
  reinstall(service: string): Promise<OperationResult>;
  reset(service: string): Promise<OperationResult>;
  /** A connection detail the panel may reveal (the database password), never the notebook token. */
  password(service: string): string | undefined;
  /** Where the service's page answers (the tunnel opens per connection), or why there is none. */
  webTarget(service: string): DeskWebTarget | string;
  openTerminal(service: string, size: { cols?: number; rows?: number }): Promise<Terminal>;
  logs(service: string, options: { tail: number; follow: boolean }, onLine: (l: LogLine) => void): Promise<LogHandle>;
}

export interface Desks {
  /** The classroom's course id (what `courses.list` offers a student). */
  readonly course: string;
  readonly title: string;
  /** The desk of one student on the roster; undefined for an id not on it. */
  desk(studentId: string): StudentDesk | undefined;
  /** The tutor's table. `resources`: with CPU and memory (one stats call per container). */
  status(options?: { resources?: boolean }): Promise<StudentStatus[]>;
  startStudents(ids: string[]): Promise<void>;
  stopStudents(ids: string[]): Promise<void>;
  /** Calls `listener` when the class changed (Docker said so; coalesced), until the returned function is called. */
  onChange?(listener: () => void): () => void;
}
