// Snapshot capture speed and manifest size: the tm351 notebook captured on the real engine
// (median of 5, after one warm-up), its parts (the exec, the parsing), the image baseline
// (a helper container of the image, uncached), drift against it (cached), and the parser/diff
// on a synthetic container with thousands of packages.
// Run: npx tsx bench/snapshot-capture.bench.ts   (BENCH_RUNS=5). Prints tables; asserts nothing.
import { gzipSync } from 'node:zlib';
import { copyCourse } from '../electron/engine/testing/course-copy.js';
import { newTestEngine } from '../electron/engine/testing/test-engine.js';
import { CAPTURE_SCRIPT, MARKER, PYTHON_SNIPPET, parseCaptureOutput } from '../electron/engine/snapshots/capture-script.js';
import { diffManifests } from '../electron/engine/snapshots/diff.js';
import { execInContainer } from '../electron/engine/snapshots/exec.js';
import { packageCounts, parseManifestText, serializeManifest, type Manifest } from '../electron/engine/snapshots/manifest.js';
import { planRecreate } from '../electron/engine/snapshots/recreate.js';
import { captureImage } from '../electron/engine/snapshots/image-baseline.js';
import { captureService, driftOf } from '../electron/engine/snapshots/service-snapshots.js';
import { median, now, table } from './lib.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);

async function timed<T>(n: number, fn: () => Promise<T> | T): Promise<{ ms: number[]; last: T }> {
  const ms: number[] = [];
  let last!: T;
  for (let i = 0; i < n; i++) {
    const t0 = now();
    last = await fn();
    ms.push(now() - t0);
  }
  return { ms, last };
}

const row = (metric: string, ms: number[]) => ({
  metric,
  'median ms': Math.round(median(ms)),
  'min ms': Math.round(Math.min(...ms)),
  'max ms': Math.round(Math.max(...ms)),
  runs: ms.length,
});

/** Capture-script output of a made-up container with `deb` Debian and `py` Python packages. */
function syntheticOutput(deb: number, py: number): string {
  const dpkg = Array.from({ length: deb }, (_, i) => `ii \tpkg-${i}\t${i}.0-1+deb12u1\tamd64`).join('\n');
  const dists = Array.from({ length: py }, (_, i) => ({
    name: `Py_Pkg.${i}`,
    version: `${i}.1`,
    location: i % 10 ? '/usr/lib/python3/dist-packages' : '/usr/local/lib/python3.11/dist-packages',
    installer: i % 10 ? '' : 'pip',
  }));
  return [
    '',
    `${MARKER} os-release`,
    'ID=debian\nVERSION_ID="12"\nVERSION_CODENAME=bookworm',
    `${MARKER} arch`,
    'amd64',
    `${MARKER} dpkg`,
    dpkg,
    `${MARKER} python`,
    JSON.stringify({ python: '3.11.2', dists: [] }),
    `${MARKER} pip`,
    JSON.stringify(dists),
    '',
    'pip-exit 0',
    `${MARKER} end`,
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const t = newTestEngine(copyCourse('tm351', 'cdbench'));
  try {
    const docker = await t.engine.connection.require();
    const env = await t.engine.open(t.copy.project);
    const t0 = now();
    const up = await env.up(['notebook']);
    if (!up.ok) throw new Error(`notebook did not start: ${JSON.stringify(up.services)}`);
    console.log(`notebook up in ${Math.round(now() - t0)} ms; warming up…`);
    await captureService(docker, env, 'notebook'); // warm-up: page cache, pip's imports

    const capture = await timed(RUNS, () => captureService(docker, env, 'notebook', 'bench'));
    const id = env.tracker.containerId('notebook')!;
    const exec = await timed(RUNS, () => execInContainer(docker, id, ['sh', '-c', CAPTURE_SCRIPT], { env: [`CD_PY=${PYTHON_SNIPPET}`] }));
    const raw = exec.last.stdout;
    const parse = await timed(RUNS, () => parseCaptureOutput(raw));
    const manifest: Manifest = capture.last;
    const baseline = await timed(RUNS, () => captureImage(docker, manifest.image));
    const drift = await timed(RUNS, () => driftOf(docker, env, 'notebook', { baseline: true }, `${t.copy.home}/snapshots`));
    const json = serializeManifest(manifest);
    const load = await timed(RUNS, () => parseManifestText(json, 'bench.json'));
    const plan = await timed(RUNS, () => planRecreate(manifest));
    const c = packageCounts(manifest);

    console.log(`\nSnapshot capture of the tm351 notebook (${RUNS} runs each)\n`);
    console.log(
      table([
        row('capture (exec + parse + inspect + validate)', capture.ms),
        row('  the exec alone (script in the container)', exec.ms),
        row('  parsing its output', parse.ms),
        row('image baseline (helper container: create, start, capture, remove)', baseline.ms),
        row('drift against the image baseline (capture + diff; baseline cached)', drift.ms),
        row('load + validate the manifest (zod)', load.ms),
        row('generate Dockerfile + script (no archive check)', plan.ms),
      ]),
    );
    console.log('\nManifest\n');
    console.log(
      table([
        {
          'Debian pkgs': c.debian,
          'Python pkgs': c.python,
          'npm pkgs': c.npm,
          'script output KB': +(Buffer.byteLength(raw) / 1024).toFixed(1),
          'manifest KB': +(Buffer.byteLength(json) / 1024).toFixed(1),
          'gzipped KB': +(gzipSync(json).length / 1024).toFixed(1),
          'Dockerfile KB': +(Buffer.byteLength(plan.last.dockerfile) / 1024).toFixed(1),
          'drift (fresh)': drift.last.empty ? 'none' : `${drift.last.counts.added}+ ${drift.last.counts.removed}- ${drift.last.counts.changed}~`,
        },
      ]),
    );
  } finally {
    await t.destroy();
  }

  // Large outputs: the parser and the diff on made-up containers, no Docker.
  const rows = [];
  for (const [deb, py] of [
    [326, 84],
    [3000, 1000],
    [10000, 5000],
  ] as const) {
    const out = syntheticOutput(deb, py);
    const parse = await timed(RUNS, () => parseCaptureOutput(out));
    const p = parse.last;
    const m: Manifest = {
      format: 'coursedock-snapshot',
      version: 1,
      name: 'synthetic',
      createdAt: new Date().toISOString(),
      project: 'bench',
      service: 'synthetic',
      image: { ref: 'x', id: 'sha256:x' },
      os: p.os,
      packages: p.packages,
      ...(p.python ? { python: p.python } : {}),
    };
    const other: Manifest = { ...m, packages: { ...m.packages, debian: { ...m.packages.debian, 'pkg-1': 'changed', extra: '1' } } };
    const diff = await timed(RUNS, () => diffManifests(m, other));
    const json = serializeManifest(m);
    const load = await timed(RUNS, () => parseManifestText(json, 'x'));
    rows.push({
      packages: `${deb} Debian + ${py} Python`,
      'output KB': Math.round(Buffer.byteLength(out) / 1024),
      'parse ms': +median(parse.ms).toFixed(1),
      'diff ms': +median(diff.ms).toFixed(1),
      'load+validate ms': +median(load.ms).toFixed(1),
      'manifest KB': Math.round(Buffer.byteLength(json) / 1024),
    });
  }
  console.log('\nLarge outputs (synthetic, no Docker; medians)\n');
  console.log(table(rows));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
