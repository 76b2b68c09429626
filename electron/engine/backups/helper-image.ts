// The short-lived helper containers that copy folders and volumes run this image: Debian's
// zstd and tar on the local Debian base image, built here on first use (no registry is asked:
// the base is the one the course images are built from). Its tag carries the Dockerfile's
// hash, so a changed recipe is built again and an old helper is never used by mistake.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Dockerode from 'dockerode';
import { describeError } from '../docker/connect.js';
import { LABEL, ROLE_BACKUP_HELPER } from '../plan/labels.js';

export const HELPER_BASE = 'debian:bookworm-slim';

export const HELPER_DOCKERFILE = `FROM ${HELPER_BASE}
ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8
RUN apt-get update && apt-get install -y --no-install-recommends zstd && rm -rf /var/lib/apt/lists/* && zstd --version
LABEL ${LABEL.role}=${ROLE_BACKUP_HELPER}
`;

export const HELPER_IMAGE = `coursedock/backup-helper:${createHash('sha256').update(HELPER_DOCKERFILE).digest('hex').slice(0, 12)}`;

let building: Promise<string> | undefined;

/** The helper image, built once if this computer does not have it yet. */
export function ensureHelperImage(docker: Dockerode): Promise<string> {
  building ??= build(docker).finally(() => {
    building = undefined;
  });
  return building;
}

async function build(docker: Dockerode): Promise<string> {
  try {
    await docker.getImage(HELPER_IMAGE).inspect();
    return HELPER_IMAGE;
  } catch {
    // not here yet: built below
  }
  try {
    await docker.getImage(HELPER_BASE).inspect();
  } catch {
    throw new Error(`Backups need the ${HELPER_BASE} image (the course images are built from it), and this computer does not have it.`);
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'coursedock-helper-'));
  try {
    writeFileSync(path.join(dir, 'Dockerfile'), HELPER_DOCKERFILE);
    const stream = await docker.buildImage({ context: dir, src: ['Dockerfile'] }, { t: HELPER_IMAGE, forcerm: true });
    await new Promise<void>((resolve, reject) => {
      let inBand: string | undefined;
      docker.modem.followProgress(
        stream,
        (err: Error | null) => (err || inBand ? reject(new Error(err ? describeError(err) : inBand)) : resolve()),
        (msg: { error?: string }) => {
          if (msg.error) inBand = msg.error;
        },
      );
    });
    return HELPER_IMAGE;
  } catch (err) {
    throw new Error(`Could not build the backup helper image: ${describeError(err)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
