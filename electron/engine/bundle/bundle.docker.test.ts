// The offline course bundle on the real engine (issue 15's must-show): a copy of tm351 is
// exported, its images and its spec folder are taken away, a truncated, a damaged (one flipped
// byte) and a foreign bundle are each refused leaving no course folder and no image tag, then
// the bundle is imported (Docker here reaches no registry) and `up` brings the course up healthy.
//
// What it proves: the course's images come back under their tags from the bundle alone: the
// copy's build sections are dropped and its images live under a registry name unique to this
// run (COURSE_REGISTRY=cdt-bundle-<random>, retagged from the built coursedock/tm351-* images),
// so without the import `up` could neither build nor pull them. What it does not prove: that
// the image layers themselves came from the file. The shared coursedock/tm351-* tags (other
// tests use them) are not removed, so the layers stay on disk and Docker's load reuses them.
import { closeSync, createReadStream, createWriteStream, existsSync, openSync, readdirSync, readSync, rmSync, statSync, writeSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../engine.js';
import { copyCourse } from '../testing/course-copy.js';
import { newTestEngine, type TestEngine } from '../testing/test-engine.js';
import { MANIFEST_BYTES } from './bundle-format.js';
import { exportCourseBundle, installCourseBundle, installedCoursesDir, type BundleManifest } from './course-bundles.js';

const docker = new Dockerode();
const registry = `cdt-bundle-${Math.random().toString(36).slice(2, 8)}`;
const IMAGES = ['tm351-notebook', 'tm351-postgres'];
const ours = (name: string): string => `${registry}/${name}:1`;
const scratch = path.join(os.tmpdir(), `cd-bundle-test-${process.pid}`);
const bundle = path.join(scratch, 'tm351.coursedock');
const idOf = (ref: string): Promise<string | undefined> =>
  docker
    .getImage(ref)
    .inspect()
    .then((i) => i.Id)
    .catch(() => undefined);
const removeOurTags = async (): Promise<void> => {
  for (const name of IMAGES) await docker.getImage(ours(name)).remove().catch(() => undefined);
};

let t: TestEngine;
let manifest: BundleManifest;
const original = new Map<string, string>();

beforeAll(async () => {
  mkdirSync(scratch, { recursive: true });
  const copy = copyCourse('tm351', 'cdtbd');
  // The images come only from the bundle: no build sections to rebuild them from.
  writeFileSync(copy.file, readFileSync(copy.file, 'utf8').replace(/^ {4}build:\n {6}context: [^\n]+\n/gm, '').replace(/^ {6}timeout: 3s$/gm, '      timeout: 60s'));
  copy.env.COURSE_REGISTRY = registry;
  for (const name of IMAGES) {
    const built = await docker.getImage(`coursedock/${name}:1`).inspect();
    await docker.getImage(built.Id).tag({ repo: `${registry}/${name}`, tag: '1' });
    original.set(ours(name), built.Id);
  }
  t = newTestEngine(copy);
  // Like the CLI: every profile, so every image the course can use is considered.
  const exporter = new Engine({ store: t.store, specsDir: path.dirname(copy.dir), env: { ...process.env, ...copy.env }, profiles: ['*'] });
  try {
    const said: string[] = [];
    manifest = await exportCourseBundle(docker, exporter, t.copy.project, bundle, (p) => said.push(p.phase));
    expect(said).toContain('images');
  } finally {
    exporter.close();
  }
  await removeOurTags();
  rmSync(copy.dir, { recursive: true, force: true });
}, 15 * 60_000);

afterAll(async () => {
  await t.destroy();
  await removeOurTags();
  rmSync(scratch, { recursive: true, force: true });
});

/** Nothing of the course is installed: no folder in the courses folder, no tag of its images. */
async function nothingInstalled(): Promise<void> {
  const dir = installedCoursesDir(t.engine);
  expect(existsSync(dir) ? readdirSync(dir) : []).toEqual([]);
  for (const name of IMAGES) expect(await idOf(ours(name))).toBeUndefined();
  expect(t.engine.listCourses().map((c) => c.id)).not.toContain(t.copy.project);
}

const refusal = async (file: string): Promise<string> => {
  const err = await installCourseBundle(docker, t.engine, file).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(Error);
  await nothingInstalled();
  return (err as Error).message;
};

/** Overwrites bytes of the bundle in place, runs `fn`, and puts them back. */
async function withBytes(at: number, bytes: Buffer, fn: () => Promise<void>): Promise<void> {
  const fd = openSync(bundle, 'r+');
  const saved = Buffer.alloc(bytes.length);
  readSync(fd, saved, 0, bytes.length, at);
  writeSync(fd, bytes, 0, bytes.length, at);
  try {
    await fn();
  } finally {
    writeSync(fd, saved, 0, saved.length, at);
    closeSync(fd);
  }
}

describe('offline course bundle', () => {
  it('holds the spec and the course images; the download-only image is listed as not included', () => {
    expect(manifest.course.name).toBe(t.copy.project);
    expect(manifest.files.map((f) => f.path)).toContain('spec/compose.yml');
    expect(manifest.images.included).toEqual(IMAGES.map((n) => ({ ref: ours(n), id: original.get(ours(n)) })));
    expect(manifest.images.notIncluded.map((n) => n.ref)).toEqual(['127.0.0.1:1/coursedock-test/mongo:7']);
    expect(manifest.images.notIncluded[0]!.reason).toMatch(/not on this computer/);
  });

  it('refuses a truncated bundle, a flipped byte and a foreign manifest, leaving nothing installed', async () => {
    await nothingInstalled();
    const cut = path.join(scratch, 'cut.coursedock');
    await pipeline(createReadStream(bundle, { end: Math.floor(statSync(bundle).size / 3) }), createWriteStream(cut));
    expect(await refusal(cut)).toMatch(/truncated/);
    rmSync(cut);

    const middle = Math.floor(statSync(bundle).size / 2);
    const one = Buffer.alloc(1);
    const fd = openSync(bundle, 'r');
    readSync(fd, one, 0, 1, middle);
    closeSync(fd);
    await withBytes(middle, Buffer.from([one[0]! ^ 0xff]), async () => {
      expect(await refusal(bundle)).toMatch(/images\.tar does not match its checksum/);
    });

    const foreign = Buffer.alloc(MANIFEST_BYTES, 0x20);
    Buffer.from(JSON.stringify({ format: 'coursedock-backup', version: 1 })).copy(foreign);
    await withBytes(512, foreign, async () => {
      expect(await refusal(bundle)).toMatch(/not a Coursedock course bundle/);
    });
  }, 15 * 60_000);

  it('installs from the bundle alone: tags back with their ids, on the course list, `up` healthy', async () => {
    const phases = new Set<string>();
    const r = await installCourseBundle(docker, t.engine, bundle, { onProgress: (p) => phases.add(p.phase) });
    expect([...phases]).toEqual(expect.arrayContaining(['spec', 'images', 'verify', 'done']));
    expect(r.course.id).toBe(t.copy.project);
    for (const name of IMAGES) expect(await idOf(ours(name))).toBe(original.get(ours(name)));
    const env = await t.engine.open(t.copy.project);
    expect(env.spec.file.startsWith(installedCoursesDir(t.engine))).toBe(true);
    const up = await env.up(['notebook']);
    expect(up.ok, JSON.stringify(up)).toBe(true);
    for (const s of ['notebook', 'postgres']) expect(env.state(s).health, s).toBe('healthy');

    const again = await installCourseBundle(docker, t.engine, bundle).catch((e: unknown) => (e as Error).message);
    expect(again).toMatch(/already installed.*--replace/);
  }, 15 * 60_000);
});
