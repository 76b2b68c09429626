// The Electron security scan in `npm test`: Doyensec's electronegativity over electron/ and
// renderer/ (main, preload, desktop shell and panel together, so its global checks see the
// navigation and permission handlers), judged against the justifications in docs/security.md.
// Exits 0 only when every finding is justified there, every row there still matches a finding,
// and every file parsed.
//
// Offline and repeatable: the checks that download Electron's release list are left out (npm
// and the lockfile decide the Electron version), and the scanner's start-up fetch of
// translations is replaced by its bundled en-US messages, so no run reaches the network.
//
//   npx tsx scripts/electron-scan.ts        (npm run scan:electron)
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DOC_SECTION, judge, readJustifications, type ScanFinding } from './scan-justifications.js';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** What the scan covers, relative to the repository (package files give it the Electron version). */
export const SCANNED = ['electron', 'renderer', 'package.json', 'package-lock.json'];

/** Checks that need the network (they fetch Electron's releases from GitHub). */
export const NETWORK_CHECKS = ['AvailableSecurityFixesGlobalCheck'];

export interface ScanResult {
  findings: ScanFinding[];
  /** Files the scanner could not parse (each is a file not checked). */
  parseErrors: Array<{ file: string; message: string }>;
  checks: number;
}

interface RawIssue {
  id: string;
  file: string;
  location: { line: number; column: number };
  severity: { name?: string; format?: () => string } | string;
  description: string;
}

type Runner = (
  options: Record<string, unknown>,
  forCli: boolean,
) => Promise<{ globalChecks: number; atomicChecks: number; errors: Array<{ file: string; message: string; tolerable: boolean }>; issues: RawIssue[] }>;

/** electronegativity's runner, with its network-bound translation loader replaced by the bundled messages. */
function loadRunner(): Runner {
  const require = createRequire(import.meta.url);
  const pkg = require.resolve('@doyensec/electronegativity/package.json');
  const dist = path.join(path.dirname(pkg), 'dist');
  const own = createRequire(pkg);
  const i18n = own('i18n') as { configure(o: object): void; setLocale(l: string): void };
  const loader = path.join(dist, 'locales', 'i18n.js');
  const stub = new Module(loader);
  stub.filename = loader;
  stub.loaded = true;
  stub.exports = {
    __esModule: true,
    default: () =>
      new Promise<void>((resolve) => {
        i18n.configure({ locales: ['en-US'], defaultLocale: 'en-US', directory: path.dirname(loader), updateFiles: false, objectNotation: true, register: globalThis });
        i18n.setLocale('en-US');
        resolve();
      }),
  };
  own.cache[loader] = stub;
  return own(path.join(dist, 'runner.js')) as Runner;
}

const severityName = (s: RawIssue['severity']) => (typeof s === 'string' ? s : (s.name ?? s.format?.() ?? ''));

/** Scans `paths` under `root` (each linked into one folder, so the report names them as in the repo). */
export async function scan(root: string, paths: string[]): Promise<ScanResult> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cd-electron-scan-'));
  try {
    for (const p of paths) symlinkSync(path.join(root, p), path.join(dir, p));
    const run = loadRunner();
    const r = await run(
      { input: dir, isRelative: true, isVerbose: false, customScan: [], excludeFromScan: NETWORK_CHECKS, parserPlugins: [] },
      false,
    );
    return {
      checks: r.globalChecks + r.atomicChecks,
      parseErrors: r.errors.filter((e) => !e.tolerable).map((e) => ({ file: path.relative(dir, e.file), message: e.message })),
      findings: r.issues.map((i) => ({
        check: i.id,
        file: i.file,
        line: i.location.line,
        severity: severityName(i.severity),
        description: i.description,
      })),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<number> {
  const result = await scan(REPO_ROOT, SCANNED);
  const doc = readFileSync(path.join(REPO_ROOT, 'docs/security.md'), 'utf8');
  const verdict = judge(result.findings, readJustifications(doc));
  for (const f of verdict.justified) console.log(`  justified   ${f.check} ${f.file}:${f.line}`);
  for (const f of verdict.unjustified) console.log(`  NOT JUSTIFIED  ${f.check} (${f.severity}) ${f.file}:${f.line} — ${f.description}`);
  for (const j of verdict.stale) console.log(`  STALE ROW   ${j.check} ${j.file}: the scan no longer reports it; remove the row from docs/security.md`);
  for (const e of result.parseErrors) console.log(`  NOT PARSED  ${e.file}: ${e.message}`);
  if (result.checks === 0) console.log('  the scanner loaded no checks');
  const ok = !verdict.unjustified.length && !verdict.stale.length && !result.parseErrors.length && result.checks > 0;
  console.log(
    `electronegativity (${result.checks} checks over ${SCANNED.join(', ')}): ${result.findings.length} findings, ` +
      `${verdict.justified.length} justified in docs/security.md ("${DOC_SECTION.replace(/^## /, '')}"), ` +
      `${verdict.unjustified.length} not justified, ${verdict.stale.length} stale rows, ${result.parseErrors.length} files not parsed`,
  );
  return ok ? 0 : 1;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}
