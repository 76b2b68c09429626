// Start, Stop, Restart, Reinstall, Reset data — disabled while an operation runs on the service.
import { isRunning } from '../lib/status.js';
import type { ServiceState } from '../lib/types.js';
import { PlayIcon, ReinstallIcon, ResetIcon, RestartIcon, StopIcon } from './icons.js';

export type ServiceAction = 'start' | 'stop' | 'restart' | 'reinstall' | 'reset';

interface Props {
  state: ServiceState | undefined;
  /** A call was just made and its first state has not arrived yet. */
  pending: boolean;
  onAction: (action: ServiceAction) => void;
}

export function ServiceActions({ state, pending, onAction }: Props) {
  const busy = pending || !!state?.operation;
  const running = isRunning(state);
  const exists = !!state?.containerId;
  const button = (action: ServiceAction, label: string, icon: React.ReactNode, enabled: boolean, extra = '', hint?: string) => (
    <button type="button" className={`btn${extra}`} disabled={busy || !enabled} onClick={() => onAction(action)} title={hint}>
      {icon}
      <span>{label}</span>
    </button>
  );
  return (
    <div className="actions" role="toolbar" aria-label="Service actions">
      {running
        ? button('stop', 'Stop', <StopIcon />, true, '', 'Stop this service; the others keep running.')
        : button('start', 'Start', <PlayIcon />, true, ' btn--primary', 'Start this service (and what it needs).')}
      {button('restart', 'Restart', <RestartIcon />, exists, '', 'Stop and start the same container.')}
      {button('reinstall', 'Reinstall', <ReinstallIcon />, true, '', 'A fresh container from a fresh image. Your data is kept.')}
      <span className="toolbar-spacer" />
      {button('reset', 'Reset data…', <ResetIcon />, true, ' btn--danger-outline', 'Delete this service’s data and start it fresh.')}
    </div>
  );
}
