// The Electron security scan: the justification table is read and judged as documented, and the
// real scanner (offline) does flag an unsafe window in our kind of TypeScript — so a clean run
// means something.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../electron/engine/testing/course-copy.js';
import { scan } from './electron-scan.js';
import { DOC_SECTION, judge, readJustifications, type ScanFinding } from './scan-justifications.js';

const doc = (rows: string, after = '## Next\n| `X_CHECK` | `a.ts` | not ours |\n') =>
  `# Security\n\n## Before\n| \`EARLIER_CHECK\` | \`b.ts\` | other section |\n\n${DOC_SECTION}\n\nText.\n\n| Check | File | Why it stays |\n|---|---|---|\n${rows}\n${after}`;

const finding = (check: string, file: string, line = 1): ScanFinding => ({ check, file, line, severity: 'LOW', description: 'd' });

describe('justifications in docs/security.md', () => {
  it('reads the rows of its own section only', () => {
    const rows = readJustifications(doc('| `SANDBOX_JS_CHECK` | `electron/desktop/window.ts` | set in web-preferences.ts |'));
    expect(rows).toEqual([{ check: 'SANDBOX_JS_CHECK', file: 'electron/desktop/window.ts', reason: 'set in web-preferences.ts' }]);
  });

  it('refuses a missing section and a row without a reason', () => {
    expect(() => readJustifications('# Security\n')).toThrow(/has no "## Electron security scan/);
    expect(() => readJustifications(doc('| `SANDBOX_JS_CHECK` | `w.ts` |  |'))).toThrow(/with no reason/);
  });

  it('judges on check and file (not line): justified, not justified, stale rows', () => {
    const rows = readJustifications(doc('| `A_CHECK` | `a.ts` | because |\n| `GONE_CHECK` | `g.ts` | was fixed |'));
    const v = judge([finding('A_CHECK', 'a.ts', 10), finding('A_CHECK', 'a.ts', 99), finding('A_CHECK', 'other.ts'), finding('B_CHECK', 'a.ts')], rows);
    expect(v.justified.map((f) => [f.check, f.file, f.line, f.reason])).toEqual([
      ['A_CHECK', 'a.ts', 10, 'because'],
      ['A_CHECK', 'a.ts', 99, 'because'],
    ]);
    expect(v.unjustified.map((f) => [f.check, f.file])).toEqual([
      ['A_CHECK', 'other.ts'],
      ['B_CHECK', 'a.ts'],
    ]);
    expect(v.stale).toEqual([{ check: 'GONE_CHECK', file: 'g.ts', reason: 'was fixed' }]);
  });

  it("the repository's own doc has the section, each row with a reason", () => {
    const rows = readJustifications(readFileSync(path.join(REPO_ROOT, 'docs/security.md'), 'utf8'));
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(r.reason.length, `${r.check} ${r.file}`).toBeGreaterThan(20);
  });
});

describe('the scanner, offline', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('flags an unsafe window written in modern TypeScript, and reports a file it cannot parse', async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'cd-scan-fixture-'));
    mkdirSync(path.join(dir, 'app'));
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'fixture', devDependencies: { electron: '41.0.0' } }));
    writeFileSync(
      path.join(dir, 'app/window.ts'),
      [
        "import { BrowserWindow, type WebPreferences } from 'electron';",
        'const extra = { spellcheck: false } as const satisfies WebPreferences;',
        'export function open(): BrowserWindow {',
        '  const win = new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false, ...extra } });',
        "  void win.loadURL('http://example.org/');",
        '  return win;',
        '}',
      ].join('\n'),
    );
    writeFileSync(path.join(dir, 'app/broken.ts'), 'export const = ;\n');
    const r = await scan(dir, ['app', 'package.json']);
    const found = new Set(r.findings.filter((f) => f.file === 'app/window.ts').map((f) => f.check));
    expect([...found]).toEqual(expect.arrayContaining(['CONTEXT_ISOLATION_JS_CHECK', 'SANDBOX_JS_CHECK', 'HTTP_RESOURCES_JS_CHECK']));
    expect(r.parseErrors.map((e) => e.file)).toEqual(['app/broken.ts']);
    expect(r.checks).toBeGreaterThan(20);
  }, 180_000); // loading the scanner (Babel, TypeScript, ESLint) takes seconds on a busy machine
});
