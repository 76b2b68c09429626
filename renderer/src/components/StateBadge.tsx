// A service's status as a coloured dot and words (health included), e.g. "Running · healthy".
import { statusView } from '../lib/status.js';
import type { ServiceState } from '../lib/types.js';

export function StateBadge({ state }: { state: Pick<ServiceState, 'status' | 'health' | 'unavailable' | 'exitCode'> | undefined }) {
  const view = state ? statusView(state) : { label: 'Unknown', tone: 'idle' as const };
  const text = view.detail ? `${view.label} · ${view.detail}` : view.label;
  return (
    <span className={`badge tone-${view.tone}`} role="status" aria-label={`Status: ${text}`} data-status={state?.status}>
      <span className="badge__dot" aria-hidden="true" />
      <span className="badge__label">{view.label}</span>
      {view.detail && <span className="badge__detail">· {view.detail}</span>}
    </span>
  );
}
