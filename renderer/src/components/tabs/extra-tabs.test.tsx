// @vitest-environment jsdom
// Every service with a web UI gets its own tab, named after the service, through the same
// one-time-URL frame: two web UIs in one course (the notebook and OpenRefine) are two tabs, each
// asking the shell for its own service's page; a service without one gets none.
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ClientProvider } from '../../hooks/client-context.js';
import type { ServiceInfo, ServiceState } from '../../lib/types.js';
import { fakeClient } from '../../test/fake-client.js';
import { notebook, postgres, state } from '../../test/fixtures.js';
import { WithAppActions } from '../../test/render.js';
import { extraTabs, WEB_TAB } from './extra-tabs.js';

afterEach(cleanup);

const openrefine: ServiceInfo = { name: 'openrefine', title: 'OpenRefine', icon: 'openrefine', hasWebUi: true, resetVolumes: [], dependsOn: [] };
const ORIGIN = 'http://127.0.0.1:40002';
const healthy = (extra: Partial<ServiceState> = {}) =>
  state('openrefine', {
    status: 'healthy',
    health: 'healthy',
    containerId: 'r1',
    startedAt: '2024-01-01T10:00:00Z',
    ports: [{ target: 3333, protocol: 'tcp', hostIp: '127.0.0.1', hostPort: 3333 }],
    webUrl: 'http://127.0.0.1:3333/',
    ...extra,
  });

const tabsOf = (service: ServiceInfo) => extraTabs({ project: 'tm351', service, state: undefined, connectionEpoch: 0 });

describe('web UI tabs', () => {
  it('one per service with a web UI, named after the service', () => {
    const webTabs = (service: ServiceInfo) => tabsOf(service).filter((t) => t.id === WEB_TAB).map((t) => t.label);
    expect(webTabs(notebook)).toEqual(['Jupyter Notebook']);
    expect(webTabs(openrefine)).toEqual(['OpenRefine']);
    expect(webTabs(postgres)).toEqual([]);
  });

  it("OpenRefine's tab says it in its own name while stopped, then frames its own page on its own origin", async () => {
    const client = fakeClient();
    client.handle('service.webView', (input: { service: string }) => ({ url: `${ORIGIN}/?coursedock_ticket=for-${input.service}` }));
    const view = (st: ServiceState) => {
      const tab = extraTabs({ project: 'tm351', service: openrefine, state: st, connectionEpoch: 0 }).find((t) => t.id === WEB_TAB)!;
      return (
        <ClientProvider client={client}>
          <WithAppActions>{tab.render()}</WithAppActions>
        </ClientProvider>
      );
    };
    const { rerender } = render(view(state('openrefine', { status: 'stopped' })));
    expect(screen.getByText('OpenRefine is stopped')).toBeTruthy();
    expect(screen.getByRole('toolbar', { name: 'OpenRefine' })).toBeTruthy();
    rerender(view(state('openrefine', { status: 'missing', unavailable: true })));
    expect(screen.getByText('OpenRefine is not available on this computer.')).toBeTruthy();
    rerender(view(healthy()));
    const frame = await screen.findByTestId<HTMLIFrameElement>('notebook-frame');
    expect(frame.getAttribute('src')).toBe(`${ORIGIN}/?coursedock_ticket=for-openrefine`);
    expect(frame.getAttribute('title')).toBe('OpenRefine');
    expect(client.callsOf('service.webView')).toEqual([{ project: 'tm351', service: 'openrefine' }]);
  });
});
