// What went wrong with a service, in words, next to it: the engine's last error, the "not
// available on this computer" case, or a call that failed.
import type { ServiceInfo, ServiceState } from '../lib/types.js';
import { AlertIcon } from './icons.js';

interface Props {
  service: ServiceInfo;
  state: ServiceState | undefined;
  callError: string | undefined;
  onShowLogs: () => void;
  onDismissCallError: () => void;
}

export function ServiceProblem({ service, state, callError, onShowLogs, onDismissCallError }: Props) {
  const items: React.ReactNode[] = [];
  if (state?.unavailable) {
    items.push(
      <div key="unavailable" className="problem problem--off" role="alert">
        <AlertIcon />
        <div>
          <strong>{service.title} is not available on this computer.</strong>
          <p>
            Its image could not be downloaded or built here — for example, Docker cannot download images while this computer
            is offline. The other services work without it; press Start to try again once you are online.
          </p>
          {state.lastError && <p className="problem__detail">{state.lastError}</p>}
        </div>
      </div>,
    );
  } else if (state?.lastError && !state.operation) {
    items.push(
      <div key="last" className="problem" role="alert">
        <AlertIcon />
        <div>
          <strong>{state.status === 'exited' ? `${service.title} stopped by itself.` : `${service.title} ran into a problem.`}</strong>
          <p className="problem__detail">{state.lastError}</p>
          {state.containerId && (
            <button type="button" className="btn btn--small btn--link" onClick={onShowLogs}>
              Show its logs
            </button>
          )}
        </div>
      </div>,
    );
  }
  if (callError) {
    items.push(
      <div key="call" className="problem" role="alert">
        <AlertIcon />
        <div>
          <strong>That did not work.</strong>
          <p className="problem__detail">{callError}</p>
          <button type="button" className="btn btn--small btn--link" onClick={onDismissCallError}>
            Dismiss
          </button>
        </div>
      </div>,
    );
  }
  return items.length ? <div className="problems">{items}</div> : null;
}
