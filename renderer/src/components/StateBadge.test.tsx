// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServiceStatus } from '../lib/types.js';
import { StateBadge } from './StateBadge.js';

afterEach(cleanup);

const cases: Array<[ServiceStatus, string, string]> = [
  ['missing', 'Not started', 'tone-idle'],
  ['pulling', 'Downloading', 'tone-busy'],
  ['building', 'Building', 'tone-busy'],
  ['creating', 'Creating', 'tone-busy'],
  ['starting', 'Starting', 'tone-busy'],
  ['running', 'Running', 'tone-ok'],
  ['healthy', 'Running', 'tone-ok'],
  ['unhealthy', 'Unhealthy', 'tone-warn'],
  ['stopping', 'Stopping', 'tone-busy'],
  ['stopped', 'Stopped', 'tone-idle'],
  ['exited', 'Exited', 'tone-error'],
  ['error', 'Error', 'tone-error'],
];

describe('StateBadge', () => {
  it.each(cases)('shows %s as "%s" in %s', (status, label, tone) => {
    render(<StateBadge state={{ status }} />);
    const badge = screen.getByRole('status');
    expect(badge.textContent).toContain(label);
    expect(badge.className).toContain(tone);
    expect(badge.getAttribute('data-status')).toBe(status);
  });

  it('says healthy when the healthcheck passes', () => {
    render(<StateBadge state={{ status: 'healthy', health: 'healthy' }} />);
    const badge = screen.getByRole('status');
    expect(badge.textContent).toBe('Running· healthy');
    expect(badge.getAttribute('aria-label')).toBe('Status: Running · healthy');
  });

  it('says the health check is pending while starting', () => {
    render(<StateBadge state={{ status: 'starting', health: 'starting' }} />);
    expect(screen.getByRole('status').getAttribute('aria-label')).toBe('Status: Starting · health check pending');
  });

  it('gives the exit code of a service that stopped by itself', () => {
    render(<StateBadge state={{ status: 'exited', exitCode: 3 }} />);
    expect(screen.getByRole('status').getAttribute('aria-label')).toBe('Status: Exited · code 3');
  });

  it('shows an unavailable service as not available, whatever its status', () => {
    render(<StateBadge state={{ status: 'error', unavailable: true }} />);
    const badge = screen.getByRole('status');
    expect(badge.textContent).toBe('Not available');
    expect(badge.className).toContain('tone-off');
  });

  it('shows Unknown before any state arrived', () => {
    render(<StateBadge state={undefined} />);
    expect(screen.getByRole('status').textContent).toBe('Unknown');
  });
});
