// How `npm test` counts a suite: skips need a reason, tests that did not run because their
// file failed are failures, and so is a runner that failed with nothing failed in its report.
// The report shapes are those vitest 4 and Playwright write (--reporter=json).
import { describe, expect, it } from 'vitest';
import { countEslint, countPlaywright, countVitest, withExitCode } from './suite-counts.js';

const vitestFile = (status: string, tests: Array<[string, string, string?]>, message = '') => ({
  name: '/repo/x.test.ts',
  status,
  message,
  assertionResults: tests.map(([fullName, s, reason]) => ({ fullName, status: s, meta: reason ? { skipReason: reason } : {} })),
});

describe('vitest reports', () => {
  it('count passes, failures and skips that give a reason', () => {
    const c = countVitest({ testResults: [vitestFile('failed', [['a', 'passed'], ['b', 'failed'], ['c', 'skipped', 'not root: cannot restart dockerd']])] });
    expect(c).toMatchObject({ passed: 1, failed: 1, skipped: 1, total: 3, problems: [] });
  });

  it('count a skip or a todo without a reason as a failure, and say which', () => {
    const c = countVitest({ testResults: [vitestFile('passed', [['a', 'passed'], ['b', 'skipped'], ['c', 'todo']])] });
    expect(c).toMatchObject({ passed: 1, failed: 2, skipped: 0 });
    expect(c.problems).toEqual(['skipped without a stated reason: b', 'skipped without a stated reason: c']);
  });

  it('count the tests under a failing beforeAll (reported as skipped) as failures', () => {
    const c = countVitest({ testResults: [vitestFile('failed', [['a', 'skipped'], ['b', 'skipped', 'a reason does not excuse it']], 'connect ENOENT /var/run/docker.sock')] });
    expect(c).toMatchObject({ passed: 0, failed: 2, skipped: 0 });
  });

  it('count a file that failed to load once', () => {
    const c = countVitest({ testResults: [vitestFile('failed', [], 'SyntaxError: nope\n  at x')] });
    expect(c).toMatchObject({ failed: 1, total: 0, problems: ['file failed: /repo/x.test.ts: SyntaxError: nope'] });
  });
});

describe('Playwright reports', () => {
  const spec = (title: string, status: string, annotations: Array<{ type: string; description?: string }> = [], runtime: typeof annotations = []) => ({
    title,
    tests: [{ status, annotations, results: [{ annotations: runtime }] }],
  });

  it('walk nested suites; a skip counts as skipped only with its reason', () => {
    const c = countPlaywright({
      suites: [
        {
          title: 'journey.spec.ts',
          specs: [spec('ok', 'expected'), spec('broke', 'unexpected'), spec('wobbly', 'flaky')],
          suites: [
            {
              title: 'desktop app',
              specs: [
                spec('no electron', 'skipped', [{ type: 'skip', description: 'No Electron binary on this machine' }]),
                spec('bare skip', 'skipped', [{ type: 'skip' }]),
                spec('skipped at run time', 'skipped', [], [{ type: 'skip', description: 'needs a running Docker engine: …' }]),
              ],
            },
          ],
        },
      ],
    });
    expect(c).toMatchObject({ passed: 1, failed: 3, skipped: 2, total: 6 });
    expect(c.problems).toEqual(['skipped without a stated reason: journey.spec.ts › desktop app › bare skip']);
  });

  it('count errors outside tests (a spec that failed to load)', () => {
    const c = countPlaywright({ suites: [], errors: [{ message: 'Error: Docker is required\n  at …' }] });
    expect(c).toMatchObject({ failed: 1, problems: ['error outside any test: Error: Docker is required'] });
  });
});

it('a runner that exited non-zero fails the suite even when its report shows no failure', () => {
  const clean = { passed: 3, failed: 0, skipped: 0, total: 3, problems: [] };
  expect(withExitCode(clean, 0)).toBe(clean);
  expect(withExitCode(clean, 1)).toMatchObject({ failed: 1, problems: ['the runner exited 1 with no failure in its report'] });
  expect(withExitCode({ ...clean, failed: 2 }, 1).failed).toBe(2);
});

describe('ESLint reports', () => {
  const finding = (line: number, ruleId: string | null, message: string, severity = 2) => ({ ruleId, severity, message, line, column: 3 });

  it('count each linted file as a test, failed by any error or warning, and say each finding', () => {
    const c = countEslint(
      [
        { filePath: '/repo/a.ts', messages: [] },
        { filePath: '/repo/renderer/b.tsx', messages: [finding(4, 'react-hooks/exhaustive-deps', 'missing dep\nmore words', 1)] },
        { filePath: '/elsewhere/c.ts', messages: [finding(9, null, 'Parsing error: x'), finding(10, 'no-undef', 'y')] },
      ],
      '/repo',
    );
    expect(c).toMatchObject({ passed: 1, failed: 2, skipped: 0, total: 3 });
    expect(c.problems).toEqual([
      'renderer/b.tsx:4:3 react-hooks/exhaustive-deps: missing dep',
      '/elsewhere/c.ts:9:3 eslint: Parsing error: x',
      '/elsewhere/c.ts:10:3 no-undef: y',
    ]);
  });

  it('say at most a hundred findings and count the rest', () => {
    const messages = Array.from({ length: 130 }, (_, i) => finding(i + 1, 'r', 'm'));
    const c = countEslint([{ filePath: '/repo/x.ts', messages }], '/repo');
    expect(c.failed).toBe(1);
    expect(c.problems).toHaveLength(101);
    expect(c.problems.at(-1)).toBe('and 30 more findings');
  });

  it('an empty report ran no test', () => {
    expect(countEslint([])).toMatchObject({ passed: 0, failed: 0, total: 0 });
  });
});
