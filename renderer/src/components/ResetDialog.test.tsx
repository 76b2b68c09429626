// @vitest-environment jsdom
import { cleanup, render, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { envInfo, notebook, postgres, state } from '../test/fixtures.js';
import { fakeClient } from '../test/fake-client.js';
import { renderWith } from '../test/render.js';
import { App } from './App.js';
import { ResetDialog } from './ResetDialog.js';

afterEach(cleanup);

describe('ResetDialog', () => {
  it('says exactly which volumes are deleted', () => {
    render(<ResetDialog service={postgres} onConfirm={() => undefined} onCancel={() => undefined} />);
    const dialog = screen.getByRole('dialog', { name: 'Reset PostgreSQL?' });
    const volumes = within(dialog).getByRole('list', { name: 'Volumes that will be deleted' });
    expect(within(volumes).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['tm351_pgdata']);
    expect(dialog.textContent).toContain('A backup of this data is taken first');
    expect(dialog.textContent).toContain('Undo reset');
  });

  it('enables the button only once the service name is typed', async () => {
    const user = userEvent.setup();
    const onConfirm = vi.fn();
    render(<ResetDialog service={postgres} onConfirm={onConfirm} onCancel={() => undefined} />);
    const confirm = screen.getByRole<HTMLButtonElement>('button', { name: 'Delete data and reset' });
    const input = screen.getByRole('textbox', { name: /Type postgres to confirm/ });
    expect(document.activeElement).toBe(input);
    expect(confirm.disabled).toBe(true);
    await user.type(input, 'postgre');
    expect(confirm.disabled).toBe(true);
    await user.keyboard('{Enter}');
    expect(onConfirm).not.toHaveBeenCalled();
    await user.type(input, 's');
    expect(confirm.disabled).toBe(false);
    await user.click(confirm);
    expect(onConfirm).toHaveBeenCalledTimes(1);
  });

  it('closes on Escape and on Cancel without confirming', async () => {
    const user = userEvent.setup();
    const onConfirm = vi.fn();
    const onCancel = vi.fn();
    render(<ResetDialog service={postgres} onConfirm={onConfirm} onCancel={onCancel} />);
    await user.keyboard('{Escape}');
    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(onCancel).toHaveBeenCalledTimes(2);
    expect(onConfirm).not.toHaveBeenCalled();
  });

  it('says a service without volumes loses nothing', () => {
    render(<ResetDialog service={notebook} onConfirm={() => undefined} onCancel={() => undefined} />);
    expect(screen.getByRole('dialog').textContent).toContain('deletes nothing');
  });
});

describe('Reset from the panel', () => {
  it('calls service.reset with confirm: true after the typed confirmation', async () => {
    const user = userEvent.setup();
    const client = fakeClient();
    client.handle('docker.status', () => ({ state: 'connected', endpoint: 'unix:///var/run/docker.sock', source: 'default socket', version: '27' }));
    client.handle('courses.list', () => [{ id: 'tm351', title: 'TM351', file: '/specs/tm351/compose.yml' }]);
    client.handle('env.open', () => envInfo([state('notebook'), state('postgres', { status: 'healthy', health: 'healthy' }), state('mongo')]));
    client.handle('service.reset', () => ({ ok: true, services: [{ service: 'postgres', ok: true }] }));
    renderWith(client, <App />);

    await user.click(within(await screen.findByRole('listitem', { name: 'PostgreSQL' })).getByRole('button'));
    await user.click(screen.getByRole('button', { name: 'Reset data…' }));
    const dialog = screen.getByRole('dialog', { name: 'Reset PostgreSQL?' });
    await user.type(within(dialog).getByRole('textbox'), 'postgres');
    await user.click(within(dialog).getByRole('button', { name: 'Delete data and reset' }));

    expect(client.callsOf('service.reset')).toEqual([{ project: 'tm351', service: 'postgres', confirm: true }]);
    expect(screen.queryByRole('dialog')).toBeNull();
  });
});
