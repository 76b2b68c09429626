// service.openWork against the course's real notebook server (issue 15, item 6): what the panel
// hears before a stop, restart, reinstall or reset, through the contract as the panel calls it,
// and the lines the CLI prints for the same environment (openWorkWarnings). A notebook is opened
// the way a browser tab opens one: a session started through Jupyter's REST API with the token.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWorkWarnings } from '../cli/open-work-warning.js';
import type { Environment } from '../engine/environment.js';
import { engineWithNotebookUp, jupyterApi, oneCellNotebook } from '../engine/testing/jupyter-contents.js';
import type { TestEngine } from '../engine/testing/test-engine.js';
import { ApiSession } from './api-session.js';
import type { OpenWork } from './contract.js';

const NOTEBOOK = 'open-work-check.ipynb';

describe('service.openWork on a real notebook server', () => {
  let t: TestEngine | undefined;
  let env: Environment;
  let session: ApiSession | undefined;
  /** Jupyter's REST API at the notebook server's published port, with the token the engine holds. */
  let api: (method: string, path: string, body?: unknown) => Promise<Response>;

  beforeAll(async () => {
    ({ t, env } = await engineWithNotebookUp());
    session = new ApiSession(t.engine, () => undefined, {});
    api = jupyterApi(env.webTarget('notebook')!);
    const put = await api('PUT', `api/contents/${NOTEBOOK}`, oneCellNotebook('x = 1'));
    expect(put.status, await put.text()).toBeLessThan(300);
  }, 10 * 60_000);

  afterAll(async () => {
    session?.dispose();
    await t?.destroy();
  });

  const openWork = () => session!.call('service.openWork', { project: env.project, service: 'notebook' }) as Promise<OpenWork>;
  const title = () => env.spec.services.notebook!.meta.title;

  it('with no notebook open: nothing open, no kernel, and the CLI has nothing to say', async () => {
    expect(await openWork()).toEqual({ known: true, notebooks: [], notebookCount: 0, kernels: 0, busyKernels: 0, summary: 'No notebooks are open, no kernel is running.' });
    expect(await openWorkWarnings(env, 'notebook')).toEqual([]);
    expect(await openWorkWarnings(env, undefined)).toEqual([]);
  });

  it('with a notebook opened through the REST API: 1 notebook open and its kernel, said by the panel and the CLI', async () => {
    const started = await api('POST', 'api/sessions', { path: NOTEBOOK, name: NOTEBOOK, type: 'notebook', kernel: { name: 'python3' } });
    expect(started.status, 'POST /api/sessions').toBe(201);
    const { id } = (await started.json()) as { id: string };
    try {
      const work = await openWork();
      expect(work).toMatchObject({ known: true, notebooks: [NOTEBOOK], notebookCount: 1, kernels: 1 });
      // A kernel just started may still be busy starting up: either is the truth at that instant.
      expect(work.busyKernels).toBeLessThanOrEqual(1);
      expect(work.summary).toMatch(/^1 notebook is open, (no kernels are busy|1 kernel is busy)\.$/);

      const lines = await openWorkWarnings(env, 'notebook');
      expect(lines).toHaveLength(3);
      expect(lines[0]).toMatch(new RegExp(`^! ${title()}: 1 notebook is open, (no kernels are busy|1 kernel is busy)\\.$`));
      expect(lines.slice(1)).toEqual([
        `    ${NOTEBOOK}`,
        '  Edits not yet saved in an open notebook are lost, and every kernel loses its variables: save them first (File › Save).',
      ]);
      // The whole environment (as `down` asks): only the notebook server has anything open.
      const all = await openWorkWarnings(env, undefined);
      expect(all[0]).toMatch(new RegExp(`^! ${title()}: 1 notebook is open`));
      expect(all.slice(1)).toEqual(lines.slice(1));
    } finally {
      const ended = await api('DELETE', `api/sessions/${id}`);
      expect(ended.status, 'DELETE /api/sessions').toBe(204);
    }
  });

  it('once that notebook is closed (its session and kernel ended): nothing open again', async () => {
    expect(await openWork()).toMatchObject({ known: true, notebooks: [], notebookCount: 0, kernels: 0, busyKernels: 0 });
    expect(await openWorkWarnings(env, 'notebook')).toEqual([]);
  });
});
