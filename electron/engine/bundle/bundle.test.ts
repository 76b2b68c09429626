// The bundle format without Docker: a course with no images is exported and installed, `tar`
// reads the file, and every kind of damage is refused in words with no course folder left.
// (Docker is never called for a course without images: the client below points nowhere.)
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Dockerode from 'dockerode';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CourseSpec } from '../spec/types.js';
import { BundleRefused, MANIFEST_BYTES, parseManifest, setHeaderSize, tarHeader } from './bundle-format.js';
import { exportBundle } from './export-bundle.js';
import { importBundle } from './import-bundle.js';

const nowhere = new Dockerode({ socketPath: '/nonexistent/docker.sock' });
let root: string;
let specDir: string;
let bundle: string;
let courses: string;
const spec = (): CourseSpec => ({ file: path.join(specDir, 'compose.yml'), meta: { title: 'Tiny course' }, services: {} }) as unknown as CourseSpec;

beforeEach(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'cd-bundle-unit-'));
  specDir = path.join(root, 'tiny');
  mkdirSync(path.join(specDir, 'starter', 'deep'), { recursive: true });
  writeFileSync(path.join(specDir, 'compose.yml'), 'services: {}\n');
  writeFileSync(path.join(specDir, 'starter', 'deep', 'notes.md'), 'x'.repeat(5000));
  bundle = path.join(root, 'tiny.coursedock');
  courses = path.join(root, 'courses');
  await exportBundle(nowhere, { name: 'tiny', spec: spec(), out: bundle });
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const refusal = async (file: string): Promise<string> => {
  const err = await importBundle(nowhere, file, { coursesDir: courses }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(BundleRefused);
  expect(existsSync(path.join(courses, 'tiny'))).toBe(false);
  expect(existsSync(courses) ? readdirSync(courses) : []).toEqual([]);
  return (err as Error).message;
};

/** A copy of the bundle with its manifest edited. */
function rewrite(edit: (m: Record<string, unknown>) => void): string {
  const buf = readFileSync(bundle);
  const m = JSON.parse(buf.subarray(512, 512 + MANIFEST_BYTES).toString().trim()) as Record<string, unknown>;
  edit(m);
  const json = Buffer.from(JSON.stringify(m));
  buf.fill(0x20, 512, 512 + MANIFEST_BYTES);
  json.copy(buf, 512);
  const out = path.join(root, `edited-${Math.random()}.coursedock`);
  writeFileSync(out, buf);
  return out;
}

describe('course bundle format', () => {
  it('is a tar that lists the manifest, the spec files and the images entry', () => {
    const names = execFileSync('tar', ['tf', bundle], { encoding: 'utf8' }).trim().split('\n');
    expect(names).toEqual(['coursedock-bundle.json', 'spec/compose.yml', 'spec/starter/deep/notes.md', 'images.tar']);
  });

  it('installs the spec folder, byte for byte, and refuses a second install without --replace', async () => {
    const r = await importBundle(nowhere, bundle, { coursesDir: courses });
    expect(r.folder).toBe(path.join(courses, 'tiny'));
    expect(readFileSync(path.join(r.folder, 'starter', 'deep', 'notes.md'), 'utf8')).toBe('x'.repeat(5000));
    expect(r.manifest.files.map((f) => f.path)).toEqual(['spec/compose.yml', 'spec/starter/deep/notes.md']);
    const again = await importBundle(nowhere, bundle, { coursesDir: courses }).catch((e: unknown) => (e as Error).message);
    expect(again).toMatch(/already installed.*--replace/);
    await importBundle(nowhere, bundle, { coursesDir: courses, replace: true });
    expect(readdirSync(courses)).toEqual(['tiny']);
  });

  it('refuses to replace a course that was not installed from a bundle', async () => {
    const msg = await importBundle(nowhere, bundle, { coursesDir: courses, replace: true, existing: () => '/opt/shipped/tiny/compose.yml' }).catch((e: unknown) => (e as Error).message);
    expect(msg).toMatch(/not installed from a bundle/);
  });

  it('refuses a truncated file', async () => {
    truncateSync(bundle, statSync(bundle).size - 3000);
    expect(await refusal(bundle)).toMatch(/truncated/);
  });

  it('refuses a flipped byte in a spec file (checksum)', async () => {
    const buf = readFileSync(bundle);
    const at = buf.indexOf('xxxxx');
    buf[at + 100] = 'y'.charCodeAt(0);
    writeFileSync(bundle, buf);
    expect(await refusal(bundle)).toMatch(/notes\.md does not match its checksum/);
  });

  it('refuses a foreign file, a foreign manifest and a newer format', async () => {
    const plain = path.join(root, 'plain.tar');
    execFileSync('tar', ['cf', plain, '-C', specDir, 'compose.yml']);
    expect(await refusal(plain)).toMatch(/not a Coursedock course bundle/);

    expect(await refusal(rewrite((m) => (m.format = 'coursedock-backup')))).toMatch(/not a Coursedock course bundle/);
    expect(await refusal(rewrite((m) => (m.version = 7)))).toMatch(/newer Coursedock \(format version 7/);
    expect(await refusal(rewrite((m) => (m.course = { name: '../evil', title: '' })))).toMatch(/manifest is not valid \(course\.name/);
  });

  it('reads a version 1 bundle (a sha256 of the images), and refuses a checksum of the wrong kind for the version', async () => {
    const sha256OfNothing = createHash('sha256').digest('hex');
    const images = (m: Record<string, unknown>) => m.images as Record<string, unknown>;
    expect(await refusal(rewrite((m) => (images(m).sha256 = sha256OfNothing)))).toMatch(/manifest is not valid \(images/);
    expect(await refusal(rewrite((m) => (m.version = 1)))).toMatch(/manifest is not valid \(images/);
    const v1 = rewrite((m) => {
      m.version = 1;
      delete images(m).xxh64;
      images(m).sha256 = sha256OfNothing;
    });
    await importBundle(nowhere, v1, { coursesDir: courses });
    expect(readFileSync(path.join(courses, 'tiny', 'compose.yml'), 'utf8')).toBe('services: {}\n');
  });

  it('parseManifest says why: unfinished, unreadable', () => {
    expect(() => parseManifest(' '.repeat(100))).toThrow(/never finished/);
    expect(() => parseManifest('{"format": "coursedock-bun')).toThrow(/not readable/);
  });

  it('writes sizes past 8 GiB in the base-256 form tar reads', () => {
    const h = tarHeader('images.tar', 0);
    setHeaderSize(h, 10 * 1024 ** 3);
    expect(h[124]).toBe(0x80);
    expect(h.readUIntBE(130, 6)).toBe(10 * 1024 ** 3);
  });
});
