// The image-extras verdict without Docker: each way an image's record of optional extras can
// read, and the probe program run by the local Python against real record files.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { formatCheckReport } from './format.js';
import { IMAGE_EXTRAS_PROBE, extrasProbeOutput, judgeImageExtras, type ExtraRecord, type ExtrasProbeOutput } from './image-extras.js';
import { lastJson } from './probes.js';
import { anyInstanceOf, stringContaining, stringMatching } from '../testing/matchers.js';

const RECORD = '/usr/local/share/coursedock/extras.json';
const SQL_MISSING: ExtraRecord = {
  name: 'ipython-sql',
  requirement: 'ipython-sql==0.4.1',
  module: 'sql',
  provides: 'the %sql and %%sql magics (%load_ext sql)',
  installed: false,
  reason: 'PyPI could not be reached when the image was built (Failed to establish a new connection)',
};
const probe = (extras: ExtraRecord[], imports: ExtrasProbeOutput['imports']): ExtrasProbeOutput => ({ record: { extras }, error: null, imports });
const judge = (p: ExtrasProbeOutput | undefined, recordPath: string | null = RECORD) => judgeImageExtras({ serviceTitle: 'Jupyter Notebook', recordPath: recordPath ?? undefined, probe: p });

describe('judgeImageExtras', () => {
  it('names a missing extra as a warning, with what it provides, why it is missing and how to get it', () => {
    const v = judge(probe([SQL_MISSING], { 'ipython-sql': { ok: false, detail: "ModuleNotFoundError: No module named 'sql'" } }));
    expect(v).toEqual({
      status: 'warn',
      detail:
        'ipython-sql is not installed (the %sql and %%sql magics (%load_ext sql) cannot be used): PyPI could not be reached when the image was built (Failed to establish a new connection). ' +
        'Everything else in Jupyter Notebook works; only cells that use it will not run.',
      hint: 'While connected to the internet, reinstall Jupyter Notebook (the course\'s published image has it), or run "pip install --user ipython-sql==0.4.1" in its terminal.',
    });
  });

  it('passes when every extra imports, naming versions; one installed since the build says so', () => {
    const installed: ExtraRecord = { ...SQL_MISSING, installed: true, version: '0.4.1' };
    delete installed.reason;
    expect(judge(probe([installed], { 'ipython-sql': { ok: true, detail: '0.4.1' } }))).toEqual({ status: 'pass', detail: 'Optional extras present: ipython-sql 0.4.1.' });
    expect(judge(probe([SQL_MISSING], { 'ipython-sql': { ok: true, detail: '0.4.1' } }))).toEqual({
      status: 'pass',
      detail: 'Optional extras present: ipython-sql 0.4.1 (installed since the image was built).',
    });
  });

  it('fails when an extra the image had no longer imports (the container was changed)', () => {
    const installed: ExtraRecord = { ...SQL_MISSING, installed: true };
    const v = judge(probe([installed], { 'ipython-sql': { ok: false, detail: "ModuleNotFoundError: No module named 'sql'" } }));
    expect(v.status).toBe('fail');
    expect(v.detail).toBe("ipython-sql was installed in the image but does not import now (ModuleNotFoundError: No module named 'sql').");
    expect(v.hint).toBe('Reinstall Jupyter Notebook to get its image again.');
  });

  it('several extras: the missing ones named together, the present ones listed', () => {
    const other: ExtraRecord = { name: 'extra-two', module: 'two', installed: false, reason: 'pip could not install it when the image was built (ERROR: no match)' };
    const present: ExtraRecord = { name: 'extra-three', module: 'three', installed: true };
    const v = judge(probe([SQL_MISSING, other, present], { 'ipython-sql': { ok: false, detail: 'x' }, 'extra-two': { ok: false, detail: 'x' }, 'extra-three': { ok: true, detail: '?' } }));
    expect(v.status).toBe('warn');
    expect(v.detail).toMatch(/^ipython-sql is not installed .*; extra-two is not installed: pip could not install it .*\(ERROR: no match\)\. Everything else in Jupyter Notebook works; only cells that use them will not run\. Present: extra-three\.$/);
    expect(v.hint).toContain('"pip install --user ipython-sql==0.4.1 extra-two"');
  });

  it('an image without the label declares no extras; an unreadable record is a warning, never a pass', () => {
    expect(judge(undefined, null)).toEqual({ status: 'pass', detail: 'The image of Jupyter Notebook declares no optional extras (no org.coursedock.extras-record label).' });
    const unreadable = judge({ record: null, error: "FileNotFoundError: [Errno 2] No such file or directory: '/x'", imports: {} });
    expect(unreadable.status).toBe('warn');
    expect(unreadable.detail).toBe(
      "Could not read the record of optional extras (/usr/local/share/coursedock/extras.json) in Jupyter Notebook: FileNotFoundError: [Errno 2] No such file or directory: '/x'. Some extras may be missing.",
    );
    expect(judgeImageExtras({ serviceTitle: 'Jupyter Notebook', recordPath: RECORD, probe: undefined, probeFailure: 'Python exit code 127: python3: not found' })).toMatchObject({
      status: 'warn',
      detail: stringContaining('Python exit code 127: python3: not found'),
    });
    expect(judge(probe([], {}))).toEqual({ status: 'pass', detail: 'The image of Jupyter Notebook records no optional extras.' });
  });

  it('the CLI text marks a warning with "!" and counts it', () => {
    const text = formatCheckReport({
      project: 'p',
      title: 'T',
      startedAt: '2020-01-01T00:00:00.000Z',
      durationMs: 1000,
      ok: true,
      counts: { pass: 1, fail: 0, skipped: 0, warn: 1 },
      results: [
        { id: 'a', title: 'Modules import', kind: 'python-modules', status: 'pass', ok: true, detail: 'All import.', durationMs: 1 },
        { id: 'b', title: 'Optional extras', kind: 'image-extras', status: 'warn', ok: true, detail: 'ipython-sql is not installed.', hint: 'Reinstall online.', durationMs: 1 },
      ],
    });
    expect(text).toBe(['✓ Modules import', '    All import.', '! Optional extras (warning)', '    ipython-sql is not installed.', '    → Reinstall online.', '', '1 passed, 0 failed, 1 warning in 1.0 s.'].join('\n'));
  });
});

describe('IMAGE_EXTRAS_PROBE (run by this computer\'s python3)', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });
  const runProbe = (file: string) => lastJson(execFileSync('python3', ['-c', IMAGE_EXTRAS_PROBE, file], { encoding: 'utf8' }), extrasProbeOutput);

  it('reads the record and tries each module now', () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'extras-'));
    const file = path.join(dir, 'extras.json');
    writeFileSync(file, JSON.stringify({ record: 1, extras: [{ name: 'stdlib-json', module: 'json', installed: false }, { ...SQL_MISSING, module: 'surely_not_a_module_here' }] }));
    const out = runProbe(file)!;
    expect(out.error).toBeNull();
    expect(out.record?.extras).toHaveLength(2);
    expect(out.imports['stdlib-json']).toEqual({ ok: true, detail: anyInstanceOf(String) });
    expect(out.imports['ipython-sql']).toEqual({ ok: false, detail: "ModuleNotFoundError: No module named 'surely_not_a_module_here'" });
  });

  it('says why a record cannot be read', () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'extras-'));
    const file = path.join(dir, 'extras.json');
    writeFileSync(file, '{not json');
    expect(runProbe(file)).toMatchObject({ record: null, error: stringMatching(/^JSONDecodeError: /), imports: {} });
    expect(runProbe(path.join(dir, 'absent.json'))).toMatchObject({ record: null, error: stringMatching(/^FileNotFoundError: /) });
  });
});
