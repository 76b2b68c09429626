// The Electron side of the security policies (the decisions themselves are pure functions in
// navigation-policy.ts, csp.ts and permission-policy.ts, unit-tested):
//   - every webContents ever created is hardened (`web-contents-created`): no <webview>,
//     navigation and window.open decided by the rules its window registered, and denied
//     outright when it registered none;
//   - each session denies permissions by default and cancels downloads from the panel;
//   - the panel's own pages get the CSP header.
import { app, shell, type Session, type WebContents } from 'electron';
import { withAppSecurityHeaders } from './csp.js';
import { fileUrlInside } from './file-urls.js';
import { externalTarget, type ExternalPolicy, type NavigationDecision } from './navigation-policy.js';
import { permissionAllowed, type PageKind } from './permission-policy.js';

export interface WindowRules {
  /** will-navigate / will-redirect of the top frame. */
  navigate(url: string): NavigationDecision;
  /** window.open / target=_blank: 'allow' opens the URL in a new window of the same kind. */
  open(url: string): NavigationDecision;
  /** Options for a window this one is allowed to open. */
  childOptions?: () => Electron.BrowserWindowConstructorOptions;
}

const rules = new WeakMap<WebContents, WindowRules>();

export function setWindowRules(contents: WebContents, r: WindowRules): void {
  rules.set(contents, r);
}

export interface Hardening {
  externalPolicy: () => ExternalPolicy;
  log: (message: string) => void;
}

/** Hands a URL to the system browser if the policy allows it; says so in the log if not. */
export function openExternally(url: string, h: Hardening): void {
  const target = externalTarget(url, h.externalPolicy());
  if (!target) { h.log(`Refused to open ${url.slice(0, 200)} outside the app.`); return; }
  void shell.openExternal(target).catch((err: unknown) => h.log(`Could not open ${target}: ${String(err)}`));
}

export function hardenAllWebContents(h: Hardening): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-attach-webview', (e) => {
      e.preventDefault();
      h.log('Refused a <webview>.');
    });

    const onNavigate = (e: Electron.Event, url: string, kind: string) => {
      const decision = rules.get(contents)?.navigate(url) ?? 'deny';
      if (decision === 'allow') return;
      e.preventDefault();
      if (decision === 'external') openExternally(url, h);
      else h.log(`Refused ${kind} to ${url.slice(0, 200)}.`);
    };
    contents.on('will-navigate', (details) => onNavigate(details, details.url, 'navigation'));
    contents.on('will-redirect', (details) => {
      if (details.isMainFrame) onNavigate(details, details.url, 'redirect');
    });

    contents.setWindowOpenHandler(({ url }) => {
      const r = rules.get(contents);
      const decision = r?.open(url) ?? 'deny';
      if (decision === 'allow' && r?.childOptions) return { action: 'allow', overrideBrowserWindowOptions: r.childOptions() };
      if (decision === 'external') openExternally(url, h);
      else if (decision !== 'allow') h.log(`Refused to open a window on ${url.slice(0, 200)}.`);
      return { action: 'deny' };
    });
  });
}

/** Permissions (request and check) denied by default; downloads from the panel cancelled. */
export function hardenSession(ses: Session, kind: PageKind, log: (m: string) => void): void {
  ses.setPermissionRequestHandler((_wc, permission, callback) => {
    const ok = permissionAllowed(kind, permission);
    if (!ok) log(`Denied the ${permission} permission to the ${kind}.`);
    callback(ok);
  });
  ses.setPermissionCheckHandler((_wc, permission) => permissionAllowed(kind, permission));
  ses.setDevicePermissionHandler(() => false);
  ses.setDisplayMediaRequestHandler((_request, callback) => callback({}));
  if (kind === 'panel') ses.on('will-download', (event) => event.preventDefault());
}

/** The CSP (and a few hardening headers) on the panel's own files. */
export function applyPanelCsp(ses: Session, rendererDir: string): void {
  ses.webRequest.onHeadersReceived({ urls: ['file://*/*'] }, (details, callback) => {
    // The panel's files, whatever the escaping of the folder's name (file-urls.ts).
    if (!fileUrlInside(details.url, rendererDir)) { callback({}); return; }
    callback({ responseHeaders: withAppSecurityHeaders(details.responseHeaders) });
  });
}
