import { describe, expect, it } from 'vitest';
import { compareWithReference, formatReference } from './course-reference.js';
import { imageBaselineFile } from './image-baseline.js';
import type { Manifest } from './manifest.js';
import { sampleManifest } from './test-manifest.js';

// Synthetic manifests: made-up packages and versions, nothing Debian serves.
const reference = sampleManifest({
  name: 'reference',
  createdAt: '2026-01-10T12:00:00.000Z',
  image: { ref: 'course/img:1', id: 'sha256:1111' },
  packages: {
    debian: { alpha: '1.0-1', beta: '2.0-1+deb12u1', gamma: '1:3.0-1', delta: '4.0-2', gone: '1.0-1' },
    python: { pandas: '1.5.3', numpy: '1.24.2' },
    npm: {},
  },
});

function imageWith(debian: Record<string, string>, python = reference.packages.python): Manifest {
  return sampleManifest({ name: 'image', image: { ref: 'course/img:1', id: 'sha256:2222' }, packages: { debian, python, npm: {} } });
}

describe('compareWithReference', () => {
  it('says "the same" when the image has the reference packages', () => {
    const r = compareWithReference(reference, imageWith(reference.packages.debian), '/c/baselines/notebook.json');
    expect(r.same).toBe(true);
    expect(r.debian).toEqual({ newer: [], older: [], added: [], removed: [] });
    expect(r.summary).toEqual(["The image has exactly the packages of the course's reference (recorded 2026-01-10)."]);
    expect(r.reference).toEqual({ file: '/c/baselines/notebook.json', createdAt: reference.createdAt, imageId: 'sha256:1111' });
    expect(r.image).toEqual({ ref: 'course/img:1', id: 'sha256:2222' });
  });

  it('sorts system packages into newer (security updates) and older, in words', () => {
    const image = imageWith({ alpha: '1.0-1', beta: '2.0-1+deb12u2', gamma: '1:3.0-1+deb12u1', delta: '4.0-1', gone: '1.0-1' });
    const r = compareWithReference(reference, image, '/ref.json');
    expect(r.same).toBe(false);
    expect(r.debian.newer).toEqual([
      { name: 'beta', from: '2.0-1+deb12u1', to: '2.0-1+deb12u2' },
      { name: 'gamma', from: '1:3.0-1', to: '1:3.0-1+deb12u1' },
    ]);
    expect(r.debian.older).toEqual([{ name: 'delta', from: '4.0-2', to: '4.0-1' }]);
    expect(r.summary).toEqual([
      "2 system packages are newer than the course's reference: security and bug-fix updates Debian published after 2026-01-10, included when the image was built. Nothing to do.",
      "1 system package is older than the course's reference: the image was built from an older copy of Debian than the course team used.",
    ]);
  });

  it('lists packages only on one side, and other Python versions', () => {
    const deb: Record<string, string> = { ...reference.packages.debian, extra: '0.1-1' };
    delete deb.gone;
    const r = compareWithReference(reference, imageWith(deb, { pandas: '1.5.3', numpy: '1.26.0', six: '1.16.0' }), '/ref.json');
    expect(r.debian.added).toEqual([{ name: 'extra', version: '0.1-1' }]);
    expect(r.debian.removed).toEqual([{ name: 'gone', version: '1.0-1' }]);
    expect(r.python).toEqual({ added: [{ name: 'six', version: '1.16.0' }], removed: [], changed: [{ name: 'numpy', from: '1.24.2', to: '1.26.0' }] });
    expect(r.summary).toEqual([
      "1 system package in the image is not in the course's reference.",
      "1 system package of the course's reference is not in the image.",
      "1 Python package is at another version than in the course's reference.",
      "1 Python package in the image is not in the course's reference.",
    ]);
  });

  it('notes another OS release and Node.js', () => {
    const image = { ...imageWith(reference.packages.debian), os: { ...reference.os, prettyName: 'Debian GNU/Linux 13 (trixie)' }, node: 'v20.0.0' };
    const r = compareWithReference(reference, image, '/ref.json');
    expect(r.os).toEqual({ from: 'Debian GNU/Linux 12 (bookworm)', to: 'Debian GNU/Linux 13 (trixie)' });
    expect(r.node).toEqual({ to: 'v20.0.0' });
    expect(r.same).toBe(false);
  });

  it('prints the sentences, the packages, and that it is not drift', () => {
    const image = imageWith({ ...reference.packages.debian, beta: '2.0-1+deb12u2' });
    const text = formatReference(compareWithReference(reference, image, '/ref.json'));
    expect(text).toContain("The image course/img:1 compared with the course's reference (/ref.json):\n  1 system package is newer");
    expect(text).toContain('System packages newer than the reference:\n  beta 2.0-1+deb12u1 → 2.0-1+deb12u2');
    expect(text).toMatch(/it is not drift\. Drift is what changed in your container/);
  });
});

describe('imageBaselineFile', () => {
  it('is named by the image id (content-addressed) and refuses anything else', () => {
    const id = `sha256:${'ab'.repeat(32)}`;
    expect(imageBaselineFile(id, '/cache')).toMatch(new RegExp(`^/cache/${'ab'.repeat(32)}-[0-9a-f]{12}\\.json$`));
    expect(() => imageBaselineFile('../../etc/passwd', '/cache')).toThrow(/not an image id/);
    expect(() => imageBaselineFile('coursedock/tm351-notebook:1', '/cache')).toThrow(/not an image id/);
  });
});
