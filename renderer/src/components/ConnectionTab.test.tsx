// @vitest-environment jsdom
import { cleanup, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { mongo, postgres, state } from '../test/fixtures.js';
import { fakeClient } from '../test/fake-client.js';
import { renderWith } from '../test/render.js';
import { ConnectionTab } from './ConnectionTab.js';

afterEach(cleanup);

const pg = { ...postgres, connection: postgres.connection! };
const running = state('postgres', {
  status: 'healthy',
  ports: [{ target: 5432, protocol: 'tcp', hostIp: '127.0.0.1', hostPort: 5433, requested: 5432 }],
});

describe('ConnectionTab', () => {
  it('gives the service name from a notebook and the published (auto-corrected) port from this computer', () => {
    renderWith(fakeClient(), <ConnectionTab project="tm351" service={pg} state={running} />);
    const nb = screen.getByRole('region', { name: 'From a notebook' });
    expect(nb.textContent).toContain('Hostpostgres');
    expect(nb.textContent).toContain('Port5432');
    const host = screen.getByRole('region', { name: 'From this computer' });
    expect(host.textContent).toContain('Host127.0.0.1');
    expect(host.textContent).toContain('Port5433');
    expect(host.textContent).toContain('(5432 was busy)');
  });

  it('hides the password until Reveal, which asks the engine', async () => {
    const user = userEvent.setup();
    const client = fakeClient();
    client.handle('service.revealSecret', () => ({ value: 'testpass' }));
    renderWith(client, <ConnectionTab project="tm351" service={pg} state={running} />);
    expect(screen.getByTestId('password-value').textContent).toBe('••••••••');
    expect(document.body.textContent).not.toContain('testpass');
    await user.click(screen.getByRole('button', { name: 'Reveal' }));
    expect(client.callsOf('service.revealSecret')).toEqual([{ project: 'tm351', service: 'postgres', field: 'password' }]);
    expect(screen.getByTestId('password-value').textContent).toBe('testpass');
    await user.click(screen.getByRole('button', { name: 'Hide' }));
    expect(screen.getByTestId('password-value').textContent).toBe('••••••••');
  });

  it('has psycopg2 and SQLAlchemy snippets for a notebook and for this computer', async () => {
    const user = userEvent.setup();
    const client = fakeClient();
    client.handle('service.revealSecret', () => ({ value: 'testpass' }));
    renderWith(client, <ConnectionTab project="tm351" service={pg} state={running} />);
    expect(screen.getByTestId('snippet-psycopg2').textContent).toBe(
      'import psycopg2\n\nconn = psycopg2.connect(host="postgres", port=5432, user="testuser", password="••••••••", dbname="testdb")',
    );
    expect(screen.getByTestId('snippet-sqlalchemy').textContent).toContain('create_engine("postgresql+psycopg2://testuser:••••••••@postgres:5432/testdb")');
    await user.click(screen.getByRole('radio', { name: 'On this computer' }));
    expect(screen.getByTestId('snippet-psycopg2').textContent).toContain('host="127.0.0.1", port=5433');
    // Copying gives the real password even while it is hidden on screen.
    await user.click(screen.getByRole('button', { name: 'Copy SQLAlchemy code' }));
    expect(await navigator.clipboard.readText()).toBe(
      'from sqlalchemy import create_engine\n\nengine = create_engine("postgresql+psycopg2://testuser:testpass@127.0.0.1:5433/testdb")',
    );
  });

  it('has a pymongo snippet for MongoDB', () => {
    const m = { ...mongo, connection: mongo.connection! };
    renderWith(fakeClient(), <ConnectionTab project="tm351" service={m} state={state('mongo')} />);
    expect(screen.getByTestId('snippet-pymongo').textContent).toBe('from pymongo import MongoClient\n\nclient = MongoClient("mongodb://mongo:27017/")');
    expect(screen.queryByText('Password')).toBeNull();
    // Not published while stopped: says so instead of a port.
    expect(within(screen.getByRole('region', { name: 'From this computer' })).getByText(/Start MongoDB to see the port/)).toBeTruthy();
  });

  it('shows a failed reveal in words', async () => {
    const user = userEvent.setup();
    const client = fakeClient();
    client.fail('service.revealSecret', { code: 'invalid-input', message: 'PostgreSQL has no password.' });
    renderWith(client, <ConnectionTab project="tm351" service={pg} state={running} />);
    await user.click(screen.getByRole('button', { name: 'Reveal' }));
    expect(screen.getByRole('alert').textContent).toBe('PostgreSQL has no password.');
  });
});
