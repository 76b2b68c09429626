// Repairs on the real engine: root-owned files in the notebooks folder fixed from inside the
// container (they then belong to the notebook uid on this computer); a foreign container on
// our container's name renamed aside by `up` and both reported; the Docker space repair
// removing the dangling image and build cache this test made (scoped to them: the engine is
// shared) and reporting the space freed, with every volume and course image still there.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { chownSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Dockerode from 'dockerode';
import { afterEach, describe, expect, it } from 'vitest';
import { runChecks } from '../checks/run-checks.js';
import type { Notice } from '../environment.js';
import { LABEL } from '../plan/labels.js';
import { copyCourse, REPO_ROOT } from '../testing/course-copy.js';
import { makeReclaimableSpace, type MadeLeftovers } from '../testing/reclaimable-space.js';
import { newTestEngine, type TestEngine } from '../testing/test-engine.js';
import { reclaimableSpace } from './docker-space.js';
import { fixCheck } from './run-repair.js';
import { listVolumes } from '../docker/volume-list.js';

const docker = new Dockerode();
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function engineFor(edit?: (spec: string) => string, env: Record<string, string> = {}): TestEngine {
  const copy = copyCourse();
  if (edit) writeFileSync(copy.file, edit(readFileSync(copy.file, 'utf8')));
  Object.assign(copy.env, env);
  const t = newTestEngine(copy);
  cleanups.push(() => t.destroy());
  return t;
}

describe('repairs on the real engine', () => {
  it('root-owned files in the notebooks folder: the ownership check fails, Fix gives them to the notebook uid', async () => {
    // The notebook server runs as uid 1000 here (as for a student), whoever runs the test.
    const t = engineFor(undefined, { NOTEBOOK_UID: '1000' });
    const env = await t.engine.open(t.copy.project);
    const up = await env.up(['notebook']);
    expect(up.services.find((s) => s.service === 'notebook')?.ok, JSON.stringify(up)).toBe(true);
    const dir = t.copy.notebooksDir;
    mkdirSync(path.join(dir, 'week1'), { recursive: true });
    writeFileSync(path.join(dir, 'week1', 'root-made.ipynb'), '{}');
    writeFileSync(path.join(dir, 'also-root.txt'), 'x');
    for (const f of ['week1', 'week1/root-made.ipynb', 'also-root.txt']) chownSync(path.join(dir, f), 0, 0);

    const d = await t.engine.connection.require();
    const before = (await runChecks(d, env, { only: ['notebooks-writable'] })).results.find((r) => r.id === 'notebooks-writable:owner')!;
    expect(before.status, before.detail).toBe('fail');
    expect(before.detail).toMatch(/files? in \/home\/student\/notebooks belongs? to another user/);
    expect(before.detail).toContain('week1/root-made.ipynb (root:root)');
    expect(before.repair).toMatchObject({ kind: 'chown', uid: 1000, path: '/home/student/notebooks' });
    expect(before.repair!.willDo).toMatch(/^Change the owner of \d+ files in \/home\/student\/notebooks to uid 1000/);

    const fixed = await fixCheck(d, env, 'notebooks-writable:owner');
    expect(fixed.ok).toBe(true);
    expect(fixed.changedFiles).toBeGreaterThanOrEqual(3);
    expect(fixed.did).toMatch(/^Gave \d+ files in \/home\/student\/notebooks to uid 1000\.$/);
    expect(fixed.after?.status, fixed.after?.detail).toBe('pass');
    for (const f of ['week1', 'week1/root-made.ipynb', 'also-root.txt']) expect(statSync(path.join(dir, f)).uid, f).toBe(1000);
  });

  it('coursedock check --fix: says the fix first, runs it, checks again and exits 0', async () => {
    const t = engineFor(undefined, { NOTEBOOK_UID: '1000' });
    const env = await t.engine.open(t.copy.project);
    expect((await env.up(['notebook'])).services.find((s) => s.service === 'notebook')?.ok).toBe(true);
    const file = path.join(t.copy.notebooksDir, 'root-made.txt');
    writeFileSync(file, 'x');
    chownSync(file, 0, 0);
    const cli = (...args: string[]) =>
      promisify(execFile)(process.execPath, [path.join(REPO_ROOT, 'bin/coursedock.js'), ...args], { env: { ...process.env, ...t.copy.env, NOTEBOOK_UID: '1000' }, timeout: 300_000 }).then(
        (r) => ({ code: 0, out: `${r.stderr}${r.stdout}` }),
        (err: unknown) => {
          const e = err as { code?: number; stdout?: string; stderr?: string };
          return { code: e.code ?? -1, out: `${e.stderr ?? ''}${e.stdout ?? ''}` };
        },
      );
    const plain = await cli('check', t.copy.project);
    expect(plain.code).toBe(1);
    expect(plain.out).toMatch(/fix \(check --fix\): Change the owner of \d+ files? in \/home\/student\/notebooks to uid 1000/);
    const fixed = await cli('check', t.copy.project, '--fix');
    expect(fixed.out).toMatch(/Fixing "The files in \/home\/student\/notebooks belong to the notebook server's user": Change the owner/);
    expect(fixed.out).toMatch(/✓ Gave \d+ files? in \/home\/student\/notebooks to uid 1000\./);
    expect(fixed.out).toContain("✓ The files in /home/student/notebooks belong to the notebook server's user");
    expect(statSync(file).uid).toBe(1000);
  });

  it('a foreign container on <project>-postgres-1: up renames it aside, creates ours, reports both; the foreign one still exists', async () => {
    const t = engineFor();
    const name = `${t.copy.project}-postgres-1`;
    const foreign = await docker.createContainer({ name, Image: 'debian:bookworm-slim', Cmd: ['sleep', 'infinity'], Labels: { 'made-by': 'a test, not Coursedock' } });
    cleanups.push(() => foreign.remove({ force: true }).catch(() => undefined));
    await foreign.start();

    const env = await t.engine.open(t.copy.project);
    const notices: Notice[] = [];
    env.on('notice', (n) => notices.push(n));
    const up = await env.up(['postgres']);
    expect(up.services.find((s) => s.service === 'postgres')?.ok, JSON.stringify(up)).toBe(true);

    const moved = notices.find((n) => /was taken by a container Coursedock did not make/.test(n.message));
    expect(moved?.message).toMatch(new RegExp(`^The name ${name} was taken by a container Coursedock did not make \\(image debian:bookworm-slim\\)\\. It was renamed to ${name}-not-coursedock-\\w+ — kept, not deleted`));
    expect(moved?.message).toContain(`PostgreSQL's container was created as ${name}.`);
    const theirs = await foreign.inspect();
    expect(theirs.Name).toMatch(new RegExp(`^/${name}-not-coursedock-\\w+$`));
    expect(theirs.State.Running).toBe(true);
    const ours = await docker.getContainer(name).inspect();
    expect(ours.Id).not.toBe(theirs.Id);
    expect(ours.Config.Labels[LABEL.project]).toBe(t.copy.project);
  });

  it('Docker space: frees the dangling image and build cache it made, says how much first and after; volumes and course images stay', async () => {
    const made: MadeLeftovers = await makeReclaimableSpace();
    cleanups.push(() => made.remove());
    // An unused volume of our own: a prune of volumes would take it; this repair must not.
    const unused = `${made.marker}-unused-data`;
    await docker.createVolume({ Name: unused });
    cleanups.push(() => docker.getVolume(unused).remove().catch(() => undefined));
    const volumesBefore = new Set((await listVolumes(docker)).map((v) => v.Name));
    const courseImagesBefore = (await docker.listImages()).filter((i) => (i.RepoTags ?? []).some((tag) => tag.startsWith('coursedock/'))).map((i) => i.Id);
    expect(courseImagesBefore.length).toBeGreaterThan(0);

    // The check fails (the spec is made to want more space than any disk has) and offers the repair.
    const t = engineFor((s) => s.replace(/min-free: 2GB/, 'min-free: 100000GB'));
    const env = await t.engine.open(t.copy.project);
    const d = await t.engine.connection.require();
    const check = (await runChecks(d, env, { only: ['disk-space'] })).results[0]!;
    expect(check.status).toBe('fail');
    expect(check.repair).toMatchObject({ kind: 'free-docker-space' });
    expect(check.repair!.willDo).toMatch(/Volumes \(your data\) and the course's images are kept\.$/);

    const mine = await reclaimableSpace(d, made.scope);
    expect(mine.images.map((i) => i.id)).toEqual([made.imageId]);
    expect(mine.buildCache.length).toBeGreaterThanOrEqual(1);
    expect(mine.bytes).toBeGreaterThanOrEqual(8_000_000);

    const fixed = await fixCheck(d, env, 'disk-space', { spaceScope: made.scope });
    expect(fixed.kind).toBe('free-docker-space');
    expect(fixed.freedBytes).toBeGreaterThanOrEqual(8_000_000);
    expect(fixed.did).toMatch(/^Freed \d+ MB: removed 1 untagged image and [1-9]\d* build cache records?; volumes and course images kept\.$/);
    expect(await docker.getImage(made.imageId).inspect().then(() => true, () => false)).toBe(false);
    expect((await reclaimableSpace(d, made.scope)).bytes).toBe(0);

    const volumesAfter = new Set((await listVolumes(docker)).map((v) => v.Name));
    expect(volumesAfter.has(unused)).toBe(true);
    // Other tests' copies (<prefix>-tm351-<id>_…) come and go on this shared engine; every other volume stays.
    for (const v of volumesBefore) if (!/^[a-z0-9]+-tm351-[a-z0-9]+_/.test(v)) expect(volumesAfter.has(v), `volume ${v}`).toBe(true);
    const imagesAfter = new Set((await docker.listImages()).map((i) => i.Id));
    for (const id of courseImagesBefore) expect(imagesAfter.has(id), `course image ${id}`).toBe(true);
  });
});
