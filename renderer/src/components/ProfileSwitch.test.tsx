// @vitest-environment jsdom
import { cleanup, screen } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeClient } from '../test/fake-client.js';
import { renderWith } from '../test/render.js';
import { ProfileSwitch } from './ProfileSwitch.js';

afterEach(cleanup);

const profiles = [
  { name: 'monitoring', active: true, services: ['grafana', 'prometheus'] },
  { name: 'replica-set', active: false, services: ['mongo-2', 'mongo-3'] },
];

function setup(list = profiles) {
  const client = fakeClient();
  client.handle('env.profiles', (input: { profiles: string[] }) => ({
    profiles: list.map((p) => ({ ...p, active: input.profiles.includes(p.name) })),
  }));
  const onChanged = vi.fn();
  renderWith(client, <ProfileSwitch project="mongo" profiles={list} onChanged={onChanged} />);
  return { client, onChanged };
}

describe('ProfileSwitch', () => {
  it('shows each declared profile on or off, with its services', () => {
    setup();
    expect(screen.getByRole('switch', { name: 'Replica-set activity: off' }).getAttribute('aria-checked')).toBe('false');
    expect(screen.getByRole('switch', { name: 'Monitoring activity: on' }).getAttribute('aria-checked')).toBe('true');
    expect(screen.getByText('Runs the services mongo-2, mongo-3.')).toBeTruthy();
  });

  it('switching a profile on asks for it with the ones already on, then re-opens', async () => {
    const user = userEvent.setup();
    const { client, onChanged } = setup();
    await user.click(screen.getByRole('switch', { name: 'Replica-set activity: off' }));
    expect(client.callsOf('env.profiles')).toEqual([{ project: 'mongo', profiles: ['monitoring', 'replica-set'] }]);
    expect(onChanged).toHaveBeenCalledTimes(1);
  });

  it('switching a profile off leaves only the others on', async () => {
    const user = userEvent.setup();
    const { client } = setup();
    await user.click(screen.getByRole('switch', { name: 'Monitoring activity: on' }));
    expect(client.callsOf('env.profiles')).toEqual([{ project: 'mongo', profiles: [] }]);
  });

  it('shows a refusal in words and does not re-open', async () => {
    const user = userEvent.setup();
    const { client, onChanged } = setup();
    client.fail('env.profiles', { code: 'invalid-input', message: 'Mongo has no profile "x".' });
    await user.click(screen.getByRole('switch', { name: 'Replica-set activity: off' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Mongo has no profile "x".');
    expect(onChanged).not.toHaveBeenCalled();
  });

  it('is not shown for a course without profiles', () => {
    setup([]);
    expect(screen.queryByRole('switch')).toBeNull();
  });
});
