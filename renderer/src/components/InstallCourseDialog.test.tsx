// @vitest-environment jsdom
// "Install a course from a file…": the path goes to the engine, progress (bytes of the file)
// shows as the engine pushes it (never polled), the installed course is handed back to be
// chosen, a dialog opened mid-install follows the running one, and a refusal is shown in the
// engine's words.
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeClient } from '../test/fake-client.js';
import { renderWith } from '../test/render.js';
import { InstallCourseDialog } from './InstallCourseDialog.js';

afterEach(cleanup);

const typePath = (value: string) => fireEvent.change(screen.getByLabelText('Path of the bundle file on this computer'), { target: { value } });

describe('InstallCourseDialog', () => {
  it('installs from the path given, shows progress as it is pushed, and hands back the course', async () => {
    const client = fakeClient();
    let finish: () => void = () => undefined;
    client.handle('courses.installProgress', () => ({}));
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
    expect(screen.getByTestId('install-progress').textContent).toMatch(/Opening the bundle/);
    act(() => client.emit('courses.installProgress', { progress: { phase: 'images', bytesDone: 512 * 1024 ** 2, bytesTotal: 2 * 1024 ** 3, message: 'Reading the bundle' } }));
    expect(screen.getByTestId('install-progress').textContent).toMatch(/Reading the bundle — 512 MB of 2\.0 GB/);
    // The end is told before the answer: the last step stays until the answer comes.
    act(() => client.emit('courses.installProgress', {}));
    expect(screen.getByTestId('install-progress').textContent).toMatch(/Reading the bundle/);
    finish();
    expect((await screen.findByTestId('install-done')).textContent).toMatch(/Installed TM351.*mongo:7/);
    expect(client.callsOf('courses.installBundle')).toEqual([{ path: '/media/usb/tm351.coursedock' }]);
    expect(chosen).toEqual(['tm351']);
    // Read once when the dialog opened; never asked again.
    expect(client.callsOf('courses.installProgress')).toHaveLength(1);
  });

  it('opened while another window installs, shows that install and follows it to its end', async () => {
    const client = fakeClient();
    client.handle('courses.installProgress', () => ({ progress: { phase: 'images' as const, bytesDone: 1024 ** 3, bytesTotal: 2 * 1024 ** 3, message: 'Reading the bundle' } }));
    renderWith(client, <InstallCourseDialog onClose={() => undefined} onInstalled={() => undefined} />);
    typePath('/media/usb/tm351.coursedock');
    await waitFor(() => expect(screen.getByTestId('install-progress').textContent).toMatch(/Another window is installing a course: Reading the bundle — 1\.0 GB of 2\.0 GB/));
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Install' }).disabled).toBe(true);
    act(() => client.emit('courses.installProgress', { progress: { phase: 'verify', bytesDone: 2 * 1024 ** 3, bytesTotal: 2 * 1024 ** 3, message: 'Checking the images' } }));
    expect(screen.getByTestId('install-progress').textContent).toMatch(/Checking the images/);
    act(() => client.emit('courses.installProgress', {}));
    expect(screen.queryByTestId('install-progress')).toBeNull();
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Install' }).disabled).toBe(false);
    expect(client.callsOf('courses.installProgress')).toHaveLength(1);
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
