// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { frameOrigin, parseSaveAnswer, registerNotebookFrame, saveFramedNotebooks, saveWords, tallySaves } from './frame-save.js';

const ORIGIN = 'http://127.0.0.1:41000';
let unregister: (() => void) | undefined;

afterEach(() => {
  unregister?.();
  unregister = undefined;
  document.body.innerHTML = '';
});

function framedView() {
  const frame = document.createElement('iframe');
  document.body.appendChild(frame);
  const win = frame.contentWindow!;
  const posted: Array<{ data: { coursedock: string; id: string }; origin: string }> = [];
  win.postMessage = ((data: { coursedock: string; id: string }, origin: string) => void posted.push({ data, origin })) as typeof win.postMessage;
  unregister = registerNotebookFrame('tm351', 'notebook', frame, ORIGIN);
  return { win, posted };
}

const answer = (data: unknown, source: Window | null, origin = ORIGIN) => window.dispatchEvent(new MessageEvent('message', { data, origin, source }));

describe('parseSaveAnswer', () => {
  it('accepts only the exact shape with the id sent', () => {
    expect(parseSaveAnswer({ coursedock: 'save-answer', id: 'a', saved: 1, failed: 0 }, 'a')).toEqual({ saved: 1, failed: 0 });
    expect(parseSaveAnswer({ coursedock: 'save-answer', id: 'b', saved: 1, failed: 0 }, 'a')).toBeUndefined();
    expect(parseSaveAnswer({ coursedock: 'save-answer', id: 'a', saved: -1, failed: 0 }, 'a')).toBeUndefined();
    expect(parseSaveAnswer({ coursedock: 'save-answer', id: 'a', saved: 1.5, failed: 0 }, 'a')).toBeUndefined();
    expect(parseSaveAnswer({ coursedock: 'save-answer', id: 'a', saved: '1', failed: 0 }, 'a')).toBeUndefined();
    expect(parseSaveAnswer(['save-answer'], 'a')).toBeUndefined();
    expect(parseSaveAnswer('save-answer', 'a')).toBeUndefined();
    expect(parseSaveAnswer(null, 'a')).toBeUndefined();
  });

  it('takes only http(s) frame origins', () => {
    expect(frameOrigin(`${ORIGIN}/p/x/notebook/tree?coursedock_ticket=t`)).toBe(ORIGIN);
    expect(frameOrigin('javascript:alert(1)')).toBeUndefined();
    expect(frameOrigin(undefined)).toBeUndefined();
  });
});

describe('saveFramedNotebooks', () => {
  it('posts a request to the frame origin only and resolves with its answer', async () => {
    const { win, posted } = framedView();
    const saving = saveFramedNotebooks('tm351', 'notebook', 5000);
    expect(posted).toHaveLength(1);
    expect(posted[0]!.origin).toBe(ORIGIN);
    expect(posted[0]!.data.coursedock).toBe('save-request');
    answer({ coursedock: 'save-answer', id: posted[0]!.data.id, saved: 2, failed: 0 }, win);
    await expect(saving).resolves.toEqual({ kind: 'answered', saved: 2, failed: 0 });
  });

  it('ignores answers from another window, another origin or with another id, then times out', async () => {
    vi.useFakeTimers();
    try {
      const { win, posted } = framedView();
      const saving = saveFramedNotebooks('tm351', 'notebook', 1000);
      const id = posted[0]!.data.id;
      answer({ coursedock: 'save-answer', id, saved: 1, failed: 0 }, window); // not the frame
      answer({ coursedock: 'save-answer', id, saved: 1, failed: 0 }, win, 'http://evil.test'); // not its origin
      answer({ coursedock: 'save-answer', id: 'guess', saved: 1, failed: 0 }, win); // not the id sent
      answer({ coursedock: 'save-answer', id, saved: 1e9, failed: 0 }, win); // not a small count
      vi.advanceTimersByTime(1000);
      await expect(saving).resolves.toEqual({ kind: 'no-answer' });
    } finally {
      vi.useRealTimers();
    }
  });

  it('has nothing to do without a registered frame', async () => {
    await expect(saveFramedNotebooks('tm351', 'notebook')).resolves.toEqual({ kind: 'no-frame' });
  });

  it('says what happened in words', () => {
    expect(saveWords({ kind: 'no-frame' })).toBeUndefined();
    expect(saveWords({ kind: 'answered', saved: 0, failed: 0 })).toBeUndefined();
    expect(saveWords({ kind: 'answered', saved: 1, failed: 0 })).toBe('Saved the open notebook first.');
    expect(saveWords({ kind: 'answered', saved: 0, failed: 1 })).toBe('A notebook could not be saved first.');
    expect(saveWords({ kind: 'no-answer' })).toMatch(/did not answer/);
  });
});

describe('the frame and the desktop notebook windows together', () => {
  const none = { windows: 0, unanswered: 0, saved: 0, failed: 0 };

  it('adds up what the frame and the windows saved', () => {
    expect(tallySaves({ kind: 'no-frame' }, { windows: 2, unanswered: 0, saved: 2, failed: 0 })).toEqual({ saved: 2, failed: 0, silentFrame: false, silentWindows: 0 });
    expect(tallySaves({ kind: 'answered', saved: 1, failed: 0 }, { windows: 1, unanswered: 0, saved: 1, failed: 1 })).toEqual({
      saved: 2,
      failed: 1,
      silentFrame: false,
      silentWindows: 0,
    });
    expect(tallySaves({ kind: 'no-answer' }, none)).toEqual({ saved: 0, failed: 0, silentFrame: true, silentWindows: 0 });
    expect(tallySaves({ kind: 'no-frame' })).toEqual({ saved: 0, failed: 0, silentFrame: false, silentWindows: 0 });
  });

  it('says what happened in words, windows that did not answer included', () => {
    expect(saveWords(tallySaves({ kind: 'no-frame' }, none))).toBeUndefined();
    expect(saveWords(tallySaves({ kind: 'no-frame' }, { windows: 2, unanswered: 0, saved: 2, failed: 0 }))).toBe('Saved 2 open notebooks first.');
    expect(saveWords(tallySaves({ kind: 'no-frame' }, { windows: 1, unanswered: 1, saved: 0, failed: 0 }))).toBe(
      'The notebook window did not answer in time: what it showed was not saved first.',
    );
    expect(saveWords(tallySaves({ kind: 'no-frame' }, { windows: 3, unanswered: 2, saved: 1, failed: 0 }))).toBe(
      'Saved the open notebook first. 2 notebook windows did not answer in time: what they showed was not saved first.',
    );
    expect(saveWords(tallySaves({ kind: 'no-answer' }, { windows: 1, unanswered: 0, saved: 0, failed: 1 }))).toBe(
      'A notebook could not be saved first. The notebook view did not answer in time: what it showed was not saved first.',
    );
  });
});
