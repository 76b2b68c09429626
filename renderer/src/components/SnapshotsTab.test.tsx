// @vitest-environment jsdom
// A service's snapshots: take one (named), list them, drift from the image and from a snapshot,
// recreate one as a Dockerfile; nothing to capture while the service is stopped.
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeClient, type FakeClient } from '../test/fake-client.js';
import { postgres, state } from '../test/fixtures.js';
import { renderWith } from '../test/render.js';
import type { Outputs } from '../lib/types.js';
import { SnapshotsTab } from './SnapshotsTab.js';

afterEach(cleanup);

const summary = (id: string, name: string) => ({
  id,
  file: `/data/snapshots/tm351/postgres/${id}`,
  name,
  createdAt: '2026-11-29T22:00:00Z',
  project: 'tm351',
  service: 'postgres',
  image: { ref: 'coursedock/tm351-postgres:1', id: 'sha256:abc' },
  counts: { debian: 120, python: 3, npm: 0 },
});

const none = { added: [], removed: [], changed: [] };
const drift = (empty: boolean): Outputs['snapshot.drift'] => ({
  service: 'postgres',
  reference: { kind: 'image', name: 'image', createdAt: '2026-11-29T22:00:00Z', imageId: 'sha256:abc', imageRef: 'coursedock/tm351-postgres:1' },
  current: { name: 'now', createdAt: '2026-11-29T22:05:00Z', imageId: 'sha256:abc' },
  empty,
  ecosystems: empty ? { debian: none, python: none, npm: none } : { debian: { added: [{ name: 'jq', version: '1.6-2.1' }], removed: [], changed: [] }, python: none, npm: none },
  imageChanged: false,
  counts: { added: empty ? 0 : 1, removed: 0, changed: 0 },
});

let client: FakeClient;
let saved: ReturnType<typeof summary>[];
beforeEach(() => {
  saved = [];
  client = fakeClient();
  client.handle('snapshot.list', () => ({ snapshots: [...saved], broken: [], references: [] }));
  client.handle('snapshot.capture', (input) => {
    const s = summary(`20261129-220000-${input.name ?? 'snapshot'}.json`, input.name ?? 'snapshot');
    saved.push(s);
    return s;
  });
  client.handle('snapshot.drift', (input) => drift(input.against !== 'baseline'));
  client.handle('snapshot.recreate', () => ({
    baseImage: 'debian:bookworm-slim',
    dockerfile: 'FROM debian:bookworm-slim\nRUN apt-get install -y jq=1.6-2.1\n',
    script: '',
    files: ['/data/snapshots/tm351/postgres/x.recreate/Dockerfile'],
    checked: false,
    notPinned: [],
    notes: [],
    counts: { debianPinned: 1, debianInBase: 0, pythonPinned: 0, pythonFromDebian: 0, npm: 0 },
  }));
});

describe('SnapshotsTab', () => {
  it('takes a named snapshot, lists it, shows drift from the image and recreates it as a Dockerfile', async () => {
    renderWith(client, <SnapshotsTab project="tm351" service={postgres} state={state('postgres', { status: 'healthy', containerId: 'c1' })} />);
    await screen.findByText('No snapshot yet.');
    fireEvent.change(screen.getByLabelText('Snapshot name'), { target: { value: 'week 3' } });
    fireEvent.click(screen.getByRole('button', { name: 'Take a snapshot' }));
    await screen.findByText('week 3');
    expect(client.callsOf('snapshot.capture')).toEqual([{ project: 'tm351', service: 'postgres', name: 'week 3' }]);
    expect(screen.getByText(/120 Debian, 3 Python, 0 npm packages/)).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Drift from the image' }));
    expect((await screen.findByTestId('drift-summary')).textContent).toBe(
      'Compared with a fresh container of its image (coursedock/tm351-postgres:1): 1 added, 0 removed, 0 changed.',
    );
    expect(screen.getByTestId('drift').textContent).toMatch(/added debian jq 1\.6-2\.1/);

    fireEvent.click(screen.getByRole('button', { name: 'Compare with now' }));
    await waitFor(() => expect(screen.getByTestId('drift-summary').textContent).toMatch(/^Nothing changed/));
    expect(client.callsOf('snapshot.drift')[1]).toEqual({ project: 'tm351', service: 'postgres', against: '20261129-220000-week 3.json' });

    fireEvent.click(screen.getByRole('button', { name: 'Recreate as Dockerfile' }));
    expect((await screen.findByLabelText('Dockerfile text')).textContent).toMatch(/^FROM debian:bookworm-slim\nRUN apt-get install -y jq=1\.6-2\.1/);
    expect(client.callsOf('snapshot.recreate')).toEqual([{ project: 'tm351', service: 'postgres', snapshot: '20261129-220000-week 3.json', check: false }]);
  });

  it('while the service is stopped: says to start it, nothing to capture', async () => {
    renderWith(client, <SnapshotsTab project="tm351" service={postgres} state={state('postgres', { status: 'stopped' })} />);
    await screen.findByText('No snapshot yet.');
    expect(screen.getByText('Start PostgreSQL to take a snapshot or see its drift.')).toBeTruthy();
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Take a snapshot' }).disabled).toBe(true);
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Drift from the image' }).disabled).toBe(true);
  });
});
