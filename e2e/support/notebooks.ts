// Making a notebook through the notebook server's contents API (what Jupyter's own "New"
// does), from a browser that holds the notebook origin's cookie: one code cell, not yet run.
import { expect, type APIRequestContext } from '@playwright/test';

/** PUTs `<notebookBase>/api/contents/<name>` with one code cell holding `source`. */
export async function putOneCellNotebook(request: APIRequestContext, notebookBase: string, name: string, source: string): Promise<void> {
  const put = await request.put(`${notebookBase}/api/contents/${name}`, {
    data: {
      type: 'notebook',
      format: 'json',
      content: {
        nbformat: 4,
        nbformat_minor: 5,
        metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
        cells: [{ cell_type: 'code', id: 'cell-1', metadata: {}, execution_count: null, outputs: [], source }],
      },
    },
  });
  expect(put.status(), await put.text()).toBeLessThan(300);
}
