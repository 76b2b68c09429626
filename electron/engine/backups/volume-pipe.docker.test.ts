// The pipe on a volume that database dumps go through, on the real engine: a container standing
// in for the database (the helper image with a volume mounted, its "dump" a shell command)
// writes into the pipe, and the compressed file that comes out holds exactly those bytes; a
// dump that fails before it opens the pipe fails in its own words with nothing left waiting;
// a read-only or empty volume cannot have a pipe, and the caller is told so (it streams instead).
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execChecked, helperStreams, pipeProcesses, writeHashed } from './container-io.js';
import { zstdDecompress } from './database-commands.js';
import { dumpThroughVolume } from './volume-pipe.js';
import { ensureHelperImage } from './helper-image.js';

const docker = new Dockerode();
const tag = `dump-through-volume-${process.pid}`;
const labels = { 'org.coursedock.test': tag };
const volume = `cd-test-${tag}`;
let image: string;
let dir: string;
let database: Dockerode.Container;
let readOnly: Dockerode.Container;

const owner = `${process.getuid?.() ?? 0}:${process.getgid?.() ?? 0}`;
const inVolume = async () => (await execChecked(docker, database.id, ['ls', '-A', '/data'])).stdout.split('\n').filter(Boolean);
const helpersLeft = async () => (await docker.listContainers({ all: true, filters: { label: [`org.coursedock.test-reader=${tag}`] } })).length;

beforeAll(async () => {
  image = await ensureHelperImage(docker);
  dir = mkdtempSync(path.join(os.tmpdir(), 'cd-dump-pipe-'));
  await docker.createVolume({ Name: volume, Labels: labels });
  const box = (ro: boolean) =>
    docker.createContainer({ Image: image, Cmd: ['sleep', '600'], Labels: labels, NetworkDisabled: true, HostConfig: { Binds: [`${volume}:/data${ro ? ':ro' : ''}`] } });
  database = await box(false);
  readOnly = await box(true);
  await database.start();
  await readOnly.start();
  await execChecked(docker, database.id, ['sh', '-c', 'echo kept > /data/PG_VERSION']);
});

afterAll(async () => {
  for (const c of await docker.listContainers({ all: true, filters: { label: [`org.coursedock.test=${tag}`] } })) await docker.getContainer(c.Id).remove({ force: true });
  await docker.getVolume(volume).remove().catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

const dump = (container: Dockerode.Container, script: string, file: string) =>
  dumpThroughVolume({ docker, containerId: container.id, target: '/data', volume, helperImage: image, dump: (pipe) => ['sh', '-c', script, 'dump', pipe], file: path.join(dir, file), owner, labels: { ...labels, 'org.coursedock.test-reader': tag } });

describe('a dump through a pipe on the database volume', () => {
  it('arrives compressed and whole, and the volume holds nothing new afterwards', async () => {
    const written = await dump(database, 'seq 1 300000 > "$1"', 'seq.zst');
    const file = readFileSync(path.join(dir, 'seq.zst'));
    expect(written).toEqual({ bytes: file.length, sha256: createHash('sha256').update(file).digest('hex') });
    const back = await helperStreams(docker, { image, binds: [`${dir}:/in:ro`], cmd: zstdDecompress('seq.zst'), labels });
    await pipeProcesses([back], (out) => writeHashed(out, path.join(dir, 'seq.txt')));
    const lines = readFileSync(path.join(dir, 'seq.txt'), 'utf8').trimEnd().split('\n');
    expect(lines.length).toBe(300000);
    expect(lines.at(-1)).toBe('300000');
    expect(await inVolume()).toEqual(['PG_VERSION']);
  });

  it('a dump that fails before it opens the pipe fails in its own words, with no reader left waiting', async () => {
    const err = await dump(database, 'echo "database testdb does not exist" >&2; exit 1', 'failed.zst').then(() => undefined, (e: unknown) => e);
    expect(String(err)).toMatch(/exit code 1\): database testdb does not exist/);
    expect(await helpersLeft()).toBe(0);
    expect(await inVolume()).toEqual(['PG_VERSION']);
  });

  it('a pipe left by a crash is cleared by the next dump', async () => {
    await execChecked(docker, database.id, ['mkfifo', '/data/.coursedock-dump-1-1.fifo']);
    await dump(database, 'echo hello > "$1"', 'hello.zst');
    expect(await inVolume()).toEqual(['PG_VERSION']);
  });

  it('no pipe can be made on a read-only volume: undefined, so the caller streams instead', async () => {
    expect(await dump(readOnly, 'echo never > "$1"', 'never.zst')).toBeUndefined();
  });

  it('nor in an empty volume, which a database may be about to initialise (initdb refuses a folder that is not empty)', async () => {
    await execChecked(docker, database.id, ['mv', '/data/PG_VERSION', '/tmp/PG_VERSION']);
    try {
      expect(await dump(database, 'echo never > "$1"', 'never.zst')).toBeUndefined();
      expect(await inVolume()).toEqual([]);
    } finally {
      await execChecked(docker, database.id, ['mv', '/tmp/PG_VERSION', '/data/PG_VERSION']);
    }
  });
});
