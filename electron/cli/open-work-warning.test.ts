// The CLI says what is open on a notebook server before a command ends its kernels, asks at a
// terminal (default no), and goes on when told --yes or when no one is there to ask.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { UNKNOWN_WORK, describeOpenWork } from '../engine/open-work/open-work.js';
import { confirmOpenWork, openWorkLines } from './open-work-warning.js';

const work = describeOpenWork(
  [
    { type: 'notebook', path: 'week1/intro.ipynb' },
    { type: 'notebook', path: 'week2/sql.ipynb' },
  ],
  [{ execution_state: 'busy' }, { execution_state: 'idle' }],
);

afterEach(() => vi.restoreAllMocks());

describe('openWorkLines', () => {
  it('names what is open and what would be lost', () => {
    const lines = openWorkLines('Notebook', work);
    expect(lines[0]).toBe('! Notebook: 2 notebooks are open, 1 kernel is busy.');
    expect(lines.slice(1, 3)).toEqual(['    week1/intro.ipynb', '    week2/sql.ipynb']);
    expect(lines[3]).toMatch(/lost, and every kernel loses its variables: save them first/);
  });

  it('says nothing when nothing is open or the server is not known', () => {
    expect(openWorkLines('Notebook', describeOpenWork([], []))).toEqual([]);
    expect(openWorkLines('Notebook', UNKNOWN_WORK)).toEqual([]);
  });
});

describe('confirmOpenWork', () => {
  const lines = openWorkLines('Notebook', work);

  it('asks at a terminal and goes on only on yes', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(await confirmOpenWork(lines, { yes: false, interactive: true, ask: () => Promise.resolve('y') })).toBe(true);
    expect(await confirmOpenWork(lines, { yes: false, interactive: true, ask: () => Promise.resolve('') })).toBe(false);
  });

  it('goes on after saying it with --yes or with no terminal, and asks nothing when nothing is open', async () => {
    const said = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const ask = vi.fn(() => Promise.resolve('n'));
    expect(await confirmOpenWork(lines, { yes: true, interactive: true, ask })).toBe(true);
    expect(await confirmOpenWork(lines, { yes: false, interactive: false, ask })).toBe(true);
    expect(await confirmOpenWork([], { yes: false, interactive: true, ask })).toBe(true);
    expect(ask).not.toHaveBeenCalled();
    expect(said.mock.calls.map((c) => String(c[0]))).toContain('! Notebook: 2 notebooks are open, 1 kernel is busy.');
  });
});
