// The host-path guard as a user meets it, on the real engine through the command line: a course
// folder holding a symlink to /var/run is refused with file, line and key (and nothing is
// created); a course that allows itself /etc/localtime starts, and `up` and `status` say so.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../engine/testing/course-copy.js';

const run = promisify(execFile);

interface Course {
  dir: string;
  project: string;
  home: string;
}

const made: Course[] = [];

function course(body: string, setup?: (dir: string) => void): Course {
  const project = `cdhostpath${randomBytes(4).toString('hex')}`;
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cd-hostpath-')));
  const dir = path.join(root, project);
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'compose.yml'), body);
  setup?.(dir);
  const c = { dir, project, home: path.join(root, 'home') };
  made.push(c);
  return c;
}

async function cli(c: Course, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(process.execPath, [path.join(REPO_ROOT, 'bin/coursedock.js'), ...args, c.dir], {
      env: { ...process.env, COURSEDOCK_HOME: c.home },
      timeout: 180_000,
    });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

afterEach(async () => {
  for (const c of made.splice(0)) {
    try {
      await cli(c, 'down');
    } finally {
      fs.rmSync(path.dirname(c.dir), { recursive: true, force: true });
    }
  }
});

const spec = (volumes: string[], meta = '') =>
  [
    'x-coursedock:',
    '  title: Host paths',
    ...(meta ? [meta] : []),
    'services:',
    '  clock:',
    '    image: debian:bookworm-slim',
    '    command: sleep infinity',
    '    init: true',
    '    volumes:',
    ...volumes.map((v) => `      - ${v}`),
    '',
  ].join('\n');

describe('bind sources on the real engine', () => {
  it('a course folder holding a symlink to /var/run is refused with file, line and key; nothing is created', async () => {
    const c = course(spec(['./run:/host-run']), (dir) => fs.symlinkSync('/var/run', path.join(dir, 'run')));
    for (const command of ['status', 'up']) {
      const r = await cli(c, command);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toContain(
        `${path.join(c.dir, 'compose.yml')}:9:9: services.clock.volumes[0]: "./run" (/run once symlinks are followed) would give the container a folder holding the Docker socket`,
      );
    }
    const { stdout } = await run('docker', ['ps', '-a', '--filter', `label=com.docker.compose.project=${c.project}`, '--format', '{{.Names}}']);
    expect(stdout.trim()).toBe('');
  });

  it('an allowed system folder starts, and up and status print the warning with its line', async () => {
    const c = course(spec(['/etc/ssl/certs:/host-certs:ro'], '  services:\n    clock:\n      allow-host-paths: [/etc/ssl/certs]'));
    const warning = `${path.join(c.dir, 'compose.yml')}:12:9: services.clock.volumes[0]: "/etc/ssl/certs" gives the container /etc (system configuration), which it can read: allowed by x-coursedock.services.clock.allow-host-paths`;
    const up = await cli(c, 'up');
    expect(up.code, `${up.stdout}\n${up.stderr}`).toBe(0);
    expect(up.stderr).toContain(`! ${warning}`);
    const status = await cli(c, 'status');
    expect(status.code).toBe(0);
    expect(status.stderr).toContain(`! ${warning}`);
    expect(status.stdout).toMatch(/clock.*running/i);
  });
});
