// @vitest-environment jsdom
import { act, cleanup, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { BackupSummary } from '../../../../electron/api/backup-contract.js';
import { postgres } from '../../test/fixtures.js';
import { fakeClient } from '../../test/fake-client.js';
import { renderWith } from '../../test/render.js';
import { BackupsPanel } from './BackupsPanel.js';

afterEach(cleanup);

const backup = (id: string, createdAt: string, over: Partial<BackupSummary> = {}): BackupSummary => ({
  id,
  folder: `/data/backups/tm351/${id}`,
  course: 'TM351',
  project: 'tm351',
  createdAt,
  reason: 'manual',
  automatic: false,
  services: [{ service: 'postgres', title: 'PostgreSQL', method: 'postgres', stopped: false, bytes: 2048 }],
  totalBytes: 2048,
  ...over,
});

function setup(list: BackupSummary[]) {
  const client = fakeClient();
  let backups = list;
  client.handle('backup.list', () => ({ backups, broken: [], folder: '/data/backups' }));
  client.handle('backup.settings', (input: { daily?: boolean }) => ({ folder: '/data/backups', keepDays: 7, maxGigabytes: 5, daily: input.daily ?? false }));
  return { client, set: (b: BackupSummary[]) => (backups = b) };
}

describe('BackupsPanel', () => {
  it('lists backups with time, size and kind', async () => {
    const { client } = setup([
      backup('b2', '2030-01-02T10:00:00Z', { reason: 'before-reset', automatic: true, totalBytes: 5 * 1024 * 1024 }),
      backup('b1', '2030-01-01T10:00:00Z'),
    ]);
    renderWith(client, <BackupsPanel project="tm351" service={postgres} />);
    const table = await screen.findByRole('table', { name: 'Backups' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((r) => within(r).getAllByRole('cell').slice(1, 3).map((c) => c.textContent))).toEqual([
      ['5.0 MB', 'Automatic, before a reset'],
      ['2.0 kB', 'Manual'],
    ]);
  });

  it('Back up now shows progress as the engine pushes it, then the result, and lists the new backup', async () => {
    const { client, set } = setup([]);
    let finish!: () => void;
    client.handle('backup.take', async () => {
      await new Promise<void>((r) => (finish = r));
      const b = backup('new', '2030-01-03T10:00:00Z');
      set([b]);
      return b;
    });
    const user = userEvent.setup();
    renderWith(client, <BackupsPanel project="tm351" service={postgres} />);
    await screen.findByText(/No backups yet/);
    await user.click(screen.getByRole('button', { name: 'Back up PostgreSQL now' }));
    expect(client.callsOf('backup.take')).toEqual([{ project: 'tm351', service: 'postgres' }]);
    expect(screen.getByRole('status').textContent).toBe('Backing up PostgreSQL…');
    const dumping = { operation: 'backup' as const, project: 'tm351', service: 'postgres', step: 'dumping database testdb', bytes: 4096 };
    act(() => client.emit('backup.progress', { project: 'tm351', progress: dumping }));
    expect(screen.getByRole('status').textContent).toContain('dumping database testdb (4.0 kB)');
    // Another project's work is not this panel's.
    act(() => client.emit('backup.progress', { project: 'other', progress: { ...dumping, project: 'other', step: 'copying files' } }));
    expect(screen.getByRole('status').textContent).toContain('dumping database testdb (4.0 kB)');
    act(() => client.emit('backup.progress', { project: 'tm351' }));
    expect(screen.getByRole('status').textContent).toContain('dumping database testdb');
    finish();
    await screen.findByText('Backed up PostgreSQL (2.0 kB).');
    expect(await screen.findByRole('table', { name: 'Backups' })).toBeTruthy();
    // Progress is pushed, never asked for.
    expect(client.calls.filter((c) => c.method === 'backup.progress')).toEqual([]);
  });

  it('after a reset offers Undo reset, which restores the backup taken before it', async () => {
    const { client } = setup([backup('auto', '2030-01-02T10:00:00Z', { reason: 'before-reset', automatic: true }), backup('m', '2030-01-01T10:00:00Z')]);
    client.handle('backup.restore', () => ({ ok: true, backup: 'auto', services: ['postgres'], message: 'Restored PostgreSQL; 2 checks passed.' }));
    const user = userEvent.setup();
    renderWith(client, <BackupsPanel project="tm351" service={postgres} />);
    await user.click(await screen.findByRole('button', { name: 'Undo reset' }));
    await screen.findByText('Restored PostgreSQL; 2 checks passed.');
    expect(client.callsOf('backup.restore')).toEqual([{ project: 'tm351', backup: 'auto', service: 'postgres' }]);
  });

  it('lists again when the engine says it took a backup by itself (before a reset)', async () => {
    const { client, set } = setup([]);
    renderWith(client, <BackupsPanel project="tm351" service={postgres} />);
    await screen.findByText(/No backups yet/);
    set([backup('auto', '2030-01-02T10:00:00Z', { reason: 'before-reset', automatic: true })]);
    client.emit('env.notice', { project: 'tm351', notice: { level: 'info', message: 'Backed up PostgreSQL before the reset (backup auto).', service: 'postgres', at: 1 } });
    expect(await screen.findByRole('button', { name: 'Undo reset' })).toBeTruthy();
  });

  it('asks before a restore, and shows a refusal in words', async () => {
    const { client } = setup([backup('m', '2030-01-01T10:00:00Z')]);
    client.fail('backup.restore', { code: 'invalid-input', message: 'The backup is damaged: postgres/db-testdb.dump does not match its checksum (sha256).' });
    const user = userEvent.setup();
    renderWith(client, <BackupsPanel project="tm351" service={postgres} />);
    await user.click(await screen.findByRole('button', { name: 'Restore PostgreSQL' }));
    const dialog = screen.getByRole('dialog', { name: 'Restore PostgreSQL?' });
    expect(client.callsOf('backup.restore')).toEqual([]);
    await user.click(within(dialog).getByRole('button', { name: 'Restore' }));
    expect((await screen.findByRole('alert')).textContent).toContain('does not match its checksum');
  });

  it('says the retention and switches daily backups on', async () => {
    const { client } = setup([]);
    const user = userEvent.setup();
    renderWith(client, <BackupsPanel project="tm351" service={postgres} />);
    expect((await screen.findByText(/Automatic backups are kept 7 days/)).textContent).toContain('5.0 GB at most');
    await user.click(screen.getByRole('checkbox', { name: /Back up daily while the environment runs/ }));
    expect(client.callsOf('backup.settings')).toContainEqual({ daily: true });
    await waitFor(() => expect(screen.getByRole<HTMLInputElement>('checkbox').checked).toBe(true));
  });

  it('deletes a backup and reveals the folder', async () => {
    const { client, set } = setup([backup('m', '2030-01-01T10:00:00Z')]);
    client.handle('backup.delete', () => {
      set([]);
      return { ok: true };
    });
    client.handle('backup.reveal', () => ({ path: '/data/backups', shown: false }));
    const user = userEvent.setup();
    renderWith(client, <BackupsPanel project="tm351" service={postgres} />);
    await user.click(await screen.findByRole('button', { name: 'Delete' }));
    await screen.findByText(/No backups yet/);
    expect(client.callsOf('backup.delete')).toEqual([{ project: 'tm351', backup: 'm' }]);
    await user.click(screen.getByRole('button', { name: 'Reveal folder' }));
    expect((await screen.findByText(/Backups are in/)).textContent).toContain('/data/backups');
  });
});
