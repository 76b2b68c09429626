// Making a notebook through the notebook server's contents API (what Jupyter's own "New"
// does), from a browser that holds the notebook origin's cookie: one code cell, not yet run.
import { expect, type APIRequestContext } from '@playwright/test';
import { oneCellNotebook } from '../../electron/engine/testing/jupyter-contents.js';

/** PUTs `<notebookBase>/api/contents/<name>` with one code cell holding `source`. */
export async function putOneCellNotebook(request: APIRequestContext, notebookBase: string, name: string, source: string): Promise<void> {
  const put = await request.put(`${notebookBase}/api/contents/${name}`, { data: oneCellNotebook(source) });
  expect(put.status(), await put.text()).toBeLessThan(300);
}
