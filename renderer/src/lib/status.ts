// A service's state in words and colour: what the badge, the row and the header summary say.
import type { OperationKind, ServiceState, ServiceStatus } from './types.js';

/** The colour family of a badge (a CSS class `tone-<tone>`). */
export type Tone = 'ok' | 'busy' | 'idle' | 'warn' | 'error' | 'off';

const LABELS: Record<ServiceStatus, [string, Tone]> = {
  missing: ['Not started', 'idle'],
  pulling: ['Downloading', 'busy'],
  building: ['Building', 'busy'],
  creating: ['Creating', 'busy'],
  starting: ['Starting', 'busy'],
  running: ['Running', 'ok'],
  healthy: ['Running', 'ok'],
  unhealthy: ['Unhealthy', 'warn'],
  stopping: ['Stopping', 'busy'],
  stopped: ['Stopped', 'idle'],
  exited: ['Exited', 'error'],
  error: ['Error', 'error'],
};

export interface StatusView {
  label: string;
  /** Health or exit code, shown after the label when it says something more. */
  detail?: string;
  tone: Tone;
}

export function statusView(state: Pick<ServiceState, 'status' | 'health' | 'unavailable' | 'exitCode'>): StatusView {
  if (state.unavailable) return { label: 'Not available', tone: 'off' };
  // A status a newer engine sends that this panel does not know yet.
  const [label, tone] = (LABELS as Partial<typeof LABELS>)[state.status] ?? ['Unknown', 'idle'];
  if (state.status === 'healthy') return { label, detail: 'healthy', tone };
  if (state.status === 'starting' && state.health === 'starting') return { label, detail: 'health check pending', tone };
  if (state.status === 'exited' && state.exitCode !== undefined) return { label, detail: `code ${state.exitCode}`, tone };
  return { label, tone };
}

const VERBS: Record<OperationKind, string> = {
  up: 'Starting',
  start: 'Starting',
  stop: 'Stopping',
  restart: 'Restarting',
  reinstall: 'Reinstalling',
  reset: 'Resetting',
  down: 'Stopping',
};

/** "Reinstalling — building the image". */
export function operationText(op: NonNullable<ServiceState['operation']>): string {
  const phase = op.phase && op.phase !== 'working' ? ` — ${op.phase}` : '…';
  return `${(VERBS as Partial<typeof VERBS>)[op.kind] ?? op.kind}${phase}`;
}

export const isRunning = (s: ServiceState | undefined): boolean =>
  !!s && (s.status === 'running' || s.status === 'healthy' || s.status === 'unhealthy' || s.status === 'starting');

/** One line for the header: "2 of 3 running · 1 not available". */
export function summary(states: ServiceState[]): { text: string; tone: Tone } {
  if (!states.length) return { text: 'No services', tone: 'idle' };
  const running = states.filter(isRunning).length;
  const busy = states.filter((s) => s.operation).length;
  const failed = states.filter((s) => !s.unavailable && (s.status === 'error' || s.status === 'exited' || s.status === 'unhealthy')).length;
  const off = states.filter((s) => s.unavailable).length;
  const parts = [`${running} of ${states.length} running`];
  if (busy) parts.push(`${busy} busy`);
  if (failed) parts.push(`${failed} with problems`);
  if (off) parts.push(`${off} not available`);
  const tone: Tone = failed ? 'error' : busy ? 'busy' : running === states.length - off && running > 0 ? 'ok' : 'idle';
  return { text: parts.join(' · '), tone };
}
