// Turns a suite's JSON report (vitest, Playwright or ESLint) into the counts `npm test` totals, strictly:
// a test skipped without a stated reason is a failure, and so is every test that did not run
// because its file failed outside a test (vitest reports the tests under a failing beforeAll as
// "skipped"), a
// file that failed to load, and a runner that exited non-zero while reporting no failure.
// Vitest has no skip message in its report, so a reason is `meta.skipReason` (see
// electron/engine/testing/skip-reason.ts); Playwright keeps the text of `test.skip(…, reason)`.
// ESLint's report counts each linted file as one test, failed by any error or warning in it.
//   npx tsx scripts/suite-counts.ts vitest|playwright|eslint <report.json> [runner exit code]
// prints "passed failed skipped total" on stdout and each counted problem on stderr.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

export interface Counts {
  passed: number;
  failed: number;
  skipped: number;
  total: number;
  /** Why each failure that is not a plain failed test was counted. */
  problems: string[];
}

interface VitestReport {
  testResults?: Array<{
    name: string;
    status: string;
    message?: string;
    assertionResults: Array<{ fullName: string; status: string; meta?: { skipReason?: unknown } }>;
  }>;
}

export function countVitest(report: VitestReport): Counts {
  const c: Counts = { passed: 0, failed: 0, skipped: 0, total: 0, problems: [] };
  for (const file of report.testResults ?? []) {
    // A failed file none of whose tests failed failed outside them (a hook, or loading): the
    // tests it reports as skipped did not run because of that.
    const fileFailed = file.status === 'failed' && !file.assertionResults.some((t) => t.status === 'failed');
    let failedHere = 0;
    for (const t of file.assertionResults) {
      c.total++;
      if (t.status === 'passed') c.passed++;
      else if (t.status === 'failed') failedHere++;
      else if (fileFailed) {
        failedHere++;
        c.problems.push(`did not run (its file failed): ${t.fullName}`);
      } else if (typeof t.meta?.skipReason === 'string' && t.meta.skipReason.trim()) c.skipped++;
      else {
        failedHere++;
        c.problems.push(`skipped without a stated reason: ${t.fullName}`);
      }
    }
    if (fileFailed && failedHere === 0) {
      failedHere = 1;
      c.problems.push(`file failed: ${file.name}: ${(file.message ?? '').split('\n')[0]}`);
    }
    c.failed += failedHere;
  }
  return c;
}

interface PlaywrightTest {
  status: string;
  annotations?: Array<{ type: string; description?: string }>;
  results?: Array<{ annotations?: Array<{ type: string; description?: string }> }>;
}
interface PlaywrightSuite {
  title: string;
  specs?: Array<{ title: string; file?: string; tests: PlaywrightTest[] }>;
  suites?: PlaywrightSuite[];
}
interface PlaywrightReport {
  suites?: PlaywrightSuite[];
  errors?: Array<{ message?: string }>;
}

export function countPlaywright(report: PlaywrightReport): Counts {
  const c: Counts = { passed: 0, failed: 0, skipped: 0, total: 0, problems: [] };
  const walk = (suite: PlaywrightSuite, path: string[]) => {
    for (const spec of suite.specs ?? []) {
      for (const t of spec.tests) {
        c.total++;
        const name = [...path, spec.title].filter(Boolean).join(' › ');
        if (t.status === 'expected') c.passed++;
        else if (t.status === 'skipped') {
          const notes = [...(t.annotations ?? []), ...(t.results ?? []).flatMap((r) => r.annotations ?? [])];
          if (notes.some((a) => (a.type === 'skip' || a.type === 'fixme') && a.description?.trim())) c.skipped++;
          else {
            c.failed++;
            c.problems.push(`skipped without a stated reason: ${name}`);
          }
        } else c.failed++; // unexpected or flaky
      }
    }
    for (const s of suite.suites ?? []) walk(s, [...path, s.title]);
  };
  for (const s of report.suites ?? []) walk(s, [s.title]);
  for (const e of report.errors ?? []) {
    c.failed++;
    c.problems.push(`error outside any test: ${(e.message ?? '').split('\n')[0]}`);
  }
  return c;
}

interface EslintFileReport {
  filePath: string;
  messages: Array<{ ruleId?: string | null; severity: number; message: string; line?: number; column?: number }>;
}

/** The most findings said one by one (the rest are counted); a linter's report can be long. */
const ESLINT_SAID = 100;

export function countEslint(report: EslintFileReport[], root = process.cwd()): Counts {
  const c: Counts = { passed: 0, failed: 0, skipped: 0, total: 0, problems: [] };
  let unsaid = 0;
  for (const file of report) {
    c.total++;
    if (!file.messages.length) {
      c.passed++;
      continue;
    }
    c.failed++;
    const name = file.filePath.startsWith(`${root}/`) ? file.filePath.slice(root.length + 1) : file.filePath;
    for (const m of file.messages) {
      if (c.problems.length < ESLINT_SAID) c.problems.push(`${name}:${m.line ?? 0}:${m.column ?? 0} ${m.ruleId ?? 'eslint'}: ${m.message.split('\n')[0]}`);
      else unsaid++;
    }
  }
  if (unsaid) c.problems.push(`and ${unsaid} more findings`);
  return c;
}

/** A runner that failed without any failure in its report still fails the suite. */
export function withExitCode(c: Counts, exitCode: number): Counts {
  if (exitCode === 0 || c.failed > 0) return c;
  return { ...c, failed: 1, problems: [...c.problems, `the runner exited ${exitCode} with no failure in its report`] };
}

function main(argv: string[]): void {
  const [kind, file, code] = argv;
  let counts: Counts;
  try {
    if (!file) throw new Error('no report file named');
    const report: unknown = JSON.parse(readFileSync(file, 'utf8'));
    counts =
      kind === 'playwright'
        ? countPlaywright(report as PlaywrightReport)
        : kind === 'eslint'
          ? countEslint(report as EslintFileReport[])
          : countVitest(report as VitestReport);
  } catch (err) {
    counts = { passed: 0, failed: 0, skipped: 0, total: 0, problems: [`no readable report (${String(err)})`] };
  }
  counts = withExitCode(counts, Number(code ?? 0));
  for (const p of counts.problems) console.error(`  counted as a failure: ${p}`);
  console.log(`${counts.passed} ${counts.failed} ${counts.skipped} ${counts.total}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main(process.argv.slice(2));
