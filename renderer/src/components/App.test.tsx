// @vitest-environment jsdom
import { act, cleanup, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { envInfo, state } from '../test/fixtures.js';
import { fakeClient, type FakeClient } from '../test/fake-client.js';
import { renderWith } from '../test/render.js';
import { App } from './App.js';

afterEach(cleanup);

let client: FakeClient;
beforeEach(() => {
  client = fakeClient();
  client.handle('docker.status', () => ({ state: 'connected', endpoint: 'unix:///var/run/docker.sock', source: 'default socket', version: '27' }));
  client.handle('courses.list', () => [{ id: 'tm351', title: 'TM351 Data management and analysis', file: '/specs/tm351/compose.yml' }]);
  client.handle('env.open', () => envInfo());
  client.handle('logs.subscribe', () => ({ subscription: 's1' }));
  client.handle('logs.unsubscribe', () => ({ ok: true }));
});

const row = (name: string) => screen.getByRole('listitem', { name });
/** The row's button: what is focused, clicked and marked current. */
const rowButton = (name: string) => within(row(name)).getByRole('button');
/** The course is open and a service's detail is shown. */
const ready = () => screen.findByRole('tab', { name: 'Overview' });

describe('App', () => {
  it('lists the services with their state, and follows state events', async () => {
    renderWith(client, <App />);
    const list = await screen.findByRole('list', { name: 'Services' });
    expect(within(list).getAllByRole('listitem').map((li) => li.getAttribute('aria-label'))).toEqual(['Jupyter Notebook', 'PostgreSQL', 'MongoDB']);
    expect(within(row('PostgreSQL')).getByRole('status').textContent).toBe('Stopped');
    act(() =>
      client.emit('env.state', {
        project: 'tm351',
        state: state('postgres', { status: 'healthy', health: 'healthy', ports: [{ target: 5432, protocol: 'tcp', hostIp: '127.0.0.1', hostPort: 5432 }] }),
      }),
    );
    expect(within(row('PostgreSQL')).getByRole('status').textContent).toBe('Running· healthy');
    expect(row('PostgreSQL').textContent).toContain('127.0.0.1:5432');
    // Another project's events are not ours.
    act(() => client.emit('env.state', { project: 'other', state: state('postgres', { status: 'exited' }) }));
    expect(within(row('PostgreSQL')).getByRole('status').textContent).toBe('Running· healthy');
    expect(screen.getByTestId('summary').textContent).toContain('1 of 3 running');
  });

  it('selects rows with the keyboard', async () => {
    const user = userEvent.setup();
    renderWith(client, <App />);
    await ready();
    rowButton('Jupyter Notebook').focus();
    await user.keyboard('{ArrowDown}');
    expect(document.activeElement).toBe(rowButton('PostgreSQL'));
    await user.keyboard('{Enter}');
    expect(screen.getByRole('heading', { level: 2, name: 'PostgreSQL' })).toBeTruthy();
    await user.keyboard('{ArrowDown}[Space]');
    expect(screen.getByRole('heading', { level: 2, name: 'MongoDB' })).toBeTruthy();
    expect(rowButton('MongoDB').getAttribute('aria-current')).toBe('true');
  });

  it('runs actions and disables them while an operation runs, saying what it does', async () => {
    const user = userEvent.setup();
    client.handle('service.reinstall', () => new Promise(() => undefined));
    renderWith(client, <App />);
    await screen.findByRole('listitem', { name: 'PostgreSQL' });
    await user.click(rowButton('PostgreSQL'));
    await user.click(screen.getByRole('button', { name: 'Reinstall' }));
    expect(client.callsOf('service.reinstall')).toEqual([{ project: 'tm351', service: 'postgres' }]);
    act(() =>
      client.emit('env.state', {
        project: 'tm351',
        state: state('postgres', { status: 'building', operation: { kind: 'reinstall', phase: 'building the image', startedAt: Date.now() } }),
      }),
    );
    expect(screen.getByTestId('operation').textContent).toContain('Reinstalling — building the image');
    expect(row('PostgreSQL').textContent).toContain('Reinstalling — building the image');
    const toolbar = screen.getByRole('toolbar', { name: 'Service actions' });
    for (const b of within(toolbar).getAllByRole('button')) expect((b as HTMLButtonElement).disabled).toBe(true);
  });

  it('keeps build progress when looking at another service and back', async () => {
    const user = userEvent.setup();
    renderWith(client, <App />);
    await ready();
    act(() =>
      client.emit('env.state', {
        project: 'tm351',
        state: state('notebook', {
          status: 'building',
          operation: { kind: 'up', phase: 'building the image', startedAt: Date.now() },
          progress: { kind: 'build', image: 'coursedock/tm351-notebook:1', layers: [], lines: ['Step 1/3 : FROM debian', 'installing'], done: false },
        }),
      }),
    );
    expect(screen.getByLabelText('Build output').textContent).toContain('installing');
    await user.click(rowButton('PostgreSQL'));
    expect(screen.queryByLabelText('Build output')).toBeNull();
    await user.click(rowButton('Jupyter Notebook'));
    expect(screen.getByLabelText('Build output').textContent).toContain('installing');
  });

  it('explains a service that is not available on this computer', async () => {
    client.handle('env.open', () =>
      envInfo([state('notebook'), state('postgres'), state('mongo', { status: 'error', unavailable: true, lastError: 'The image mongo:7 is not on this computer and cannot be downloaded (offline).' })]),
    );
    const user = userEvent.setup();
    renderWith(client, <App />);
    await screen.findByRole('listitem', { name: 'MongoDB' });
    await user.click(rowButton('MongoDB'));
    expect(within(row('MongoDB')).getByRole('status').textContent).toBe('Not available');
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('MongoDB is not available on this computer.');
    expect(alert.textContent).toContain('cannot be downloaded (offline)');
  });

  it("shows a failed call's message next to the service", async () => {
    const user = userEvent.setup();
    client.fail('service.start', { code: 'failed', message: 'Port 5432 is in use and no other port is free.' });
    renderWith(client, <App />);
    await screen.findByRole('listitem', { name: 'PostgreSQL' });
    await user.click(rowButton('PostgreSQL'));
    await user.click(screen.getByRole('button', { name: 'Start' }));
    expect((await screen.findByRole('alert')).textContent).toContain('Port 5432 is in use and no other port is free.');
  });

  it('shows notices as dismissible toasts', async () => {
    const user = userEvent.setup();
    renderWith(client, <App />);
    await ready();
    act(() =>
      client.emit('env.notice', {
        project: 'tm351',
        notice: { level: 'warning', service: 'notebook', message: 'Port 8351 is in use by another program — Coursedock uses 8352 instead.', at: Date.now() },
      }),
    );
    const toasts = screen.getByRole('region', { name: 'Notifications' });
    expect(toasts.textContent).toContain('Jupyter Notebook');
    expect(toasts.textContent).toContain('Port 8351 is in use by another program');
    await user.click(within(toasts).getByRole('button', { name: 'Dismiss notification' }));
    expect(toasts.textContent).toBe('');
  });

  it("shows the spec's warnings (a host system folder the course allows itself) in the spec notice", async () => {
    const message = '"/etc/localtime" gives the container /etc (system configuration), which it can read: allowed by x-coursedock.services.notebook.allow-host-paths';
    client.handle('env.open', () => ({
      ...envInfo(),
      warnings: [{ file: '/specs/tm351/compose.yml', line: 12, column: 9, path: 'services.notebook.volumes[1]', message }],
    }));
    renderWith(client, <App />);
    await ready();
    const notice = await screen.findByRole('region', { name: 'This course’s spec' });
    expect(notice.textContent).toContain(`line 12 · services.notebook.volumes[1]${message}`);
  });

  it('does not repeat a warning the engine says on every start', async () => {
    renderWith(client, <App />);
    await ready();
    const notice = { level: 'warning' as const, service: 'postgres', message: 'Port 5432 is in use by another program — Coursedock uses 5433 instead.', at: 1 };
    act(() => client.emit('env.notice', { project: 'tm351', notice }));
    act(() => client.emit('env.notice', { project: 'tm351', notice: { ...notice, at: 2 } }));
    expect(within(screen.getByRole('region', { name: 'Notifications' })).getAllByRole('status')).toHaveLength(1);
    // Errors always show.
    const error = { level: 'error' as const, service: 'mongo', message: 'Image mongo:7 is not available.', at: 3 };
    act(() => client.emit('env.notice', { project: 'tm351', notice: error }));
    expect(within(screen.getByRole('region', { name: 'Notifications' })).getAllByRole('alert')).toHaveLength(1);
  });

  it('opens the web UI in a new window on its own origin and never shows a token', async () => {
    const user = userEvent.setup();
    const open = vi.spyOn(window, 'open').mockReturnValue(null);
    const url = 'http://127.0.0.1:8352/tree';
    const ticketed = 'http://127.0.0.1:40001/tree?coursedock_ticket=once';
    client.handle('service.webView', () => ({ url: ticketed }));
    client.handle('env.open', () =>
      envInfo([state('notebook', { status: 'healthy', health: 'healthy', webUrl: url, ports: [{ target: 8888, protocol: 'tcp', hostIp: '127.0.0.1', hostPort: 8352, requested: 8351 }] }), state('postgres'), state('mongo')]),
    );
    renderWith(client, <App />);
    await ready();
    expect(row('Jupyter Notebook').textContent).toContain('127.0.0.1:8352 (8351 was busy)');
    expect(screen.getByTestId('web-url').textContent).toBe(url);
    await user.click(screen.getByRole('button', { name: 'Open in browser' }));
    await vi.waitFor(() => expect(open).toHaveBeenCalledWith(ticketed, '_blank', 'noopener'));
    expect(client.callsOf('service.webView')).toEqual([{ project: 'tm351', service: 'notebook' }]);
    open.mockRestore();
  });

  it('starts and stops everything', async () => {
    const user = userEvent.setup();
    client.handle('env.up', () => ({ ok: true, services: [] }));
    client.handle('env.down', () => ({ ok: true, services: [] }));
    client.handle('env.open', () => envInfo([state('notebook', { status: 'running' }), state('postgres'), state('mongo')]));
    renderWith(client, <App />);
    await ready();
    await user.click(screen.getByRole('button', { name: 'Start all' }));
    await user.click(screen.getByRole('button', { name: 'Stop all' }));
    expect(client.callsOf('env.up')).toEqual([{ project: 'tm351' }]);
    expect(client.callsOf('env.down')).toEqual([{ project: 'tm351' }]);
  });

  it('opens the course again after the link to Coursedock comes back', async () => {
    renderWith(client, <App />);
    await ready();
    act(() => client.setConnection('closed'));
    expect(screen.getByRole('alert').textContent).toContain('Lost the connection to Coursedock');
    act(() => client.setConnection('open'));
    await ready();
    await vi.waitFor(() => expect(client.callsOf('env.open')).toHaveLength(2));
    expect(screen.queryByText(/Lost the connection/)).toBeNull();
  });

  it('shows the logs tab and leaves the stream when switching tabs', async () => {
    const user = userEvent.setup();
    renderWith(client, <App />);
    await ready();
    await user.click(await screen.findByRole('tab', { name: 'Logs' }));
    await vi.waitFor(() => expect(client.callsOf('logs.subscribe')).toHaveLength(1));
    await user.click(screen.getByRole('tab', { name: 'Overview' }));
    await vi.waitFor(() => expect(client.callsOf('logs.unsubscribe')).toEqual([{ subscription: 's1' }]));
  });
});
