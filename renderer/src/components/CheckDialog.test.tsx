// @vitest-environment jsdom
// The checks dialog: a fix is said before it runs, runs on Fix, and its check is shown again.
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { fakeClient } from '../test/fake-client.js';
import { renderWith } from '../test/render.js';
import type { Outputs } from '../lib/types.js';
import { CheckDialog } from './CheckDialog.js';

type Result = Outputs['env.check']['results'][number];

const owner = (status: 'pass' | 'fail'): Result => ({
  id: 'notebooks-writable:owner',
  title: 'The files in /home/student/notebooks belong to the notebook server\'s user',
  kind: 'writable',
  status,
  ok: status === 'pass',
  detail: status === 'fail' ? '2 files in /home/student/notebooks belong to another user' : 'Every file in /home/student/notebooks belongs to uid 1000.',
  durationMs: 5,
  ...(status === 'fail'
    ? { hint: 'Fix gives them to the notebook user.', repair: { kind: 'chown' as const, title: 'Give the files to the notebook user', willDo: 'Change the owner of 2 files to uid 1000.', service: 'notebook', path: '/home/student/notebooks', uid: 1000, gid: 1000 } }
    : {}),
});

describe('CheckDialog', () => {
  it('shows what a fix will do before it runs, runs it on Fix, and replaces the result with the new one', async () => {
    const client = fakeClient();
    client.handle('env.check', () => ({ project: 'p', title: 'T', startedAt: '', durationMs: 1, ok: false, counts: { pass: 0, fail: 1, skipped: 0, warn: 0 }, results: [owner('fail')] }));
    client.handle('env.fix', () => ({ ok: true, check: 'notebooks-writable:owner', kind: 'chown', did: 'Gave 2 files in /home/student/notebooks to uid 1000.', changedFiles: 2, after: owner('pass') }));
    renderWith(client, <CheckDialog project="p" onClose={() => undefined} />);
    const group = await screen.findByRole('group', { name: /^Fix: The files/ });
    expect(group.textContent).toContain('Change the owner of 2 files to uid 1000.');
    expect(client.callsOf('env.fix')).toEqual([]);
    fireEvent.click(within(group).getByRole('button', { name: 'Fix' }));
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('Gave 2 files in /home/student/notebooks to uid 1000.'));
    expect(client.callsOf('env.fix')).toEqual([{ project: 'p', check: 'notebooks-writable:owner' }]);
    expect(screen.queryByRole('group', { name: /^Fix:/ })).toBeNull();
    expect(screen.getByText('Every file in /home/student/notebooks belongs to uid 1000.')).toBeTruthy();
  });
});
