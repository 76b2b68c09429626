// @vitest-environment jsdom
import { cleanup, screen } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Settings } from '../lib/types.js';
import { fakeClient } from '../test/fake-client.js';
import { renderWith } from '../test/render.js';
import { SettingsDialog } from './SettingsDialog.js';

afterEach(cleanup);

const current: Settings = {
  dockerEndpoint: null,
  dataDir: '/home/s/.config/Coursedock',
  bringBackServices: true,
  restartStaleAfterSleep: true,
  environments: { tm351: { notebooksFolder: '/home/s/Coursedock/tm351/notebooks' } },
};

function setup() {
  const client = fakeClient();
  client.handle('settings.get', () => current);
  client.handle('settings.set', (input: Partial<Settings>) => ({ ...current, ...input }));
  const onClose = vi.fn();
  const onSaved = vi.fn();
  renderWith(client, <SettingsDialog project="tm351" hasNotebooksFolder onClose={onClose} onSaved={onSaved} />);
  return { client, onClose, onSaved };
}

describe('SettingsDialog', () => {
  it('shows the current values', async () => {
    setup();
    expect((await screen.findByRole<HTMLInputElement>('textbox', { name: 'Notebooks folder' })).value).toBe('/home/s/Coursedock/tm351/notebooks');
    expect(screen.getByRole<HTMLInputElement>('textbox', { name: 'Docker endpoint' }).value).toBe('');
    expect(screen.getByText('/home/s/.config/Coursedock')).toBeTruthy();
  });

  it('saves only what changed', async () => {
    const user = userEvent.setup();
    const { client, onSaved, onClose } = setup();
    const folder = await screen.findByRole('textbox', { name: 'Notebooks folder' });
    await user.clear(folder);
    await user.type(folder, '/data/notebooks');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(client.callsOf('settings.set')).toEqual([{ notebooksFolder: { project: 'tm351', path: '/data/notebooks' } }]);
    expect(onSaved).toHaveBeenCalledWith(expect.anything(), { folder: true, endpoint: false });
    expect(onClose).toHaveBeenCalled();
  });

  it('after a new folder, asks to restart the running services that show a folder, and restarts them on confirmation', async () => {
    const user = userEvent.setup();
    const client = fakeClient();
    client.handle('settings.get', () => current);
    client.handle('settings.set', (input: Partial<Settings>) => ({ ...current, ...input }));
    client.handle('service.data', (input: { service: string }) => ({
      places: input.service === 'notebook' ? [{ kind: 'folder', target: '/home/student/notebooks', location: '/data/notebooks', survives: '' }] : [{ kind: 'volume', target: '/var/lib/postgresql/data', location: 'v', survives: '' }],
      canOpenFolders: false,
    }));
    const onClose = vi.fn();
    const onRestart = vi.fn(() => Promise.resolve());
    const running = [{ name: 'notebook', title: 'Jupyter Notebook' }, { name: 'postgres', title: 'PostgreSQL' }];
    renderWith(client, <SettingsDialog project="tm351" hasNotebooksFolder running={running} onRestart={onRestart} onClose={onClose} onSaved={vi.fn()} />);
    const folder = await screen.findByRole('textbox', { name: 'Notebooks folder' });
    await user.clear(folder);
    await user.type(folder, '/data/notebooks');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    const question = await screen.findByTestId('folder-restart-question');
    expect(question.textContent).toMatch(/Jupyter Notebook still shows the old folder until it restarts\. Restart now\?/);
    expect(onClose).not.toHaveBeenCalled();
    await user.click(screen.getByRole('button', { name: 'Restart now' }));
    expect(onRestart.mock.calls).toEqual([['notebook']]);
    expect(onClose).toHaveBeenCalled();
  });

  it('sets and clears the Docker endpoint', async () => {
    const user = userEvent.setup();
    const { client } = setup();
    await user.type(await screen.findByRole('textbox', { name: 'Docker endpoint' }), 'unix:///var/run/docker.sock');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(client.callsOf('settings.set')).toEqual([{ dockerEndpoint: 'unix:///var/run/docker.sock' }]);
  });

  it('turns bringing back services after a restart off (on by default)', async () => {
    const user = userEvent.setup();
    const { client } = setup();
    const box = await screen.findByRole<HTMLInputElement>('checkbox', { name: 'Bring back my services after a restart' });
    expect(box.checked).toBe(true);
    await user.click(box);
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(client.callsOf('settings.set')).toEqual([{ bringBackServices: false }]);
  });

  it('turns restarting services stuck after sleep off (on by default)', async () => {
    const user = userEvent.setup();
    const { client } = setup();
    const box = await screen.findByRole<HTMLInputElement>('checkbox', { name: 'Restart services stuck after sleep' });
    expect(box.checked).toBe(true);
    await user.click(box);
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(client.callsOf('settings.set')).toEqual([{ restartStaleAfterSleep: false }]);
  });

  it('shows a refusal in words and stays open', async () => {
    const user = userEvent.setup();
    const { client, onClose } = setup();
    client.fail('settings.set', { code: 'invalid-input', message: 'The notebooks folder must be an absolute path (or start with ~).' });
    const folder = await screen.findByRole('textbox', { name: 'Notebooks folder' });
    await user.clear(folder);
    await user.type(folder, 'relative/path');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect((await screen.findByRole('alert')).textContent).toBe('The notebooks folder must be an absolute path (or start with ~).');
    expect(onClose).not.toHaveBeenCalled();
  });

  it('closes on Escape', async () => {
    const user = userEvent.setup();
    const { onClose } = setup();
    await screen.findByRole('textbox', { name: 'Notebooks folder' });
    await user.keyboard('{Escape}');
    expect(onClose).toHaveBeenCalled();
  });
});
