// Shell-level reach into a classroom for Docker tests: a command in a running container, or in
// a short-lived helper container on a student's overlay network (no student port is published,
// so this is how a test sees what that student's services see).
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function docker(args: string[], timeoutMs = 60_000): Run {
  const r = spawnSync('docker', args, { encoding: 'utf8', timeout: timeoutMs });
  return { code: r.status ?? -1, stdout: ((r.stdout as string | null) ?? '').trim(), stderr: ((r.stderr as string | null) ?? '').trim() };
}

/** `bash -c script` in a running container (as `user` when given). */
export function execIn(containerId: string, script: string, user?: string): Run {
  return docker(['exec', ...(user ? ['-u', user] : []), containerId, 'bash', '-c', script]);
}

/** `bash -c script` in a throw-away container of `image` attached to `network`. */
export function runOnNetwork(network: string, script: string, image = 'coursedock/tm351-notebook:1', env: Record<string, string> = {}): Run {
  const name = `cd-classroom-probe-${randomBytes(4).toString('hex')}`;
  try {
    return docker([
      'run', '--rm', '--name', name, '--network', network, '--label', 'org.coursedock.test=classroom-probe',
      ...Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]),
      '--entrypoint', 'bash', image, '-c', script,
    ], 120_000);
  } finally {
    docker(['rm', '-f', name]);
  }
}
