// Before a Stop, Restart, Reinstall or Reset of a service with a web UI: what is open on it (the
// engine asks the notebook server, service.openWork) so the panel can say it before going on,
// and saving what the notebook views show first, with a word when that did not work: the
// notebook frame in the browser shell (frame-save.ts), the notebook windows in the desktop app
// (service.saveNotebookWindows, asked of the main process), both asked at once. Nothing here
// blocks an operation: a server that cannot be asked, or a view that does not answer, only
// means there is less to say.
import { useCallback } from 'react';
import { saveFramedNotebooks, saveWords, tallySaves } from '../components/notebook/frame-save.js';
import type { Client } from '../api/client.js';
import type { OpenWork, ServiceInfo } from '../lib/types.js';
import { useClient } from './client-context.js';

export interface SaveFirst {
  /** What is open on the service, when there is something to say (undefined: nothing open, or not known). */
  openWork: (project: string, service: ServiceInfo) => Promise<OpenWork | undefined>;
  /** Saves what the notebook views show; resolves with words when something is worth telling. */
  saveFirst: (project: string, service: string) => Promise<string | undefined>;
}

/** Whether the work is worth a question before the operation. */
export const worthAsking = (work: OpenWork | undefined): work is OpenWork => !!work && work.known && (work.notebookCount > 0 || work.kernels > 0);

/** Asks the frame and (where the shell has them) the notebook windows to save; the words for both. */
export async function saveNotebooksFirst(client: Client, project: string, service: string): Promise<string | undefined> {
  const [frame, windows] = await Promise.all([
    saveFramedNotebooks(project, service),
    client.canSaveNotebookWindows ? client.call('service.saveNotebookWindows', { project, service }).catch(() => undefined) : undefined,
  ]);
  return saveWords(tallySaves(frame, windows));
}

export function useSaveFirst(): SaveFirst {
  const client = useClient();
  const openWork = useCallback(
    async (project: string, service: ServiceInfo) => {
      if (!service.hasWebUi) return undefined;
      const work = await client.call('service.openWork', { project, service: service.name }).catch(() => undefined);
      return worthAsking(work) ? work : undefined;
    },
    [client],
  );
  const saveFirst = useCallback((project: string, service: string) => saveNotebooksFirst(client, project, service), [client]);
  return { openWork, saveFirst };
}
