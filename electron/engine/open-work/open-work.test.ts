import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { askOpenWork, describeOpenWork, jupyterBasePath } from './open-work.js';

const session = (path: string, state = 'idle') => ({ id: path, path, name: '', type: 'notebook', notebook: { path, name: path }, kernel: { id: `k-${path}`, execution_state: state } });

describe('describeOpenWork', () => {
  it('counts open notebooks and busy kernels in words', () => {
    const w = describeOpenWork([session('a.ipynb'), session('b/c.ipynb', 'busy')], [{ execution_state: 'idle' }, { execution_state: 'busy' }]);
    expect(w).toMatchObject({ known: true, notebooks: ['a.ipynb', 'b/c.ipynb'], notebookCount: 2, kernels: 2, busyKernels: 1 });
    expect(w.summary).toBe('2 notebooks are open, 1 kernel is busy.');
  });

  it('says when nothing is open', () => {
    expect(describeOpenWork([], []).summary).toBe('No notebooks are open, no kernel is running.');
    expect(describeOpenWork([session('x.ipynb')], [{ execution_state: 'idle' }]).summary).toBe('1 notebook is open, no kernels are busy.');
  });

  it('skips consoles and malformed entries; a non-list answer is not known', () => {
    const w = describeOpenWork([{ type: 'console', path: 'c' }, null, 7, session('n.ipynb')], [null, { execution_state: 'busy' }]);
    expect(w.notebooks).toEqual(['n.ipynb']);
    expect(w.busyKernels).toBe(1);
    expect(describeOpenWork({ message: 'x' }, []).known).toBe(false);
  });
});

describe('jupyterBasePath', () => {
  it('finds the server base from the page it opens on', () => {
    expect(jupyterBasePath('/p/tm351/notebook/tree')).toBe('/p/tm351/notebook/');
    expect(jupyterBasePath('/tree?x=1')).toBe('/');
    expect(jupyterBasePath('/lab/tree/a.ipynb')).toBe('/');
    expect(jupyterBasePath('/')).toBe('/');
  });
});

describe('askOpenWork over HTTP', () => {
  let server: http.Server | undefined;
  afterEach(
    () =>
      new Promise<void>((r) => {
        if (!server) {
          r();
          return;
        }
        server.close(() => r());
        server.closeAllConnections();
      }),
  );

  const serve = (handler: http.RequestListener) =>
    new Promise<number>((resolve) => {
      server = http.createServer(handler).listen(0, '127.0.0.1', () => resolve((server!.address() as AddressInfo).port));
    });

  it('asks /api/sessions and /api/kernels under the base path with the token', async () => {
    const seen: string[] = [];
    const port = await serve((req, res) => {
      seen.push(`${req.url} ${req.headers.authorization}`);
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify(req.url?.endsWith('/api/sessions') ? [session('a.ipynb', 'busy')] : [{ execution_state: 'busy' }]));
    });
    const w = await askOpenWork({ port, path: '/p/x/notebook/tree', token: 'tok' });
    expect(w.summary).toBe('1 notebook is open, 1 kernel is busy.');
    expect(seen.sort()).toEqual(['/p/x/notebook/api/kernels token tok', '/p/x/notebook/api/sessions token tok']);
  });

  it('is not known when the server is not Jupyter or refuses', async () => {
    const port = await serve((_req, res) => {
      res.statusCode = 403;
      res.end('no');
    });
    expect((await askOpenWork({ port, path: '/' })).known).toBe(false);
    expect((await askOpenWork(undefined)).known).toBe(false);
  });
});
