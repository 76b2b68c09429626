// @vitest-environment jsdom
// "Install a course from a file…": the path goes to the engine, progress (bytes of the file)
// shows while it runs, the installed course is handed back to be chosen, and a refusal is shown
// in the engine's words.
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeClient } from '../test/fake-client.js';
import { renderWith } from '../test/render.js';
import { InstallCourseDialog } from './InstallCourseDialog.js';

afterEach(cleanup);

const typePath = (value: string) => fireEvent.change(screen.getByLabelText('Path of the bundle file on this computer'), { target: { value } });

describe('InstallCourseDialog', () => {
  it('installs from the path given, shows progress, and hands back the course', async () => {
    const client = fakeClient();
    let finish: () => void = () => undefined;
    client.handle('courses.installProgress', () => ({ progress: { phase: 'images' as const, bytesDone: 512 * 1024 ** 2, bytesTotal: 2 * 1024 ** 3, message: 'Reading the bundle' } }));
    client.handle(
      'courses.installBundle',
      () =>
        new Promise((resolve) => {
          finish = () => resolve({ course: { id: 'tm351', title: 'TM351', file: '/x/compose.yml' }, folder: '/x', images: ['coursedock/tm351-notebook:1'], notIncluded: [{ ref: 'mongo:7', reason: 'not on this computer' }] });
        }),
    );
    const chosen: string[] = [];
    renderWith(client, <InstallCourseDialog onClose={() => undefined} onInstalled={(id) => chosen.push(id)} />);
    typePath('/media/usb/tm351.coursedock ');
    fireEvent.click(screen.getByRole('button', { name: 'Install' }));
    await waitFor(() => expect(screen.getByTestId('install-progress').textContent).toMatch(/Reading the bundle — 512 MB of 2\.0 GB/), { timeout: 3000 });
    finish();
    expect((await screen.findByTestId('install-done')).textContent).toMatch(/Installed TM351.*mongo:7/);
    expect(client.callsOf('courses.installBundle')).toEqual([{ path: '/media/usb/tm351.coursedock' }]);
    expect(chosen).toEqual(['tm351']);
  });

  it("offers the desktop's file picker, and fills the path with the file chosen", async () => {
    const client = fakeClient({ canChooseFiles: true });
    client.handle('courses.chooseBundleFile', () => ({ path: '/media/usb/tm351.coursedock' }));
    renderWith(client, <InstallCourseDialog onClose={() => undefined} onInstalled={() => undefined} />);
    fireEvent.click(screen.getByRole('button', { name: 'Choose…' }));
    await waitFor(() => expect(screen.getByLabelText<HTMLInputElement>('Path of the bundle file on this computer').value).toBe('/media/usb/tm351.coursedock'));
    client.handle('courses.chooseBundleFile', () => ({}));
    fireEvent.click(screen.getByRole('button', { name: 'Choose…' }));
    await waitFor(() => expect(client.callsOf('courses.chooseBundleFile')).toHaveLength(2));
    expect(screen.getByLabelText<HTMLInputElement>('Path of the bundle file on this computer').value).toBe('/media/usb/tm351.coursedock');
  });

  it('has no picker in the browser shell: the path is typed', () => {
    renderWith(fakeClient(), <InstallCourseDialog onClose={() => undefined} onInstalled={() => undefined} />);
    expect(screen.queryByRole('button', { name: 'Choose…' })).toBeNull();
  });

  it('says why a bundle is refused', async () => {
    const client = fakeClient();
    client.handle('courses.installProgress', () => ({}));
    client.fail('courses.installBundle', { code: 'invalid-input', message: 'This bundle is damaged: images.tar does not match its checksum (the file is damaged).' });
    renderWith(client, <InstallCourseDialog onClose={() => undefined} onInstalled={() => undefined} />);
    typePath('/tmp/b.coursedock');
    fireEvent.click(screen.getByRole('checkbox'));
    fireEvent.click(screen.getByRole('button', { name: 'Install' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/does not match its checksum/);
    expect(client.callsOf('courses.installBundle')).toEqual([{ path: '/tmp/b.coursedock', replace: true }]);
  });
});
