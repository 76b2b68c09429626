// Student data paths are sticky, on the real engine: a run with NOTEBOOKS_DIR pointing
// elsewhere does not recreate the notebook server on an empty folder; it keeps the folder the
// student's notebooks are in and asks. Switching is explicit: the engine's answer (the panel's
// confirm action), `up --switch-data-location`, or choosing a folder in Settings.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import Dockerode from 'dockerode';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiSession } from '../../api/api-session.js';
import { Engine } from '../engine.js';
import type { Notice } from '../environment.js';
import { FileSettingsStore } from '../settings/settings-store.js';
import { copyCourse, REPO_ROOT, type CourseCopy } from '../testing/course-copy.js';
import { removeProject } from '../testing/test-engine.js';

const docker = new Dockerode();
const run = promisify(execFile);
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const NB = '/home/student/notebooks';

function engineWith(copy: CourseCopy, notebooksDir: string): Engine {
  const engine = new Engine({
    store: new FileSettingsStore(path.join(copy.home, 'settings.json')),
    specsDir: path.dirname(copy.dir),
    env: { ...process.env, ...copy.env, NOTEBOOKS_DIR: notebooksDir },
    environment: { readyTimeoutMs: 5 * 60_000 },
  }).start();
  cleanups.push(() => engine.close());
  return engine;
}

async function notebookMount(id: string): Promise<string | undefined> {
  const info = await docker.getContainer(id).inspect();
  return info.Mounts.find((m) => m.Destination === NB)?.Source;
}

async function cli(copy: CourseCopy, notebooksDir: string, ...args: string[]): Promise<{ code: number; stderr: string }> {
  try {
    const r = await run(process.execPath, [path.join(REPO_ROOT, 'bin/coursedock.js'), ...args], {
      env: { ...process.env, ...copy.env, NOTEBOOKS_DIR: notebooksDir },
      timeout: 300_000,
    });
    return { code: 0, stderr: r.stderr };
  } catch (err) {
    const e = err as { code?: number; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, stderr: e.stderr ?? String(err) };
  }
}

describe('the notebooks folder changed between runs (NOTEBOOKS_DIR)', () => {
  it('keeps the folder the notebooks are in and asks; switching is explicit (engine, CLI flag, Settings)', async () => {
    const copy = copyCourse();
    cleanups.push(async () => {
      await removeProject(copy.project);
      copy.cleanup();
    });
    const a = copy.notebooksDir;
    const b = path.join(path.dirname(a), 'other-notebooks');
    mkdirSync(b, { recursive: true });

    // First run: the notebooks live in /a.
    const first = engineWith(copy, a);
    await first.connection.require();
    const env1 = await first.open(copy.project);
    expect((await env1.up(['notebook'])).ok).toBe(true);
    writeFileSync(path.join(a, 'sentinel.txt'), 'my work');
    const created = env1.state('notebook').containerId!;
    first.close();

    // Second run asks for /b: nothing recreated, the notebooks are still there, a question in words.
    const second = engineWith(copy, b);
    await second.connection.require();
    const env2 = await second.open(copy.project);
    const message = `Your notebooks folder is ${a}; this run asked for ${b}. Keep ${a} or switch (your files in ${a} stay there)?`;
    expect(second.dataLocationQuestions(copy.project).map((q) => q.message)).toEqual([message]);
    expect(env2.variable('NOTEBOOKS_DIR')).toBe(a);
    const said: Notice[] = [];
    env2.on('notice', (n) => said.push(n));
    expect((await env2.up(['notebook'])).ok).toBe(true);
    expect(env2.state('notebook').containerId).toBe(created);
    expect(await notebookMount(created)).toBe(a);
    expect(said.map((n) => n.message)).toContain(message);
    expect(readFileSync(path.join(a, 'sentinel.txt'), 'utf8')).toBe('my work');

    // The student switches (the panel's confirm action): recreated on /b; /a keeps its files.
    const env3 = await second.answerDataLocations(copy.project, (q) => q.service === 'notebook', 'switch');
    expect(second.dataLocationQuestions(copy.project)).toEqual([]);
    expect((await env3.up(['notebook'])).ok).toBe(true);
    const switched = env3.state('notebook').containerId!;
    expect(switched).not.toBe(created);
    expect(await notebookMount(switched)).toBe(b);
    expect(readFileSync(path.join(a, 'sentinel.txt'), 'utf8')).toBe('my work');
    second.close();

    // The CLI with /a again: asks and keeps /b; with --switch-data-location it moves to /a.
    const asked = await cli(copy, a, 'up', copy.project, 'notebook', '--quiet');
    expect(asked.code, asked.stderr).toBe(0);
    expect(asked.stderr).toContain(`Your notebooks folder is ${b}; this run asked for ${a}.`);
    expect(asked.stderr).toContain('--switch-data-location');
    const [kept] = await docker.listContainers({ filters: { name: [`${copy.project}-notebook-1`] } });
    expect(await notebookMount(kept!.Id)).toBe(b);
    const moved = await cli(copy, a, 'up', copy.project, 'notebook', '--quiet', '--switch-data-location');
    expect(moved.code, moved.stderr).toBe(0);
    expect(moved.stderr).toContain(`Switched Jupyter Notebook to ${a} (the files in ${b} stay there).`);
    const [now] = await docker.listContainers({ filters: { name: [`${copy.project}-notebook-1`] } });
    expect(await notebookMount(now!.Id)).toBe(a);

    // Choosing a folder in Settings is an explicit choice: the remembered place follows it.
    const panel = engineWith(copy, b);
    await panel.connection.require();
    const session = new ApiSession(panel, () => undefined);
    cleanups.push(() => session.dispose());
    const info = (await session.call('env.open', { course: copy.project })) as { dataLocationQuestions: unknown[] };
    expect(info.dataLocationQuestions).toHaveLength(1);
    const c = path.join(path.dirname(a), 'chosen');
    // NOTEBOOKS_DIR in the environment wins over Settings (as in Compose): this panel runs without it.
    const plain = new Engine({
      store: new FileSettingsStore(path.join(copy.home, 'settings.json')),
      specsDir: path.dirname(copy.dir),
      env: { ...process.env, ...copy.env, NOTEBOOKS_DIR: '' },
    }).start();
    cleanups.push(() => plain.close());
    await plain.connection.require();
    const plainSession = new ApiSession(plain, () => undefined);
    cleanups.push(() => plainSession.dispose());
    await plainSession.call('env.open', { course: copy.project });
    await plainSession.call('settings.set', { notebooksFolder: { project: copy.project, path: c } });
    expect(plain.dataLocationQuestions(copy.project)).toEqual([]);
    expect(plain.opened()[0]!.variable('NOTEBOOKS_DIR')).toBe(c);
    expect(existsSync(path.join(a, 'sentinel.txt'))).toBe(true);
  });

  it('an environment made before places were remembered keeps the folder its container uses', async () => {
    const copy = copyCourse();
    cleanups.push(async () => {
      await removeProject(copy.project);
      copy.cleanup();
    });
    const a = copy.notebooksDir;
    const first = engineWith(copy, a);
    await first.connection.require();
    expect((await (await first.open(copy.project)).up(['notebook'])).ok).toBe(true);
    first.close();
    // No record of where the data is (an older Coursedock made this environment).
    rmSync(path.join(copy.home, 'data-locations'), { recursive: true, force: true });

    const b = path.join(path.dirname(a), 'elsewhere');
    const second = engineWith(copy, b);
    await second.connection.require();
    const env = await second.open(copy.project);
    const id = env.state('notebook').containerId;
    expect(second.dataLocationQuestions(copy.project).map((q) => [q.current, q.asked])).toEqual([[a, b]]);
    expect((await env.up(['notebook'])).ok).toBe(true);
    expect(env.state('notebook').containerId).toBe(id);
  });
});
