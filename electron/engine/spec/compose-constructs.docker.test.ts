// A plain Compose file (no x-coursedock) using profiles, secrets, .env, env_file, extends (same
// file and another file), anchors and a network with an alias and `internal`, run by the CLI on
// the real engine: the services see their secrets and variables, the inactive profile's service
// is not created, and the alias answers on its network. Images: the local debian:bookworm-slim
// (nothing is pulled).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LABEL } from '../plan/labels.js';
import type { CourseCopy } from '../testing/course-copy.js';
import { runCli } from '../testing/processes.js';
import { removeProject } from '../testing/test-engine.js';

const docker = new Dockerode();
let copy: CourseCopy;

const COMPOSE = `x-sleeper: &sleeper
  image: debian:bookworm-slim
  command: ["sleep", "infinity"]
  init: true
  stop_grace_period: 1s

services:
  app:
    <<: *sleeper
    env_file: [app.env]
    environment:
      GREETING: \${GREETING}
      DB_PASSWORD_FILE: /run/secrets/db_password
    secrets: [db_password]
    networks:
      default:
      back:
        aliases: [app.back]
  worker:
    extends:
      file: common/base.yml
      service: sleeper
    environment:
      ROLE: worker
    profiles: [jobs]
    networks: [back]
  debug:
    extends: app
    profiles: [debug]

networks:
  back:
    internal: true

secrets:
  db_password:
    file: ./db_password.txt
`;

const BASE = `services:
  sleeper:
    image: debian:bookworm-slim
    command: ["sleep", "infinity"]
    init: true
    stop_grace_period: 1s
    env_file: shared.env
`;

function sh(container: string, script: string): string {
  return execFileSync('docker', ['exec', container, 'sh', '-c', script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

beforeAll(() => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'cdc-'));
  const project = `cdc-compose-${path.basename(root).split('-').pop()!.toLowerCase()}`;
  const dir = path.join(root, 'specs', project);
  mkdirSync(path.join(dir, 'common'), { recursive: true });
  const files: Record<string, string> = {
    'compose.yml': COMPOSE,
    '.env': 'GREETING=hello-from-dotenv\n',
    'app.env': 'FROM_ENV_FILE=yes\n',
    'db_password.txt': 's3cret-password',
    'common/base.yml': BASE,
    'common/shared.env': 'SHARED=from-the-base-folder\n',
  };
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  const home = path.join(root, 'home');
  copy = {
    project,
    dir,
    file: path.join(dir, 'compose.yml'),
    home,
    notebooksDir: path.join(root, 'notebooks'),
    env: { COURSEDOCK_HOME: home, HOME: home, COURSEDOCK_SPECS: path.dirname(dir) },
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
});

afterAll(async () => {
  await removeProject(copy.project);
  copy.cleanup();
});

describe('a Compose file with profiles, secrets, env_file and extends on the real engine', () => {
  it('up with --profile jobs runs app and worker with their secrets and variables; debug is not created', async () => {
    const up = await runCli(copy, ['up', copy.file, '--profile', 'jobs']);
    expect(up.code, `${up.stdout}\n${up.stderr}`).toBe(0);

    const app = `${copy.project}-app-1`;
    expect(sh(app, 'cat "$DB_PASSWORD_FILE"')).toBe('s3cret-password');
    expect(sh(app, 'echo "$GREETING|$FROM_ENV_FILE"')).toBe('hello-from-dotenv|yes');
    // Read-only, as Compose mounts secrets.
    expect(() => sh(app, 'echo x > /run/secrets/db_password')).toThrow();

    const worker = `${copy.project}-worker-1`;
    expect(sh(worker, 'echo "$ROLE|$SHARED"')).toBe('worker|from-the-base-folder');
    // The alias answers on the network the two share; the worker is on `back` only.
    expect(sh(worker, 'getent hosts app.back')).toMatch(/^\d+\.\d+\.\d+\.\d+\s+app\.back/);

    const services = (await docker.listContainers({ all: true, filters: { label: [`${LABEL.project}=${copy.project}`] } })).map(
      (c) => c.Labels[LABEL.service],
    );
    expect(services.sort()).toEqual(['app', 'worker']);
    const back = await docker.getNetwork(`${copy.project}_back`).inspect();
    expect(back).toMatchObject({ Internal: true, Labels: { [LABEL.project]: copy.project, [LABEL.network]: 'back' } });
  }, 180_000);

  it('down removes the containers and both networks', async () => {
    const down = await runCli(copy, ['down', copy.file]);
    expect(down.code, `${down.stdout}\n${down.stderr}`).toBe(0);
    const left = await docker.listNetworks({ filters: { label: [`${LABEL.project}=${copy.project}`] } });
    expect(left.map((n) => n.Name)).toEqual([]);
  }, 120_000);
});
