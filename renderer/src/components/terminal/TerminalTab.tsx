// The Terminal tab: shells in the service's container (several, in a small tab strip) and, where
// allowed, on this computer. The sessions live in the TerminalsProvider, so they survive leaving
// the tab; this view only shows the selected one.
import { useEffect, useEffectEvent } from 'react';
import { ipcBridge } from '../../api/ipc-bridge.js';
import { useTerminalSessions } from '../../hooks/use-terminals.js';
import { isRunning } from '../../lib/status.js';
import type { ServiceInfo, ServiceState } from '../../lib/types.js';
import { TerminalView } from './TerminalView.js';
import './terminal.css';

interface Props {
  project: string;
  service: ServiceInfo;
  state: ServiceState | undefined;
}

export const HOST_LABEL = 'This computer';

export function TerminalTab({ project, service, state }: Props) {
  const { manager, sessions } = useTerminalSessions();
  const owner = service.name;
  const mine = sessions.filter((s) => s.owner === owner || s.owner === 'host');
  const activeKey = manager.activeFor(owner);
  const active = mine.find((s) => s.key === activeKey);
  const running = isRunning(state) && !!state?.containerId;
  const desktop = !!ipcBridge();
  const hostRefusal = manager.hostRefusal;

  const openService = () => {
    const n = sessions.filter((s) => s.owner === owner).length;
    manager.create({ project, service: owner }, n ? `${service.title} ${n + 1}` : service.title);
  };
  /** The explicit second choice: a shell as root (installing packages, fixing permissions). */
  const openServiceAsRoot = () => {
    const n = sessions.filter((s) => s.owner === owner).length;
    manager.create({ project, service: owner, asRoot: true }, `${service.title} (root)${n ? ` ${n + 1}` : ''}`);
  };
  const openHost = () => {
    const n = sessions.filter((s) => s.owner === 'host').length;
    manager.create({ host: true }, n ? `${HOST_LABEL} ${n + 1}` : HOST_LABEL, owner);
  };

  // The first visit to a running service's Terminal tab opens a shell at once (once per service:
  // the sessions it opens are read, not a reason to open again).
  const openFirstShell = useEffectEvent(() => {
    if (!sessions.some((s) => s.owner === owner) && manager.claimAutoOpen(owner)) openService();
  });
  useEffect(() => {
    if (running) openFirstShell();
  }, [running, owner]);

  useEffect(() => {
    if (!desktop) void manager.probeHost();
  }, [desktop, manager]);

  return (
    <div className="terminal-tab" data-testid="terminal-tab">
      <div className="terminal-tab__bar">
        <div className="terminal-tab__strip" role="tablist" aria-label="Terminals">
          {mine.map((s) => (
            <div key={s.key} className={`terminal-tab__chip${s.key === active?.key ? ' is-active' : ''}${s.status !== 'open' ? ' is-ended' : ''}`}>
              <button
                type="button"
                role="tab"
                aria-selected={s.key === active?.key}
                className="terminal-tab__chip-label"
                title={s.title ?? s.label}
                onClick={() => manager.setActive(owner, s.key)}
              >
                <span className={`terminal-tab__dot terminal-tab__dot--${s.status}`} aria-hidden="true" />
                {s.label}
              </button>
              <button type="button" className="terminal-tab__chip-close" aria-label={`Close ${s.label}`} title="Close this terminal" onClick={() => void manager.close(s.key)}>
                ×
              </button>
            </div>
          ))}
          <button
            type="button"
            className="terminal-tab__add"
            aria-label={`New terminal in ${service.title}`}
            title={running ? `Open another shell in ${service.title}` : `Start ${service.title} to open a shell in it`}
            disabled={!running}
            onClick={openService}
          >
            +
          </button>
          <button
            type="button"
            className="btn btn--small btn--ghost terminal-tab__root"
            title={running ? `Open a shell in ${service.title} as root: for installing packages or fixing permissions` : `Start ${service.title} to open a shell in it`}
            disabled={!running}
            onClick={openServiceAsRoot}
          >
            Open as root
          </button>
        </div>
        <button
          type="button"
          className="btn btn--small btn--ghost terminal-tab__host"
          disabled={!!hostRefusal}
          title={hostRefusal ?? 'Open a shell on this computer'}
          aria-describedby={hostRefusal ? 'terminal-host-refusal' : undefined}
          onClick={openHost}
        >
          {HOST_LABEL}
        </button>
      </div>
      {hostRefusal && (
        <p className="terminal-tab__note" id="terminal-host-refusal" data-testid="host-refusal">
          <strong>{HOST_LABEL}:</strong> {withFlags(hostRefusal)}
        </p>
      )}
      {active?.runsAs && active.owner === owner && (
        <p className={`terminal-tab__note${active.runsAs === 'root' ? ' terminal-tab__note--warn' : ''}`} data-testid="terminal-runs-as">
          This shell runs as {active.runsAs}
          {active.runsAs === 'root' ? ': files it makes in your folders belong to root.' : '.'}
        </p>
      )}
      {active && !running && active.owner === owner && (
        <p className="terminal-tab__note terminal-tab__note--warn" role="status">
          {service.title} is not running; this terminal’s shell has ended. Start {service.title} to open a new one.
        </p>
      )}
      {active ? (
        <div className="terminal-tab__body">
          <TerminalView key={active.key} sessionKey={active.key} />
          {(active.status === 'exited' || active.status === 'failed') && (active.owner === 'host' || running) && (
            <div className="terminal-tab__ended">
              <span>{active.status === 'failed' ? `Could not open a shell: ${active.message ?? ''}` : `The shell ended${active.message ? ` — ${active.message}` : ''}.`}</span>
              <button type="button" className="btn btn--small" onClick={() => manager.restart(active.key)}>
                Open a new shell
              </button>
            </div>
          )}
        </div>
      ) : (
        <div className="terminal-tab__empty" role="status">
          {running ? (
            <>
              <p>No terminal open in {service.title}.</p>
              <div className="terminal-tab__choices">
                <button type="button" className="btn btn--primary" onClick={openService}>
                  Open a terminal
                </button>
                <button type="button" className="btn" onClick={openServiceAsRoot}>
                  Open as root
                </button>
              </div>
            </>
          ) : (
            <p>
              {state?.unavailable ? `${service.title} is not available on this computer, so there is no container to open a terminal in.` : `${service.title} is not running.`}{' '}
              {state?.unavailable ? null : <>Start it to open a terminal in its container
              {hostRefusal ? '.' : `, or open one on ${HOST_LABEL.toLowerCase()}.`}</>}
            </p>
          )}
        </div>
      )}
    </div>
  );
}

/** The engine's words with command-line flags (`--host-shell`) kept on one line. */
function withFlags(text: string) {
  return text.split(/(--[a-z][a-z-]*)/).map((part, i) => (i % 2 ? <code key={i}>{part}</code> : part));
}
