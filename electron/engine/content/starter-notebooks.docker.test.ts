// The starter notebooks on the real engine: the first start of the notebook server on an empty
// notebooks folder puts them there (as the student, on the host); the Anscombe notebook runs
// headlessly in the container (nbconvert --execute) and draws its four plots; the connecting
// notebook runs too, telling that MongoDB is not reachable here; a second start (a new
// container, even) leaves an edited starter as it is and does not bring back a deleted one.
import { existsSync, readFileSync, readdirSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Environment, Notice } from '../environment.js';
import { execInContainer } from '../snapshots/exec.js';
import { REPO_ROOT } from '../testing/course-copy.js';
import { newTestEngine, type TestEngine } from '../testing/test-engine.js';
import { Teardown } from '../testing/teardown.js';
import { MARKER_FILE, readSeedMarker } from './starter-notebooks.js';
import { notebookUrlWithToken } from '../testing/notebook-url.js';

import { joinText, type NotebookJson } from '../testing/notebook-json.js';

const STARTERS = path.join(REPO_ROOT, 'compose-specs/tm351/starter-notebooks');

describe('starter notebooks on the real engine', () => {
  const teardown = new Teardown();
  let t: TestEngine;
  let env: Environment;
  let docker: Dockerode;
  const notices: Notice[] = [];

  beforeAll(async () => {
    t = teardown.add(newTestEngine(), (made) => made.destroy());
    docker = await t.engine.connection.require();
    env = await t.engine.open(t.copy.project);
    env.on('notice', (n) => notices.push(n));
  });

  afterAll(async () => {
    await teardown.run();
  });

  /** Runs a command in the notebook container as the notebook server's user. */
  const inNotebook = async (cmd: string[], timeoutMs = 240_000) => {
    const r = await execInContainer(docker, env.state('notebook').containerId!, cmd, {
      user: env.variable('NOTEBOOK_UID'),
      timeoutMs,
    });
    return r;
  };

  /** Executes a notebook with nbconvert in the container and returns the executed JSON. */
  const execute = async (name: string): Promise<NotebookJson> => {
    const out = `/tmp/executed-${name}`;
    const r = await inNotebook(['jupyter', 'nbconvert', '--to', 'notebook', '--execute', '--ExecutePreprocessor.timeout=120', '--output', out, `/home/student/notebooks/${name}`]);
    expect(r.exitCode, `nbconvert failed:\n${r.stderr.slice(-3000)}`).toBe(0);
    const cat = await inNotebook(['cat', out]);
    return JSON.parse(cat.stdout) as NotebookJson;
  };

  it('first start on an empty notebooks folder puts the starter notebooks there, as the student', async () => {
    expect(existsSync(t.copy.notebooksDir)).toBe(false);
    const up = await env.up(['notebook']);
    expect(up.services.map((s) => [s.service, s.ok])).toEqual([
      ['postgres', true],
      ['notebook', true],
    ]);
    const files = readdirSync(t.copy.notebooksDir).sort();
    expect(files).toEqual(['.coursedock', '00-check-installation.ipynb', '01-anscombe.ipynb', '02-connecting.ipynb']);
    for (const name of ['00-check-installation.ipynb', '01-anscombe.ipynb', '02-connecting.ipynb']) {
      const copy = path.join(t.copy.notebooksDir, name);
      expect(readFileSync(copy, 'utf8')).toBe(readFileSync(path.join(STARTERS, name), 'utf8'));
      expect(statSync(copy).uid).toBe(process.getuid!());
    }
    expect(readSeedMarker(t.copy.notebooksDir)?.files.map((f) => [f.path, f.copied, f.sha256?.length])).toEqual([
      ['00-check-installation.ipynb', true, 64],
      ['01-anscombe.ipynb', true, 64],
      ['02-connecting.ipynb', true, 64],
    ]);
    expect(notices.filter((n) => /starter notebooks/.test(n.message)).map((n) => [n.level, n.service])).toEqual([['info', 'notebook']]);

    // The notebook server lists them (the marker folder is hidden).
    const web = new URL(notebookUrlWithToken(env));
    const listing = (await (await fetch(`${web.origin}/p/${t.copy.project}/notebook/api/contents${web.search}`)).json()) as {
      content: Array<{ name: string }>;
    };
    expect(listing.content.map((c) => c.name).sort()).toEqual(['00-check-installation.ipynb', '01-anscombe.ipynb', '02-connecting.ipynb']);
  });

  it('the Anscombe notebook runs headlessly in the container and draws four plots', async () => {
    const nb = await execute('01-anscombe.ipynb');
    const outputs = nb.cells.flatMap((c) => c.outputs ?? []);
    expect(outputs.filter((o) => o.output_type === 'error')).toEqual([]);
    const stdout = outputs.filter((o) => o.output_type === 'stream').map((o) => joinText(o.text)).join('');
    expect(stdout).toContain('44 rows, datasets: I, II, III, IV');
    // The plotting cell's own count of its axes, and the one figure it displays.
    expect(stdout).toContain('The figure has 4 plots.');
    const images = outputs.filter((o) => o.data?.['image/png']);
    expect(images).toHaveLength(1);
    expect(joinText(images[0]!.data!['text/plain'])).toBe('<Figure size 900x700 with 4 Axes>');
    expect(Buffer.from(joinText(images[0]!.data!['image/png']), 'base64').subarray(1, 4).toString()).toBe('PNG');
  });

  it('the connecting notebook reaches PostgreSQL and says MongoDB is not reachable', async () => {
    const nb = await execute('02-connecting.ipynb');
    const outputs = nb.cells.flatMap((c) => c.outputs ?? []);
    expect(outputs.filter((o) => o.output_type === 'error')).toEqual([]);
    const stdout = outputs.map((o) => joinText(o.text)).join('');
    expect(stdout).toMatch(/PGHOST +postgres/);
    expect(stdout).toContain('DATABASE_URL  postgresql://testuser:***@postgres:5432/testdb');
    expect(stdout).toContain('Tables: anscombe, elements');
    expect(stdout).toContain('The elements table has 20 rows.');
    expect(stdout).toContain('MongoDB is not reachable at mongodb://student:***@mongo:27017/tm351 (ServerSelectionTimeoutError).');
    // The generated MongoDB password never lands in a saved output.
    expect(stdout).not.toMatch(/mongodb:\/\/student:(?!\*\*\*@)/);
  });

  it('a second start does not overwrite an edited starter, nor bring back a deleted one', async () => {
    const anscombe = path.join(t.copy.notebooksDir, '01-anscombe.ipynb');
    const edited = JSON.parse(readFileSync(anscombe, 'utf8')) as NotebookJson;
    edited.cells.push({ cell_type: 'markdown', source: ['My own notes.'] });
    writeFileSync(anscombe, JSON.stringify(edited));
    const mine = readFileSync(anscombe, 'utf8');
    unlinkSync(path.join(t.copy.notebooksDir, '02-connecting.ipynb'));
    const marker = readFileSync(path.join(t.copy.notebooksDir, MARKER_FILE), 'utf8');
    const before = notices.length;

    // Restart (same container), then down + up (a new container): a second and a third start.
    expect((await env.restart('notebook')).ok).toBe(true);
    expect((await env.down()).ok).toBe(true);
    const up = await env.up(['notebook']);
    expect(up.ok).toBe(true);

    expect(readFileSync(anscombe, 'utf8')).toBe(mine);
    expect(existsSync(path.join(t.copy.notebooksDir, '02-connecting.ipynb'))).toBe(false);
    expect(readFileSync(path.join(t.copy.notebooksDir, MARKER_FILE), 'utf8')).toBe(marker);
    expect(notices.slice(before).filter((n) => /starter notebooks/.test(n.message))).toEqual([]);
  });
});
