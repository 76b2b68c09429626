// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeClient, type FakeClient } from '../../test/fake-client.js';
import { notebook, state } from '../../test/fixtures.js';
import { ClientProvider } from '../../hooks/client-context.js';
import { useAppActions } from '../../hooks/actions-context.js';
import { WithAppActions } from '../../test/render.js';
import type { ServiceState } from '../../lib/types.js';
import { notebookFramePath, notebookGeneration, notebookPhase } from './notebook-view.js';
import { NotebookTab } from './NotebookTab.js';
import { READY_TIMEOUT_MS } from './frame-ready.js';
import type { ServiceInfo } from '../../lib/types.js';

afterEach(cleanup);

const WEB = 'http://127.0.0.1:8351/p/tm351/notebook/tree';
const ORIGIN = 'http://127.0.0.1:40001';
const port = { target: 8888, protocol: 'tcp' as const, hostIp: '127.0.0.1', hostPort: 8351 };
const healthy = (extra: Partial<ServiceState> = {}) =>
  state('notebook', { status: 'healthy', health: 'healthy', containerId: 'c1', startedAt: '2024-01-01T10:00:00Z', ports: [port], webUrl: WEB, ...extra });

describe('notebook view logic', () => {
  it('shows the path of webUrl', () => {
    expect(notebookFramePath(WEB)).toBe('/p/tm351/notebook/tree');
    expect(notebookFramePath(`${WEB}?token=secret`)).toBe('/p/tm351/notebook/tree');
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
    client.handle('service.start', () => ({ ok: true, services: [] }));
    let n = 0;
    client.handle('service.webView', () => ({ url: `${ORIGIN}/p/tm351/notebook/tree?coursedock_ticket=t${++n}` }));
  });
  const view = (st: ServiceState | undefined, service: ServiceInfo = notebook) => (
    <ClientProvider client={client}>
      <WithAppActions>
        <NotebookTab project="tm351" service={service} state={st} />
      </WithAppActions>
    </ClientProvider>
  );
  const frame = () => screen.queryByTestId<HTMLIFrameElement>('notebook-frame');
  const loaded = () => screen.findByTestId<HTMLIFrameElement>('notebook-frame');

  it('frames a one-time URL on the service\'s own origin, sandboxed without top navigation', async () => {
    render(view(healthy()));
    const f = await loaded();
    expect(f.getAttribute('src')).toBe(`${ORIGIN}/p/tm351/notebook/tree?coursedock_ticket=t1`);
    expect(client.callsOf('service.webView')).toEqual([{ project: 'tm351', service: 'notebook' }]);
    const sandbox = f.getAttribute('sandbox')!.split(' ');
    expect(sandbox).toEqual(expect.arrayContaining(['allow-scripts', 'allow-same-origin', 'allow-forms', 'allow-popups', 'allow-downloads', 'allow-modals']));
    expect(sandbox.some((t) => t.startsWith('allow-top-navigation'))).toBe(false);
  });

  it('says why when the shell cannot show the page', async () => {
    client.fail('service.webView', { code: 'invalid-input', message: 'Jupyter Notebook is not running: start it first.' });
    render(view(healthy()));
    expect((await screen.findByRole('alert')).textContent).toMatch(/not running/);
    expect(frame()).toBeNull();
  });

  it('Open in external browser asks for its own one-time URL', async () => {
    const open = vi.spyOn(window, 'open').mockReturnValue(null);
    try {
      render(view(healthy()));
      await loaded();
      fireEvent.click(screen.getByRole('button', { name: 'Open in external browser' }));
      await waitFor(() => expect(open).toHaveBeenCalledTimes(1));
      expect(open).toHaveBeenCalledWith(`${ORIGIN}/p/tm351/notebook/tree?coursedock_ticket=t2`, '_blank', 'noopener');
    } finally {
      open.mockRestore();
    }
  });

  it('shows overlays instead of a broken frame, and Start it starts the service', () => {
    const { rerender } = render(view(state('notebook', { status: 'stopped' })));
    expect(frame()).toBeNull();
    expect(screen.getByText('Jupyter Notebook is stopped')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Start it' }));
    expect(client.callsOf('service.start')).toEqual([{ project: 'tm351', service: 'notebook' }]);
    rerender(view(state('notebook', { status: 'starting', health: 'starting', containerId: 'c1' })));
    expect(screen.getByText(/Notebook is starting…/)).toBeTruthy();
    expect(frame()).toBeNull();
  });

  it('reloads the frame with a fresh ticket when the notebook restarts or moves port, and on Reload', async () => {
    const { rerender } = render(view(healthy()));
    const first = await loaded();
    rerender(view(healthy()));
    expect(frame()).toBe(first); // nothing changed: same frame, not reloaded
    rerender(view(healthy({ operation: { kind: 'restart', phase: 'working', startedAt: 1 } })));
    expect(frame()).toBeNull();
    rerender(view(healthy({ containerId: 'c1', startedAt: '2024-01-01T11:00:00Z' })));
    const second = await loaded();
    expect(second).not.toBe(first);
    expect(second.getAttribute('src')).toMatch(/ticket=t2$/);
    rerender(view(healthy({ startedAt: '2024-01-01T11:00:00Z', ports: [{ ...port, hostPort: 8352 }], webUrl: WEB.replace('8351', '8352') })));
    await waitFor(() => expect(frame()?.getAttribute('src')).toMatch(/ticket=t3$/));
    const third = frame();
    fireEvent.click(screen.getByRole('button', { name: 'Reload' }));
    await waitFor(() => expect(frame()?.getAttribute('src')).toMatch(/ticket=t4$/));
    expect(frame()).not.toBe(third);
  });

  it("Start it is the app's one call for the service: pending and failed wherever it was pressed", async () => {
    let finish: (() => void) | undefined;
    client.handle('service.start', () => new Promise((resolve) => (finish = () => resolve({ ok: true, services: [] }))));
    /** Another part of the panel (the detail view's Start) using the app's actions. */
    function ElsewhereStart() {
      const actions = useAppActions();
      return (
        <button type="button" onClick={() => void actions.run('notebook', 'service.start', { project: 'tm351', service: 'notebook' })}>
          Start elsewhere
        </button>
      );
    }
    render(
      <ClientProvider client={client}>
        <WithAppActions>
          <ElsewhereStart />
          <NotebookTab project="tm351" service={notebook} state={state('notebook', { status: 'stopped' })} />
        </WithAppActions>
      </ClientProvider>,
    );
    fireEvent.click(screen.getByRole('button', { name: 'Start elsewhere' }));
    await waitFor(() => expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Start it' }).disabled).toBe(true));
    finish?.();
    await waitFor(() => expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Start it' }).disabled).toBe(false));
    expect(client.callsOf('service.start')).toHaveLength(1);
  });

  it('on the desktop (IPC) points to the notebook window instead of framing the proxy', () => {
    (window as { coursedock?: unknown }).coursedock = { invoke: () => Promise.resolve({}), on: () => () => {} };
    try {
      render(view(healthy()));
      expect(frame()).toBeNull();
      expect(screen.getByText(/opens in its own window/)).toBeTruthy();
    } finally {
      delete (window as { coursedock?: unknown }).coursedock;
    }
  });

  describe('a page that says when it loaded (web.announces-ready)', () => {
    const announcing: ServiceInfo = { ...notebook, webAnnouncesReady: true };
    const say = (f: HTMLIFrameElement, data: unknown = { coursedock: 'ready' }, origin = ORIGIN) =>
      act(() => void window.dispatchEvent(new MessageEvent('message', { data, origin, source: f.contentWindow })));
    /** The frame's load event, then the watch's bounded wait run out (fake timers for just that). */
    const loadedAndSilent = (f: HTMLIFrameElement) => {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      try {
        fireEvent.load(f);
        act(() => void vi.advanceTimersByTime(READY_TIMEOUT_MS));
      } finally {
        vi.useRealTimers();
      }
    };
    afterEach(() => vi.useRealTimers());

    it('a page that said ready stays as it is', async () => {
      render(view(healthy(), announcing));
      const f = await loaded();
      expect(f.dataset.pageReady).toBeUndefined();
      say(f);
      expect(f.dataset.pageReady).toBe('yes');
      loadedAndSilent(f);
      expect(frame()).toBe(f);
      expect(client.callsOf('service.webView')).toHaveLength(1);
      expect(screen.queryByTestId('notebook-did-not-load')).toBeNull();
    });

    it('a silent page is reloaded once with a fresh ticket, then the view says it did not load; Reload starts over', async () => {
      render(view(healthy(), announcing));
      const first = await loaded();
      // A ready from the wrong window, origin or shape does not count.
      act(() => void window.dispatchEvent(new MessageEvent('message', { data: { coursedock: 'ready' }, origin: ORIGIN, source: window })));
      say(first, { coursedock: 'ready' }, 'http://127.0.0.1:40002');
      say(first, { coursedock: 'ready', x: 1 });
      loadedAndSilent(first);
      await waitFor(() => expect(frame()?.getAttribute('src')).toMatch(/ticket=t2$/));
      const second = frame()!;
      expect(second).not.toBe(first);
      expect(second.dataset.reloaded).toBe('after-silence');
      expect(screen.queryByTestId('notebook-did-not-load')).toBeNull();

      loadedAndSilent(second);
      const notice = await screen.findByTestId('notebook-did-not-load');
      expect(notice.textContent).toMatch(/Jupyter Notebook did not load/);
      expect(frame()).toBe(second); // kept under the notice: no third automatic load
      expect(client.callsOf('service.webView')).toHaveLength(2);

      // It answered after all: the notice goes.
      say(second);
      expect(screen.queryByTestId('notebook-did-not-load')).toBeNull();
      loadedAndSilent(second);
      expect(screen.queryByTestId('notebook-did-not-load')).toBeNull();
    });

    it("the notice's Reload loads a fresh frame, watched again", async () => {
      render(view(healthy(), announcing));
      loadedAndSilent(await loaded());
      await waitFor(() => expect(frame()?.getAttribute('src')).toMatch(/ticket=t2$/));
      loadedAndSilent(frame()!);
      const notice = await screen.findByTestId('notebook-did-not-load');
      fireEvent.click(within(notice).getByRole('button', { name: 'Reload' }));
      await waitFor(() => expect(frame()?.getAttribute('src')).toMatch(/ticket=t3$/));
      expect(frame()!.dataset.reloaded).toBeUndefined();
      expect(screen.queryByTestId('notebook-did-not-load')).toBeNull();
      loadedAndSilent(frame()!);
      await waitFor(() => expect(frame()?.getAttribute('src')).toMatch(/ticket=t4$/));
    });

    it("a web UI that does not announce (OpenRefine) is never reloaded for its silence", async () => {
      render(view(healthy()));
      const f = await loaded();
      loadedAndSilent(f);
      expect(frame()).toBe(f);
      expect(client.callsOf('service.webView')).toHaveLength(1);
    });
  });
});
