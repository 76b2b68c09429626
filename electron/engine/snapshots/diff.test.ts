import { describe, expect, it } from 'vitest';
import { diffManifests, diffPackages, formatDrift } from './diff.js';
import { sampleManifest } from './test-manifest.js';

describe('diffPackages', () => {
  it('finds added, removed and changed, sorted by name', () => {
    expect(diffPackages({ a: '1', b: '1', c: '1' }, { c: '2', b: '1', z: '1', d: '3' })).toEqual({
      added: [
        { name: 'd', version: '3' },
        { name: 'z', version: '1' },
      ],
      removed: [{ name: 'a', version: '1' }],
      changed: [{ name: 'c', from: '1', to: '2' }],
    });
  });

  it('is empty for equal maps, whatever their order', () => {
    expect(diffPackages({ a: '1', b: '2' }, { b: '2', a: '1' })).toEqual({ added: [], removed: [], changed: [] });
  });

  it('copes with thousands of packages quickly', () => {
    const big = Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`pkg${i}`, `1.${i}`]));
    const other: Record<string, string> = { ...big, pkg5: '9', extra: '1' };
    delete other.pkg7;
    const d = diffPackages(big, other);
    expect(d.added).toEqual([{ name: 'extra', version: '1' }]);
    expect(d.removed).toEqual([{ name: 'pkg7', version: '1.7' }]);
    expect(d.changed).toEqual([{ name: 'pkg5', from: '1.5', to: '9' }]);
  });
});

describe('diffManifests', () => {
  const base = sampleManifest({ name: 'baseline' });

  it('is empty against itself, even with another name and time', () => {
    const d = diffManifests(base, { ...base, name: 'now', createdAt: '2027-01-01T00:00:00.000Z' }, { file: '/b.json' });
    expect(d.empty).toBe(true);
    expect(d.counts).toEqual({ added: 0, removed: 0, changed: 0 });
    expect(d.imageChanged).toBe(false);
    expect(d.reference).toEqual({
      kind: 'manifest',
      name: 'baseline',
      file: '/b.json',
      createdAt: base.createdAt,
      imageId: base.image.id,
      imageRef: base.image.ref,
    });
    expect(formatDrift(d)).toBe('No drift: the packages match baseline (/b.json).');
  });

  it('groups the drift by ecosystem', () => {
    const now = sampleManifest({
      name: 'now',
      packages: {
        debian: { ...base.packages.debian, cowsay: '3.03+dfsg2-8', jq: '1.6-2.1+deb12u2' },
        python: { pandas: '1.5.3', pip: '23.0.1', 'coursedock-hello': '0.1.0', requests: '2.31.0', extra: '1.0' },
        npm: { 'tty.js': '0.2.13' },
      },
      node: 'v20.11.1',
      image: { ...base.image, id: 'sha256:bbbb' },
    });
    delete now.packages.debian['python3-pandas'];
    const d = diffManifests(base, now);
    expect(d.empty).toBe(false);
    expect(d.ecosystems.debian).toEqual({
      added: [{ name: 'cowsay', version: '3.03+dfsg2-8' }],
      removed: [{ name: 'python3-pandas', version: '1.5.3+dfsg-2' }],
      changed: [{ name: 'jq', from: '1.6-2.1+deb12u3', to: '1.6-2.1+deb12u2' }],
    });
    expect(d.ecosystems.python.added).toEqual([{ name: 'extra', version: '1.0' }]);
    expect(d.ecosystems.npm.added).toEqual([{ name: 'tty.js', version: '0.2.13' }]);
    expect(d.counts).toEqual({ added: 3, removed: 1, changed: 1 });
    expect(d.node).toEqual({ to: 'v20.11.1' });
    expect(d.imageChanged).toBe(true);
    const text = formatDrift(d);
    expect(text).toContain('Drift from baseline: 3 added, 1 removed, 1 changed.');
    expect(text).toContain('Debian packages:\n  + cowsay 3.03+dfsg2-8\n  - python3-pandas 1.5.3+dfsg-2\n  ~ jq 1.6-2.1+deb12u3 → 1.6-2.1+deb12u2');
    expect(text).toContain('Python packages:\n  + extra 1.0');
    expect(text).toContain('npm packages (global):\n  + tty.js 0.2.13');
    expect(text).toContain('Node.js: (none) → v20.11.1');
    expect(text).toMatch(/another image than the reference \(aaaaaaaaaaaa → bbbb\)/);
    expect(text).toMatch(/Reinstalling the service/);
  });

  it('names the image when the reference is a fresh container of it', () => {
    const same = diffManifests({ ...base, name: 'image' }, { ...base, name: 'now' }, { kind: 'image' });
    expect(formatDrift(same)).toBe('No drift: the packages match a fresh container of the image coursedock/tm351-notebook:1 (aaaaaaaaaaaa).');
    const now = sampleManifest({ packages: { ...base.packages, npm: { cowsay: '1.6.0' } } });
    const text = formatDrift(diffManifests({ ...base, name: 'image' }, now, { kind: 'image' }));
    expect(text).toMatch(/^Drift from the image coursedock\/tm351-notebook:1 \(aaaaaaaaaaaa\): 1 added, 0 removed, 0 changed\.$/m);
    expect(text).not.toMatch(/another image/);
  });

  it('notes another OS release', () => {
    const d = diffManifests(base, { ...base, os: { ...base.os, prettyName: 'Debian GNU/Linux 13 (trixie)' } });
    expect(d.os).toEqual({ from: 'Debian GNU/Linux 12 (bookworm)', to: 'Debian GNU/Linux 13 (trixie)' });
    expect(d.empty).toBe(true); // packages are what drift is about
  });
});
