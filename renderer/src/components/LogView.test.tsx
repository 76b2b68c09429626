// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeClient, type FakeClient } from '../test/fake-client.js';
import { renderWith } from '../test/render.js';
import type { LogLine } from '../lib/types.js';
import { LOG_RENDER_INTERVAL_MS } from '../hooks/use-logs.js';
import { LogView } from './LogView.js';

afterEach(cleanup);

const lines = (from: number, n: number, stream: LogLine['stream'] = 'stdout'): LogLine[] =>
  Array.from({ length: n }, (_, i) => ({ stream, text: `line ${from + i}` }));

/** Lets the subscribe promise settle and the next (throttled) render happen. */
async function flush() {
  await act(async () => {
    await new Promise((r) => setTimeout(r, LOG_RENDER_INTERVAL_MS + 60));
  });
}

let client: FakeClient;
beforeEach(() => {
  client = fakeClient();
  client.handle('logs.subscribe', () => ({ subscription: 'sub-1' }));
  client.handle('logs.unsubscribe', () => ({ ok: true }));
});

const view = (capacity?: number) =>
  renderWith(client, <LogView project="tm351" service="postgres" title="PostgreSQL" generation="1" {...(capacity ? { capacity } : {})} />);

describe('LogView', () => {
  it('subscribes with a tail and shows lines as they arrive', async () => {
    view();
    await flush();
    expect(client.callsOf('logs.subscribe')).toEqual([{ project: 'tm351', service: 'postgres', tail: 500 }]);
    act(() => client.emit('logs.lines', { subscription: 'sub-1', lines: lines(1, 3) }));
    await flush();
    expect(screen.getAllByTestId('log-line').map((l) => l.textContent)).toEqual(['line 1', 'line 2', 'line 3']);
    expect(screen.getByTestId('log-count').textContent).toBe('3 lines');
  });

  it('ignores lines of other subscriptions', async () => {
    view();
    await flush();
    act(() => client.emit('logs.lines', { subscription: 'someone-else', lines: lines(1, 2) }));
    await flush();
    expect(screen.queryAllByTestId('log-line')).toHaveLength(0);
  });

  it('keeps lines that arrive before the subscribe call answers', async () => {
    let answer!: (v: { subscription: string }) => void;
    client.handle('logs.subscribe', () => new Promise((r) => (answer = r)));
    view();
    await flush();
    act(() => client.emit('logs.lines', { subscription: 'sub-9', lines: lines(1, 2) }));
    await act(() => {
      answer({ subscription: 'sub-9' });
      return Promise.resolve();
    });
    await flush();
    expect(screen.getAllByTestId('log-line').map((l) => l.textContent)).toEqual(['line 1', 'line 2']);
  });

  it('keeps only the last N lines and caps the DOM however many arrive', async () => {
    view(5000);
    await flush();
    act(() => {
      // 12 000 lines in 24 batches, as a chatty container would send them.
      for (let b = 0; b < 24; b++) client.emit('logs.lines', { subscription: 'sub-1', lines: lines(b * 500, 500) });
    });
    await flush();
    expect(screen.getByTestId('log-count').textContent).toBe('5000 lines');
    const rendered = screen.getAllByTestId('log-line');
    expect(rendered.length).toBeLessThan(120);
    expect(rendered[rendered.length - 1]!.textContent).toBe('line 11999');
    expect(screen.queryByText('line 6999')).toBeNull(); // dropped from the buffer
  });

  it('batches renders: many events, one frame', async () => {
    const raf = vi.spyOn(window, 'requestAnimationFrame');
    view();
    await flush();
    raf.mockClear();
    act(() => {
      for (let i = 0; i < 100; i++) client.emit('logs.lines', { subscription: 'sub-1', lines: lines(i, 1) });
    });
    expect(raf.mock.calls.length).toBeLessThanOrEqual(1);
    await flush();
    expect(raf).toHaveBeenCalledTimes(1);
    expect(screen.getByTestId('log-count').textContent).toBe('100 lines');
    raf.mockRestore();
  });

  it('filters lines and says how many match', async () => {
    const user = userEvent.setup();
    view();
    await flush();
    act(() => client.emit('logs.lines', { subscription: 'sub-1', lines: [...lines(1, 20), { stream: 'stderr', text: 'ERROR: boom' }] }));
    await flush();
    await user.type(screen.getByRole('searchbox', { name: 'Filter log lines' }), 'line 1');
    // line 1, line 10..19
    expect(screen.getByTestId('log-count').textContent).toBe('11 of 21 lines');
    expect(screen.getAllByTestId('log-line')).toHaveLength(11);
    await user.clear(screen.getByRole('searchbox'));
    await user.type(screen.getByRole('searchbox'), 'error');
    const shown = screen.getAllByTestId('log-line');
    expect(shown.map((l) => l.textContent)).toEqual(['ERROR: boom']);
    expect(shown[0]!.className).toContain('log-line--stderr');
    expect(shown[0]!.className).toContain('log-line--error');
    await user.clear(screen.getByRole('searchbox'));
    await user.type(screen.getByRole('searchbox'), 'nothing like this');
    expect(screen.getByText('No line matches the filter.')).toBeTruthy();
  });

  it('copies the (filtered) lines', async () => {
    const user = userEvent.setup();
    view();
    await flush();
    act(() => client.emit('logs.lines', { subscription: 'sub-1', lines: lines(1, 3) }));
    await flush();
    await user.click(screen.getByRole('button', { name: 'Copy log lines' }));
    expect(await navigator.clipboard.readText()).toBe('line 1\nline 2\nline 3');
  });

  it('pauses following when scrolled up, and resumes on "Jump to latest"', async () => {
    view();
    await flush();
    // jsdom has no layout: give the viewport one.
    const viewport = screen.getByRole('log', { name: 'Logs of PostgreSQL' });
    Object.defineProperty(viewport, 'scrollHeight', { configurable: true, get: () => 200 * 18 });
    Object.defineProperty(viewport, 'clientHeight', { configurable: true, value: 300 });
    Object.defineProperty(viewport, 'scrollTop', { configurable: true, writable: true, value: 0 });
    act(() => client.emit('logs.lines', { subscription: 'sub-1', lines: lines(1, 200) }));
    await flush();
    expect(viewport.scrollTop).toBe(200 * 18); // following: scrolled to the end
    viewport.scrollTop = 100;
    fireEvent.scroll(viewport);
    // New lines are counted, not drawn, while the student reads.
    act(() => client.emit('logs.lines', { subscription: 'sub-1', lines: lines(201, 5) }));
    await flush();
    expect(screen.queryByText('line 205')).toBeNull();
    expect(screen.getByRole('button', { name: /5 new lines/ })).toBeTruthy();
    // Lines the engine left out for a panel reading too slowly are new lines too.
    act(() => client.emit('logs.lines', { subscription: 'sub-1', lines: lines(1206, 1), skipped: 1000 }));
    await flush();
    const jump = screen.getByRole('button', { name: /1006 new lines/ });
    fireEvent.click(jump);
    await flush();
    expect(screen.getByText('line 1206')).toBeTruthy();
    expect(screen.queryByRole('button', { name: /new lines|Jump to latest/ })).toBeNull();
  });

  it('unsubscribes when left', async () => {
    const { unmount } = view();
    await flush();
    unmount();
    expect(client.callsOf('logs.unsubscribe')).toEqual([{ subscription: 'sub-1' }]);
  });

  it('says when the stream ended and when it could not start', async () => {
    view();
    await flush();
    act(() => client.emit('logs.end', { subscription: 'sub-1', reason: 'the container stopped' }));
    expect(screen.getByText(/Stream ended: the container stopped/)).toBeTruthy();
    cleanup();
    client.fail('logs.subscribe', { code: 'failed', message: 'PostgreSQL has no container yet: start it first.' });
    view();
    await flush();
    expect(screen.getAllByText('PostgreSQL has no container yet: start it first.').length).toBeGreaterThan(0);
  });
});
