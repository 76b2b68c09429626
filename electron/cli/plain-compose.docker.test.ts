// A plain two-service Compose file with a `.env` (no x-coursedock) opens in the command line on
// the real engine: `validate`, `plan`, `up` and `status` work, print the spec's warnings (the
// empty host address published on 127.0.0.1, the unset variable), and the services get the
// values from `.env`. The file is the corpus's notebook-pair (electron/engine/spec/corpus).
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../engine/testing/course-copy.js';
import { freePort } from '../engine/testing/free-port.js';
import { runCli, type CliOutcome } from '../engine/testing/run-cli.js';

const run = promisify(execFile);
const CORPUS = path.join(REPO_ROOT, 'electron/engine/spec/corpus/notebook-pair');

interface Course {
  dir: string;
  project: string;
  home: string;
}

const made: Course[] = [];

async function course(): Promise<Course> {
  const project = `cdplain${randomBytes(4).toString('hex')}`;
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cd-plain-')));
  const dir = path.join(root, project);
  fs.cpSync(CORPUS, dir, { recursive: true });
  fs.appendFileSync(path.join(dir, '.env'), `DB_PORT=${await freePort()}\n`);
  const c = { dir, project, home: path.join(root, 'home') };
  made.push(c);
  return c;
}

function cli(c: Course, ...args: string[]): Promise<CliOutcome> {
  return runCli([...args, c.dir], { COURSEDOCK_HOME: c.home });
}

async function docker(...args: string[]): Promise<string> {
  return (await run('docker', args)).stdout.trim();
}

afterEach(async () => {
  for (const c of made.splice(0)) {
    try {
      await cli(c, 'down');
      // Only what this test made: the project's volume.
      await docker('volume', 'rm', '-f', `${c.project}_dbdata`).catch(() => '');
    } finally {
      fs.rmSync(path.dirname(c.dir), { recursive: true, force: true });
    }
  }
});

describe('a plain Compose file with .env, through the command line', () => {
  it('validate, plan, up and status work and say the warnings; the services get the .env values', async () => {
    const c = await course();
    const file = path.join(c.dir, 'compose.yaml');
    const emptyHost = new RegExp(`^! ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:10:\\d+: services\\.db\\.ports\\[0\\]: an empty host address .*127\\.0\\.0\\.1 instead`, 'm');
    const unset = /^! .*COURSE_GREETING/m;

    const validate = await cli(c, 'validate');
    expect(validate.code, validate.stderr).toBe(0);
    expect(validate.stdout).toContain(`${file}: valid — 2 services (db, client), 2 warnings`);
    expect(validate.stderr).toMatch(emptyHost);
    expect(validate.stderr).toMatch(unset);

    const plan = await cli(c, 'plan');
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stderr).toMatch(emptyHost);
    expect(plan.stdout).toMatch(/^db: image present; container create$/m);
    expect(plan.stdout).toMatch(/^client: image present; container create$/m);
    expect(plan.stdout).toContain(`volumes: create ${c.project}_dbdata`);

    const up = await cli(c, 'up');
    expect(up.code, `${up.stdout}\n${up.stderr}`).toBe(0);
    expect(up.stderr).toMatch(emptyHost);
    expect(up.stderr).toMatch(unset);

    const status = await cli(c, 'status');
    expect(status.code).toBe(0);
    expect(status.stderr).toMatch(emptyHost);
    expect(status.stdout).toMatch(/^db\s.*(healthy|running)/m);
    expect(status.stdout).toMatch(/^client\s.*running/m);

    // The values came from .env; the port is on 127.0.0.1 only.
    const ids = (await docker('ps', '--filter', `label=com.docker.compose.project=${c.project}`, '--format', '{{.Label "com.docker.compose.service"}} {{.ID}}')).split('\n');
    const id = (service: string) => ids.find((l) => l.startsWith(`${service} `))!.split(' ')[1]!;
    const clientEnv = await docker('inspect', '--format', '{{json .Config.Env}}', id('client'));
    expect(JSON.parse(clientEnv)).toEqual(expect.arrayContaining(['DATABASE_URL=postgres://student@db:5432/pairs', 'COURSE_GREETING=']));
    const dbEnv = JSON.parse(await docker('inspect', '--format', '{{json .Config.Env}}', id('db'))) as string[];
    expect(dbEnv).toEqual(expect.arrayContaining(['POSTGRES_USER=student', 'POSTGRES_PASSWORD=pair-secret', 'POSTGRES_DB=pairs']));
    const bindings = JSON.parse(await docker('inspect', '--format', '{{json .HostConfig.PortBindings}}', id('db'))) as Record<string, Array<{ HostIp: string }>>;
    expect(bindings['5432/tcp']?.map((b) => b.HostIp)).toEqual(['127.0.0.1']);
    // The client's shell expanded its own variable (`$$` in the spec is a literal `$`).
    const logs = await docker('logs', id('client'));
    expect(logs).toContain('course database: postgres://student@db:5432/pairs');
  });
});
