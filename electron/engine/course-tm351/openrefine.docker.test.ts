// OpenRefine in the tm351 course on the real engine, with the image built from
// compose-specs/tm351/openrefine: `up` brings it healthy, its API answers on the port it
// publishes on 127.0.0.1, and a project made through that API is still there after
// `reinstall openrefine` (a fresh container on the same named volume).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Environment } from '../environment.js';
import { copyCourse } from '../testing/course-copy.js';
import { newTestEngine, type TestEngine } from '../testing/test-engine.js';

/** Like newTestEngine, with OpenRefine kept and time for a JVM on a busy machine (a reinstall rebuilds, then starts it). */
const openRefineEngine = (): TestEngine => newTestEngine(copyCourse('tm351', 'cdt', { withSlow: ['openrefine'] }), { readyTimeoutMs: 15 * 60_000 });

const base = (env: Environment): string => {
  const p = env.state('openrefine').ports.find((x) => x.target === 3333);
  if (!p) throw new Error('openrefine publishes no port 3333');
  return `http://127.0.0.1:${p.hostPort}`;
};

async function csrfToken(url: string): Promise<string> {
  const res = await fetch(`${url}/command/core/get-csrf-token`);
  return ((await res.json()) as { token: string }).token;
}

/** Creates a project from a small CSV through OpenRefine's HTTP API; returns its id. */
async function createProject(url: string, name: string): Promise<string> {
  const form = new FormData();
  form.set('project-file', new Blob(['name,age\nada,36\nalan,41\n'], { type: 'text/csv' }), 'people.csv');
  form.set('project-name', name);
  form.set('format', 'text/line-based/*sv');
  form.set('options', JSON.stringify({ separator: ',', headerLines: 1 }));
  const res = await fetch(`${url}/command/core/create-project-from-upload?csrf_token=${await csrfToken(url)}`, {
    method: 'POST',
    body: form,
    redirect: 'manual',
  });
  expect(res.status).toBe(302);
  const id = new URL(res.headers.get('location')!, url).searchParams.get('project');
  if (!id) throw new Error(`no project id in ${res.headers.get('location')}`);
  return id;
}

async function projectNames(url: string): Promise<Record<string, string>> {
  const res = await fetch(`${url}/command/core/get-all-project-metadata`);
  const body = (await res.json()) as { projects: Record<string, { name: string }> };
  return Object.fromEntries(Object.entries(body.projects).map(([id, p]) => [id, p.name]));
}

describe('OpenRefine in tm351 (real engine)', () => {
  let t: TestEngine | undefined;
  let env: Environment;

  beforeAll(async () => {
    t = openRefineEngine();
    await t.engine.connection.require();
    env = await t.engine.open(t.copy.project);
  });

  afterAll(async () => {
    await t?.destroy();
  });

  it('up brings it healthy, with its web UI on 127.0.0.1', { timeout: 20 * 60_000 }, async () => {
    const result = await env.up(['openrefine']);
    expect(result.services.find((s) => s.service === 'openrefine')).toEqual({ service: 'openrefine', ok: true });
    const state = env.state('openrefine');
    expect(state.status).toBe('healthy');
    expect(state.ports.every((p) => p.hostIp === '127.0.0.1')).toBe(true);
    expect(state.webUrl).toBe(`${base(env)}/`);
    expect(env.webTarget('openrefine')).toEqual({ port: Number(new URL(base(env)).port), path: '/' });
    const version = (await (await fetch(`${base(env)}/command/core/get-version`)).json()) as { version: string };
    expect(version.version).toMatch(/^3\./);
  });

  it('a project made through its API survives reinstall openrefine', { timeout: 20 * 60_000 }, async () => {
    const id = await createProject(base(env), 'coursedock-people');
    expect((await projectNames(base(env)))[id]).toBe('coursedock-people');
    const before = env.state('openrefine').containerId;

    const result = await env.reinstall('openrefine');
    expect(result.services).toEqual([{ service: 'openrefine', ok: true }]);
    const after = env.state('openrefine');
    expect(after.containerId).not.toBe(before);
    expect(after.status).toBe('healthy');
    expect((await projectNames(base(env)))[id]).toBe('coursedock-people');
  });
});
