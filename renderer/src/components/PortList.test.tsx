// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
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
});
