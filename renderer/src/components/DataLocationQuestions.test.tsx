// @vitest-environment jsdom
import { cleanup, screen } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeClient } from '../test/fake-client.js';
import { renderWith } from '../test/render.js';
import { DataLocationQuestions } from './DataLocationQuestions.js';

afterEach(cleanup);

const question = {
  service: 'notebook',
  target: '/home/student/notebooks',
  kind: 'bind' as const,
  current: '/a',
  asked: '/b',
  message: 'Your notebooks folder is /a; this run asked for /b. Keep /a or switch (your files in /a stay there)?',
};

describe('DataLocationQuestions', () => {
  it('asks in words and sends the answer; the banner goes once answered', async () => {
    const user = userEvent.setup();
    const client = fakeClient();
    client.handle('service.confirmDataLocation', () => ({ questions: [] }));
    const onSwitched = vi.fn();
    renderWith(client, <DataLocationQuestions project="tm351" questions={[question]} onSwitched={onSwitched} />);
    expect(screen.getByRole('alert').textContent).toContain(question.message);
    await user.click(screen.getByRole('button', { name: 'Switch to /b' }));
    expect(client.callsOf('service.confirmDataLocation')).toEqual([{ project: 'tm351', service: 'notebook', choice: 'switch' }]);
    expect(onSwitched).toHaveBeenCalled();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('keep is an answer too', async () => {
    const user = userEvent.setup();
    const client = fakeClient();
    client.handle('service.confirmDataLocation', () => ({ questions: [] }));
    renderWith(client, <DataLocationQuestions project="tm351" questions={[question]} />);
    await user.click(screen.getByRole('button', { name: 'Keep /a' }));
    expect(client.callsOf('service.confirmDataLocation')).toEqual([{ project: 'tm351', service: 'notebook', choice: 'keep' }]);
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
