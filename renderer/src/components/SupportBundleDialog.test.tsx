// @vitest-environment jsdom
// "Make a support bundle": saved where, what is inside, and that secrets are masked (or, if the
// engine found one in the file, a warning not to send it).
import { cleanup, fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeClient } from '../test/fake-client.js';
import { renderWith } from '../test/render.js';
import { SupportBundleDialog } from './SupportBundleDialog.js';

afterEach(cleanup);

const top = 'coursedock-support-tm351-20261129-230000';
const made = (found = 0) => ({
  path: `/home/ann/.config/Coursedock/support/${top}.tar.gz`,
  entries: [`${top}/README.txt`, `${top}/versions.json`, `${top}/services/postgres/logs.txt`],
  bytes: 20_480,
  secrets: { what: ['NOTEBOOK_TOKEN', 'PostgreSQL password'], checked: 4, found },
});

describe('SupportBundleDialog', () => {
  it('says what goes in, makes the bundle, then shows where it is, what is inside and that secrets are masked', async () => {
    const client = fakeClient();
    client.handle('env.supportBundle', () => made());
    renderWith(client, <SupportBundleDialog project="tm351" onClose={() => undefined} />);
    expect(screen.getByRole('dialog', { name: 'Make a support bundle' }).textContent).toMatch(/Passwords and tokens are replaced by \*\*\*/);
    fireEvent.click(screen.getByRole('button', { name: 'Make the bundle' }));
    expect((await screen.findByTestId('bundle-path')).textContent).toBe(made().path);
    expect(client.callsOf('env.supportBundle')).toEqual([{ project: 'tm351' }]);
    expect(screen.getAllByRole('listitem').map((l) => l.textContent)).toEqual(['README.txt', 'versions.json', 'services/postgres/logs.txt']);
    expect(screen.getByTestId('bundle-secrets').textContent).toBe(
      'Secrets masked: NOTEBOOK_TOKEN, PostgreSQL password appear as *** — the saved file was searched for all 4 secret values of this environment and none is in it.',
    );
    expect(screen.getByRole('button', { name: "Copy the bundle's path" })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Make another' })).toBeTruthy();
  });

  it('warns not to send a bundle in which the engine found a secret', async () => {
    const client = fakeClient();
    client.handle('env.supportBundle', () => made(1));
    renderWith(client, <SupportBundleDialog project="tm351" onClose={() => undefined} />);
    fireEvent.click(screen.getByRole('button', { name: 'Make the bundle' }));
    expect((await screen.findByTestId('bundle-secrets')).textContent).toMatch(/^Warning: 1 of 4 secrets .* Do not send it/);
  });

  it('says why when it cannot be made', async () => {
    const client = fakeClient();
    client.fail('env.supportBundle', { code: 'docker-unreachable', message: 'Docker is not reachable.' });
    renderWith(client, <SupportBundleDialog project="tm351" onClose={() => undefined} />);
    fireEvent.click(screen.getByRole('button', { name: 'Make the bundle' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Docker is not reachable.');
  });
});
