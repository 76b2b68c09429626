// A service's web page lives on an origin of its own (never the panel's): the panel asks the
// shell for a one-time URL (service.webView) for each frame load and each "Open in browser", and
// never holds the service's token. The frame is sandboxed: Jupyter keeps scripts, its own
// origin, forms, popups, downloads and dialogs, but cannot navigate the panel away.
import { useEffect, useState } from 'react';
import type { Client } from '../../api/client.js';
import { toApiCallError } from '../../api/transport.js';
import { useClient } from '../../hooks/client-context.js';

export const FRAME_SANDBOX = [
  'allow-scripts',
  'allow-same-origin',
  'allow-forms',
  'allow-popups',
  'allow-popups-to-escape-sandbox',
  'allow-downloads',
  'allow-modals',
].join(' ');

export interface WebView {
  url?: string;
  error?: string;
}

/** A fresh one-time URL for the service's page whenever `key` changes; nothing while it is undefined. */
export function useWebView(project: string, service: string, key: string | undefined): WebView {
  const client = useClient();
  const [view, setView] = useState<WebView & { key?: string }>({});
  useEffect(() => {
    if (key === undefined) return;
    let live = true;
    client.call('service.webView', { project, service }).then(
      ({ url }) => live && setView({ key, url }),
      (err: unknown) => live && setView({ key, error: toApiCallError(err).message }),
    );
    return () => {
      live = false;
    };
  }, [client, project, service, key]);
  // A URL fetched for an older key is spent (tickets work once): show nothing until the new one.
  return key !== undefined && view.key === key ? { ...(view.url ? { url: view.url } : {}), ...(view.error ? { error: view.error } : {}) } : {};
}

/** Opens the service's page in a browser tab (the desktop sends it to the system browser). */
export async function openServicePage(client: Client, project: string, service: string): Promise<void> {
  const { url } = await client.call('service.webView', { project, service });
  window.open(url, '_blank', 'noopener');
}

/** The same, for a click: the failure comes back in words. */
export function useOpenServicePage(project: string, service: string): { open: () => void; error?: string } {
  const client = useClient();
  const [error, setError] = useState<string>();
  return {
    open: () => {
      setError(undefined);
      openServicePage(client, project, service).catch((err: unknown) => setError(toApiCallError(err).message));
    },
    ...(error ? { error } : {}),
  };
}
