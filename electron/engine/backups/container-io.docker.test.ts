// The streaming primitives backups are made of, on the real engine with the real helper image:
// bytes piped from one container's process into another's and back to a file arrive whole, a
// failing process is named with its own exit status (not the broken pipe it caused), and no
// helper container is left behind either way.
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZSTD_COMPRESS, zstdDecompress } from './database-commands.js';
import { execStreams, helperStreams, pipeProcesses, writeHashed } from './container-io.js';
import { ensureHelperImage } from './helper-image.js';

const docker = new Dockerode();
const LABEL = `org.coursedock.test=container-io-${process.pid}`;
const labels = { 'org.coursedock.test': `container-io-${process.pid}` };
let image: string;
let dir: string;

const leftovers = async () => (await docker.listContainers({ all: true, filters: { label: [LABEL] } })).length;
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

beforeAll(async () => {
  image = await ensureHelperImage(docker);
  dir = mkdtempSync(path.join(os.tmpdir(), 'cd-container-io-'));
});

afterAll(async () => {
  for (const c of await docker.listContainers({ all: true, filters: { label: [LABEL] } })) await docker.getContainer(c.Id).remove({ force: true });
  rmSync(dir, { recursive: true, force: true });
});

describe('streamed processes in containers', () => {
  it('pipes 24 MiB through zstd in one helper and back out of another, byte for byte', async () => {
    const original = Buffer.alloc(24 * 1024 * 1024);
    for (let i = 0; i < original.length; i += 4096) original.write(`block ${i} ${sha(Buffer.from(String(i)))}`, i);
    writeFileSync(path.join(dir, 'in.bin'), original);
    const source = await helperStreams(docker, { image, binds: [`${dir}:/in:ro`], cmd: ['cat', '/in/in.bin'], labels });
    const zstd = await helperStreams(docker, { image, binds: [], cmd: ZSTD_COMPRESS, stdin: true, labels });
    const written = await pipeProcesses([source, zstd], (out) => writeHashed(out, path.join(dir, 'out.zst')));
    const compressed = readFileSync(path.join(dir, 'out.zst'));
    expect(written).toEqual({ bytes: compressed.length, sha256: sha(compressed) });
    expect(compressed.length).toBeLessThan(original.length / 4);

    const back = await helperStreams(docker, { image, binds: [`${dir}:/in:ro`], cmd: zstdDecompress('out.zst'), labels });
    await pipeProcesses([back], (out) => writeHashed(out, path.join(dir, 'back.bin')));
    expect(sha(readFileSync(path.join(dir, 'back.bin')))).toBe(sha(original));
    expect(await leftovers()).toBe(0);
  });

  it('exec with stdin: what is written reaches the command and its end closes the input', async () => {
    const box = await docker.createContainer({ Image: image, Cmd: ['sleep', '300'], Labels: labels, NetworkDisabled: true });
    try {
      await box.start();
      const source = await helperStreams(docker, { image, binds: [], cmd: ['sh', '-c', 'seq 1 100000'], labels });
      const count = await execStreams(docker, box.id, ['wc', '-l'], { stdin: true });
      const out = await pipeProcesses([source, count], async (stdout) => {
        let text = '';
        for await (const c of stdout) text += String(c);
        return text.trim();
      });
      expect(out).toBe('100000');
    } finally {
      await box.remove({ force: true });
    }
  });

  it('a process that fails mid-stream is named with its own exit status, and nothing is left running', async () => {
    const source = await helperStreams(docker, { image, binds: [], cmd: ['sh', '-c', 'head -c 3000000 /dev/zero; echo "disk on fire" >&2; exit 3'], labels });
    const zstd = await helperStreams(docker, { image, binds: [], cmd: ZSTD_COMPRESS, stdin: true, labels });
    const err = await pipeProcesses([source, zstd], (out) => writeHashed(out, path.join(dir, 'failed.zst'))).then(() => undefined, (e: unknown) => e);
    expect(String(err)).toMatch(/exit code 3\): disk on fire/);
    expect(await leftovers()).toBe(0);
  });
});
