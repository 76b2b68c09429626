// @vitest-environment jsdom
// Build output in the panel: colours shown as colours, never raw escape codes, and output that
// looks like markup stays text.
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProgressState } from '../lib/types.js';
import { ProgressView } from './ProgressView.js';

afterEach(cleanup);

const build = (lines: string[], extra: Partial<ProgressState> = {}): ProgressState => ({
  kind: 'build',
  image: 'coursedock/tm351-notebook:1',
  layers: [],
  lines,
  done: false,
  ...extra,
});

describe('build output with ANSI colours', () => {
  it('renders colours and bold as styles, with no escape codes left in the text', () => {
    render(
      <ProgressView
        progress={build([
          'Step 3/9 : RUN apt-get update',
          '\x1b[1;31mE:\x1b[0m Unable to locate package \x1b[33mpython3-nope\x1b[0m',
          '\x1b[38;5;46mdone\x1b[0m <b>not bold</b>',
        ])}
      />,
    );
    const out = screen.getByLabelText('Build output');
    expect(out.textContent).not.toContain('\x1b');
    expect(out.textContent).not.toMatch(/\[0m|\[1;31m/);
    expect(out.textContent).toBe('Step 3/9 : RUN apt-get update\nE: Unable to locate package python3-nope\ndone <b>not bold</b>');
    const err = screen.getByText('E:');
    expect(err.className).toBe('ansi-fg-red ansi-bold');
    expect(screen.getByText('python3-nope').className).toBe('ansi-fg-yellow');
    expect(screen.getByText('done').style.color).toBe('rgb(0, 255, 0)');
    expect(out.querySelector('b')).toBeNull();
    expect(screen.getByText('step 3 of 9')).toBeTruthy();
  });

  it('a failed build says why without escape codes', () => {
    render(<ProgressView progress={build(['x'], { error: '\x1b[31mThe command returned a non-zero code: 100\x1b[0m', done: true })} />);
    expect(screen.getByRole('alert').textContent).toBe('The command returned a non-zero code: 100');
  });
});
