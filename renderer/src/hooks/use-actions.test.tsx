// @vitest-environment jsdom
import { act, cleanup, renderHook } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeClient } from '../test/fake-client.js';
import { ClientProvider } from './client-context.js';
import { useActions } from './use-actions.js';

afterEach(cleanup);

describe('useActions', () => {
  const setup = () => {
    const client = fakeClient();
    const wrapper = ({ children }: { children: ReactNode }) => <ClientProvider client={client}>{children}</ClientProvider>;
    return { client, hook: renderHook(() => useActions(), { wrapper }) };
  };

  it("keeps the course's own failure (its typed courseError) next to the call, not a service's", async () => {
    const { client, hook } = setup();
    client.handle('env.down', () => ({ ok: false, services: [{ service: 'postgres', ok: true }], courseError: "Could not remove the course's network: busy" }));
    await act(() => hook.result.current.run('env.down', 'env.down', { project: 'tm351' }));
    expect(hook.result.current.errors).toEqual({ 'env.down': "Could not remove the course's network: busy" });
  });

  it("leaves a service's failure to its state (no error kept here)", async () => {
    const { client, hook } = setup();
    client.handle('env.up', () => ({ ok: false, services: [{ service: 'postgres', ok: false, error: 'port busy' }] }));
    await act(() => hook.result.current.run('env.up', 'env.up', { project: 'tm351' }));
    expect(hook.result.current.errors).toEqual({});
  });

  it('keeps a refused call in words under its key', async () => {
    const { client, hook } = setup();
    client.fail('service.start', { code: 'docker-unreachable', message: 'Docker is not answering.' });
    await act(() => hook.result.current.run('postgres', 'service.start', { project: 'tm351', service: 'postgres' }));
    expect(hook.result.current.errors).toEqual({ postgres: 'Docker is not answering.' });
    expect(hook.result.current.pending).toEqual({});
  });
});
