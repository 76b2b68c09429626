// Round trip on the real engine: a container of the local debian:bookworm-slim with a few
// packages added is captured; the Dockerfile generated from that manifest is built on the
// same base; a container of the result is captured; the two manifests have the same packages.
// Small on purpose (jq and python3-six, ~25 packages), so the build takes seconds, not minutes.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Dockerode from 'dockerode';
import { pack } from 'tar-fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HELPER_LABEL } from './archive-check.js';
import { captureContainer } from './capture.js';
import { diffManifests, formatDrift } from './diff.js';
import { execInContainer } from './exec.js';
import type { Manifest } from './manifest.js';
import { recreate } from './service-snapshots.js';
import { arrayContaining } from '../testing/matchers.js';

const BASE = 'debian:bookworm-slim';
const PATH_ENV = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const tag = (n: string) => `coursedock-snapshot-roundtrip:${process.pid}-${n}`;

async function startContainer(docker: Dockerode, image: string): Promise<string> {
  const c = await docker.createContainer({
    Image: image,
    Entrypoint: ['sleep'],
    Cmd: ['infinity'],
    Env: [PATH_ENV],
    Labels: { [HELPER_LABEL]: 'roundtrip-test' },
  });
  await c.start();
  return c.id;
}

async function build(docker: Dockerode, dir: string, t: string): Promise<string[]> {
  const stream = await docker.buildImage(pack(dir) as unknown as NodeJS.ReadableStream, {
    t,
    rm: true,
    forcerm: true,
    labels: { [HELPER_LABEL]: 'roundtrip-test' },
  });
  const lines: string[] = [];
  await new Promise<void>((resolve, reject) =>
    docker.modem.followProgress(
      stream,
      (err: Error | null) => (err ? reject(err) : resolve()),
      (msg: { stream?: string; error?: string }) => {
        if (msg.stream) lines.push(msg.stream);
        if (msg.error) reject(new Error(`${msg.error}\n${lines.slice(-30).join('')}`));
      },
    ),
  );
  return lines;
}

describe('recreate round trip', () => {
  const docker = new Dockerode();
  const containers: string[] = [];
  const out = mkdtempSync(path.join(os.tmpdir(), 'cd-roundtrip-'));
  let source: Manifest;

  beforeAll(async () => {
    const id = await startContainer(docker, BASE);
    containers.push(id);
    const r = await execInContainer(
      docker,
      id,
      ['sh', '-c', 'apt-get update -qq && apt-get install -y -qq --no-install-recommends jq python3-six >/dev/null 2>&1; echo exit=$?'],
      { user: 'root', env: [PATH_ENV, 'DEBIAN_FRONTEND=noninteractive'], timeoutMs: 300_000 },
    );
    expect(r.stdout.trim()).toBe('exit=0');
    source = await captureContainer(docker, id, { name: 'source', project: 'roundtrip', service: 'debian' });
  });

  afterAll(async () => {
    for (const id of containers) await docker.getContainer(id).remove({ force: true }).catch(() => undefined);
    const images = await docker.listImages({ filters: { label: [`${HELPER_LABEL}=roundtrip-test`] } });
    for (const img of images) await docker.getImage(img.Id).remove({ force: true }).catch(() => undefined);
    rmSync(out, { recursive: true, force: true });
  });

  it('the source manifest has the added packages, Python listed without pip', () => {
    expect(source.packages.debian.jq).toMatch(/^1\.6/);
    expect(source.packages.debian['python3-six']).toMatch(/^1\.16/);
    expect(source.packages.debian.bash).toBeDefined(); // from the base image
    expect(source.packages.python.six).toBe('1.16.0');
    // No pip in this image: the import system listed the packages.
    expect(source.python?.lister).toBe('importlib');
    expect(source.python?.notFromDebian).toEqual({});
  });

  it('builds the generated Dockerfile on the base image, and the result has the same packages', async () => {
    const { plan, files } = await recreate(docker, source, { outDir: out });
    expect(files.map((f) => path.basename(f))).toEqual(['Dockerfile', 'install.sh']);
    expect(plan.baseImage).toBe(BASE);
    expect(plan.checked).toBe(true);
    expect(plan.notPinned).toEqual([]);
    // Only what the base image lacks is installed; the rest is already there.
    expect(plan.debian.pinned.map((p) => p.name)).toEqual(expect.arrayContaining(['jq', 'libjq1', 'python3-six', 'python3.11']));
    expect(plan.debian.pinned.map((p) => p.name)).not.toContain('bash');
    expect(plan.debian.inBase.length + plan.debian.pinned.length).toBe(Object.keys(source.packages.debian).length);
    expect(plan.dockerfile).toContain(`      jq=${source.packages.debian.jq} \\`);

    await build(docker, out, tag('exact'));
    const id = await startContainer(docker, tag('exact'));
    containers.push(id);
    const rebuilt = await captureContainer(docker, id, { name: 'rebuilt', project: 'roundtrip', service: 'debian' });

    const d = diffManifests(source, rebuilt);
    // Every package at the same version, in every ecosystem.
    if (!d.empty) throw new Error(`the rebuilt image differs:\n${formatDrift(d)}`);
    expect(rebuilt.packages).toEqual(source.packages);
    expect(rebuilt.os).toEqual(source.os);
    expect(rebuilt.python).toEqual(source.python);
    // The differences there are, explained: another image (a new id and creation time) and
    // another capture (name, time). They describe where the packages are, not which.
    expect(d.imageChanged).toBe(true);
    expect(rebuilt.image.ref).toBe(tag('exact'));
    expect(rebuilt.image.id).not.toBe(source.image.id);
  });

  it('versions the archive no longer has are listed, not dropped (checked against the real archive)', async () => {
    const aged: Manifest = {
      ...source,
      packages: {
        ...source.packages,
        // hello exists in the archive, but not at this version; the other package does not exist at all.
        debian: { ...source.packages.debian, hello: '0.1-fake1', 'coursedock-no-such-package': '1.0-1' },
      },
    };
    const agedOut = path.join(out, 'aged');
    const { plan } = await recreate(docker, aged, { outDir: agedOut });
    // The version the archive serves today, asked of the archive itself (Debian may update it).
    const policy = await execInContainer(docker, containers[0]!, ['sh', '-c', "apt-cache policy hello | sed -n 's/^ *Candidate: //p'"], {
      user: 'root',
      env: [PATH_ENV],
    });
    const served = policy.stdout.trim();
    expect(served).toMatch(/^\S+$/);
    const escaped = served.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    expect(plan.checked).toBe(true);
    expect(plan.debian.unpinned).toEqual([{ name: 'hello', version: '0.1-fake1', available: arrayContaining([served]) }]);
    expect(plan.debian.missing).toEqual([{ name: 'coursedock-no-such-package', version: '1.0-1' }]);
    expect(plan.notPinned).toHaveLength(2);
    expect(plan.dockerfile).toMatch(new RegExp(`# {3}- Debian hello 0\\.1-fake1: that version is no longer in the archive; installs ${escaped} instead`));
    expect(plan.dockerfile).toContain('#   - Debian coursedock-no-such-package 1.0-1: not in the archive of debian:bookworm-slim; not installed');
    // hello is installed unpinned (the archive's version); the missing one is in no command.
    expect(plan.dockerfile).toMatch(/--allow-downgrades \\\n {6}hello; \\/);
    expect(plan.dockerfile.split('\n').filter((l) => !l.startsWith('#')).join('\n')).not.toContain('coursedock-no-such-package');

    // Built, the differences are exactly the two listed ones.
    await build(docker, agedOut, tag('aged'));
    const id = await startContainer(docker, tag('aged'));
    containers.push(id);
    const rebuilt = await captureContainer(docker, id, { name: 'rebuilt-aged', project: 'roundtrip', service: 'debian' });
    const d = diffManifests(aged, rebuilt);
    expect(d.ecosystems.debian).toEqual({
      added: [],
      removed: [{ name: 'coursedock-no-such-package', version: '1.0-1' }], // not in the archive: not installed
      changed: [{ name: 'hello', from: '0.1-fake1', to: served }], // the archive's version instead
    });
    expect(d.ecosystems.python).toEqual({ added: [], removed: [], changed: [] });
  });

  it('leaves no helper containers behind', async () => {
    const left = await docker.listContainers({ all: true, filters: { label: [`${HELPER_LABEL}=archive-check`] } });
    expect(left).toEqual([]);
  });
});
