// The one contract between every UI and the engine: method names with their input schemas
// (validated at the boundary by whichever shell carries them) and output types, and the events
// the engine pushes. The desktop shell binds it over Electron IPC, the browser shell over a
// WebSocket; both are generated from this table rather than written out per method.
import { z } from 'zod';
import type { CourseInfo } from '../engine/engine.js';
import type { Notice, OperationResult } from '../engine/environment.js';
import type { LogLine } from '../engine/docker/logs.js';
import type { DockerStatus } from '../engine/docker/docker-connection.js';
import type { ServiceState } from '../engine/state/service-state.js';
import type { ConnectionMeta, SpecProblem, VariableDecl } from '../engine/spec/types.js';
import type { BrokenSnapshot, ServiceDrift, ServiceReference, SnapshotSummary } from '../engine/snapshots/index.js';
import type { CheckReport } from '../engine/checks/index.js';
import type { DataLocationQuestion } from '../engine/operations/data-location.js';
import type { OnboardingView } from '../engine/onboarding/index.js';
import type { FixResult } from '../engine/repairs/run-repair.js';
import type { ProfileView } from '../engine/profile-choice.js';
import { backupInputs, type BackupOutputs, type BackupProgress } from './backup-contract.js';
import { bundleInputs, type BundleOutputs, type BundleProgress } from './bundle-contract.js';
import type { StudentDataPlace } from '../engine/student-data/student-data.js';
import type { BundleSecrets } from '../engine/support/bundle-secrets.js';
import type { OpenWork } from '../engine/open-work/open-work.js';
import type { NotebookWindowsSaved } from './save-answer.js';
import type { ApiErrorCode } from './contract-lists.js';

// The engine's types that travel through the contract: a UI imports them from here (types only),
// never from the engine's modules.
export type { CourseInfo, DockerStatus, LogLine, Notice, OperationResult, ServiceState };
export type { OpenWork, NotebookWindowsSaved };
export type { OperationKind, PublishedPort, ServiceStatus } from '../engine/state/service-state.js';
export type { LayerProgress, ProgressState } from '../engine/docker/progress.js';
export type { Attempt } from '../engine/docker/connect.js';

const name = z.string().min(1).max(100).regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'letters, digits, _ . - only');
const project = name;
const course = z.string().min(1).max(4096);
const serviceRef = z.object({ project, service: name }).strict();
const terminalId = z.string().min(1).max(64);
const size = z.number().int().min(2).max(1000);
/** A saved snapshot: its file name in the service's snapshots folder (never a path). */
const snapshotId = z.string().min(1).max(200).regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*\.json$/, 'a snapshot id (its file name)');

export const inputs = {
  ...backupInputs,
  ...bundleInputs,
  'docker.status': z.object({}).strict(),
  'docker.retry': z.object({}).strict(),
  'courses.list': z.object({}).strict(),
  'env.open': z.object({ course }).strict(),
  'env.state': z.object({ project }).strict(),
  'env.up': z.object({ project, service: name.optional() }).strict(),
  'env.down': z.object({ project }).strict(),
  /** "Check my environment": the spec's checks (or some of them, by id) run now. */
  'env.check': z.object({ project, only: z.array(z.string().min(1).max(100)).max(100).optional() }).strict(),
  /** Runs the repair a failed check offers (check id as in the report); the check is run again first and after. */
  'env.fix': z.object({ project, check: z.string().min(1).max(200) }).strict(),
  /**
   * The panel's switch for Compose `profiles:`: the profiles to have on (every other declared one
   * off), only names the course declares. Remembered per course; the environment is re-opened.
   */
  'env.profiles': z.object({ project, profiles: z.array(name).max(100) }).strict(),
  /** While Docker does not answer: what is installed on this computer, what to start or install. */
  'onboarding.state': z.object({}).strict(),
  /** Starts an engine onboarding found (its id in onboarding.state's engines). */
  'onboarding.start': z.object({ engine: z.string().min(1).max(50).regex(/^[a-z-]+$/) }).strict(),
  /** Writes a support bundle into Coursedock's data folder (never a path the UI names). */
  'env.supportBundle': z.object({ project }).strict(),
  'service.start': serviceRef,
  'service.stop': serviceRef,
  'service.restart': serviceRef,
  'service.reinstall': serviceRef,
  'service.reset': serviceRef.extend({ confirm: z.literal(true) }).strict(),
  'service.revealSecret': serviceRef.extend({ field: z.enum(['password', 'token']) }).strict(),
  /** The student's answer when a run asked to keep student data elsewhere (EnvironmentInfo.dataLocationQuestions). */
  'service.confirmDataLocation': serviceRef.extend({ choice: z.enum(['keep', 'switch']) }).strict(),
  /** Every place the service keeps student data (named volumes, bind-mounted folders), with sizes. */
  'service.data': serviceRef,
  /** Opens the folder of one of the service's student data places (its container path) on this computer: the desktop app only. */
  'service.openDataFolder': serviceRef.extend({ target: z.string().min(1).max(4096) }).strict(),
  /** What is open on the service's notebook server (notebooks, busy kernels), asked before a stop, restart, reinstall or reset. */
  'service.openWork': serviceRef,
  /** Asks the desktop's notebook windows on the service's origin to save what they show (none elsewhere). */
  'service.saveNotebookWindows': serviceRef,
  /** A one-time URL for the service's web page on its own origin (the notebook view, "Open in browser"). */
  'service.webView': serviceRef,
  'logs.subscribe': serviceRef.extend({ tail: z.number().int().min(0).max(10_000).default(500) }).strict(),
  'logs.unsubscribe': z.object({ subscription: z.string().min(1).max(64) }).strict(),
  'terminal.open': z.union([
    /** A shell in the service's container, as the user the service runs as; `asRoot`: as root instead (the student's explicit choice). */
    serviceRef.extend({ cols: size.optional(), rows: size.optional(), asRoot: z.boolean().optional() }).strict(),
    z.object({ host: z.literal(true), cols: size.optional(), rows: size.optional() }).strict(),
  ]),
  'terminal.input': z.object({ terminal: terminalId, data: z.string().max(64 * 1024) }).strict(),
  'terminal.resize': z.object({ terminal: terminalId, cols: size, rows: size }).strict(),
  'terminal.close': z.object({ terminal: terminalId }).strict(),
  'snapshot.capture': serviceRef.extend({ name: z.string().min(1).max(100).regex(/^[^\r\n]*$/, 'one line').optional() }).strict(),
  'snapshot.list': z.object({ project, service: name.optional() }).strict(),
  /** What changed in the container since it was created: against a fresh container of its image ('baseline') or a snapshot. */
  'snapshot.drift': serviceRef.extend({ against: z.union([z.literal('baseline'), snapshotId]).default('baseline') }).strict(),
  /** The service's image compared with the course team's reference: information (e.g. security updates), never drift. */
  'snapshot.reference': serviceRef,
  'snapshot.recreate': serviceRef.extend({ snapshot: snapshotId, check: z.boolean().default(true) }).strict(),
  'settings.get': z.object({}).strict(),
  'settings.set': z
    .object({
      dockerEndpoint: z.string().max(4096).nullable().optional(),
      notebooksFolder: z.object({ project, path: z.string().min(1).max(4096) }).strict().optional(),
      /** Bring back the services the student had running after Docker or the computer restarts. */
      bringBackServices: z.boolean().optional(),
      /** Restart services stuck after the computer slept (health stale or not answering). */
      restartStaleAfterSleep: z.boolean().optional(),
      /** Pin a service port to a host port (null: unpin, the course's port is wanted again). */
      portPin: z
        .object({ project, service: name, port: z.string().regex(/^\d{1,5}\/(tcp|udp)$/, 'e.g. 5432/tcp'), hostPort: z.number().int().min(1).max(65535).nullable() })
        .strict()
        .optional(),
    })
    .strict(),
} as const;

export type MethodName = keyof typeof inputs;
export type MethodInput<M extends MethodName> = z.input<(typeof inputs)[M]>;
export type ParsedInput<M extends MethodName> = z.output<(typeof inputs)[M]>;

/** What the panel needs to draw a service before any state arrives. */
export interface ServiceInfo {
  name: string;
  title: string;
  description?: string;
  icon?: string;
  hasWebUi: boolean;
  /** Its web page posts {coursedock: 'ready'} to the framing panel once loaded (x-coursedock web.announces-ready). */
  webAnnouncesReady?: boolean;
  /** Connection details without the password (revealed on request). */
  connection?: Omit<ConnectionMeta, 'password'> & { hasPassword: boolean };
  /** Named volumes a reset deletes. */
  resetVolumes: string[];
  dependsOn: string[];
}

export interface EnvironmentInfo {
  project: string;
  course: string;
  title: string;
  description?: string;
  file: string;
  services: ServiceInfo[];
  variables: Array<Pick<VariableDecl, 'name' | 'kind' | 'description'> & { value?: string }>;
  warnings: SpecProblem[];
  states: ServiceState[];
  /** Student data this run would put elsewhere than where it is: kept where it is until answered. */
  dataLocationQuestions?: DataLocationQuestion[];
  /** The Compose profiles the course declares, each on or off (absent or empty: none). */
  profiles?: ProfileView[];
}

export interface Settings {
  dockerEndpoint: string | null;
  dataDir: string;
  /** Bring back what was running after Docker or the computer restarts (on unless turned off). */
  bringBackServices: boolean;
  /** Restart services stuck after the computer slept (on unless turned off). */
  restartStaleAfterSleep: boolean;
  /** portPins: service → `<target>/<protocol>` → pinned host port. */
  environments: Record<string, { notebooksFolder?: string; portPins?: Record<string, Record<string, number>> }>;
}

/** The files a recreate wrote and what could not be pinned. */
export interface RecreateSummary {
  baseImage: string;
  dockerfile: string;
  script: string;
  /** Written next to the snapshot: …/<id>.recreate/Dockerfile and install.sh. */
  files: string[];
  /** Whether the archive was checked for the versions (in a container of the base image). */
  checked: boolean;
  /** One line per package that does not get its version: show these. */
  notPinned: string[];
  notes: string[];
  counts: { debianPinned: number; debianInBase: number; pythonPinned: number; pythonFromDebian: number; npm: number };
}

export interface SnapshotList {
  snapshots: SnapshotSummary[];
  /** Files in the snapshots folder that cannot be read, with the reason. */
  broken: BrokenSnapshot[];
  /** Services whose course ships a reference to compare their image with (snapshot.reference). */
  references: string[];
}

export interface Outputs extends BackupOutputs, BundleOutputs {
  'docker.status': DockerStatus;
  'docker.retry': DockerStatus;
  'courses.list': CourseInfo[];
  'env.open': EnvironmentInfo;
  'env.state': ServiceState[];
  'env.up': OperationResult;
  'env.down': OperationResult;
  'env.check': CheckReport;
  'env.fix': FixResult;
  /** The profiles as they are now; open the course again (env.open) for its services. */
  'env.profiles': { profiles: ProfileView[] };
  'onboarding.state': OnboardingView;
  'onboarding.start': OnboardingView;
  /** `path`: the archive written; `entries`: what it holds; `secrets`: what is masked, and the archive searched for each secret. */
  'env.supportBundle': { path: string; entries: string[]; bytes: number; secrets: BundleSecrets };
  'service.start': OperationResult;
  'service.stop': OperationResult;
  'service.restart': OperationResult;
  'service.reinstall': OperationResult;
  'service.reset': OperationResult;
  'service.revealSecret': { value: string };
  /** Questions still open; `result`: the service brought up on the new place (switch, when it was running). */
  'service.confirmDataLocation': { questions: DataLocationQuestion[]; result?: OperationResult };
  /** `canOpenFolders`: this UI can open a folder on this computer (service.openDataFolder); else show the path. */
  'service.data': { places: StudentDataPlace[]; canOpenFolders: boolean };
  'service.openDataFolder': { path: string };
  'service.openWork': OpenWork;
  'service.saveNotebookWindows': NotebookWindowsSaved;
  /** Works once, for a minute: ask again for each frame load or browser tab. */
  'service.webView': { url: string };
  'logs.subscribe': { subscription: string };
  'logs.unsubscribe': { ok: true };
  /** `runsAs`: who the shell runs as, in words (a service's shell). */
  'terminal.open': { terminal: string; title: string; runsAs?: string };
  'terminal.input': { ok: true };
  'terminal.resize': { ok: true };
  'terminal.close': { ok: true };
  'snapshot.capture': SnapshotSummary;
  'snapshot.list': SnapshotList;
  'snapshot.drift': ServiceDrift;
  'snapshot.reference': ServiceReference;
  'snapshot.recreate': RecreateSummary;
  'settings.get': Settings;
  'settings.set': Settings;
}

export type MethodOutput<M extends MethodName> = Outputs[M];

export interface Events {
  'docker.status': DockerStatus;
  'env.state': { project: string; state: ServiceState };
  'env.notice': { project: string; notice: Notice };
  /** `skipped`: older lines left out because the UI read slower than the service printed (the newest are sent). */
  'logs.lines': { subscription: string; lines: LogLine[]; skipped?: number };
  'logs.end': { subscription: string; reason?: string };
  'terminal.data': { terminal: string; data: string };
  'terminal.exit': { terminal: string; code?: number; reason: string };
  /** How far the course install running now has got, a few times a second; `progress` absent: it ended. */
  'courses.installProgress': { progress?: BundleProgress };
  /** How far a project's backup or restore has got, a few times a second; `progress` absent: it ended. */
  'backup.progress': { project: string; progress?: BackupProgress };
}

export type EventName = keyof Events;

export const methodNames = Object.keys(inputs) as MethodName[];
/** The pushed events' names and the error codes, as lists a UI can bundle (no zod): contract-lists.ts. */
export { apiErrorCodes, eventNames, isApiErrorCode, type ApiErrorCode } from './contract-lists.js';

/** An error a UI shows in words; `code` lets it pick a screen (e.g. Docker unreachable). */
export interface ApiError {
  message: string;
  code: ApiErrorCode;
  details?: unknown;
}

/** Validates a call's input; throws an ApiError-shaped error naming the bad fields. */
export function parseInput<M extends MethodName>(method: unknown, input: unknown): { method: M; input: ParsedInput<M> } {
  // Own keys only: `__proto__`, `constructor` or `toString` are not methods.
  if (typeof method !== 'string' || !Object.hasOwn(inputs, method)) throw apiError('unknown-method', `Unknown method "${String(method).slice(0, 100)}".`);
  const result = inputs[method as M].safeParse(input ?? {});
  if (!result.success) {
    const detail = result.error.issues
      .slice(0, 5)
      .map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`)
      .join('; ');
    throw apiError('invalid-input', `Invalid input for ${method}: ${detail}`);
  }
  return { method: method as M, input: result.data as ParsedInput<M> };
}

export class ApiFailure extends Error {
  constructor(readonly error: ApiError) {
    super(error.message);
    this.name = 'ApiFailure';
  }
}

export const apiError = (code: ApiError['code'], message: string, details?: unknown): ApiFailure =>
  new ApiFailure({ code, message, ...(details !== undefined ? { details } : {}) });
