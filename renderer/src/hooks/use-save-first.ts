// Before a Stop, Restart, Reinstall or Reset of a service with a web UI: what is open on it (the
// engine asks the notebook server, service.openWork) so the panel can say it before going on,
// and saving the notebook view's notebooks first (frame-save.ts), with a word when that did not
// work. Nothing here blocks an operation: a server that cannot be asked, or a frame that does
// not answer, only means there is less to say.
import { useCallback } from 'react';
import { saveFramedNotebooks, saveWords } from '../components/notebook/frame-save.js';
import type { OpenWork, ServiceInfo } from '../lib/types.js';
import { useClient } from './client-context.js';

export interface SaveFirst {
  /** What is open on the service, when there is something to say (undefined: nothing open, or not known). */
  openWork: (project: string, service: ServiceInfo) => Promise<OpenWork | undefined>;
  /** Saves the notebook view's notebooks; resolves with words when something is worth telling. */
  saveFirst: (project: string, service: string) => Promise<string | undefined>;
}

/** Whether the work is worth a question before the operation. */
export const worthAsking = (work: OpenWork | undefined): work is OpenWork => !!work && work.known && (work.notebookCount > 0 || work.kernels > 0);

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
  const saveFirst = useCallback(async (project: string, service: string) => saveWords(await saveFramedNotebooks(project, service)), []);
  return { openWork, saveFirst };
}
