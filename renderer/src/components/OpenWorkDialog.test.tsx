// @vitest-environment jsdom
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { envInfo, state } from '../test/fixtures.js';
import { fakeClient } from '../test/fake-client.js';
import { renderWith } from '../test/render.js';
import type { OpenWork } from '../lib/types.js';
import { App } from './App.js';

afterEach(cleanup);

const busyWork: OpenWork = { known: true, notebooks: ['a.ipynb', 'b.ipynb'], notebookCount: 2, kernels: 2, busyKernels: 1, summary: '2 notebooks are open, 1 kernel is busy.' };

function panel(work: OpenWork | Error) {
  const client = fakeClient();
  client.handle('docker.status', () => ({ state: 'connected', endpoint: 'unix:///var/run/docker.sock', source: 'default socket', version: '27' }));
  client.handle('courses.list', () => [{ id: 'tm351', title: 'TM351', file: '/specs/tm351/compose.yml' }]);
  client.handle('env.open', () =>
    envInfo([state('notebook', { status: 'healthy', health: 'healthy', containerId: 'c1' }), state('postgres', { status: 'healthy', health: 'healthy' }), state('mongo')]),
  );
  if (work instanceof Error) client.fail('service.openWork', { code: 'failed', message: work.message });
  else client.handle('service.openWork', () => work);
  client.handle('service.restart', () => ({ ok: true, services: [{ service: 'notebook', ok: true }] }));
  client.handle('service.reset', () => ({ ok: true, services: [{ service: 'notebook', ok: true }] }));
  renderWith(client, <App />);
  return client;
}

describe('Saying what is open before an operation on the notebook server', () => {
  it('Restart asks first, in words, and restarts on "Save and restart"', async () => {
    const user = userEvent.setup();
    const client = panel(busyWork);
    await user.click(within(await screen.findByRole('listitem', { name: 'Jupyter Notebook' })).getByRole('button'));
    await user.click(screen.getByRole('button', { name: 'Restart' }));
    const dialog = await screen.findByRole('dialog', { name: 'Restart Jupyter Notebook?' });
    expect(dialog.textContent).toContain('2 notebooks are open, 1 kernel is busy.');
    expect(within(dialog).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['a.ipynb', 'b.ipynb']);
    expect(dialog.textContent).toMatch(/saved first/);
    expect(client.callsOf('service.restart')).toEqual([]);
    await user.click(within(dialog).getByRole('button', { name: 'Save and restart' }));
    await waitFor(() => expect(client.callsOf('service.restart')).toEqual([{ project: 'tm351', service: 'notebook' }]));
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('Cancel leaves the server alone', async () => {
    const user = userEvent.setup();
    const client = panel(busyWork);
    await user.click(within(await screen.findByRole('listitem', { name: 'Jupyter Notebook' })).getByRole('button'));
    await user.click(screen.getByRole('button', { name: 'Restart' }));
    await user.click(within(await screen.findByRole('dialog')).getByRole('button', { name: 'Cancel' }));
    expect(client.callsOf('service.restart')).toEqual([]);
  });

  it('goes straight on when nothing is open or the server cannot be asked', async () => {
    const user = userEvent.setup();
    for (const work of [{ ...busyWork, notebooks: [], notebookCount: 0, kernels: 0, busyKernels: 0, summary: 'No notebooks are open, no kernel is running.' }, new Error('refused')]) {
      const client = panel(work);
      await user.click(within(await screen.findByRole('listitem', { name: 'Jupyter Notebook' })).getByRole('button'));
      await user.click(screen.getByRole('button', { name: 'Restart' }));
      await waitFor(() => expect(client.callsOf('service.restart')).toHaveLength(1));
      expect(screen.queryByRole('dialog')).toBeNull();
      cleanup();
    }
  });

  it('the reset dialog says what is open too', async () => {
    const user = userEvent.setup();
    panel(busyWork);
    await user.click(within(await screen.findByRole('listitem', { name: 'Jupyter Notebook' })).getByRole('button'));
    await user.click(screen.getByRole('button', { name: 'Reset data…' }));
    const dialog = await screen.findByRole('dialog', { name: 'Reset Jupyter Notebook?' });
    expect(dialog.textContent).toContain('2 notebooks are open, 1 kernel is busy.');
  });
});
