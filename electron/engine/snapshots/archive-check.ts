// Before generating a Dockerfile: which Debian packages the base image already has, and which
// versions the archive still offers. Both are read in a throwaway container of the base image
// (`apt-get update` + `apt-cache madison`), so the answer is the one a build would get.
import type Dockerode from 'dockerode';
import { describeError } from '../describe-error.js';
import { captureContainer } from './capture.js';
import { execInContainer } from './exec.js';

export interface ArchiveCheck {
  /** Debian packages of the base image (name → version). */
  basePackages?: Record<string, string>;
  /** Versions the archive offers, per package asked about; absent when the check failed. */
  available?: Record<string, string[]>;
  /** Why the check did not happen or did not finish. */
  problem?: string;
}

export const HELPER_LABEL = 'coursedock.snapshot-helper';

/** `apt-cache madison` lines: `name | version | source`. */
export function parseMadison(text: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const line of text.split('\n')) {
    const parts = line.split('|').map((p) => p.trim());
    if (parts.length < 3 || !parts[0] || !parts[1]) continue;
    // Source packages ("Sources" lines) are not what we install.
    if (/\bSources$/.test(parts[2] ?? '')) continue;
    const list = (out[parts[0]] ??= []);
    if (!list.includes(parts[1])) list.push(parts[1]);
  }
  return out;
}

const PATH_ENV = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export async function checkArchive(docker: Dockerode, baseImage: string, packages: string[]): Promise<ArchiveCheck> {
  try {
    await docker.getImage(baseImage).inspect();
  } catch {
    return { problem: `the base image ${baseImage} is not in Docker here` };
  }
  let container: Dockerode.Container | undefined;
  try {
    container = await docker.createContainer({
      Image: baseImage,
      Entrypoint: ['sleep'],
      Cmd: ['infinity'],
      Env: [PATH_ENV],
      Labels: { [HELPER_LABEL]: 'archive-check' },
      HostConfig: { AutoRemove: true },
    });
    await container.start();
    const base = await captureContainer(docker, container.id, { name: 'base', project: '-', service: '-' });
    const names = [...new Set(packages.map((p) => p.replace(/:.*$/, '')))].sort();
    const update = await execInContainer(docker, container.id, ['sh', '-c', 'apt-get update -qq 2>&1'], {
      user: 'root',
      env: [PATH_ENV],
      timeoutMs: 300_000,
    });
    if (update.exitCode !== 0) {
      return {
        basePackages: base.packages.debian,
        problem: `apt-get update failed in ${baseImage} (offline?): ${update.stdout.trim().split('\n').slice(-2).join(' ').slice(0, 300)}`,
      };
    }
    const available: Record<string, string[]> = {};
    // Chunks keep each command line short.
    for (let i = 0; i < names.length; i += 400) {
      const chunk = names.slice(i, i + 400);
      const r = await execInContainer(docker, container.id, ['apt-cache', 'madison', ...chunk], { env: [PATH_ENV], timeoutMs: 120_000 });
      Object.assign(available, parseMadison(r.stdout));
    }
    for (const n of names) available[n] ??= [];
    return { basePackages: base.packages.debian, available };
  } catch (err) {
    return { problem: `could not check the archive in ${baseImage}: ${describeError(err)}` };
  } finally {
    await container?.remove({ force: true }).catch(() => undefined);
  }
}
