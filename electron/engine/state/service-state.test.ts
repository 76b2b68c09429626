import { describe, expect, it } from 'vitest';
import { statusFromContainer, type ContainerView } from './service-state.js';

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
