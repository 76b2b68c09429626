// The web UI tab of any service that has one (the notebook, OpenRefine, …; named after the
// service): its page in a sandboxed frame on its own origin (web-view.ts: a one-time URL per
// load; the shell's proxy adds any token, so the student never sees one). It follows the
// service: while it is not serving an overlay says why, and a new server (restart, reinstall,
// another port) gets a freshly loaded frame once it is ready again. A page that says when it
// loaded (frame-ready.ts) and stays silent is reloaded once, then the view says it did not load.
// On the desktop the panel is a file:// page that does not frame service pages: it points to the
// app's window or the browser.
import { useCallback, useState } from 'react';
import { ipcBridge } from '../../api/ipc-bridge.js';
import { useAppActions } from '../../hooks/actions-context.js';
import type { ServiceInfo, ServiceState } from '../../lib/types.js';
import { ExternalIcon, Spinner } from '../icons.js';
import { notebookFramePath, notebookGeneration, notebookPhase } from './notebook-view.js';
import { FRAME_SANDBOX, useOpenServicePage, useWebView } from './web-view.js';
import { useNotebookFrameRef } from './frame-save.js';
import { useFrameReady } from './frame-ready.js';
import './notebook.css';

interface Props {
  project: string;
  service: ServiceInfo;
  state: ServiceState | undefined;
}

export function NotebookTab({ project, service, state }: Props) {
  const [reloads, setReloads] = useState(0);
  const actions = useAppActions();
  const desktop = !!ipcBridge();
  const phase = notebookPhase(state);
  const path = notebookFramePath(state?.webUrl);
  const generation = notebookGeneration(state);
  const webUrl = state?.webUrl;
  // A silent page is reloaded once per load the panel asked for (a new server, Reload): `retried`
  // holds the load that was, `silent` the frame that stayed silent after that.
  const [retried, setRetried] = useState<string>();
  const [silent, setSilent] = useState<string>();
  const [said, setSaid] = useState<string>();
  const asked = phase === 'ready' && path && !desktop ? `${generation}#${reloads}` : undefined;
  const frameKey = asked && retried === asked ? `${asked}#retry` : asked;
  const view = useWebView(project, service.name, frameKey);
  const external = useOpenServicePage(project, service.name);
  // Known to the panel's Stop/Restart/Reinstall/Reset, which ask it to save first (frame-save.ts).
  const saveRef = useNotebookFrameRef(project, service.name, view.url);
  const readyRef = useFrameReady(frameKey, view.url, !!service.webAnnouncesReady, {
    onSilent: (key) => {
      if (key === asked) setRetried(asked);
      else setSilent(key);
    },
    onReady: (key) => {
      setSaid(key);
      setSilent((s) => (s === key ? undefined : s));
    },
  });
  const frameRef = useCallback(
    (frame: HTMLIFrameElement | null) => {
      const unwatch = readyRef(frame);
      const unregister = saveRef(frame);
      return () => {
        unwatch?.();
        unregister?.();
      };
    },
    [readyRef, saveRef],
  );
  const didNotLoad = frameKey !== undefined && silent === frameKey;
  const reload = () => setReloads((n) => n + 1);

  return (
    <div className="notebook-tab" data-testid="notebook-tab" data-phase={phase}>
      <div className="notebook-tab__toolbar" role="toolbar" aria-label={service.title}>
        <button type="button" className="btn btn--small" disabled={phase !== 'ready' || desktop} onClick={reload}>
          Reload
        </button>
        <button type="button" className="btn btn--small" disabled={!webUrl} onClick={external.open}>
          <ExternalIcon /> <span>Open in external browser</span>
        </button>
        {path && phase === 'ready' && !desktop && <code className="notebook-tab__path">{path}</code>}
        {external.error && (
          <span className="notebook-tab__error" role="alert">
            {external.error}
          </span>
        )}
      </div>
      <div className="notebook-tab__stage">
        {desktop ? (
          <div className="notebook-tab__overlay" role="status">
            <p className="notebook-tab__headline">{service.title} opens in its own window in the desktop app.</p>
            <p>Use “Open the notebook window” in the app’s menu, or open it in your browser.</p>
            <button type="button" className="btn btn--primary" disabled={!webUrl} onClick={external.open}>
              <ExternalIcon /> <span>Open in external browser</span>
            </button>
          </div>
        ) : frameKey && view.url ? (
          <>
            <iframe
              key={frameKey}
              ref={frameRef}
              className="notebook-tab__frame"
              src={view.url}
              sandbox={FRAME_SANDBOX}
              referrerPolicy="no-referrer"
              title={service.title}
              data-testid="notebook-frame"
              data-reloaded={frameKey === asked ? undefined : 'after-silence'}
              data-page-ready={said === frameKey ? 'yes' : undefined}
            />
            {didNotLoad && (
              // Over the frame, not instead of it: a page that says it loaded after all takes this away.
              <div className="notebook-tab__overlay notebook-tab__overlay--over" role="alert" data-testid="notebook-did-not-load">
                <p className="notebook-tab__headline">{service.title} did not load.</p>
                <p>It was loaded twice and stayed blank both times; this happens when the computer’s network changes while the page loads.</p>
                <button type="button" className="btn btn--primary" onClick={reload}>
                  Reload
                </button>
              </div>
            )}
          </>
        ) : frameKey ? (
          <div className="notebook-tab__overlay" role="status">
            {view.error ? (
              <p className="notebook-tab__error" role="alert">
                {view.error}
              </p>
            ) : (
              <p className="notebook-tab__headline">
                <Spinner /> Opening {service.title}…
              </p>
            )}
          </div>
        ) : (
          <div className="notebook-tab__overlay" role="status">
            {phase === 'starting' && (
              <p className="notebook-tab__headline">
                <Spinner /> {service.title} is starting…
              </p>
            )}
            {phase === 'stopping' && (
              <p className="notebook-tab__headline">
                <Spinner /> {service.title} is stopping…
              </p>
            )}
            {phase === 'unavailable' && <p className="notebook-tab__headline">{service.title} is not available on this computer.</p>}
            {phase === 'stopped' && (
              <>
                <p className="notebook-tab__headline">{service.title} is stopped</p>
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
