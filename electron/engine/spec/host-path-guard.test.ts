// Bind sources are judged after symlinks: the Docker socket and folders holding it are never
// mounted; host system folders, the whole home and credentials only when the service lists the
// path in `allow-host-paths`, and then with a warning. Errors name file, line and key.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { judgeHostPath, realpathNearest } from './host-path-guard.js';
import { loadSpec } from './load-spec.js';
import { SpecError } from './spec-error.js';
import type { SpecProblem } from './types.js';
import { stringMatching } from '../testing/matchers.js';

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function tmpDir(prefix: string): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
  made.push(dir);
  return dir;
}

const HOME = '/home/student';

function courseSpec(volumes: string[], meta = ''): string {
  return [
    'x-coursedock:',
    '  title: T',
    ...(meta ? [meta] : []),
    'services:',
    '  ui:',
    '    image: x:1',
    '    volumes:',
    ...volumes.map((v) => `      - ${v}`),
    '',
  ].join('\n');
}

function problems(file: string, text: string, env: Record<string, string> = { HOME }): SpecProblem[] {
  try {
    loadSpec(file, { env, text });
  } catch (e) {
    if (e instanceof SpecError) return e.problems;
    throw e;
  }
  throw new Error('the spec loaded');
}

describe('judging a host path', () => {
  it.each([
    ['/', 'socket'],
    ['/var/run', 'socket'],
    ['/run', 'socket'],
    ['/var', 'socket'],
    ['/var/run/docker.sock', 'socket'],
    ['/run/docker.sock', 'socket'],
    ['/srv/x/docker.sock', 'socket'],
    ['/run/user/1000', 'system'],
    ['/run/user/1000/bus', 'system'],
    ['/etc', 'system'],
    ['/etc/passwd', 'system'],
    ['/proc', 'system'],
    ['/sys/kernel', 'system'],
    ['/dev', 'system'],
    ['/boot', 'system'],
    ['/usr', 'system'],
    ['/usr/local/bin', 'system'],
    ['/var/lib/docker', 'system'],
    ['/var/lib/docker/volumes/x', 'system'],
    ['/home', 'system'],
    ['/root', 'system'],
    [HOME, 'system'],
    [`${HOME}/`, 'system'],
    [`${HOME}/.docker`, 'system'],
    [`${HOME}/.docker/config.json`, 'system'],
    [`${HOME}/.ssh/id_ed25519`, 'system'],
    [`${HOME}/.config`, 'system'],
  ])('refuses %s (%s)', (p, kind) => {
    expect(judgeHostPath(p, { home: HOME })).toMatchObject({ kind });
  });

  it.each([`${HOME}/Course/notebooks`, `${HOME}/.config/course-data`, '/srv/course', '/opt/course/data', '/data/nb', '/var/lib/course', '/homework'])(
    'allows %s',
    (p) => {
      expect(judgeHostPath(p, { home: HOME })).toBeUndefined();
    },
  );

  it('refuses the socket DOCKER_HOST names and the folders holding it', () => {
    const ctx = { home: HOME, extraSockets: ['/srv/engine/sock/api'] };
    expect(judgeHostPath('/srv/engine/sock/api', ctx)).toMatchObject({ kind: 'socket' });
    expect(judgeHostPath('/srv/engine', ctx)).toMatchObject({ kind: 'socket', what: stringMatching(/holding the Docker socket/) });
    expect(judgeHostPath('/srv/other', ctx)).toBeUndefined();
  });

  it('follows symlinks, and resolves a path that does not exist yet through its nearest existing parent', () => {
    const dir = tmpDir('cd-guard-');
    fs.symlinkSync('/var/run', path.join(dir, 'run-link'));
    fs.symlinkSync('/etc', path.join(dir, 'etc-link'));
    expect(realpathNearest(path.join(dir, 'run-link'))).toBe(fs.realpathSync('/var/run'));
    expect(realpathNearest(path.join(dir, 'run-link/not/yet'))).toBe(path.join(fs.realpathSync('/var/run'), 'not/yet'));
    expect(realpathNearest(path.join(dir, 'missing/child'))).toBe(path.join(dir, 'missing/child'));
    expect(judgeHostPath(path.join(dir, 'run-link'), { home: HOME })).toMatchObject({ kind: 'socket' });
    expect(judgeHostPath(path.join(dir, 'run-link/not/yet'), { home: HOME })).toMatchObject({ kind: 'system' });
    expect(judgeHostPath(path.join(dir, 'etc-link/ssl'), { home: HOME })).toMatchObject({ kind: 'system', real: '/etc/ssl' });
    expect(judgeHostPath(path.join(dir, 'notebooks'), { home: HOME })).toBeUndefined();
  });
});

describe('the loader refuses dangerous bind sources with file, line and key', () => {
  it('a course folder holding a symlink to /var/run', () => {
    const dir = tmpDir('cd-course-');
    fs.symlinkSync('/var/run', path.join(dir, 'data'));
    const file = path.join(dir, 'compose.yml');
    const text = courseSpec(['./notebooks:/home/student/notebooks', './data:/data', '- type: bind\n        source: ./data/sub/new\n        target: /x']);
    const found = problems(file, text.replace('      - - type', '      - type'));
    expect(found).toEqual([
      expect.objectContaining({
        file,
        line: 8,
        path: 'services.ui.volumes[1]',
        message: stringMatching(/^"\.\/data" \(\/run once symlinks are followed\) would give the container a folder holding the Docker socket/),
      }),
      expect.objectContaining({ file, line: 10, path: 'services.ui.volumes[2].source', message: stringMatching(/\/run\/sub\/new once symlinks are followed.*(Docker socket|runtime state)/) }),
    ]);
  });

  it.each(['/', '/etc', '/run', '/var/run', '/run/user/1000', '/proc', '/sys', '/dev', '/boot', '/usr', '/var/lib/docker', '/etc/shadow', '~', '~/.docker', '~/.ssh', '/home'])(
    'refuses %s at its line, naming the opt-in unless it is the socket',
    (source) => {
      const found = problems('/specs/c/compose.yml', courseSpec([`${source}:/host`]));
      expect(found).toHaveLength(1);
      expect(found[0]).toMatchObject({ file: '/specs/c/compose.yml', line: 7, path: 'services.ui.volumes[0]' });
      expect(found[0]!.message).toMatch(/Docker socket|may not bind-mount it/);
      if (/may not/.test(found[0]!.message)) expect(found[0]!.message).toMatch(/x-coursedock\.services\.ui\.allow-host-paths/);
    },
  );

  it("refuses the user's whole home by the HOME the spec is loaded with, and allows a folder in it", () => {
    expect(problems('/specs/c/compose.yml', courseSpec([`${HOME}:/host`]))[0]?.message).toMatch(/the whole home folder \(\/home\/student\)/);
    const spec = loadSpec('/specs/c/compose.yml', { env: { HOME }, text: courseSpec(['~/TM351/notebooks:/home/student/notebooks']) });
    expect(spec.services.ui!.mounts[0]).toMatchObject({ type: 'bind', source: `${HOME}/TM351/notebooks` });
    // The only warning: the (fake) home has no such folder yet, so it is created at start.
    expect(spec.warnings.map((w) => w.message)).toEqual([expect.stringMatching(/^\/home\/student\/TM351\/notebooks does not exist: it is created/)]);
  });
});

describe('allow-host-paths: an explicit opt-in per service, always warned about', () => {
  const allow = (...paths: string[]) => `  services:\n    ui:\n      allow-host-paths: [${paths.map((p) => JSON.stringify(p)).join(', ')}]`;

  it('lets the listed system path through, with a warning at the mount naming the key', () => {
    const text = courseSpec(['/etc/localtime:/etc/localtime:ro', '~/.ssh:/keys'], allow('/etc/localtime', '~/.ssh'));
    const spec = loadSpec('/specs/c/compose.yml', { env: { HOME }, text });
    expect(spec.services.ui!.mounts.map((m) => m.type === 'bind' && m.source)).toEqual(['/etc/localtime', `${HOME}/.ssh`]);
    expect(spec.warnings).toEqual([
      expect.objectContaining({
        file: '/specs/c/compose.yml',
        line: 10,
        path: 'services.ui.volumes[0]',
        message: stringMatching(/gives the container \/etc \(system configuration\), which it can read: allowed by x-coursedock\.services\.ui\.allow-host-paths/),
      }),
      expect.objectContaining({ line: 11, message: stringMatching(/\.ssh \(SSH keys\), which it can read and change/) }),
      // The fake home has no .ssh: said too (cross-checks.ts).
      expect.objectContaining({ line: 11, message: stringMatching(/\.ssh does not exist: it is created/) }),
    ]);
  });

  it('never lets the Docker socket or a folder holding it through', () => {
    const text = courseSpec(['/var/run/docker.sock:/var/run/docker.sock', '/var/run:/r'], allow('/var/run/docker.sock', '/var/run'));
    const found = problems('/specs/c/compose.yml', text);
    expect(found.map((p) => [p.line, /Docker socket/.test(p.message)])).toEqual([
      [10, true],
      [11, true],
    ]);
  });

  it('an entry that allows nothing is a warning at its line', () => {
    const text = courseSpec(['./data:/data'], allow('/etc/hosts'));
    const spec = loadSpec('/specs/c/compose.yml', { env: { HOME }, text });
    expect(spec.warnings).toEqual([
      expect.objectContaining({ line: 5, path: 'x-coursedock.services.ui.allow-host-paths[0]', message: stringMatching(/"\/etc\/hosts" .* allows nothing/) }),
      expect.objectContaining({ line: 10, message: stringMatching(/\/specs\/c\/data does not exist: it is created/) }),
    ]);
  });

  it('a symlinked opt-in matches by real path', () => {
    const dir = tmpDir('cd-allow-');
    fs.symlinkSync('/etc', path.join(dir, 'etc-link'));
    const file = path.join(dir, 'compose.yml');
    const text = courseSpec(['./etc-link/hostname:/h:ro'], allow('/etc/hostname'));
    const spec = loadSpec(file, { env: { HOME }, text });
    expect(spec.warnings).toEqual([expect.objectContaining({ line: 10, message: stringMatching(/\/etc\/hostname once symlinks are followed/) })]);
  });
});
