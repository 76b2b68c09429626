// Snapshots of the tm351 notebook on the real engine: capture lists what the course installs;
// a Debian package and a Python package added by hand show up as exactly those two in the
// drift from the course baseline (engine, API and CLI); reinstalling clears the drift.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiSession } from '../../api/api-session.js';
import type { Environment } from '../environment.js';
import { REPO_ROOT } from '../testing/course-copy.js';
import { newTestEngine, type TestEngine } from '../testing/test-engine.js';
import { formatDrift, type DriftReport } from './diff.js';
import { execInContainer } from './exec.js';
import { readManifest } from './manifest.js';
import { driftOf, takeSnapshot } from './service-snapshots.js';
import { baselineFile, listSnapshots } from './store.js';

const run = promisify(execFile);

/** Fails with the drift in words, so a mismatch says what differs. */
function expectNoDrift(d: DriftReport): void {
  if (!d.empty) throw new Error(`expected no drift, got:\n${formatDrift(d)}`);
}

describe('snapshots of the tm351 notebook', () => {
  let t: TestEngine;
  let env: Environment;
  let docker: Dockerode;
  let root: string;
  const savedHome = process.env.COURSEDOCK_HOME;

  beforeAll(async () => {
    t = newTestEngine();
    // The API session and the CLI find the snapshots folder through COURSEDOCK_HOME.
    process.env.COURSEDOCK_HOME = t.copy.home;
    root = path.join(t.copy.home, 'snapshots');
    docker = await t.engine.connection.require();
    env = await t.engine.open(t.copy.project);
    const up = await env.up(['notebook']);
    expect(up.services.find((s) => s.service === 'notebook')).toEqual({ service: 'notebook', ok: true });
  });

  afterAll(async () => {
    if (savedHome === undefined) delete process.env.COURSEDOCK_HOME;
    else process.env.COURSEDOCK_HOME = savedHome;
    await t?.destroy();
  });

  const exec = async (cmd: string, user = 'root') => {
    const r = await execInContainer(docker, env.tracker.containerId('notebook')!, ['sh', '-c', cmd], {
      user,
      env: user === 'root' ? [] : ['HOME=/home/student'],
      timeoutMs: 240_000,
    });
    if (r.exitCode !== 0) throw new Error(`${cmd} failed (${r.exitCode}): ${r.stdout.slice(-800)}${r.stderr.slice(-800)}`);
    return r.stdout;
  };

  it('captures pandas, psycopg2, the Jupyter packages and a few hundred Debian packages, and saves it', async () => {
    const snap = await takeSnapshot(docker, env, 'notebook', { name: 'fresh', root });
    const m = snap.manifest;
    expect(m.project).toBe(t.copy.project);
    expect(m.image.ref).toBe('coursedock/tm351-notebook:1');
    expect(m.image.id).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(m.image.created).toBeTruthy();
    expect(m.os).toMatchObject({ id: 'debian', versionId: '12', codename: 'bookworm', architecture: 'amd64' });

    const debian = m.packages.debian;
    expect(Object.keys(debian).length).toBeGreaterThan(250);
    expect(Object.keys(debian).length).toBeLessThan(1000);
    for (const p of ['jupyter-notebook', 'python3-pandas', 'python3-psycopg2', 'python3-matplotlib', 'bash', 'tini']) {
      expect(debian[p], p).toMatch(/^[0-9]/);
    }

    const py = m.packages.python;
    expect(py.pandas).toMatch(/^1\.5\./);
    expect(py.psycopg2).toMatch(/^2\.9\./);
    expect(py.notebook).toMatch(/^6\.4\./);
    for (const p of ['jupyter-core', 'jupyter-client', 'nbconvert', 'nbformat', 'ipykernel', 'terminado', 'sqlalchemy', 'pymongo']) {
      expect(py[p], p).toMatch(/^[0-9]/);
    }
    expect(m.python).toMatchObject({ lister: 'pip', notFromDebian: {} });
    expect(m.packages.npm).toEqual({});
    expect(m.node).toBeUndefined();
    expect(m.warnings).toBeUndefined();

    // Saved where the data folder keeps snapshots, readable again, listed.
    expect(snap.file).toBe(path.join(root, t.copy.project, 'notebook', snap.id));
    expect(readManifest(snap.file)).toEqual(m);
    expect(listSnapshots(t.copy.project, 'notebook', root).snapshots.map((s) => s.id)).toEqual([snap.id]);
  });

  it('a fresh container matches the course baseline shipped with the spec', async () => {
    const file = baselineFile(env.spec.file, 'notebook');
    expect(existsSync(file)).toBe(true);
    // The copy's baseline is the repository's one.
    expect(readFileSync(file, 'utf8')).toBe(readFileSync(path.join(REPO_ROOT, 'compose-specs/tm351/baselines/notebook.json'), 'utf8'));
    const d = await driftOf(docker, env, 'notebook', { baseline: true }, root);
    expectNoDrift(d); // if this fails after a rebuild of the image: npx tsx electron/engine/snapshots/make-baseline.ts tm351 notebook
    expect(d.reference.file).toBe(file);
  });

  it('one extra Debian package and one Python package show up as exactly those two added', async () => {
    // GNU hello: a Debian package with no dependencies the image lacks.
    await exec('apt-get update -qq && apt-get install -y -qq --no-install-recommends hello >/dev/null && rm -rf /var/lib/apt/lists/*');
    // No PyPI here: a tiny package from a local folder, installed the way a student would (--user).
    await exec(
      [
        'mkdir -p /tmp/pkg/cdhello',
        'printf "from setuptools import setup\\nsetup(name=\\"coursedock-hello\\", version=\\"0.1.0\\", packages=[\\"cdhello\\"])\\n" > /tmp/pkg/setup.py',
        'echo "GREETING = 1" > /tmp/pkg/cdhello/__init__.py',
        'chmod -R a+rwX /tmp/pkg',
      ].join(' && '),
    );
    await exec('cd /tmp && python3 -m pip install --user --no-index --no-build-isolation --disable-pip-version-check -q /tmp/pkg', 'student');
    expect(await exec('python3 -c "import cdhello; print(cdhello.GREETING)"', 'student')).toBe('1\n');

    const d = await driftOf(docker, env, 'notebook', { baseline: true }, root);
    expect(d.ecosystems.debian).toEqual({ added: [{ name: 'hello', version: expect.stringMatching(/^2\.10/) }], removed: [], changed: [] });
    expect(d.ecosystems.python).toEqual({ added: [{ name: 'coursedock-hello', version: '0.1.0' }], removed: [], changed: [] });
    expect(d.ecosystems.npm).toEqual({ added: [], removed: [], changed: [] });
    expect(d.counts).toEqual({ added: 2, removed: 0, changed: 0 });
    expect(d.empty).toBe(false);
    // (d.imageChanged may be true: a rebuild of the course image with the same packages gets a new id.)
  });

  it('the API and the CLI report the same drift', async () => {
    const session = new ApiSession(t.engine, () => undefined);
    try {
      const viaApi = (await session.call('snapshot.drift', { project: t.copy.project, service: 'notebook' })) as DriftReport;
      expect(viaApi.counts).toEqual({ added: 2, removed: 0, changed: 0 });
      expect(viaApi.ecosystems.debian.added.map((p) => p.name)).toEqual(['hello']);
      expect(viaApi.ecosystems.python.added.map((p) => p.name)).toEqual(['coursedock-hello']);

      const list = (await session.call('snapshot.list', { project: t.copy.project })) as { snapshots: unknown[]; baselines: string[] };
      expect(list.snapshots).toHaveLength(1);
      expect(list.baselines).toEqual(['notebook']);

      await expect(session.call('snapshot.drift', { project: t.copy.project, service: 'notebook', against: '../../x.json' })).rejects.toMatchObject({
        error: { code: 'invalid-input' },
      });
    } finally {
      session.dispose();
    }

    const { stdout } = await run(process.execPath, [path.join(REPO_ROOT, 'bin/coursedock.js'), 'drift', t.copy.project, 'notebook'], {
      env: { ...process.env, ...t.copy.env },
      timeout: 120_000,
    });
    expect(stdout).toContain('Drift from baseline');
    expect(stdout).toContain('2 added, 0 removed, 0 changed.');
    expect(stdout).toMatch(/Debian packages:\n {2}\+ hello 2\.10/);
    expect(stdout).toContain('Python packages:\n  + coursedock-hello 0.1.0');
    expect(stdout).toContain('Reinstalling the service');

    const cli = await run(process.execPath, [path.join(REPO_ROOT, 'bin/coursedock.js'), 'snapshot', t.copy.project, 'notebook', '--name', 'from cli'], {
      env: { ...process.env, ...t.copy.env },
      timeout: 120_000,
    });
    expect(cli.stdout).toMatch(/^Snapshot "from cli" of notebook: \d{3} Debian, \d{2,3} Python, 0 npm packages\.\nSaved in .*-from-cli\.json$/m);
    const saved = listSnapshots(t.copy.project, 'notebook', root).snapshots.find((s) => s.name === 'from cli');
    expect(saved?.counts.python).toBe(Object.keys(readManifest(baselineFile(env.spec.file, 'notebook')).packages.python).length + 1);
  });

  it('recreate of the drifted container lists the local-path Python package as not pinnable', async () => {
    const snap = await takeSnapshot(docker, env, 'notebook', { name: 'drifted', root });
    const session = new ApiSession(t.engine, () => undefined);
    try {
      const r = (await session.call('snapshot.recreate', { project: t.copy.project, service: 'notebook', snapshot: snap.id })) as {
        checked: boolean;
        notPinned: string[];
        files: string[];
        dockerfile: string;
        counts: { debianPinned: number; debianInBase: number };
      };
      expect(r.checked).toBe(true);
      expect(r.notPinned).toEqual([
        'Python coursedock-hello 0.1.0: installed from a local path (file:///tmp/pkg), which is on no package index; not installed',
      ]);
      expect(r.dockerfile).toMatch(/^ {6}hello=2\.10/m);
      expect(r.counts.debianPinned + r.counts.debianInBase).toBe(Object.keys(snap.manifest.packages.debian).length);
      expect(r.files.map((f) => path.basename(f))).toEqual(['Dockerfile', 'install.sh']);
      for (const f of r.files) expect(existsSync(f)).toBe(true);
    } finally {
      session.dispose();
    }
  });

  it('after reinstall (a fresh container from the image) the drift is empty', async () => {
    const before = env.tracker.containerId('notebook');
    expect((await env.reinstall('notebook')).ok).toBe(true);
    expect(env.tracker.containerId('notebook')).not.toBe(before);
    expectNoDrift(await driftOf(docker, env, 'notebook', { baseline: true }, root));
    // And against the snapshot taken before the changes, too.
    const fresh = listSnapshots(t.copy.project, 'notebook', root).snapshots.find((s) => s.name === 'fresh')!;
    expectNoDrift(await driftOf(docker, env, 'notebook', { snapshot: fresh.id }, root));
  });

  it('a stopped service cannot be captured, and says so', async () => {
    expect((await env.stop('notebook')).ok).toBe(true);
    await expect(driftOf(docker, env, 'notebook', { baseline: true }, root)).rejects.toThrow(/Jupyter Notebook is not running: start it/);
  });
});
