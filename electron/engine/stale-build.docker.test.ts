// A course team changed a file in a build context: on the real engine, `up` sees that the image
// under the course's tag was built from other files, rebuilds it, recreates that service's
// container only, and the student's data (a PostgreSQL row, a notebook file) is still there.
// A rebuild that fails keeps the old image and container and says so. The copy's built images
// get tags of their own, so changing its context never moves the course's shared tags.
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Dockerode from 'dockerode';
import { afterEach, describe, expect, it } from 'vitest';
import type { InspectedImage } from './docker/api-records.js';
import { buildContextHash, CONTEXT_HASH_LABEL } from './docker/build-context.js';
import type { Environment, Notice } from './environment.js';
import { STALE_BUILD_REASON } from './plan/decisions.js';
import { copyCourse } from './testing/course-copy.js';
import { newTestEngine, psql } from './testing/test-engine.js';

const docker = new Dockerode();
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A tm351 copy whose built images are tagged under the copy's project name. */
async function courseWithOwnTags() {
  const copy = copyCourse('tm351', 'cdrb');
  const tags = { notebook: `${copy.project}/tm351-notebook:1`, postgres: `${copy.project}/tm351-postgres:1` };
  const text = readFileSync(copy.file, 'utf8')
    .replace(/image: \S*\/tm351-notebook:1/, `image: ${tags.notebook}`)
    .replace(/image: \S*\/tm351-postgres:1/, `image: ${tags.postgres}`);
  writeFileSync(copy.file, text);
  const t = newTestEngine(copy);
  // Image ids our tags have named: removed at the end unless another tag still names them.
  const ids = new Set<string>();
  const remember = async () => {
    for (const tag of Object.values(tags)) {
      const id = await docker.getImage(tag).inspect().then((i) => i.Id, () => undefined);
      if (id) ids.add(id);
    }
  };
  cleanups.push(async () => {
    await remember();
    await t.destroy();
    for (const tag of Object.values(tags)) await docker.getImage(tag).remove().catch(() => undefined);
    // Removing by id also removes a last remaining tag: the course's own coursedock/tm351-*:1,
    // which other tests (and a student) use, often names the same image. Only untagged ones go.
    for (const id of ids) {
      const tagged = await docker.getImage(id).inspect().then((i) => i.RepoTags.length > 0, () => true);
      if (!tagged) await docker.getImage(id).remove().catch(() => undefined);
    }
  });
  await t.engine.connection.require();
  const env = await t.engine.open(copy.project);
  return { t, env, tags, remember };
}

const label = async (tag: string): Promise<string | undefined> => {
  const image: InspectedImage = await docker.getImage(tag).inspect();
  return image.Config.Labels?.[CONTEXT_HASH_LABEL];
};

const pgPort = (env: Environment): number => env.state('postgres').ports.find((p) => p.target === 5432)!.hostPort;

describe('a changed build context on the real engine', () => {
  it('rebuilds and recreates only the changed service, keeps the student data, and keeps the old image when the rebuild fails', async () => {
    const { t, env, tags, remember } = await courseWithOwnTags();
    const notices: Notice[] = [];
    env.on('notice', (n) => notices.push(n));
    const pgContext = env.spec.services.postgres!.build!;

    const first = await env.up(['notebook']);
    expect(first.services.every((s) => s.ok), JSON.stringify(first)).toBe(true);
    expect(await label(tags.postgres)).toBe(await buildContextHash(pgContext));
    expect(await label(tags.notebook)).toBe(await buildContextHash(env.spec.services.notebook!.build!));

    psql(pgPort(env), "create table student_work(v text); insert into student_work values ('mine')");
    const notebookFile = path.join(t.copy.notebooksDir, 'my-work.ipynb');
    writeFileSync(notebookFile, '{"cells": []}');
    const before = { postgres: env.state('postgres').containerId, notebook: env.state('notebook').containerId };
    const oldImage = (await docker.getImage(tags.postgres).inspect()).Id;
    await remember();

    // Nothing changed: the plan keeps everything.
    const unchanged = await env.plan(['notebook']);
    expect(unchanged.services.map((s) => [s.service, s.image, s.container.kind])).toEqual([
      ['postgres', 'present', 'keep'],
      ['notebook', 'present', 'keep'],
    ]);

    // The course team changes one file of the PostgreSQL context.
    appendFileSync(path.join(pgContext.context, 'healthcheck.sh'), '# changed by the course team\n');
    const changed = await env.plan(['notebook']);
    expect(changed.services.map((s) => [s.service, s.image, s.container.kind, s.imageReason])).toEqual([
      ['postgres', 'build', 'recreate', STALE_BUILD_REASON],
      ['notebook', 'present', 'keep', undefined],
    ]);

    const second = await env.up(['notebook']);
    expect(second.services.every((s) => s.ok), JSON.stringify(second)).toBe(true);
    const newImage = (await docker.getImage(tags.postgres).inspect()).Id;
    expect(newImage).not.toBe(oldImage);
    expect(await label(tags.postgres)).toBe(await buildContextHash(pgContext));
    expect(env.state('postgres').containerId).not.toBe(before.postgres);
    expect(env.state('notebook').containerId).toBe(before.notebook);
    expect(psql(pgPort(env), 'select v from student_work')).toBe('mine');
    expect(readFileSync(notebookFile, 'utf8')).toBe('{"cells": []}');

    // A rebuild that fails (here a Dockerfile step; offline is the same path) keeps the image.
    const recreated = env.state('postgres').containerId;
    appendFileSync(path.join(pgContext.context, 'Dockerfile'), '\nRUN exit 3\n');
    const third = await env.up(['notebook']);
    expect(third.services.every((s) => s.ok), JSON.stringify(third)).toBe(true);
    expect((await docker.getImage(tags.postgres).inspect()).Id).toBe(newImage);
    expect(env.state('postgres').containerId).toBe(recreated);
    expect(notices.some((n) => n.level === 'warning' && /Could not rebuild/.test(n.message) && n.service === 'postgres')).toBe(true);
    expect(psql(pgPort(env), 'select v from student_work')).toBe('mine');
  }, 600_000);

  it('build (what setup runs) rebuilds only the stale image, says building while it builds, and reuses it the next time', async () => {
    const { env, tags, remember } = await courseWithOwnTags();
    const id = async (tag: string) => (await docker.getImage(tag).inspect()).Id;
    const seen: string[] = [];
    env.on('state', (s) => {
      if (s.progress?.kind === 'build' && !s.progress.done) seen.push(`${s.service} ${s.status} ${s.operation?.phase ?? ''}`);
    });
    // The copy's tags name no registry image: each download fails and falls back to a build,
    // which must say building (it once said "pulling — downloading the image (Step 12/14 …)").
    const first = await env.prepareImages();
    expect(new Set(seen)).toEqual(new Set(['notebook building building the image', 'postgres building building the image']));
    seen.length = 0;
    expect(first.services.filter((s) => s.service !== 'mongo').every((s) => s.ok), JSON.stringify(first)).toBe(true);
    const before = { notebook: await id(tags.notebook), postgres: await id(tags.postgres) };
    await remember();

    appendFileSync(path.join(env.spec.services.notebook!.build!.context, 'jupyter_notebook_config.py'), '# changed by the course team\n');
    await env.prepareImages();
    expect(await id(tags.notebook)).not.toBe(before.notebook);
    expect(await id(tags.postgres)).toBe(before.postgres);
    expect(seen.length).toBeGreaterThan(0);
    expect(new Set(seen)).toEqual(new Set(['notebook building building the image']));

    const rebuilt = await id(tags.notebook);
    seen.length = 0;
    await env.prepareImages();
    expect(await id(tags.notebook)).toBe(rebuilt);
    expect(seen).toEqual([]);
  }, 600_000);
});
