import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { candidateEndpoints, connectDocker, DockerUnreachableError, dockerOptions, unreachableHint } from './connect.js';

const base = { env: {}, home: '/home/ada', platform: 'linux' as const, exists: () => false, readText: () => undefined };

describe('Docker endpoint discovery', () => {
  it('tries DOCKER_HOST, then the default socket; others only when they exist', () => {
    const list = candidateEndpoints({
      ...base,
      env: { DOCKER_HOST: 'tcp://127.0.0.1:2375', XDG_RUNTIME_DIR: '/run/user/1000' },
      exists: (p) => p === '/home/ada/.colima/default/docker.sock' || p === '/run/user/1000/podman/podman.sock',
    });
    expect(list.map((e) => e.url)).toEqual([
      'tcp://127.0.0.1:2375',
      'unix:///var/run/docker.sock',
      'unix:///home/ada/.colima/default/docker.sock',
      'unix:///run/user/1000/podman/podman.sock',
    ]);
  });

  it("follows the docker CLI's current context", () => {
    const id = createHash('sha256').update('desktop-linux').digest('hex');
    const files: Record<string, string> = {
      '/home/ada/.docker/config.json': JSON.stringify({ currentContext: 'desktop-linux' }),
      [`/home/ada/.docker/contexts/meta/${id}/meta.json`]: JSON.stringify({
        Endpoints: { docker: { Host: 'unix:///home/ada/.docker/desktop/docker.sock' } },
      }),
    };
    const list = candidateEndpoints({ ...base, readText: (p) => files[p] });
    expect(list[0]).toEqual({ source: 'docker context "desktop-linux"', url: 'unix:///home/ada/.docker/desktop/docker.sock' });
  });

  it('uses only the endpoint the user chose', () => {
    expect(candidateEndpoints({ ...base, configured: 'unix:///x.sock', env: { DOCKER_HOST: 'tcp://a:1' } })).toEqual([
      { source: 'Coursedock settings', url: 'unix:///x.sock' },
    ]);
    expect(candidateEndpoints({ ...base, env: { COURSEDOCK_DOCKER_HOST: 'unix:///y.sock' } })).toHaveLength(1);
  });

  it('uses the named pipe on Windows', () => {
    const list = candidateEndpoints({ ...base, platform: 'win32' });
    expect(list[0]!.url).toBe('npipe:////./pipe/docker_engine');
    expect(dockerOptions(list[0]!.url)).toEqual({ socketPath: '\\\\.\\pipe\\docker_engine' });
  });

  it('turns endpoint URLs into client options', () => {
    expect(dockerOptions('unix:///var/run/docker.sock')).toEqual({ socketPath: '/var/run/docker.sock' });
    expect(dockerOptions('tcp://127.0.0.1:2376')).toEqual({ protocol: 'http', host: '127.0.0.1', port: 2376 });
    expect(() => dockerOptions('ssh://host')).toThrow(/unsupported Docker endpoint/);
  });

  it('names everything it tried when nothing answers, with what to do', async () => {
    const err = await connectDocker({ ...base, configured: 'unix:///nonexistent/docker.sock' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DockerUnreachableError);
    const e = err as DockerUnreachableError;
    expect(e.attempts).toEqual([
      { endpoint: { source: 'Coursedock settings', url: 'unix:///nonexistent/docker.sock' }, error: 'no such socket' },
    ]);
    expect(e.message).toMatch(/Start the Docker engine/);
    expect(unreachableHint('darwin', [])).toMatch(/Docker Desktop/);
    expect(unreachableHint('linux', [{ endpoint: e.attempts[0]!.endpoint, error: 'permission denied (EACCES)' }])).toMatch(/docker" group/);
  });
});
