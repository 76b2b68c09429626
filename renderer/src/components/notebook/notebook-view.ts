// What the Notebook tab shows for a service state, and where its frame points. Pure, so tested
// without a DOM.
import type { ServiceState } from '../../lib/types.js';

export type NotebookPhase = 'ready' | 'starting' | 'stopping' | 'stopped' | 'unavailable';

/**
 * The page the notebook shows: webUrl's path (webUrl carries no token; the frame itself loads a
 * one-time URL on the service's own origin, see web-view.ts).
 */
export function notebookFramePath(webUrl: string | undefined): string | undefined {
  if (!webUrl) return undefined;
  try {
    return new URL(webUrl).pathname;
  } catch {
    return undefined;
  }
}

export function notebookPhase(state: ServiceState | undefined): NotebookPhase {
  if (!state) return 'stopped';
  if (state.unavailable) return 'unavailable';
  const op = state.operation?.kind;
  if (op === 'stop' || op === 'down' || state.status === 'stopping') return 'stopping';
  if (op) return 'starting';
  switch (state.status) {
    case 'healthy':
    case 'unhealthy':
      return state.webUrl ? 'ready' : 'starting';
    case 'running':
      return state.webUrl && state.health !== 'starting' ? 'ready' : 'starting';
    case 'pulling':
    case 'building':
    case 'creating':
    case 'starting':
      return 'starting';
    default:
      return 'stopped';
  }
}

/** Changes when the notebook server behind the frame is a different one (restart, reinstall, new port). */
export function notebookGeneration(state: ServiceState | undefined): string {
  if (!state) return '';
  const ports = state.ports.map((p) => `${p.hostIp}:${p.hostPort}->${p.target}`).join(',');
  return `${state.containerId ?? ''}|${state.startedAt ?? ''}|${ports}|${notebookFramePath(state.webUrl) ?? ''}`;
}
