// @vitest-environment jsdom
import { act, cleanup, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DockerStatus } from '../lib/types.js';
import { envInfo, state } from '../test/fixtures.js';
import { fakeClient, type FakeClient } from '../test/fake-client.js';
import { renderWith } from '../test/render.js';
import { App } from './App.js';

afterEach(cleanup);

const down: DockerStatus = {
  state: 'unreachable',
  attempts: [
    { endpoint: { source: 'DOCKER_HOST', url: 'unix:///tmp/nowhere.sock' }, error: 'connect ENOENT /tmp/nowhere.sock' },
    { endpoint: { source: 'default socket', url: 'unix:///var/run/docker.sock' }, error: 'connect EACCES /var/run/docker.sock' },
  ],
  hint: 'Start Docker Desktop, then wait until it says it is running.',
  message: 'Docker is not reachable.',
};
const up: DockerStatus = { state: 'connected', endpoint: 'unix:///var/run/docker.sock', source: 'default socket', version: '27.3.1' };

let client: FakeClient;
beforeEach(() => {
  client = fakeClient();
  client.handle('courses.list', () => [{ id: 'tm351', title: 'TM351', file: '/specs/tm351/compose.yml' }]);
  client.handle('env.open', () => envInfo([state('notebook', { status: 'healthy', health: 'healthy' }), state('postgres'), state('mongo')]));
});

describe('Docker not reachable', () => {
  it('lists what was tried and the hint', async () => {
    client.handle('docker.status', () => down);
    renderWith(client, <App />);
    const screenEl = await screen.findByTestId('docker-unreachable');
    expect(within(screenEl).getByRole('heading', { level: 1 }).textContent).toBe('Docker is not running');
    expect(screenEl.textContent).toContain('Start Docker Desktop, then wait until it says it is running.');
    const attempts = within(screenEl).getAllByRole('listitem');
    expect(attempts).toHaveLength(2);
    expect(attempts[0]!.textContent).toContain('unix:///tmp/nowhere.sock');
    expect(attempts[0]!.textContent).toContain('DOCKER_HOST');
    expect(attempts[0]!.textContent).toContain('connect ENOENT /tmp/nowhere.sock');
    expect(attempts[1]!.textContent).toContain('default socket');
    // No course is opened while Docker is away.
    expect(client.callsOf('env.open')).toHaveLength(0);
  });

  it('"Try again" asks the engine to connect now', async () => {
    const user = userEvent.setup();
    client.handle('docker.status', () => down);
    renderWith(client, <App />);
    await screen.findByTestId('docker-unreachable');
    client.handle('docker.retry', () => down);
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    expect(client.callsOf('docker.retry').length).toBe(1);
  });

  it('goes away by itself when Docker connects, and opens the course', async () => {
    client.handle('docker.status', () => down);
    renderWith(client, <App />);
    await screen.findByTestId('docker-unreachable');
    act(() => client.emit('docker.status', up));
    expect(screen.queryByTestId('docker-unreachable')).toBeNull();
    expect(await screen.findByRole('listitem', { name: 'Jupyter Notebook' })).toBeTruthy();
    expect(client.callsOf('env.open')).toEqual([{ course: 'tm351' }]);
  });

  it('appears when Docker goes away later, and the course is opened again when it is back', async () => {
    client.handle('docker.status', () => up);
    renderWith(client, <App />);
    await screen.findByRole('listitem', { name: 'PostgreSQL' });
    act(() => client.emit('docker.status', { state: 'unreachable', attempts: [], hint: 'The Docker engine stopped answering.', message: 'Lost the connection to Docker.' }));
    expect(screen.getByRole('heading', { name: 'Docker stopped answering' })).toBeTruthy();
    act(() => client.emit('docker.status', up));
    await screen.findByRole('listitem', { name: 'PostgreSQL' });
    expect(client.callsOf('env.open')).toHaveLength(2);
  });

  it('appears when a call fails with docker-unreachable', async () => {
    const user = userEvent.setup();
    client.handle('docker.status', () => up);
    client.fail('env.up', { code: 'docker-unreachable', message: 'Docker is not reachable.', details: { attempts: down.attempts, hint: down.hint } });
    renderWith(client, <App />);
    await screen.findByRole('listitem', { name: 'PostgreSQL' });
    await user.click(screen.getByRole('button', { name: 'Start all' }));
    const screenEl = await screen.findByTestId('docker-unreachable');
    expect(within(screenEl).getAllByRole('listitem')).toHaveLength(2);
  });
});
