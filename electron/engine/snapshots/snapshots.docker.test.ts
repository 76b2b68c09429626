// Snapshots of the tm351 notebook on the real engine: capture lists what the course installs;
// drift is measured against a fresh container of the image the service runs (so it is empty on
// a fresh container whatever day the image was built, and whatever the course's reference
// says); a Debian package and a Python package added by hand show up as exactly those two
// (engine, API and CLI); reinstalling clears the drift; a new image gets its own baseline; the
// image compared with the course's reference is a separate report, never drift.
// Each test starts from a fresh container it makes itself (a reinstall) and cleans up after
// itself. The packages the tests add are made in the container (a .deb built with dpkg-deb, a
// Python package from a local folder), so no assertion depends on what Debian serves today.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiSession } from '../../api/api-session.js';
import type { Environment } from '../environment.js';
import { copyCourse, REPO_ROOT } from '../testing/course-copy.js';
import { newTestEngine, type TestEngine } from '../testing/test-engine.js';
import { Teardown } from '../testing/teardown.js';
import { HELPER_LABEL } from './archive-check.js';
import type { ReferenceReport } from './course-reference.js';
import { formatDrift, type DriftReport } from './diff.js';
import { execInContainer } from './exec.js';
import { imageBaseline, imageBaselineFile, imageBaselinesDir } from './image-baseline.js';
import { readManifest, serializeManifest } from './manifest.js';
import { driftOf, referenceOf, takeSnapshot } from './service-snapshots.js';
import { courseReferenceFile, listSnapshots, snapshotsRoot } from './store.js';

const run = promisify(execFile);
/** Per test: a reinstall waits for the notebook to be healthy, which is slow on a busy machine. */
const SLOW = { timeout: 900_000 };
const CLI = path.join(REPO_ROOT, 'bin/coursedock.js');

/** Fails with the drift in words, so a mismatch says what differs. */
function expectNoDrift(d: DriftReport): void {
  if (!d.empty) throw new Error(`expected no drift, got:\n${formatDrift(d)}`);
}

/** Shell that builds and installs `coursedock-hello` 0.1-1, a Debian package made up here (no archive needed). */
const MAKE_DEB = [
  'set -e',
  'd=$(mktemp -d)',
  'mkdir -p "$d/DEBIAN" "$d/usr/share/coursedock-hello"',
  `printf 'Package: coursedock-hello\\nVersion: 0.1-1\\nArchitecture: all\\nMaintainer: Coursedock tests <tests@example.invalid>\\nDescription: made up by the snapshot tests\\n' > "$d/DEBIAN/control"`,
  'echo hello > "$d/usr/share/coursedock-hello/hello.txt"',
  'dpkg-deb --root-owner-group --build "$d" /tmp/coursedock-hello.deb >/dev/null',
  'dpkg -i /tmp/coursedock-hello.deb >/dev/null',
  'rm -rf "$d" /tmp/coursedock-hello.deb',
].join('\n');

describe('snapshots of the tm351 notebook', () => {
  const teardown = new Teardown();
  let t: TestEngine;
  let env: Environment;
  let docker: Dockerode;
  const savedHome = process.env.COURSEDOCK_HOME;

  beforeAll(async () => {
    t = teardown.add(newTestEngine(), (made) => made.destroy());
    // The API session and the CLI find the data folder through COURSEDOCK_HOME.
    process.env.COURSEDOCK_HOME = t.copy.home;
    docker = await t.engine.connection.require();
    env = await t.engine.open(t.copy.project);
    const up = await env.up(['notebook']);
    expect(up.services.find((s) => s.service === 'notebook')).toEqual({ service: 'notebook', ok: true });
  });

  afterAll(async () => {
    if (savedHome === undefined) delete process.env.COURSEDOCK_HOME;
    else process.env.COURSEDOCK_HOME = savedHome;
    await teardown.run();
  });

  /**
   * Whether the notebook container may differ from a fresh one: set before anything changes it
   * (packages added, stopped), cleared by a reinstall. A test that fails half-way leaves it set.
   */
  let changed = false;
  /** A fresh, running notebook container from its image: nothing another test did remains. */
  const freshNotebook = async () => {
    if (!changed) return;
    const r = await env.reinstall('notebook');
    if (!r.ok) throw new Error(`reinstall failed: ${JSON.stringify(r.services)}`);
    changed = false;
  };

  /** A snapshots folder (with its image-baseline cache) of the test's own. */
  const ownRoot = () => mkdtempSync(path.join(t.copy.home, 'snapshots-'));

  const exec = async (cmd: string, user = 'root') => {
    const r = await execInContainer(docker, env.tracker.containerId('notebook')!, ['sh', '-c', cmd], {
      user,
      env: user === 'root' ? [] : ['HOME=/home/student'],
      timeoutMs: 240_000,
    });
    if (r.exitCode !== 0) throw new Error(`${cmd} failed (${r.exitCode}): ${r.stdout.slice(-800)}${r.stderr.slice(-800)}`);
    return r.stdout;
  };

  /** What a student might do: a Debian package installed with dpkg, a Python package with pip --user. */
  const addTwoPackages = async () => {
    changed = true;
    await exec(MAKE_DEB);
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
  };

  /** Runs with the course's reference file replaced, and puts the shipped one back. */
  const withReference = async (text: string, body: () => Promise<void>) => {
    const file = courseReferenceFile(env.spec.file, 'notebook');
    const shipped = readFileSync(file, 'utf8');
    writeFileSync(file, text);
    try {
      await body();
    } finally {
      writeFileSync(file, shipped);
    }
  };

  const containerImage = async () => (await docker.getContainer(env.tracker.containerId('notebook')!).inspect()).Image;

  it('captures pandas, psycopg2, the Jupyter packages and a few hundred Debian packages, and saves it', SLOW, async () => {
    await freshNotebook();
    const root = ownRoot();
    const snap = await takeSnapshot(docker, env, 'notebook', { name: 'fresh', root });
    const m = snap.manifest;
    expect(m.project).toBe(t.copy.project);
    expect(m.image.ref).toBe('coursedock/tm351-notebook:1');
    expect(m.image.id).toBe(await containerImage());
    expect(m.image.created).toBeTruthy();
    expect(m.os).toMatchObject({ id: 'debian', versionId: '12', codename: 'bookworm', architecture: 'amd64' });

    const debian = m.packages.debian;
    expect(Object.keys(debian).length).toBeGreaterThan(250);
    expect(Object.keys(debian).length).toBeLessThan(1000);
    for (const p of ['jupyter-notebook', 'python3-pandas', 'python3-psycopg2', 'python3-matplotlib', 'bash', 'tini']) {
      expect(debian[p], p).toMatch(/^[0-9]/);
    }

    const py = m.packages.python;
    for (const p of ['pandas', 'psycopg2', 'notebook', 'jupyter-core', 'jupyter-client', 'nbconvert', 'nbformat', 'ipykernel', 'terminado', 'sqlalchemy', 'pymongo']) {
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

  it('a fresh container has no drift from its image, captured once per image id without the student\'s volumes', SLOW, async () => {
    await freshNotebook();
    const root = ownRoot();
    const imageId = await containerImage();
    const cache = imageBaselineFile(imageId, imageBaselinesDir(root));
    expect(existsSync(cache)).toBe(false);

    const d = await driftOf(docker, env, 'notebook', { baseline: true }, root);
    expectNoDrift(d);
    expect(d.reference).toMatchObject({ kind: 'image', imageId, imageRef: 'coursedock/tm351-notebook:1' });
    expect(d.imageChanged).toBe(false);
    expect(formatDrift(d)).toMatch(/^No drift: the packages match a fresh container of the image coursedock\/tm351-notebook:1 \([0-9a-f]{12}\)\.$/);

    // Cached by image id: the next drift reads the file instead of starting a helper again.
    expect(readManifest(cache).image.id).toBe(imageId);
    const written = statSync(cache).mtimeMs;
    expectNoDrift(await driftOf(docker, env, 'notebook', { baseline: true }, root));
    expect(statSync(cache).mtimeMs).toBe(written);
    expect((await imageBaseline(docker, { id: imageId, ref: 'x' }, { dir: imageBaselinesDir(root) })).cached).toBe(true);

    // The helper was short-lived and had no mounts of the student's.
    const helpers = await docker.listContainers({ all: true, filters: { label: [`${HELPER_LABEL}=image-baseline`], ancestor: [imageId] } });
    expect(helpers).toEqual([]);
  });

  it('drift does not read the course reference, even one recorded long ago', SLOW, async () => {
    await freshNotebook();
    const root = ownRoot();
    // A made-up "old" reference: every Debian package one step older than the image's.
    const image = (await imageBaseline(docker, { id: await containerImage(), ref: 'coursedock/tm351-notebook:1' }, { dir: imageBaselinesDir(root) })).manifest;
    const old = { ...image, name: 'reference', packages: { ...image.packages, debian: Object.fromEntries(Object.entries(image.packages.debian).map(([n, v]) => [n, `${v}~old`])) } };
    await withReference(serializeManifest(old), async () => {
      expectNoDrift(await driftOf(docker, env, 'notebook', { baseline: true }, root));
      const session = new ApiSession(t.engine, () => undefined);
      try {
        const viaApi = (await session.call('snapshot.drift', { project: t.copy.project, service: 'notebook' })) as DriftReport;
        expectNoDrift(viaApi);
      } finally {
        session.dispose();
      }
    });
  });

  it('one extra Debian package and one Python package show up as exactly those two added', SLOW, async () => {
    await freshNotebook();
    const root = ownRoot();
    await addTwoPackages();
    const d = await driftOf(docker, env, 'notebook', { baseline: true }, root);
    expect(d.ecosystems.debian).toEqual({ added: [{ name: 'coursedock-hello', version: '0.1-1' }], removed: [], changed: [] });
    expect(d.ecosystems.python).toEqual({ added: [{ name: 'coursedock-hello', version: '0.1.0' }], removed: [], changed: [] });
    expect(d.ecosystems.npm).toEqual({ added: [], removed: [], changed: [] });
    expect(d.counts).toEqual({ added: 2, removed: 0, changed: 0 });
    expect(d.empty).toBe(false);
    expect(d.imageChanged).toBe(false);
  });

  it('the API and the CLI report the same drift', SLOW, async () => {
    await freshNotebook();
    const session = new ApiSession(t.engine, () => undefined);
    try {
      await addTwoPackages();
      const viaApi = (await session.call('snapshot.drift', { project: t.copy.project, service: 'notebook' })) as DriftReport;
      expect(viaApi.counts).toEqual({ added: 2, removed: 0, changed: 0 });
      expect(viaApi.ecosystems.debian.added.map((p) => p.name)).toEqual(['coursedock-hello']);
      expect(viaApi.ecosystems.python.added.map((p) => p.name)).toEqual(['coursedock-hello']);

      const taken = (await session.call('snapshot.capture', { project: t.copy.project, service: 'notebook', name: 'via api' })) as { id: string };
      const list = (await session.call('snapshot.list', { project: t.copy.project })) as { snapshots: Array<{ id: string }>; references: string[] };
      expect(list.snapshots.map((s) => s.id)).toContain(taken.id);
      expect(list.references).toEqual(['notebook']);

      await expect(session.call('snapshot.drift', { project: t.copy.project, service: 'notebook', against: '../../x.json' })).rejects.toMatchObject({
        error: { code: 'invalid-input' },
      });

      const { stdout } = await run(process.execPath, [CLI, 'drift', t.copy.project, 'notebook'], { env: { ...process.env, ...t.copy.env }, timeout: 120_000 });
      expect(stdout).toMatch(/^Drift from the image coursedock\/tm351-notebook:1 \([0-9a-f]{12}\): 2 added, 0 removed, 0 changed\.$/m);
      expect(stdout).toContain('Debian packages:\n  + coursedock-hello 0.1-1');
      expect(stdout).toContain('Python packages:\n  + coursedock-hello 0.1.0');
      expect(stdout).toContain('Reinstalling the service');
      const json = await run(process.execPath, [CLI, 'drift', t.copy.project, 'notebook', '--json'], { env: { ...process.env, ...t.copy.env }, timeout: 120_000 });
      const viaCli = JSON.parse(json.stdout) as DriftReport;
      expect(viaCli.ecosystems).toEqual(viaApi.ecosystems);
      expect(viaCli.reference).toEqual(viaApi.reference);

      const cli = await run(process.execPath, [CLI, 'snapshot', t.copy.project, 'notebook', '--name', 'from cli'], {
        env: { ...process.env, ...t.copy.env },
        timeout: 120_000,
      });
      expect(cli.stdout).toMatch(/^Snapshot "from cli" of notebook: \d{3} Debian, \d{2,3} Python, 0 npm packages\.\nSaved in .*-from-cli\.json$/m);
      const saved = listSnapshots(t.copy.project, 'notebook', snapshotsRoot()).snapshots.find((s) => s.name === 'from cli');
      const image = readManifest(imageBaselineFile(viaApi.reference.imageId, imageBaselinesDir(snapshotsRoot())));
      expect(saved?.counts.python).toBe(Object.keys(image.packages.python).length + 1);
      expect(saved?.counts.debian).toBe(Object.keys(image.packages.debian).length + 1);
    } finally {
      session.dispose();
    }
  });

  it('the image compared with the course reference is a report of its own, in words, never drift', SLOW, async () => {
    await freshNotebook();
    const root = ownRoot();
    const imageId = await containerImage();
    const image = (await imageBaseline(docker, { id: imageId, ref: 'coursedock/tm351-notebook:1' }, { dir: imageBaselinesDir(root) })).manifest;
    // A reference as if recorded before Debian's last updates: two packages one step older.
    const [a, b] = Object.keys(image.packages.debian).sort();
    const debian = { ...image.packages.debian, [a!]: `${image.packages.debian[a!]}~old`, [b!]: `${image.packages.debian[b!]}~old` };
    const reference = { ...image, name: 'reference', createdAt: '2020-01-02T03:04:05.000Z', packages: { ...image.packages, debian } };
    await withReference(serializeManifest(reference), async () => {
      const session = new ApiSession(t.engine, () => undefined);
      try {
        const r = (await session.call('snapshot.reference', { project: t.copy.project, service: 'notebook' })) as ReferenceReport & { service: string };
        expect(r.service).toBe('notebook');
        expect(r.image.id).toBe(imageId);
        expect(r.same).toBe(false);
        expect(r.debian.newer.map((c) => c.name)).toEqual([a, b]);
        expect(r.debian).toMatchObject({ older: [], added: [], removed: [] });
        expect(r.summary).toEqual([
          "2 system packages are newer than the course's reference: security and bug-fix updates Debian published after 2020-01-02, included when the image was built. Nothing to do.",
        ]);
        // Not drift: the same container has none.
        expectNoDrift((await session.call('snapshot.drift', { project: t.copy.project, service: 'notebook' })) as DriftReport);
      } finally {
        session.dispose();
      }
      const { stdout } = await run(process.execPath, [CLI, 'reference', t.copy.project, 'notebook'], { env: { ...process.env, ...t.copy.env }, timeout: 120_000 });
      expect(stdout).toContain("2 system packages are newer than the course's reference: security");
      expect(stdout).toContain(`System packages newer than the reference:\n  ${a} `);
      expect(stdout).toContain('it is not drift');
    });

    // The shipped reference gives a report too, whatever it says on the day the test runs.
    const shipped = await referenceOf(docker, env, 'notebook', root);
    expect(shipped.reference.file).toBe(courseReferenceFile(env.spec.file, 'notebook'));
    expect(shipped.summary.length).toBeGreaterThan(0);
  });

  it('after reinstall (a fresh container from the image) the drift is empty', SLOW, async () => {
    await freshNotebook();
    const root = ownRoot();
    const fresh = await takeSnapshot(docker, env, 'notebook', { name: 'fresh', root });
    await addTwoPackages();
    expect((await driftOf(docker, env, 'notebook', { baseline: true }, root)).counts).toEqual({ added: 2, removed: 0, changed: 0 });

    const before = env.tracker.containerId('notebook');
    expect((await env.reinstall('notebook')).ok).toBe(true);
    changed = false;
    expect(env.tracker.containerId('notebook')).not.toBe(before);
    expectNoDrift(await driftOf(docker, env, 'notebook', { baseline: true }, root));
    // And against the snapshot taken before the changes, too.
    expectNoDrift(await driftOf(docker, env, 'notebook', { snapshot: fresh.id }, root));
  });

  it('recreate of a drifted container lists the made-up Debian package and the local-path Python package as not pinnable', SLOW, async () => {
    await freshNotebook();
    const session = new ApiSession(t.engine, () => undefined);
    try {
      await addTwoPackages();
      const snap = await takeSnapshot(docker, env, 'notebook', { name: 'drifted' });
      const r = (await session.call('snapshot.recreate', { project: t.copy.project, service: 'notebook', snapshot: snap.id })) as {
        checked: boolean;
        notPinned: string[];
        files: string[];
        dockerfile: string;
        counts: { debianPinned: number; debianInBase: number };
      };
      expect(r.checked).toBe(true);
      const added = r.notPinned.filter((line) => line.includes('coursedock-hello'));
      expect(added).toEqual([
        'Debian coursedock-hello 0.1-1: not in the archive of debian:bookworm-slim; not installed',
        'Python coursedock-hello 0.1.0: installed from a local path (file:///tmp/pkg), which is on no package index; not installed',
      ]);
      // The course image's own stand-in for pythran (see the notebook Dockerfile) is on no archive either: said, not hidden.
      for (const line of r.notPinned.filter((l) => !added.includes(l))) expect(line).toMatch(/^Debian python3-pythran 0~coursedock1: /);
      expect(r.dockerfile).toMatch(/^ {6}jupyter-notebook=\S+/m);
      const debianNotPinned = r.notPinned.filter((line) => line.startsWith('Debian ')).length;
      expect(r.counts.debianPinned + r.counts.debianInBase).toBe(Object.keys(snap.manifest.packages.debian).length - debianNotPinned);
      expect(r.files.map((f) => path.basename(f))).toEqual(['Dockerfile', 'install.sh']);
      for (const f of r.files) expect(existsSync(f)).toBe(true);
    } finally {
      session.dispose();
    }
  });

  it('a stopped service cannot be captured, and says so; its image can still be compared with the reference', SLOW, async () => {
    await freshNotebook();
    const root = ownRoot();
    changed = true;
    try {
      expect((await env.stop('notebook')).ok).toBe(true);
      await expect(driftOf(docker, env, 'notebook', { baseline: true }, root)).rejects.toThrow(/Jupyter Notebook is not running: start it/);
      const r = await referenceOf(docker, env, 'notebook', root);
      expect(r.image.ref).toBe('coursedock/tm351-notebook:1');
    } finally {
      await env.start('notebook');
    }
  });
});

describe('a new image of the service', () => {
  it('gets its own baseline: after moving to it the drift is empty, and what the image added is in the reference report', SLOW, async () => {
    // A copy of the course whose notebook image is a derived one (the course image plus a
    // package), as after a course update: its own tag, built by the engine, removed afterwards.
    const copy = copyCourse('tm351', 'cdimg');
    const tag = `coursedock-test/${copy.project}:1`;
    const derived = path.join(copy.dir, 'notebook-derived');
    mkdirSync(derived);
    writeFileSync(path.join(derived, 'Dockerfile'), `FROM coursedock/tm351-notebook:1\nRUN ${MAKE_DEB.replace(/\n/g, '; \\\n    ')}\n`);
    const spec = readFileSync(copy.file, 'utf8');
    const moved = spec.replace(/image: \S*\/tm351-notebook:1\n(\s+)build:\n\s+context: \.\/notebook\n/, `image: ${tag}\n$1build:\n$1  context: ./notebook-derived\n`);
    expect(moved).not.toBe(spec);
    writeFileSync(copy.file, moved);
    const t2 = newTestEngine(copy);
    const root = path.join(copy.home, 'snapshots');
    try {
      const docker = await t2.engine.connection.require();
      const env = await t2.engine.open(copy.project);
      expect((await env.up(['notebook'])).services.find((s) => s.service === 'notebook')).toEqual({ service: 'notebook', ok: true });
      const info = await docker.getContainer(env.tracker.containerId('notebook')!).inspect();
      expect(info.Config.Image).toBe(tag);

      const d = await driftOf(docker, env, 'notebook', { baseline: true }, root);
      expectNoDrift(d);
      expect(d.reference.imageId).toBe(info.Image);
      expect(existsSync(imageBaselineFile(info.Image, imageBaselinesDir(root)))).toBe(true);

      const r = await referenceOf(docker, env, 'notebook', root);
      expect(r.debian.added).toContainEqual({ name: 'coursedock-hello', version: '0.1-1' });
      expect(r.summary.some((l) => /system packages? in the image (is|are) not in the course's reference\.$/.test(l))).toBe(true);
    } finally {
      await t2.destroy();
      await new Dockerode().getImage(tag).remove({ force: true }).catch(() => undefined);
    }
  });
});
