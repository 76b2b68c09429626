// A notebook as the tests make it through the notebook server's contents API (what Jupyter's own
// "New" does): one code cell, not yet run. One shape for the docker tests and the e2e.
import type { Environment } from '../environment.js';
import { jupyterBasePath } from '../open-work/open-work.js';
import type { WebUiTarget } from '../state/web-address.js';
import { newTestEngine, type TestEngine } from './test-engine.js';

/** The body of `PUT api/contents/<name>` for a notebook of one code cell holding `source`. */
export function oneCellNotebook(source: string): Record<string, unknown> {
  return {
    type: 'notebook',
    format: 'json',
    content: {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: { kernelspec: { name: 'python3', display_name: 'Python 3', language: 'python' } },
      cells: [{ cell_type: 'code', id: 'cell-1', metadata: {}, execution_count: null, outputs: [], source }],
    },
  };
}

/** A call to the notebook server's REST API of `target` (a service's webTarget), with its token. */
export function jupyterApi(target: WebUiTarget): (method: string, apiPath: string, body?: unknown) => Promise<Response> {
  const base = `http://127.0.0.1:${target.port}${jupyterBasePath(target.path)}`;
  return (method, apiPath, body) =>
    fetch(`${base}${apiPath}`, {
      method,
      headers: { Authorization: `token ${target.token ?? ''}`, 'Content-Type': 'application/json' },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
}

/** A test engine on a fresh course copy with its notebook server up (the tests' starting point). */
export async function engineWithNotebookUp(): Promise<{ t: TestEngine; env: Environment }> {
  const t = newTestEngine();
  try {
    await t.engine.connection.require();
    const env = await t.engine.open(t.copy.project);
    const up = await env.up(['notebook']);
    const outcome = up.services.find((s) => s.service === 'notebook');
    if (!outcome?.ok) throw new Error(`the notebook server did not come up: ${outcome?.error ?? 'no outcome'}`);
    return { t, env };
  } catch (err) {
    await t.destroy();
    throw err;
  }
}
