// Pull and build progress as the engine keeps it: per layer for pulls, recent lines for builds.
// Kept per service in the engine (not in the UI) so it survives navigating away and back.

export interface LayerProgress {
  id: string;
  status: string;
  current?: number;
  total?: number;
}

export interface ProgressState {
  kind: 'pull' | 'build';
  image: string;
  layers: LayerProgress[];
  /** Last lines of build output (or pull status lines without a layer). */
  lines: string[];
  done: boolean;
  error?: string;
}

export const MAX_PROGRESS_LINES = 200;

/** One JSON message of Docker's pull/build streams. */
export interface DockerStreamMessage {
  id?: string;
  status?: string;
  stream?: string;
  progressDetail?: { current?: number; total?: number };
  error?: string;
  errorDetail?: { message?: string };
  aux?: { ID?: string };
}

/** Folds one stream message into the progress state (mutates it); returns an in-band error. */
export function applyStreamMessage(state: ProgressState, msg: DockerStreamMessage): string | undefined {
  // Docker reports failures inside a 200 response: the stream "succeeds" unless we look here.
  const error = msg.error ?? msg.errorDetail?.message;
  if (error) {
    state.error = error;
    pushLine(state, error);
    return error;
  }
  if (msg.id && msg.status && state.kind === 'pull' && msg.progressDetail !== undefined) {
    const layer = state.layers.find((l) => l.id === msg.id);
    const next: LayerProgress = {
      id: msg.id,
      status: msg.status,
      current: msg.progressDetail.current,
      total: msg.progressDetail.total,
    };
    if (layer) Object.assign(layer, next);
    else state.layers.push(next);
    return undefined;
  }
  const text = msg.stream ?? (msg.status ? (msg.id ? `${msg.id}: ${msg.status}` : msg.status) : undefined);
  if (text) for (const line of text.split('\n')) if (line.trim()) pushLine(state, line.trimEnd());
  return undefined;
}

function pushLine(state: ProgressState, line: string): void {
  state.lines.push(line);
  if (state.lines.length > MAX_PROGRESS_LINES) state.lines.splice(0, state.lines.length - MAX_PROGRESS_LINES);
}
