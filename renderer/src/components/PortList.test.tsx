// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { Settings } from '../lib/types.js';
import { fakeClient } from '../test/fake-client.js';
import { renderWith } from '../test/render.js';
import { PortList, portAddress } from './PortList.js';

afterEach(cleanup);

describe('PortList', () => {
  it('shows the published address', () => {
    render(<PortList ports={[{ target: 5432, protocol: 'tcp', hostIp: '127.0.0.1', hostPort: 5432 }]} />);
    const item = screen.getByRole('listitem');
    expect(item.textContent).toBe('127.0.0.1:5432');
  });

  it('says which port was busy when Coursedock picked another', () => {
    render(<PortList ports={[{ target: 8888, protocol: 'tcp', hostIp: '127.0.0.1', hostPort: 8352, requested: 8351 }]} />);
    const item = screen.getByRole('listitem');
    expect(item.textContent).toBe('127.0.0.1:8352 (8351 was busy)');
    expect(item.querySelector('.port__moved')?.getAttribute('title')).toContain('Port 8351 was in use by another program');
  });

  it('says nothing more when the requested port is the one used', () => {
    render(<PortList ports={[{ target: 8888, protocol: 'tcp', hostIp: '127.0.0.1', hostPort: 8351, requested: 8351 }]} />);
    expect(screen.getByRole('listitem').textContent).toBe('127.0.0.1:8351');
  });

  it('can show the container port too', () => {
    render(<PortList showTarget ports={[{ target: 8888, protocol: 'tcp', hostIp: '127.0.0.1', hostPort: 8351 }]} />);
    expect(screen.getByRole('listitem').textContent).toBe('127.0.0.1:8351 → 8888');
  });

  it('renders nothing without ports', () => {
    const { container } = render(<PortList ports={[]} />);
    expect(container.innerHTML).toBe('');
  });

  it('writes IPv6 and wildcard addresses the way a student can type them', () => {
    expect(portAddress({ hostIp: '::1', hostPort: 80 })).toBe('[::1]:80');
    expect(portAddress({ hostIp: '0.0.0.0', hostPort: 80 })).toBe('127.0.0.1:80');
  });

  it('pins a moved port (kept from the next start) and unpins it, through the settings', async () => {
    const user = userEvent.setup();
    const client = fakeClient();
    let settings: Settings = { dockerEndpoint: null, dataDir: '/d', bringBackServices: true, restartStaleAfterSleep: true, environments: { tm351: {} } };
    client.handle('settings.get', () => settings);
    client.handle('settings.set', (input) => {
      const hostPort = input.portPin!.hostPort;
      const pins: Record<string, Record<string, number>> = hostPort === null ? {} : { postgres: { '5432/tcp': hostPort } };
      settings = { ...settings, environments: { tm351: { portPins: pins } } };
      return settings;
    });
    renderWith(
      client,
      <PortList pin={{ project: 'tm351', service: 'postgres' }} ports={[{ target: 5432, protocol: 'tcp', hostIp: '127.0.0.1', hostPort: 15443, requested: 15442 }]} />,
    );
    await user.click(await screen.findByRole('button', { name: 'Pin' }));
    expect(client.callsOf('settings.set')).toEqual([{ portPin: { project: 'tm351', service: 'postgres', port: '5432/tcp', hostPort: 15443 } }]);
    const pinned = await screen.findByRole('button', { name: 'Pinned to 15443' });
    expect(pinned.getAttribute('aria-pressed')).toBe('true');
    await user.click(pinned);
    expect(client.callsOf('settings.set')[1]).toEqual({ portPin: { project: 'tm351', service: 'postgres', port: '5432/tcp', hostPort: null } });
    expect(await screen.findByRole('button', { name: 'Pin' })).toBeTruthy();
  });

  it('pins a port the student chooses (typed in), and refuses one that is not a port', async () => {
    const user = userEvent.setup();
    const client = fakeClient();
    let settings: Settings = { dockerEndpoint: null, dataDir: '/d', bringBackServices: true, restartStaleAfterSleep: true, environments: { tm351: {} } };
    client.handle('settings.get', () => settings);
    client.handle('settings.set', (input) => {
      settings = { ...settings, environments: { tm351: { portPins: { notebook: { '8888/tcp': input.portPin!.hostPort! } } } } };
      return settings;
    });
    renderWith(client, <PortList pin={{ project: 'tm351', service: 'notebook' }} ports={[{ target: 8888, protocol: 'tcp', hostIp: '127.0.0.1', hostPort: 8351 }]} />);
    await user.click(await screen.findByRole('button', { name: 'Choose…' }));
    const input = screen.getByRole('textbox', { name: 'Preferred port for 8888' });
    expect((input as HTMLInputElement).value).toBe('8351');
    await user.clear(input);
    await user.type(input, '80');
    await user.click(screen.getByRole('button', { name: 'Use this port' }));
    expect(screen.getByRole('alert').textContent).toContain('from 1024 to 65535');
    expect(client.callsOf('settings.set')).toEqual([]);
    await user.clear(input);
    await user.type(input, '18888');
    await user.click(screen.getByRole('button', { name: 'Use this port' }));
    expect(client.callsOf('settings.set')).toEqual([{ portPin: { project: 'tm351', service: 'notebook', port: '8888/tcp', hostPort: 18888 } }]);
    expect(await screen.findByRole('button', { name: 'Pinned to 18888' })).toBeTruthy();
    expect(screen.queryByRole('textbox')).toBeNull();
  });
});
