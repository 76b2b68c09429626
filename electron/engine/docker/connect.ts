// Finding the Docker engine the way the docker CLI does: DOCKER_HOST, then the current context
// in ~/.docker/config.json, then the well-known sockets of Docker Engine, Docker Desktop,
// Colima, Rancher Desktop and Podman, and the Windows named pipe. When none answers, the error
// names everything that was tried so the "Docker is not running" screen can say what to do.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Dockerode from 'dockerode';
import { describeError } from '../describe-error.js';

/** Moved to ../describe-error.ts (shared beyond Docker); kept here for modules not yet moved over. */
export { describeError } from '../describe-error.js';

export interface DockerEndpoint {
  /** How it was found, e.g. "DOCKER_HOST", "context desktop-linux", "default socket". */
  source: string;
  /** unix:///var/run/docker.sock, npipe:////./pipe/docker_engine, tcp://127.0.0.1:2375 */
  url: string;
}

export interface Attempt {
  endpoint: DockerEndpoint;
  error: string;
}

export class DockerUnreachableError extends Error {
  constructor(readonly attempts: Attempt[], readonly hint: string) {
    super(
      `Docker is not reachable. Tried:\n${attempts
        .map((a) => `  - ${a.endpoint.url} (${a.endpoint.source}): ${a.error}`)
        .join('\n')}\n${hint}`,
    );
    this.name = 'DockerUnreachableError';
  }
}

export interface DiscoveryInput {
  env: Record<string, string | undefined>;
  home: string;
  platform: NodeJS.Platform;
  /** An endpoint chosen in Coursedock's settings; tried first. */
  configured?: string;
  exists?: (p: string) => boolean;
  readText?: (p: string) => string | undefined;
}

const readTextFile = (p: string): string | undefined => {
  try {
    return readFileSync(p, 'utf8');
  } catch {
    return undefined;
  }
};

/** The endpoint of the docker CLI's current context, when it is not the default one. */
function contextEndpoint(input: DiscoveryInput): DockerEndpoint | undefined {
  const read = input.readText ?? readTextFile;
  const configDir = input.env.DOCKER_CONFIG ?? path.join(input.home, '.docker');
  let name = input.env.DOCKER_CONTEXT;
  if (!name) {
    const config = read(path.join(configDir, 'config.json'));
    try {
      name = config ? (JSON.parse(config) as { currentContext?: string }).currentContext : undefined;
    } catch {
      name = undefined;
    }
  }
  if (!name || name === 'default') return undefined;
  // The CLI stores each context under the sha256 of its name.
  const id = createHash('sha256').update(name).digest('hex');
  const meta = read(path.join(configDir, 'contexts', 'meta', id, 'meta.json'));
  try {
    const host = meta
      ? (JSON.parse(meta) as { Endpoints?: { docker?: { Host?: string } } }).Endpoints?.docker?.Host
      : undefined;
    return host ? { source: `docker context "${name}"`, url: host } : undefined;
  } catch {
    return undefined;
  }
}

/** Every endpoint worth trying, most specific first, without duplicates. */
export function candidateEndpoints(input: DiscoveryInput): DockerEndpoint[] {
  const exists = input.exists ?? existsSync;
  // An endpoint the user chose (settings, or COURSEDOCK_DOCKER_HOST for labs and tests) is the
  // only one tried: falling back elsewhere would hide that the chosen one is down.
  const chosen = input.configured || input.env.COURSEDOCK_DOCKER_HOST;
  if (chosen) {
    return [{ source: input.configured ? 'Coursedock settings' : 'COURSEDOCK_DOCKER_HOST', url: chosen }];
  }
  const list: DockerEndpoint[] = [];
  if (input.env.DOCKER_HOST) list.push({ source: 'DOCKER_HOST', url: input.env.DOCKER_HOST });
  const ctx = contextEndpoint(input);
  if (ctx) list.push(ctx);

  if (input.platform === 'win32') {
    list.push({ source: 'Docker Desktop', url: 'npipe:////./pipe/docker_engine' });
    list.push({ source: 'Podman', url: 'npipe:////./pipe/podman-machine-default' });
  } else {
    const h = input.home;
    const runtime = input.env.XDG_RUNTIME_DIR;
    const sockets: Array<[string, string]> = [
      ['default socket', '/var/run/docker.sock'],
      ['Docker Desktop', path.join(h, '.docker/run/docker.sock')],
      ['Docker Desktop', path.join(h, '.docker/desktop/docker.sock')],
      ['Colima', path.join(h, '.colima/default/docker.sock')],
      ['Colima', path.join(h, '.colima/docker.sock')],
      ['Rancher Desktop', path.join(h, '.rd/docker.sock')],
      ['OrbStack', path.join(h, '.orbstack/run/docker.sock')],
      ...(runtime
        ? ([
            ['rootless Docker', path.join(runtime, 'docker.sock')],
            ['Podman', path.join(runtime, 'podman/podman.sock')],
          ] as Array<[string, string]>)
        : []),
      ['Podman', path.join(h, '.local/share/containers/podman/machine/podman.sock')],
      ['Podman', '/run/podman/podman.sock'],
    ];
    // The default socket is always listed (it is what to fix when nothing exists at all);
    // the others only when present.
    sockets.forEach(([source, p], i) => {
      if (i === 0 || exists(p)) list.push({ source, url: `unix://${p}` });
    });
  }
  const seen = new Set<string>();
  return list.filter((e) => (seen.has(e.url) ? false : (seen.add(e.url), true)));
}

/** Dockerode options for an endpoint URL. */
export function dockerOptions(url: string): Dockerode.DockerOptions {
  if (url.startsWith('unix://')) return { socketPath: url.slice('unix://'.length) };
  if (url.startsWith('npipe://')) return { socketPath: url.slice('npipe://'.length).replace(/\//g, '\\') };
  if (url.startsWith('tcp://') || url.startsWith('http://') || url.startsWith('https://')) {
    const u = new URL(url.replace(/^tcp:/, 'http:'));
    return {
      protocol: url.startsWith('https:') ? 'https' : 'http',
      host: u.hostname,
      port: Number(u.port || 2375),
    };
  }
  if (url.startsWith('/')) return { socketPath: url };
  throw new Error(`unsupported Docker endpoint "${url}" (use unix://, npipe:// or tcp://)`);
}

export function unreachableHint(platform: NodeJS.Platform, attempts: Attempt[]): string {
  if (attempts.some((a) => /EACCES|permission denied/i.test(a.error)))
    return 'The Docker socket exists but you may not use it: add yourself to the "docker" group (sudo usermod -aG docker $USER), then log out and in again.';
  if (platform === 'win32' || platform === 'darwin')
    return 'Start Docker Desktop (or install it from docker.com) and wait until it says it is running; Coursedock will notice by itself.';
  return 'Start the Docker engine (for example: sudo systemctl start docker, or install Docker Engine or Docker Desktop); Coursedock will notice by itself.';
}

export interface Connected {
  docker: Dockerode;
  endpoint: DockerEndpoint;
  version: string;
  apiVersion: string;
}

/** Pings every candidate in turn and returns the first that answers. */
export async function connectDocker(input: DiscoveryInput, timeoutMs = 3000): Promise<Connected> {
  const attempts: Attempt[] = [];
  for (const endpoint of candidateEndpoints(input)) {
    try {
      const docker = new Dockerode({ ...dockerOptions(endpoint.url), timeout: timeoutMs });
      const v = await docker.version();
      // A client without a timeout for long streams (events, logs, pulls).
      const streaming = new Dockerode(dockerOptions(endpoint.url));
      return { docker: streaming, endpoint, version: v.Version, apiVersion: v.ApiVersion };
    } catch (err) {
      attempts.push({ endpoint, error: describeError(err) });
    }
  }
  throw new DockerUnreachableError(attempts, unreachableHint(input.platform, attempts));
}

export const defaultDiscovery = (configured?: string): DiscoveryInput => ({
  env: process.env,
  home: os.homedir(),
  platform: process.platform,
  configured,
});
