// Health that tells the truth and pre-flight checks, on the real engine (copies of tm351):
// - the notebooks folder made unreadable under a running notebook server (uid 1000, not root):
//   the service turns unhealthy with the reason in words, and a restart is refused beforehand
//   with the fix;
// - a notebooks "folder" that is a file: `up` is refused with the path and the fix, and nothing
//   is created or removed (no container, network or volume; the file untouched).
import { chmodSync, chownSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Dockerode from 'dockerode';
import { afterEach, describe, expect, it } from 'vitest';
import { LABEL } from '../plan/labels.js';
import { copyCourse } from '../testing/course-copy.js';
import { newTestEngine, type TestEngine } from '../testing/test-engine.js';
import { listVolumes } from '../docker/volume-list.js';

const NOTEBOOK_UID = 1000;
let t: TestEngine | undefined;

afterEach(async () => {
  if (t) {
    try {
      chmodSync(t.copy.notebooksDir, 0o755);
    } catch {
      /* a file, or already gone */
    }
    await t.destroy();
    t = undefined;
  }
});

/**
 * A copy whose notebook server runs as uid 1000 (the engine runs as root here), with Docker's
 * healthchecks every 2 s: these tests wait for Docker's own verdict, not for a start-up.
 */
function engineAsStudent(): TestEngine {
  const copy = copyCourse('tm351', 'cdt', { quickHealthchecks: true });
  copy.env.NOTEBOOK_UID = String(NOTEBOOK_UID);
  return newTestEngine(copy);
}

async function projectResources(project: string): Promise<string[]> {
  const docker = new Dockerode();
  const filters = { label: [`${LABEL.project}=${project}`] };
  const [containers, networks, volumes] = await Promise.all([
    docker.listContainers({ all: true, filters }),
    docker.listNetworks({ filters }),
    listVolumes(docker, { filters }),
  ]);
  return [
    ...containers.map((c) => `container ${c.Names[0]}`),
    ...networks.map((n) => `network ${n.Name}`),
    ...volumes.map((v) => `volume ${v.Name}`),
  ];
}

/**
 * How long Docker may take to call a container unhealthy after it goes bad, from its own
 * healthcheck settings: failures inside the start period do not count while Docker has not yet
 * seen a pass (our own start-up probe does not count for Docker), then `retries` failures in a
 * row, each up to `interval` apart and `timeout` long. A margin for a busy machine on top.
 */
async function unhealthyBoundMs(containerId: string): Promise<number> {
  const health = (await new Dockerode().getContainer(containerId).inspect()).Config.Healthcheck;
  const ms = (ns: number | undefined, fallbackSeconds: number) => (ns ? ns / 1e6 : fallbackSeconds * 1000);
  const interval = ms(health?.Interval, 30);
  const tries = (health?.Retries ?? 3) + 1;
  return ms(health?.StartPeriod, 0) + tries * (interval + ms(health?.Timeout, 30)) + 30_000;
}

describe('health tells the truth', () => {
  it('notebooks folder unreadable by the notebook user → unhealthy, with the reason in words', async () => {
    t = engineAsStudent();
    const folder = t.copy.notebooksDir;
    mkdirSync(folder, { recursive: true });
    chownSync(folder, NOTEBOOK_UID, NOTEBOOK_UID);
    const env = await t.engine.open(t.copy.project);
    const up = await env.up(['notebook']);
    expect(up.ok, JSON.stringify(up.services)).toBe(true);
    expect(env.state('notebook').status).toBe('healthy');

    chmodSync(folder, 0o000);
    const bound = await unhealthyBoundMs(env.state('notebook').containerId!);
    await env.tracker.waitFor('notebook', (s) => (s.status === 'unhealthy' ? 'ok' : undefined), bound);
    const state = env.state('notebook');
    expect(state.lastError).toMatch(
      /^Not healthy: The notebook server cannot list your notebooks folder \(\/home\/student\/notebooks\) as user student \(uid 1000\): Permission denied\. Give that user read and write access/,
    );

    // Starting it again is refused before anything is stopped or made, with the fix.
    const containerId = state.containerId;
    const restart = await env.restart('notebook');
    expect(restart.ok).toBe(false);
    const said = restart.services.find((s) => s.service === 'notebook')!.error!;
    expect(said).toContain(`Your folder for Jupyter Notebook (${folder}) cannot be used: Jupyter Notebook runs as user id 1000`);
    expect(said).toContain('permissions ---------');
    expect(said).toContain(`Run: chmod u+rwx ${folder}`);
    expect(env.state('notebook').containerId).toBe(containerId);
    expect(env.state('notebook').status).toBe('unhealthy');

    // Put right, it is healthy again by itself.
    chmodSync(folder, 0o755);
    await env.tracker.waitFor('notebook', (s) => (s.status === 'healthy' ? 'ok' : undefined), 60_000);
    expect(env.state('notebook').lastError ?? '').not.toMatch(/^Not healthy/);
  }, 480_000);

  it('PostgreSQL is healthy only through a login of the student to the course database', async () => {
    t = engineAsStudent();
    const env = await t.engine.open(t.copy.project);
    const up = await env.up(['postgres']);
    expect(up.ok, JSON.stringify(up.services)).toBe(true);
    const info = await new Dockerode().getContainer(env.state('postgres').containerId!).inspect();
    expect(info.Config.Healthcheck?.Test).toEqual(['CMD', 'postgres-healthcheck']);
    // The student's password changed behind the server's back: the probe says so in words.
    const docker = new Dockerode();
    const exec = await docker.getContainer(info.Id).exec({
      Cmd: ['psql', '-U', 'testuser', '-d', 'testdb', '-c', "alter role testuser password 'changed'"],
      AttachStdout: true,
      AttachStderr: true,
    });
    const stream = await exec.start({});
    await new Promise((r) => stream.on('end', r).resume());
    await env.tracker.waitFor('postgres', (s) => (s.status === 'unhealthy' ? 'ok' : undefined), await unhealthyBoundMs(info.Id));
    expect(env.state('postgres').lastError).toMatch(
      /^Not healthy: The course database does not let testuser log in to testdb: .*password authentication failed for user "testuser"/,
    );
  }, 480_000);
});

describe('pre-flight', () => {
  it('a notebooks path that is a file: refused in words naming the path and the fix; nothing created or removed', async () => {
    t = engineAsStudent();
    const file = t.copy.notebooksDir;
    writeFileSync(file, 'my essay, not a folder');
    const parent = path.dirname(file);
    const env = await t.engine.open(t.copy.project); // makes the settings folder (generated tokens)
    const before = readdirSync(parent).sort();
    const notices: string[] = [];
    env.on('notice', (n) => notices.push(n.message));

    const up = await env.up();
    expect(up.ok).toBe(false);
    const notebook = up.services.find((s) => s.service === 'notebook')!;
    expect(notebook.error).toBe(
      `Your folder for Jupyter Notebook (${file}) is a file, so Jupyter Notebook cannot use it. Nothing was created or removed. ` +
        `Move or rename ${file} (it may hold your work), or choose another folder in Settings (or set NOTEBOOKS_DIR), then start again.`,
    );
    for (const other of up.services.filter((s) => s.service !== 'notebook')) {
      expect(other.error).toMatch(/was not started: the pre-flight check found a problem\. Your folder for Jupyter Notebook/);
    }
    expect(env.state('notebook').lastError).toBe(notebook.error);
    expect(notices.join('\n')).not.toMatch(/EEXIST|mkdir/);

    expect(await projectResources(t.copy.project)).toEqual([]);
    expect(readFileSync(file, 'utf8')).toBe('my essay, not a folder');
    expect(readdirSync(parent).sort()).toEqual(before);

    // start of the one service with the bind mount: the same words.
    const start = await env.start('notebook');
    expect(start.services.find((s) => s.service === 'notebook')!.error).toBe(notebook.error);
    expect(await projectResources(t.copy.project)).toEqual([]);
  });
});
