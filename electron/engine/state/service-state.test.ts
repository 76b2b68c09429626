import { describe, expect, it } from 'vitest';
import { statusDuringOperation, statusFromContainer, type ContainerView } from './service-state.js';

const view = (over: Partial<ContainerView>): ContainerView => ({ id: 'x', status: 'running', exitCode: 0, ports: [], ...over });

describe('status from a container', () => {
  it('reads health when the container has a healthcheck', () => {
    expect(statusFromContainer(view({}))).toEqual({ status: 'running' });
    expect(statusFromContainer(view({ health: 'starting' }))).toEqual({ status: 'starting', health: 'starting' });
    expect(statusFromContainer(view({ health: 'healthy' }))).toEqual({ status: 'healthy', health: 'healthy' });
    expect(statusFromContainer(view({ health: 'unhealthy' }))).toEqual({
      status: 'unhealthy',
      health: 'unhealthy',
      error: 'Not healthy: its health check fails.',
    });
  });

  it('tells a stop from a crash', () => {
    expect(statusFromContainer(undefined)).toEqual({ status: 'missing' });
    expect(statusFromContainer(view({ status: 'exited', exitCode: 0 })).status).toBe('stopped');
    expect(statusFromContainer(view({ status: 'exited', exitCode: 143 })).status).toBe('stopped');
    const crash = statusFromContainer(view({ status: 'exited', exitCode: 1 }));
    expect(crash.status).toBe('exited');
    expect(crash.error).toMatch(/exit code 1/);
    expect(statusFromContainer(view({ status: 'created', exitCode: 0 })).status).toBe('stopped');
    expect(statusFromContainer(view({ status: 'exited', exitCode: 128, error: 'port is already allocated' }))).toEqual({
      status: 'error',
      error: 'port is already allocated',
    });
  });
});

describe('status during an operation', () => {
  const created = view({ status: 'created' });
  it("a reinstall's gap between the old container and the new one's start reads as starting", () => {
    expect(statusDuringOperation({ kind: 'reinstall' }, 'missing', undefined)).toBe('starting');
    expect(statusDuringOperation({ kind: 'reinstall' }, 'stopped', created)).toBe('starting');
    for (const kind of ['up', 'start', 'restart', 'reset'] as const) expect(statusDuringOperation({ kind }, 'stopped', created)).toBe('starting');
  });

  it('a phase that names its status shows it', () => {
    expect(statusDuringOperation({ kind: 'reinstall', status: 'creating' }, 'missing', undefined)).toBe('creating');
    expect(statusDuringOperation({ kind: 'reinstall', status: 'stopping' }, 'healthy', view({ health: 'healthy' }))).toBe('stopping');
  });

  it("otherwise the container's own status shows: health, a stop after running, a crash", () => {
    expect(statusDuringOperation({ kind: 'reinstall' }, 'starting', view({ health: 'starting' }))).toBe('starting');
    expect(statusDuringOperation({ kind: 'reinstall' }, 'healthy', view({ health: 'healthy' }))).toBe('healthy');
    expect(statusDuringOperation({ kind: 'reinstall' }, 'stopped', view({ status: 'exited', exitCode: 0 }))).toBe('stopped');
    expect(statusDuringOperation({ kind: 'start' }, 'exited', view({ status: 'exited', exitCode: 1 }))).toBe('exited');
  });

  it('a stop or a down says the container is gone or stopped', () => {
    expect(statusDuringOperation({ kind: 'stop' }, 'stopped', created)).toBe('stopped');
    expect(statusDuringOperation({ kind: 'down' }, 'missing', undefined)).toBe('missing');
  });
});
