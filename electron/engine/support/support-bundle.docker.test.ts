// The support bundle of a running tm351 on the real engine: what the archive holds (listed), what
// the main files say, and that no password or token is anywhere in it: every extracted file is
// searched for the install's notebook token and for the course's database password.
import { execFile } from 'node:child_process';
import { createReadStream, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { createGunzip } from 'node:zlib';
import type Dockerode from 'dockerode';
import { extract } from 'tar-fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiSession } from '../../api/api-session.js';
import type { Environment } from '../environment.js';
import { REPO_ROOT } from '../testing/course-copy.js';
import { newTestEngine, type TestEngine } from '../testing/test-engine.js';
import { Teardown } from '../testing/teardown.js';
import { writeSupportBundle } from './support-bundle.js';
import { notebookUrlWithToken } from '../testing/notebook-url.js';

const run = promisify(execFile);

async function unpack(file: string): Promise<{ dir: string; files: string[] }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cd-bundle-x-'));
  await pipeline(createReadStream(file), createGunzip(), extract(dir));
  const files: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else files.push(path.relative(dir, p));
    }
  };
  walk(dir);
  return { dir, files: files.sort() };
}

/** Every file of the extracted bundle that contains `needle` (raw bytes, and URL-encoded). */
function filesContaining(dir: string, files: string[], needle: string): string[] {
  return files.filter((f) => {
    const text = readFileSync(path.join(dir, f), 'latin1');
    return text.includes(needle) || text.includes(encodeURIComponent(needle));
  });
}

describe('support bundle on the real engine', () => {
  const teardown = new Teardown();
  let t: TestEngine;
  let env: Environment;
  let docker: Dockerode;
  let token: string;
  const tmp: string[] = [];
  const savedHome = process.env.COURSEDOCK_HOME;

  beforeAll(async () => {
    t = teardown.add(newTestEngine(), (made) => made.destroy());
    process.env.COURSEDOCK_HOME = t.copy.home; // where the API writes its bundles
    docker = await t.engine.connection.require();
    env = await t.engine.open(t.copy.project);
    await env.up();
    token = env.variable('NOTEBOOK_TOKEN')!;
    expect(token).toMatch(/^[0-9a-f]{48}$/);
    // The token is where a bundle would pick it up if masking failed: the settings and the
    // notebook server's log (its URLs) and its environment.
    expect(readFileSync(path.join(t.copy.home, 'settings.json'), 'utf8')).toContain(token);
    const url = notebookUrlWithToken(env);
    expect((await fetch(url)).status).toBe(200);
  });

  afterAll(async () => {
    if (savedHome === undefined) delete process.env.COURSEDOCK_HOME;
    else process.env.COURSEDOCK_HOME = savedHome;
    for (const d of tmp) rmSync(d, { recursive: true, force: true });
    await teardown.run();
  });

  it('holds versions, the masked spec, states, logs, checks and settings, and no password or token', async () => {
    const out = path.join(t.copy.home, 'out', 'bundle.tar.gz');
    const bundle = await writeSupportBundle(docker, env, t.store, { out, logLines: 200 });
    expect(bundle.file).toBe(out);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const { dir, files } = await unpack(out);
    tmp.push(dir);

    const top = 'bundle';
    const expected = [
      'README.txt',
      'checks.json',
      'checks.txt',
      'environment.json',
      'services/mongo/logs.txt',
      'services/mongo/state.json',
      'services/notebook/logs.txt',
      'services/notebook/state.json',
      'services/postgres/logs.txt',
      'services/postgres/state.json',
      'settings.json',
      'spec/compose.yml',
      'spec/resolved.json',
      'versions.json',
    ].map((f) => path.join(top, f));
    expect(files).toEqual(expected);
    expect([...bundle.entries].sort()).toEqual(expected.map((f) => f.split(path.sep).join('/')));

    // The search: the token and the passwords appear in no file, in any form.
    for (const secret of [token, 'testpass']) expect(filesContaining(dir, files, secret), `"${secret}" found`).toEqual([]);

    const read = (f: string) => readFileSync(path.join(dir, top, f), 'utf8');
    const json = (f: string): unknown => JSON.parse(read(f));

    const versions = json('versions.json') as { coursedock: string; node: string; dockerVersion: { Version: string; Os: string }; dockerInfo: { OperatingSystem: string; DockerRootDir: string } };
    const pkg = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(versions.coursedock).toBe(pkg.version);
    expect(versions.node).toBe(process.versions.node);
    const engineVersion = (await docker.version()) as unknown as { Version: string; Os: string };
    expect(versions.dockerVersion).toMatchObject({ Version: engineVersion.Version, Os: engineVersion.Os });
    expect(versions.dockerInfo.OperatingSystem).toBe(((await docker.info()) as { OperatingSystem: string }).OperatingSystem);

    // Masked where the secrets were: the spec, the resolved spec, the settings, the log, the container's environment.
    const spec = read('spec/compose.yml');
    expect(spec).toContain('DATABASE_URL: postgresql://testuser:***@postgres:5432/testdb');
    expect(spec).toContain('JUPYTER_TOKEN: ${NOTEBOOK_TOKEN}');
    expect(spec).toMatch(/POSTGRES_PASSWORD: "?\*\*\*"?/);
    const resolved = json('spec/resolved.json') as { services: { notebook: { environment: Record<string, string> } } };
    expect(resolved.services.notebook.environment).toMatchObject({ JUPYTER_TOKEN: '***', PGPASSWORD: '***', PGUSER: 'testuser' });
    const settings = json('settings.json') as { environments: Record<string, { variables: Record<string, string> }> };
    expect(settings.environments[t.copy.project]!.variables.NOTEBOOK_TOKEN).toBe('***');
    const notebook = json('services/notebook/state.json') as { coursedock: { status: string; webUrl: string }; docker: { Env: string[]; State: { Running: boolean } } };
    expect(notebook.coursedock.status).toBe('healthy');
    expect(notebook.coursedock.webUrl).not.toMatch(/token/);
    expect(notebook.docker.State.Running).toBe(true);
    expect(notebook.docker.Env).toEqual(expect.arrayContaining(['JUPYTER_TOKEN=***', 'PGPASSWORD=***', 'PGUSER=testuser']));
    expect(read('services/notebook/logs.txt')).toMatch(/token=\*\*\*/);
    expect(read('services/postgres/logs.txt')).toMatch(/database system is ready to accept connections/);
    expect((json('services/mongo/state.json') as { coursedock: { status: string; unavailable?: boolean } }).coursedock).toMatchObject({ status: 'error', unavailable: true });
    expect(read('services/mongo/logs.txt')).toMatch(/^\(no logs: MongoDB has no container yet/);

    const checks = json('checks.json') as { ok: boolean; counts: Record<string, number> };
    expect(checks, read('checks.txt')).toMatchObject({ ok: true, counts: { pass: 9, fail: 0, skipped: 2 } });
    expect(read('checks.txt')).toContain('✓ The course data is in the database (anscombe, 44 rows)');
    const environment = json('environment.json') as { notebooks: { contents: Array<{ name: string }>; starterMarker: { files: unknown[] } }; variables: Array<{ name: string; value: string }> };
    // The course's starter notebooks, whatever the course ships today.
    const starters = readdirSync(path.join(t.copy.dir, 'starter-notebooks')).filter((f) => !f.startsWith('.')).sort();
    expect(starters).toContain('01-anscombe.ipynb');
    expect(environment.notebooks.contents.map((c) => c.name).sort()).toEqual(starters);
    expect(environment.notebooks.starterMarker.files).toHaveLength(starters.length);
    expect(environment.variables.find((v) => v.name === 'NOTEBOOK_TOKEN')!.value).toBe('***');
    expect(read('README.txt')).toMatch(/Passwords and tokens are replaced by \*\*\*/);
  });

  it('the API writes one into the data folder; the CLI where --out says; neither holds a secret', async () => {
    const session = new ApiSession(t.engine, () => undefined);
    let apiPath: string;
    try {
      const r = (await session.call('env.supportBundle', { project: t.copy.project })) as { path: string; entries: string[] };
      apiPath = r.path;
      expect(path.dirname(apiPath)).toBe(path.join(t.copy.home, 'support'));
      expect(path.basename(apiPath)).toMatch(new RegExp(`^coursedock-support-${t.copy.project}-\\d{8}-\\d{6}\\.tar\\.gz$`));
      expect(r.entries).toHaveLength(14);
    } finally {
      session.dispose();
    }
    await expect(session.call('env.supportBundle', { project: t.copy.project, out: '/tmp/x.tar.gz' })).rejects.toThrow(/Invalid input/);

    const cliOut = path.join(t.copy.home, 'cli-bundle.tar.gz');
    const cli = await run(process.execPath, [path.join(REPO_ROOT, 'bin/coursedock.js'), 'support-bundle', t.copy.project, '--out', cliOut], {
      env: { ...process.env, ...t.copy.env },
      timeout: 180_000,
    });
    expect(cli.stdout).toMatch(/^Support bundle written: .*cli-bundle\.tar\.gz \(\d+ KB, 14 files; passwords and tokens masked\)\.$/m);
    expect(existsSync(cliOut)).toBe(true);

    for (const file of [apiPath, cliOut]) {
      const { dir, files } = await unpack(file);
      tmp.push(dir);
      expect(files).toHaveLength(14);
      for (const secret of [token, 'testpass']) expect(filesContaining(dir, files, secret), `"${secret}" in ${file}`).toEqual([]);
    }
  });
});
