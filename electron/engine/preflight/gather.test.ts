// The looking half on a real disk (temporary folders) and the real tm351 spec; no Docker.
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Dockerode from 'dockerode';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Engine } from '../engine.js';
import { FileSettingsStore } from '../settings/settings-store.js';
import { REPO_ROOT } from '../testing/course-copy.js';
import { containerUser, gatherPreflightFacts, pathFact, portHolder } from './gather.js';
import { PreflightError, preflightErrorFor, preflightGate } from './index.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'cd-preflight-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function loadTm351(env: Record<string, string>) {
  const engine = new Engine({
    store: new FileSettingsStore(path.join(root, 'home', 'settings.json')),
    specsDir: path.join(REPO_ROOT, 'compose-specs'),
    env,
  });
  const file = engine.resolveCourseFile('tm351');
  const spec = engine.load(file);
  return { spec, variables: { NOTEBOOKS_DIR: env.NOTEBOOKS_DIR! } };
}

describe('pathFact', () => {
  it('tells a folder (owner, mode), a file, and a missing path with its nearest ancestor', async () => {
    const dir = path.join(root, 'dir');
    mkdirSync(dir, { mode: 0o750 });
    const file = path.join(root, 'file');
    writeFileSync(file, 'x');
    expect(await pathFact(dir)).toMatchObject({ kind: 'folder', uid: process.getuid!(), mode: 0o750 });
    expect(await pathFact(file)).toEqual({ kind: 'file' });
    expect(await pathFact(path.join(root, 'a', 'b'))).toEqual({ kind: 'missing', ancestor: root, ancestorKind: 'folder', ancestorWritable: true });
    expect(await pathFact(path.join(file, 'sub'))).toEqual({ kind: 'missing', ancestor: file, ancestorKind: 'file', ancestorWritable: false });
  });
});

describe('containerUser', () => {
  const svc = (user: string | undefined, environment: Record<string, string>) =>
    ({ user, environment }) as unknown as Parameters<typeof containerUser>[0];
  it('reads user: uid[:gid], else NB_UID/NB_GID, else does not guess', () => {
    expect(containerUser(svc('1001:50', {}))).toEqual({ uid: 1001, gid: 50 });
    expect(containerUser(svc(undefined, { NB_UID: '1000' }))).toEqual({ uid: 1000, gid: 1000 });
    expect(containerUser(svc(undefined, { NB_UID: '1000', NB_GID: '100' }))).toEqual({ uid: 1000, gid: 100 });
    expect(containerUser(svc('jovyan', { NB_UID: '1000' }))).toBeUndefined();
    expect(containerUser(svc(undefined, {}))).toBeUndefined();
  });
});

describe('portHolder', () => {
  const c = (project: string | undefined, port: number, ip = '127.0.0.1') =>
    ({
      Id: 'abcdef0123456789',
      Names: ['/x-postgres-1'],
      Labels: project ? { 'com.docker.compose.project': project, 'com.docker.compose.service': 'postgres' } : {},
      Ports: [{ IP: ip, PrivatePort: 5432, PublicPort: port, Type: 'tcp' }],
    }) as unknown as Dockerode.ContainerInfo;
  it('ours, another environment, a foreign container, or another program', () => {
    expect(portHolder([c('me', 5432)], 'me', '127.0.0.1', 5432)).toEqual({ kind: 'ours' });
    expect(portHolder([c('x', 5432)], 'me', '127.0.0.1', 5432)).toEqual({ kind: 'container', name: 'x-postgres-1', project: 'x', service: 'postgres' });
    expect(portHolder([c(undefined, 5432, '0.0.0.0')], 'me', '127.0.0.1', 5432)).toEqual({ kind: 'container', name: 'x-postgres-1' });
    expect(portHolder([c('x', 5433)], 'me', '127.0.0.1', 5432)).toEqual({ kind: 'program' });
  });
});

describe('the gate on the tm351 spec', () => {
  it('a notebooks path that is a file refuses the operation in words, per service, and touches nothing', async () => {
    const notebooks = path.join(root, 'notebooks');
    writeFileSync(notebooks, 'my essay');
    const { spec, variables } = loadTm351({ NOTEBOOKS_DIR: notebooks, NOTEBOOK_UID: '1000' });
    const before = readdirSync(root).sort();
    const warnings: string[] = [];
    const err = await preflightGate(undefined, spec, ['postgres', 'notebook'], { variables, warn: (f) => warnings.push(f.message) }).then(
      () => expect.unreachable('should refuse'),
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(PreflightError);
    const own = (preflightErrorFor(err, 'notebook') as Error).message;
    expect(own).toContain(`Your folder for Jupyter Notebook (${notebooks}) is a file`);
    expect(own).toContain('or set NOTEBOOKS_DIR');
    const other = (preflightErrorFor(err, 'postgres') as Error).message;
    expect(other).toMatch(/^PostgreSQL was not started: the pre-flight check found a problem\. Your folder for Jupyter Notebook/);
    expect(readdirSync(root).sort()).toEqual(before);
    expect(readFileSync(notebooks, 'utf8')).toBe('my essay');
  });

  it('the notebook user (NB_UID) and the folder variable are recognised; ports report who holds them', async () => {
    const notebooks = path.join(root, 'nb');
    mkdirSync(notebooks, { mode: 0o700 });
    const { spec, variables } = loadTm351({ NOTEBOOKS_DIR: notebooks, NOTEBOOK_UID: '4242' });
    const facts = await gatherPreflightFacts(undefined, spec, ['notebook'], {
      variables,
      ports: true,
      platform: 'linux',
      probe: (_ip, port) => Promise.resolve(port !== 8351), // 8351 taken, by no container (no Docker here)
    });
    const bind = facts.binds.find((b) => b.target === '/home/student/notebooks')!;
    expect(bind).toMatchObject({ folderVariable: { name: 'NOTEBOOKS_DIR' }, runsAs: { uid: 4242, gid: 4242 }, path: { kind: 'folder', mode: 0o700 } });
    expect(facts.ports).toEqual([{ service: 'notebook', serviceTitle: 'Jupyter Notebook', hostIp: '127.0.0.1', port: 8351, holder: { kind: 'program' } }]);
    expect(facts.disks.length).toBeGreaterThan(0);
    const other = await gatherPreflightFacts(undefined, spec, ['notebook'], { variables, platform: 'darwin' });
    expect(other.binds[0]!.runsAs).toBeUndefined(); // Docker Desktop maps owners
  });
});
