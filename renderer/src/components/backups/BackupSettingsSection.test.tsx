// @vitest-environment jsdom
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { BackupSettingsView } from '../../../../electron/api/backup-contract.js';
import { postgres } from '../../test/fixtures.js';
import { fakeClient } from '../../test/fake-client.js';
import { renderWith } from '../../test/render.js';
import { BackupSettingsSection } from './BackupSettingsSection.js';
import { BackupsPanel } from './BackupsPanel.js';
import { backupSettingsChanges, checkBackupSettings, formOf } from './backup-settings-form.js';

afterEach(cleanup);

const VIEW: BackupSettingsView = { folder: '/data/backups', keepDays: 7, maxGigabytes: 5, daily: false };

function settingsClient() {
  const client = fakeClient();
  let view = VIEW;
  client.handle('backup.settings', (input: { folder?: string | null; keepDays?: number; maxGigabytes?: number; daily?: boolean }) => {
    view = {
      folder: input.folder === null ? '/default/backups' : (input.folder ?? view.folder),
      keepDays: input.keepDays ?? view.keepDays,
      maxGigabytes: input.maxGigabytes ?? view.maxGigabytes,
      daily: input.daily ?? view.daily,
    };
    return view;
  });
  return client;
}

describe('backup settings form', () => {
  it('says what is wrong with each field', () => {
    const ok = formOf(VIEW);
    expect(checkBackupSettings(ok)).toEqual({});
    expect(checkBackupSettings({ ...ok, folder: '' })).toEqual({});
    expect(checkBackupSettings({ ...ok, folder: '~/Backups' })).toEqual({});
    expect(checkBackupSettings({ ...ok, folder: 'C:\\Backups' })).toEqual({});
    expect(checkBackupSettings({ ...ok, folder: 'Backups' }).folder).toMatch(/absolute path/);
    for (const keepDays of ['0', '366', '2.5', 'x', '']) expect(checkBackupSettings({ ...ok, keepDays }).keepDays).toMatch(/1 to 365/);
    for (const maxGigabytes of ['0', '0.05', '10001', 'lots', '']) expect(checkBackupSettings({ ...ok, maxGigabytes }).maxGigabytes).toMatch(/0\.1 to 10000/);
  });

  it('sends only what changed; an emptied folder means the default', () => {
    const ok = formOf(VIEW);
    expect(backupSettingsChanges(ok, VIEW)).toBeUndefined();
    expect(backupSettingsChanges({ ...ok, keepDays: '14', daily: true }, VIEW)).toEqual({ keepDays: 14, daily: true });
    expect(backupSettingsChanges({ ...ok, folder: '  ' }, VIEW)).toEqual({ folder: null });
    expect(backupSettingsChanges({ ...ok, maxGigabytes: '2.5' }, VIEW)).toEqual({ maxGigabytes: 2.5 });
  });
});

describe('BackupSettingsSection', () => {
  it('shows the settings and saves a change', async () => {
    const user = userEvent.setup();
    const client = settingsClient();
    renderWith(client, <BackupSettingsSection />);
    const form = await screen.findByRole('form', { name: 'Backups' });
    const days = within(form).getByRole<HTMLInputElement>('textbox', { name: 'Keep automatic backups for (days)' });
    expect(within(form).getByRole<HTMLInputElement>('textbox', { name: 'Backups folder' }).value).toBe('/data/backups');
    expect(days.value).toBe('7');
    await user.clear(days);
    await user.type(days, '30');
    await user.click(within(form).getByRole('checkbox', { name: /Back up daily/ }));
    await user.click(within(form).getByRole('button', { name: 'Save backup settings' }));
    expect((await within(form).findByRole('status')).textContent).toBe('Backup settings saved.');
    expect(client.callsOf('backup.settings')).toEqual([{}, { keepDays: 30, daily: true }]);
  });

  it('refuses invalid values in words, sending nothing', async () => {
    const user = userEvent.setup();
    const client = settingsClient();
    renderWith(client, <BackupSettingsSection />);
    const form = await screen.findByRole('form', { name: 'Backups' });
    const folder = within(form).getByRole('textbox', { name: 'Backups folder' });
    const cap = within(form).getByRole('textbox', { name: 'Room for automatic backups (GB)' });
    await user.clear(folder);
    await user.type(folder, 'relative/path');
    await user.clear(cap);
    await user.type(cap, '0');
    await user.click(within(form).getByRole('button', { name: 'Save backup settings' }));
    const alerts = within(form).getAllByRole('alert').map((a) => a.textContent);
    expect(alerts).toEqual([expect.stringMatching(/absolute path/), expect.stringMatching(/0\.1 to 10000/)]);
    expect(folder.getAttribute('aria-invalid')).toBe('true');
    expect(client.callsOf('backup.settings')).toEqual([{}]);
  });

  it('shows the engine’s refusal', async () => {
    const user = userEvent.setup();
    const client = settingsClient();
    renderWith(client, <BackupSettingsSection />);
    const form = await screen.findByRole('form', { name: 'Backups' });
    client.fail('backup.settings', { code: 'invalid-input', message: 'The backups folder must be an absolute path (or start with ~).' });
    await user.click(within(form).getByRole('checkbox', { name: /Back up daily/ }));
    await user.click(within(form).getByRole('button', { name: 'Save backup settings' }));
    await waitFor(() => expect(within(form).getByRole('alert').textContent).toContain('must be an absolute path'));
  });
});

describe('Reveal folder', () => {
  function panelClient(shown: boolean) {
    const client = settingsClient();
    client.handle('backup.list', () => ({ backups: [], broken: [], folder: '/data/backups' }));
    client.handle('backup.reveal', () => ({ path: '/data/backups', shown }));
    return client;
  }

  it('in a browser: the path to copy, and why it is not opened', async () => {
    const user = userEvent.setup();
    renderWith(panelClient(false), <BackupsPanel project="tm351" service={postgres} />);
    await user.click(await screen.findByRole('button', { name: 'Reveal folder' }));
    const note = (await screen.findByText(/Backups are in/)).closest('p')!;
    expect(note.textContent).toContain('/data/backups');
    expect(note.textContent).toContain('A browser cannot open a folder on this computer');
    expect(within(note).getByRole('button', { name: 'Copy the backups folder path' })).toBeTruthy();
  });

  it('in the desktop app: says it was shown in the file manager', async () => {
    const user = userEvent.setup();
    renderWith(panelClient(true), <BackupsPanel project="tm351" service={postgres} />);
    await user.click(await screen.findByRole('button', { name: 'Reveal folder' }));
    const note = (await screen.findByText(/Shown in your file manager/)).closest('p')!;
    expect(note.textContent).toContain('/data/backups');
    expect(note.textContent).not.toContain('A browser cannot');
  });
});
