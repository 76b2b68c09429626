// The real pull path, without the internet: Debian's docker-registry serves an image on
// 127.0.0.1, and the engine pulls it with per-layer progress; a missing tag fails in words.
// Also a real build, with its output lines and an in-band build error.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceFixture } from '../testing/spec-fixture.js';
import { ensureImage, imageId, ImageUnavailableError } from './images.js';
import type { ProgressState } from './progress.js';

const docker = new Dockerode();
let registry: ChildProcess | undefined;
let dir: string;
let port: number;
let ref: string;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen({ host: '127.0.0.1', port: 0 }, () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

async function registryUp(): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/v2/`)).ok) return;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('docker-registry did not start');
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'cd-registry-'));
  port = await freePort();
  writeFileSync(
    path.join(dir, 'config.yml'),
    `version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: ${dir}/data\nhttp:\n  addr: 127.0.0.1:${port}\n`,
  );
  registry = spawn('docker-registry', ['serve', path.join(dir, 'config.yml')], { stdio: 'ignore' });
  await registryUp();
  // An image with a layer this engine does not have, so the pull really downloads it.
  ref = `127.0.0.1:${port}/coursedock/pulltest:1`;
  writeFileSync(path.join(dir, 'Dockerfile'), 'FROM debian:bookworm-slim\nRUN head -c 3000000 /dev/urandom > /blob\n');
  execFileSync('docker', ['build', '-q', '-t', ref, dir]);
  execFileSync('docker', ['push', ref], { stdio: 'ignore' });
  execFileSync('docker', ['rmi', ref], { stdio: 'ignore' });
}, 120_000);

afterAll(async () => {
  registry?.kill();
  await docker.getImage(ref).remove().catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

describe('images', () => {
  it('pulls from a registry with progress per layer', async () => {
    const seen: ProgressState[] = [];
    await ensureImage(docker, serviceFixture('pulled', { image: ref }), 'pull', (p) => seen.push(structuredClone(p)));
    expect(await imageId(docker, ref)).toMatch(/^sha256:/);
    const last = seen.at(-1)!;
    expect(last).toMatchObject({ kind: 'pull', done: true });
    expect(last.error).toBeUndefined();
    // The new layer was downloaded with byte counts along the way.
    expect(seen.some((p) => p.layers.some((l) => l.status === 'Downloading' && (l.total ?? 0) > 0))).toBe(true);
    expect(last.layers.some((l) => /Pull complete|Already exists/.test(l.status))).toBe(true);
  });

  it('says the registry does not have a missing tag, and has nothing to build from', async () => {
    const missing = `127.0.0.1:${port}/coursedock/pulltest:nope`;
    const err = await ensureImage(docker, serviceFixture('nope', { image: missing }), 'pull', () => undefined).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImageUnavailableError);
    expect((err as Error).message).toMatch(/could not be downloaded \(the registry does not have it\).*no build context/);
  });

  it('builds from a context with output lines, and reports a failing step', async () => {
    const ctx = mkdtempSync(path.join(dir, 'ctx-'));
    // Tagged per process: other runs on this engine build their own.
    const built = `cdtest/built:${process.pid}`;
    const svc = serviceFixture('built', {
      image: built,
      build: { context: ctx, dockerfile: 'Dockerfile', args: {} },
    });
    try {
      writeFileSync(path.join(ctx, 'Dockerfile'), 'FROM debian:bookworm-slim\nRUN echo built-ok\n');
      const seen: ProgressState[] = [];
      await ensureImage(docker, svc, 'build', (p) => seen.push(structuredClone(p)));
      expect(seen.at(-1)!.lines.join('\n')).toMatch(/Step \d\/\d : RUN echo built-ok/);

      writeFileSync(path.join(ctx, 'Dockerfile'), 'FROM debian:bookworm-slim\nRUN exit 3\n');
      const failed = { ...svc, image: `cdtest/never:${process.pid}` };
      const err = await ensureImage(docker, failed, 'build', () => undefined).catch((e: unknown) => e);
      expect((err as Error).message).toMatch(/returned a non-zero code: 3/);
    } finally {
      await docker.getImage(built).remove().catch(() => undefined);
    }
  });
});
