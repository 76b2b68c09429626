// Test-made Docker leftovers for the disk-space repair: an untagged image and the build cache
// of its RUN step, both marked with a unique word, built with BuildKit through the API (the
// docker CLI here has no buildx). The repair is then scoped to that word, so tests on a shared
// engine free only what they made. `remove` cleans up whatever is left.
import { randomBytes } from 'node:crypto';
import Dockerode from 'dockerode';
import type { SpaceScope } from '../repairs/docker-space.js';

const LABEL = 'org.coursedock.test-reclaimable';

export interface MadeLeftovers {
  marker: string;
  imageId: string;
  scope: SpaceScope;
  remove(): Promise<void>;
}

/** A one-file tar archive (enough for a Dockerfile-only build context). */
function tarOf(name: string, text: string): Buffer {
  const body = Buffer.from(text);
  const header = Buffer.alloc(512);
  header.write(name, 0);
  header.write('0000644\0', 100);
  header.write('0000000\0', 108);
  header.write('0000000\0', 116);
  header.write(`${body.length.toString(8).padStart(11, '0')}\0`, 124);
  header.write(`${Math.floor(Date.now() / 1000).toString(8).padStart(11, '0')}\0`, 136);
  header.write('        ', 148);
  header.write('0', 156);
  header.write('ustar\0', 257);
  header.write('00', 263);
  let sum = 0;
  for (const b of header) sum += b;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  const pad = Buffer.alloc((512 - (body.length % 512)) % 512);
  return Buffer.concat([header, body, pad, Buffer.alloc(1024)]);
}

/** The scope of leftovers made with `marker` (known before they are made: a shell's environment). */
export const leftoverScope = (marker: string): SpaceScope => ({ imageLabel: `${LABEL}=${marker}`, cacheDescription: marker });

export const newLeftoverMarker = (): string => `cdfree${randomBytes(5).toString('hex')}`;

export async function makeReclaimableSpace(base = 'debian:bookworm-slim', megabytes = 8, marker = newLeftoverMarker()): Promise<MadeLeftovers> {
  const docker = new Dockerode();
  const dockerfile = `FROM ${base}\nRUN head -c ${megabytes * 1_000_000} /dev/urandom > /${marker}\n`;
  const stream = await docker.buildImage(tarOf('Dockerfile', dockerfile) as unknown as NodeJS.ReadableStream, {
    version: '2',
    labels: { [LABEL]: marker },
  } as unknown as Dockerode.ImageBuildOptions);
  const out: string = await new Promise((resolve, reject) => {
    let text = '';
    stream.on('data', (d: Buffer) => (text += d.toString()));
    stream.on('end', () => resolve(text));
    stream.on('error', reject);
  });
  const id = /"moby\.image\.id","aux":\{"ID":"(sha256:[0-9a-f]+)"/.exec(out)?.[1];
  if (!id) throw new Error(`the test image was not built: ${out.slice(-500)}`);
  return {
    marker,
    imageId: id,
    scope: leftoverScope(marker),
    remove: async () => {
      await docker.getImage(id).remove({ force: true }).catch(() => undefined);
      const df = (await docker.df()) as { BuildCache?: Array<{ ID: string; Description?: string }> | null };
      for (const c of df.BuildCache ?? []) {
        if (!(c.Description ?? '').includes(marker)) continue;
        await new Promise((resolve) =>
          (docker.modem as unknown as { dial(o: object, cb: () => void): void }).dial(
            { path: '/build/prune?', method: 'POST', options: { filters: JSON.stringify({ id: [c.ID] }) }, statusCodes: { 200: true, 500: 'server error' } },
            () => resolve(undefined),
          ),
        );
      }
    },
  };
}
