// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeClient, type FakeClient } from '../../test/fake-client.js';
import { notebook, state } from '../../test/fixtures.js';
import { ClientProvider } from '../../hooks/client-context.js';
import type { ServiceState } from '../../lib/types.js';
import { notebookFramePath, notebookGeneration, notebookPhase } from './notebook-view.js';
import { NotebookTab } from './NotebookTab.js';

afterEach(cleanup);

const WEB = 'http://127.0.0.1:8351/p/tm351/notebook/tree?token=secret';
const port = { target: 8888, protocol: 'tcp' as const, hostIp: '127.0.0.1', hostPort: 8351 };
const healthy = (extra: Partial<ServiceState> = {}) =>
  state('notebook', { status: 'healthy', health: 'healthy', containerId: 'c1', startedAt: '2024-01-01T10:00:00Z', ports: [port], webUrl: WEB, ...extra });

describe('notebook view logic', () => {
  it('frames the path of webUrl without its token', () => {
    expect(notebookFramePath(WEB)).toBe('/p/tm351/notebook/tree');
    expect(notebookFramePath(undefined)).toBeUndefined();
    expect(notebookFramePath('not a url')).toBeUndefined();
  });

  it('tells ready, starting, stopping and stopped apart', () => {
    expect(notebookPhase(undefined)).toBe('stopped');
    expect(notebookPhase(healthy())).toBe('ready');
    expect(notebookPhase(healthy({ status: 'running', health: undefined }))).toBe('ready');
    expect(notebookPhase(healthy({ status: 'starting', health: 'starting' }))).toBe('starting');
    expect(notebookPhase(healthy({ status: 'running', health: 'starting' }))).toBe('starting');
    expect(notebookPhase(healthy({ operation: { kind: 'restart', phase: 'working', startedAt: 1 } }))).toBe('starting');
    expect(notebookPhase(healthy({ operation: { kind: 'stop', phase: 'working', startedAt: 1 } }))).toBe('stopping');
    expect(notebookPhase(state('notebook', { status: 'stopped' }))).toBe('stopped');
    expect(notebookPhase(state('notebook', { status: 'exited', exitCode: 1 }))).toBe('stopped');
    expect(notebookPhase(state('notebook', { status: 'missing', unavailable: true }))).toBe('unavailable');
  });

  it('a new container, start time or port is a new generation', () => {
    const g = notebookGeneration(healthy());
    expect(notebookGeneration(healthy())).toBe(g);
    expect(notebookGeneration(healthy({ containerId: 'c2' }))).not.toBe(g);
    expect(notebookGeneration(healthy({ startedAt: '2024-01-01T11:00:00Z' }))).not.toBe(g);
    expect(notebookGeneration(healthy({ ports: [{ ...port, hostPort: 8352 }] }))).not.toBe(g);
  });
});

describe('NotebookTab', () => {
  let client: FakeClient;
  beforeEach(() => {
    client = fakeClient();
    client.handle('service.start', () => ({ ok: true, services: [] }) as never);
  });
  const view = (st: ServiceState | undefined) => (
    <ClientProvider client={client}>
      <NotebookTab project="tm351" service={notebook} state={st} />
    </ClientProvider>
  );
  const frame = () => screen.queryByTestId('notebook-frame') as HTMLIFrameElement | null;

  it('shows the frame on the panel origin when ready', () => {
    render(view(healthy()));
    expect(frame()!.getAttribute('src')).toBe('/p/tm351/notebook/tree');
  });

  it('shows overlays instead of a broken frame, and Start it starts the service', () => {
    const { rerender } = render(view(state('notebook', { status: 'stopped' })));
    expect(frame()).toBeNull();
    expect(screen.getByText('Notebook is stopped')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Start it' }));
    expect(client.callsOf('service.start')).toEqual([{ project: 'tm351', service: 'notebook' }]);
    rerender(view(state('notebook', { status: 'starting', health: 'starting', containerId: 'c1' })));
    expect(screen.getByText(/Notebook is starting…/)).toBeTruthy();
    expect(frame()).toBeNull();
  });

  it('reloads the frame when the notebook restarts or moves port, and on Reload', () => {
    const { rerender } = render(view(healthy()));
    const first = frame();
    rerender(view(healthy()));
    expect(frame()).toBe(first); // nothing changed: same frame, not reloaded
    rerender(view(healthy({ operation: { kind: 'restart', phase: 'working', startedAt: 1 } })));
    expect(frame()).toBeNull();
    rerender(view(healthy({ containerId: 'c1', startedAt: '2024-01-01T11:00:00Z' })));
    const second = frame();
    expect(second).not.toBeNull();
    expect(second).not.toBe(first);
    rerender(view(healthy({ startedAt: '2024-01-01T11:00:00Z', ports: [{ ...port, hostPort: 8352 }], webUrl: WEB.replace('8351', '8352') })));
    const third = frame();
    expect(third).not.toBe(second);
    fireEvent.click(screen.getByRole('button', { name: 'Reload' }));
    expect(frame()).not.toBe(third);
  });

  it('on the desktop (IPC) points to the notebook window instead of framing the proxy', () => {
    (window as { coursedock?: unknown }).coursedock = { invoke: async () => ({}), on: () => () => {} };
    try {
      render(view(healthy()));
      expect(frame()).toBeNull();
      expect(screen.getByText(/opens in its own window/)).toBeTruthy();
    } finally {
      delete (window as { coursedock?: unknown }).coursedock;
    }
  });
});
