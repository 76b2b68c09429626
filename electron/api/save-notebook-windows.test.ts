// service.saveNotebookWindows through ApiSession: the desktop's option is asked with the service
// named (the main process finds the windows); a shell without notebook windows (the browser
// shell) says there are none; input is checked like every call's.
import { describe, expect, it } from 'vitest';
import type { Engine } from '../engine/engine.js';
import { ApiSession } from './api-session.js';
import { ApiFailure } from './contract.js';

// Just what the session's constructor touches: no environment is needed for this method.
const quietEngine = {
  connection: { on: () => undefined, off: () => undefined },
  opened: () => [],
  onReplaced: () => () => undefined,
} as unknown as Engine;

describe('service.saveNotebookWindows', () => {
  it("asks the shell's notebook windows of the service and returns their counts", async () => {
    const asked: string[][] = [];
    const session = new ApiSession(quietEngine, () => undefined, {
      saveNotebookWindows: (project, service) => {
        asked.push([project, service]);
        return Promise.resolve({ windows: 2, unanswered: 1, saved: 1, failed: 0 });
      },
    });
    try {
      expect(await session.call('service.saveNotebookWindows', { project: 'tm351', service: 'notebook' })).toEqual({ windows: 2, unanswered: 1, saved: 1, failed: 0 });
      expect(asked).toEqual([['tm351', 'notebook']]);
    } finally {
      session.dispose();
    }
  });

  it('is "no windows" where the shell has none, and refuses input of another shape', async () => {
    const session = new ApiSession(quietEngine, () => undefined, {});
    try {
      expect(await session.call('service.saveNotebookWindows', { project: 'tm351', service: 'notebook' })).toEqual({ windows: 0, unanswered: 0, saved: 0, failed: 0 });
      const refusal = await session.call('service.saveNotebookWindows', { project: 'tm351', service: 'notebook', origin: 'http://x' }).catch((e: unknown) => e);
      expect(refusal).toBeInstanceOf(ApiFailure);
      expect((refusal as ApiFailure).error.code).toBe('invalid-input');
    } finally {
      session.dispose();
    }
  });
});
