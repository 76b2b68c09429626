// @vitest-environment jsdom
import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ProgressState } from '../lib/types.js';
import { BUILD_LINES_SHOWN, ProgressView, overallPercent } from './ProgressView.js';

afterEach(cleanup);

const MB = 1024 * 1024;

const pull = (extra: Partial<ProgressState> = {}): ProgressState => ({
  kind: 'pull',
  image: 'mongo:7',
  layers: [
    { id: 'aaaaaaaaaaaa1111', status: 'Downloading', current: 12 * MB, total: 48 * MB },
    { id: 'bbbbbbbbbbbb', status: 'Pull complete', current: 0, total: 10 * MB },
    { id: 'cccccccccccc', status: 'Waiting' },
  ],
  lines: [],
  done: false,
  ...extra,
});

describe('ProgressView — pulls', () => {
  it('draws one bar per layer with its percentage', () => {
    render(<ProgressView progress={pull()} />);
    const bars = screen.getAllByRole('progressbar');
    expect(bars).toHaveLength(3);
    expect(bars[0]!.getAttribute('aria-valuenow')).toBe('25');
    expect(bars[0]!.getAttribute('aria-label')).toBe('Layer aaaaaaaaaaaa');
    expect((bars[0]!.firstElementChild as HTMLElement).style.width).toBe('25%');
    // A finished layer is full, whatever its byte counts say.
    expect(bars[1]!.getAttribute('aria-valuenow')).toBe('100');
    // A layer with no size yet has no value (an indeterminate bar).
    expect(bars[2]!.hasAttribute('aria-valuenow')).toBe(false);
    expect(bars[2]!.className).toContain('bar--indeterminate');
  });

  it('shows each layer status and bytes', () => {
    render(<ProgressView progress={pull()} />);
    const rows = screen.getAllByTestId('layer');
    expect(within(rows[0]!).getByText('Downloading')).toBeTruthy();
    expect(rows[0]!.textContent).toContain('12 MB / 48 MB');
    expect(rows[1]!.textContent).toContain('Pull complete');
    expect(rows[1]!.textContent).toContain('100%');
  });

  it('sums up layers done and the overall percentage', () => {
    render(<ProgressView progress={pull()} />);
    // (12 + 10) of (48 + 10) MB = 38%
    expect(screen.getByText(/1 of 3 layers · 38%/)).toBeTruthy();
    expect(screen.getByLabelText('Downloading mongo:7')).toBeTruthy();
  });

  it('shows a pull error', () => {
    render(<ProgressView progress={pull({ error: 'pull access denied for mongo' })} />);
    expect(screen.getByRole('alert').textContent).toBe('pull access denied for mongo');
  });

  it('computes the overall percentage only from layers with a known size', () => {
    expect(overallPercent([])).toBeUndefined();
    expect(overallPercent([{ id: 'a', status: 'Waiting' }])).toBeUndefined();
    expect(overallPercent([{ id: 'a', status: 'Downloading', current: 5, total: 10 }])).toBe(50);
  });
});

describe('ProgressView — builds', () => {
  const lines = Array.from({ length: 40 }, (_, i) => (i === 30 ? 'Step 4/9 : RUN pip install pandas' : `output line ${i}`));
  const build: ProgressState = { kind: 'build', image: 'coursedock/tm351-notebook:1', layers: [], lines, done: false };

  it('shows the last build output lines', () => {
    render(<ProgressView progress={build} />);
    const out = screen.getByLabelText('Build output');
    const shown = out.textContent.split('\n');
    expect(shown).toHaveLength(BUILD_LINES_SHOWN);
    expect(shown[shown.length - 1]).toBe('output line 39');
    expect(out.textContent).not.toContain('output line 20\n');
  });

  it('says which build step it is at', () => {
    render(<ProgressView progress={build} />);
    expect(screen.getByText('step 4 of 9')).toBeTruthy();
    expect(screen.getByText(/Building/).textContent).toContain('coursedock/tm351-notebook:1');
  });

  it('says when there is no output yet', () => {
    render(<ProgressView progress={{ ...build, lines: [] }} />);
    expect(screen.getByLabelText('Build output').textContent).toMatch(/Waiting for the first build output/);
  });
});
