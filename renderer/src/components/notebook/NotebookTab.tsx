// The Notebook tab: the service's web UI in a frame on the panel's own origin (the browser
// shell's proxy adds the token, so the student never sees one). It follows the service: while it
// is not serving an overlay says why, and a new server (restart, reinstall, another port) gets
// a freshly loaded frame once it is ready again. On the desktop the panel is a file:// page
// that cannot frame the proxy, so it points to the notebook window instead.
import { useState } from 'react';
import { ipcBridge } from '../../api/ipc-bridge.js';
import { useActions } from '../../hooks/use-actions.js';
import type { ServiceInfo, ServiceState } from '../../lib/types.js';
import { ExternalIcon, Spinner } from '../icons.js';
import { openInBrowser } from '../ServiceDetail.js';
import { notebookFramePath, notebookGeneration, notebookPhase } from './notebook-view.js';
import './notebook.css';

interface Props {
  project: string;
  service: ServiceInfo;
  state: ServiceState | undefined;
}

export function NotebookTab({ project, service, state }: Props) {
  const [reloads, setReloads] = useState(0);
  const actions = useActions();
  const desktop = !!ipcBridge();
  const phase = notebookPhase(state);
  const src = notebookFramePath(state?.webUrl);
  const generation = notebookGeneration(state);
  const webUrl = state?.webUrl;

  return (
    <div className="notebook-tab" data-testid="notebook-tab" data-phase={phase}>
      <div className="notebook-tab__toolbar" role="toolbar" aria-label="Notebook">
        <button type="button" className="btn btn--small" disabled={phase !== 'ready' || desktop} onClick={() => setReloads((n) => n + 1)}>
          Reload
        </button>
        <button type="button" className="btn btn--small" disabled={!webUrl} onClick={() => webUrl && openInBrowser(webUrl)}>
          <ExternalIcon /> <span>Open in external browser</span>
        </button>
        {src && phase === 'ready' && !desktop && <code className="notebook-tab__path">{src}</code>}
      </div>
      <div className="notebook-tab__stage">
        {desktop ? (
          <div className="notebook-tab__overlay" role="status">
            <p className="notebook-tab__headline">The notebook opens in its own window in the desktop app.</p>
            <p>Use “Open the notebook window” in the app’s menu, or open it in your browser.</p>
            <button type="button" className="btn btn--primary" disabled={!webUrl} onClick={() => webUrl && openInBrowser(webUrl)}>
              <ExternalIcon /> <span>Open in external browser</span>
            </button>
          </div>
        ) : phase === 'ready' && src ? (
          <iframe key={`${generation}#${reloads}`} className="notebook-tab__frame" src={src} title={`${service.title}`} data-testid="notebook-frame" />
        ) : (
          <div className="notebook-tab__overlay" role="status">
            {phase === 'starting' && (
              <p className="notebook-tab__headline">
                <Spinner /> Notebook is starting…
              </p>
            )}
            {phase === 'stopping' && (
              <p className="notebook-tab__headline">
                <Spinner /> Notebook is stopping…
              </p>
            )}
            {phase === 'unavailable' && <p className="notebook-tab__headline">The notebook is not available on this computer.</p>}
            {phase === 'stopped' && (
              <>
                <p className="notebook-tab__headline">Notebook is stopped</p>
                <button
                  type="button"
                  className="btn btn--primary"
                  disabled={!!actions.pending[service.name]}
                  onClick={() => void actions.run(service.name, 'service.start', { project, service: service.name })}
                >
                  Start it
                </button>
                {actions.errors[service.name] && (
                  <p className="notebook-tab__error" role="alert">
                    {actions.errors[service.name]}
                  </p>
                )}
              </>
            )}
          </div>
        )}
      </div>
    </div>
  );
}
