// @vitest-environment jsdom
// The Overview's data list: the notebooks folder is shown as data (path, size, Open folder where
// the desktop app can open it; path to copy in the browser), volumes with their size.
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeClient } from '../test/fake-client.js';
import { renderWith } from '../test/render.js';
import { StudentData } from './StudentData.js';

afterEach(cleanup);

const folder = {
  kind: 'folder' as const,
  target: '/home/student/notebooks',
  location: '/home/ann/Coursedock/tm351/notebooks',
  bytes: 2_500_000,
  survives: 'Kept by every action, Reset included: it is your folder.',
};

describe('StudentData', () => {
  it('lists the notebooks folder with its path and size; Open folder asks the engine for that place', async () => {
    const client = fakeClient();
    client.handle('service.data', () => ({ places: [folder], canOpenFolders: true }));
    client.handle('service.openDataFolder', () => ({ path: folder.location }));
    renderWith(client, <StudentData project="tm351" service="notebook" />);
    await screen.findByText('Folder on this computer');
    expect(screen.getByTestId('data-location').textContent).toBe(folder.location);
    expect(screen.getByTestId('data-size').textContent).toMatch(/2\.\d MB/);
    expect(screen.getByRole('button', { name: `Copy the path ${folder.location}` })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Open folder' }));
    await waitFor(() => expect(client.callsOf('service.openDataFolder')).toEqual([{ project: 'tm351', service: 'notebook', target: folder.target }]));
  });

  it('in the browser panel: the path to copy, no Open folder; a volume with its size', async () => {
    const client = fakeClient();
    client.handle('service.data', () => ({
      places: [folder, { kind: 'volume', target: '/data/db', location: 'tm351_mongodata', survives: 'only Reset deletes it.' }],
      canOpenFolders: false,
    }));
    renderWith(client, <StudentData project="tm351" service="notebook" />);
    await screen.findByText('Docker volume');
    expect(screen.queryByRole('button', { name: 'Open folder' })).toBeNull();
    expect(screen.getAllByTestId('data-location').map((e) => e.textContent)).toEqual([folder.location, 'tm351_mongodata']);
    expect(screen.getAllByTestId('data-size')[1]!.textContent).toBe('size unknown');
  });

  it('a folder not made yet says so', async () => {
    const client = fakeClient();
    client.handle('service.data', () => ({ places: [{ ...folder, bytes: undefined, missing: true }], canOpenFolders: true }));
    renderWith(client, <StudentData project="tm351" service="notebook" />);
    expect((await screen.findByTestId('data-size')).textContent).toBe('not made yet (made at the first start)');
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Open folder' }).disabled).toBe(true);
  });
});
