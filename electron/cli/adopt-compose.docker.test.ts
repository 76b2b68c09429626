// Containers that docker-compose (v1, /usr/bin/docker-compose) already made for a plain Compose
// file's project are adopted by Coursedock, never duplicated: `coursedock plan` says so, and
// after `coursedock up` the project has the same two containers (same ids), running. Only
// images already here: the built coursedock/tm351-postgres and the base debian:bookworm-slim.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli, type CliOutcome } from '../engine/testing/run-cli.js';

const run = promisify(execFile);
const COMPOSE_V1 = '/usr/bin/docker-compose';

const SPEC = `# Two services, no x-coursedock, no published ports.
services:
  db:
    image: coursedock/tm351-postgres:1
    environment:
      POSTGRES_USER: student
      POSTGRES_PASSWORD: adopt-secret
      POSTGRES_DB: adopted
    volumes:
      - dbdata:/var/lib/postgresql/data
  client:
    image: debian:bookworm-slim
    command: ["sh", "-c", "exec sleep infinity"]
    depends_on: [db]
    init: true
    stop_grace_period: 2s
volumes:
  dbdata:
`;

interface Course {
  dir: string;
  project: string;
  home: string;
}
const made: Course[] = [];

function cli(c: Course, ...args: string[]): Promise<CliOutcome> {
  return runCli([...args, c.dir], { COURSEDOCK_HOME: c.home });
}

async function docker(...args: string[]): Promise<string> {
  return (await run('docker', args)).stdout.trim();
}

/** "<service> <id> <state>" of every container of the project, sorted. */
async function containers(project: string): Promise<string[]> {
  const out = await docker('ps', '-a', '--filter', `label=com.docker.compose.project=${project}`, '--format', '{{.Label "com.docker.compose.service"}} {{.ID}} {{.State}}');
  return out.split('\n').filter(Boolean).sort();
}

afterEach(async () => {
  for (const c of made.splice(0)) {
    try {
      await run(COMPOSE_V1, ['-p', c.project, '-f', path.join(c.dir, 'compose.yaml'), 'down', '--volumes', '--timeout', '2']).catch(() => undefined);
      await cli(c, 'down');
      await docker('volume', 'rm', '-f', `${c.project}_dbdata`).catch(() => '');
    } finally {
      fs.rmSync(path.dirname(c.dir), { recursive: true, force: true });
    }
  }
});

describe('a plain Compose project first started by docker-compose', () => {
  // docker-compose (v1) is installed by scripts/setup.sh: no skip, a missing one fails here.
  it('is adopted by coursedock up: the same container ids, no duplicates', async () => {
    const project = `cdadopt${randomBytes(4).toString('hex')}`;
    const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cd-adopt-')));
    const c: Course = { dir: path.join(root, project), project, home: path.join(root, 'home') };
    made.push(c);
    fs.mkdirSync(c.dir);
    fs.writeFileSync(path.join(c.dir, 'compose.yaml'), SPEC);

    await run(COMPOSE_V1, ['-p', project, '-f', path.join(c.dir, 'compose.yaml'), 'up', '-d'], { timeout: 120_000 });
    const before = await containers(project);
    expect(before.map((l) => l.split(' ')[0])).toEqual(['client', 'db']);

    const plan = await cli(c, 'plan');
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toMatch(/^db: image present; container (keep|start) \(adopted: made by docker-compose\)$/m);
    expect(plan.stdout).toMatch(/^client: image present; container (keep|start) \(adopted: made by docker-compose\)$/m);

    const up = await cli(c, 'up');
    expect(up.code, `${up.stdout}\n${up.stderr}`).toBe(0);
    const after = await containers(project);
    const ids = (lines: string[]) => lines.map((l) => l.split(' ').slice(0, 2).join(' '));
    expect(ids(after)).toEqual(ids(before));
    expect(after.every((l) => l.endsWith(' running')), after.join('\n')).toBe(true);

    const status = await cli(c, 'status');
    expect(status.stdout).toMatch(/^db\s.*healthy/m);
    expect(status.stdout).toMatch(/^client\s.*running/m);
  });
});
