// @vitest-environment jsdom
// Saving first from the panel: the desktop's client (canSaveNotebookWindows) also asks the main
// process for the notebook windows (service.saveNotebookWindows) and the words count both; the
// browser shell's client never asks for windows; a failed ask is no windows, not an error.
import { describe, expect, it } from 'vitest';
import { fakeClient } from '../test/fake-client.js';
import { saveNotebooksFirst } from './use-save-first.js';

describe('saveNotebooksFirst', () => {
  it("on the desktop asks for the service's notebook windows and says what they saved", async () => {
    const client = fakeClient({ canSaveNotebookWindows: true });
    client.handle('service.saveNotebookWindows', () => ({ windows: 2, unanswered: 0, saved: 2, failed: 0 }));
    expect(await saveNotebooksFirst(client, 'tm351', 'notebook')).toBe('Saved 2 open notebooks first.');
    expect(client.callsOf('service.saveNotebookWindows')).toEqual([{ project: 'tm351', service: 'notebook' }]);
  });

  it('on the desktop says when a window did not answer, and says nothing when there was none', async () => {
    const client = fakeClient({ canSaveNotebookWindows: true });
    client.handle('service.saveNotebookWindows', () => ({ windows: 1, unanswered: 1, saved: 0, failed: 0 }));
    expect(await saveNotebooksFirst(client, 'tm351', 'notebook')).toMatch(/^The notebook window did not answer in time/);
    client.handle('service.saveNotebookWindows', () => ({ windows: 0, unanswered: 0, saved: 0, failed: 0 }));
    expect(await saveNotebooksFirst(client, 'tm351', 'notebook')).toBeUndefined();
  });

  it('goes on without words when the main process cannot be asked', async () => {
    const client = fakeClient({ canSaveNotebookWindows: true });
    client.fail('service.saveNotebookWindows', { code: 'failed', message: 'gone' });
    expect(await saveNotebooksFirst(client, 'tm351', 'notebook')).toBeUndefined();
  });

  it('in the browser shell never asks for notebook windows', async () => {
    const client = fakeClient();
    expect(await saveNotebooksFirst(client, 'tm351', 'notebook')).toBeUndefined();
    expect(client.calls).toEqual([]);
  });
});
