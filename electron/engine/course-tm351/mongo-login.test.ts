// tm351's MongoDB login, on the spec/plan side (MongoDB itself cannot run here: no image): the
// student's password is generated per install and reaches the notebook through MONGO_URL; the
// administrator's is another one that only the mongo container gets; neither travels to a UI
// in state or in env.open.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ApiSession } from '../../api/api-session.js';
import { Engine } from '../engine.js';
import { containerConfig } from '../plan/container-config.js';
import { FileSettingsStore } from '../settings/settings-store.js';
import { REPO_ROOT } from '../testing/course-copy.js';
import { offlineEngine } from '../testing/offline-engine.js';

const roots: string[] = [];
const engines: Engine[] = [];
afterAll(() => {
  for (const e of engines) e.close();
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

/** A fresh install: its own settings folder, Docker unreachable (nothing here needs it). */
async function install() {
  const root = mkdtempSync(path.join(os.tmpdir(), 'cd-mongo-'));
  roots.push(root);
  const store = new FileSettingsStore(path.join(root, 'settings.json'));
  const engine = offlineEngine(root, { store, specsDir: path.join(REPO_ROOT, 'compose-specs'), env: { NOTEBOOKS_DIR: path.join(root, 'notebooks') } });
  engines.push(engine);
  const env = await engine.open('tm351');
  return { engine, env, store };
}

const STUDENT_URL = /^mongodb:\/\/student:([0-9a-f]{48})@mongo:27017\/tm351$/;

describe('tm351 MongoDB login', () => {
  it('the student password is generated per install and carried by MONGO_URL; the admin password is another', async () => {
    const a = await install();
    const b = await install();
    const pw = (i: typeof a) => STUDENT_URL.exec(i.env.spec.services.notebook!.environment.MONGO_URL ?? '')?.[1];
    const [pa, pb] = [pw(a), pw(b)];
    expect(pa).toBeDefined();
    expect(pb).toBeDefined();
    expect(pa).not.toBe(pb);
    // Kept: the same install keeps its password next time.
    expect(a.store.get('environments.tm351.variables.MONGO_PASSWORD')).toBe(pa);
    const mongo = a.env.spec.services.mongo!;
    expect(mongo.environment).toMatchObject({ MONGO_STUDENT_USER: 'student', MONGO_STUDENT_PASSWORD: pa, MONGO_INITDB_DATABASE: 'tm351' });
    const admin = mongo.environment.MONGO_INITDB_ROOT_PASSWORD;
    expect(admin).toMatch(/^[0-9a-f]{48}$/);
    expect(admin).not.toBe(pa);
    expect(admin).not.toBe(b.env.spec.services.mongo!.environment.MONGO_INITDB_ROOT_PASSWORD);
    // The student (the notebook, the panel's connection) never gets the administrator's password.
    expect(JSON.stringify(a.env.spec.services.notebook)).not.toContain(admin);
    expect(mongo.meta.connection).toEqual({ kind: 'mongodb', port: 27017, user: 'student', password: pa, database: 'tm351' });
  });

  it("the container gets both through its environment and the course's init script, read-only", async () => {
    const { env } = await install();
    const mongo = env.spec.services.mongo!;
    const config = containerConfig(env.spec, mongo, []);
    expect(config.Env).toEqual(expect.arrayContaining([
      `MONGO_STUDENT_PASSWORD=${mongo.environment.MONGO_STUDENT_PASSWORD}`,
      `MONGO_INITDB_ROOT_PASSWORD=${mongo.environment.MONGO_INITDB_ROOT_PASSWORD}`,
      'MONGO_INITDB_ROOT_USERNAME=coursedock-admin',
    ]));
    const initdb = config.HostConfig?.Mounts?.find((m) => m.Target === '/docker-entrypoint-initdb.d');
    expect(initdb).toMatchObject({ Type: 'bind', ReadOnly: true });
    const script = path.join(initdb!.Source, '01-student.js');
    expect(existsSync(script)).toBe(true);
    const text = readFileSync(script, 'utf8');
    expect(text).toContain('process.env.MONGO_STUDENT_PASSWORD');
    expect(text).toContain("role: 'readWriteAnyDatabase'");
    expect(text).not.toMatch(/role: '(root|userAdmin\w*|clusterAdmin|dbOwner', db: 'admin)'/);
  });

  it('neither password is in env.open or env.state payloads', async () => {
    const { engine, env } = await install();
    const events: unknown[] = [];
    const session = new ApiSession(engine, (event, payload) => events.push({ event, payload }));
    try {
      const opened = await session.call('env.open', { course: 'tm351' });
      const states = await session.call('env.state', { project: 'tm351' });
      const mongo = env.spec.services.mongo!;
      const secrets = [mongo.environment.MONGO_STUDENT_PASSWORD!, mongo.environment.MONGO_INITDB_ROOT_PASSWORD!];
      const sent = JSON.stringify([opened, states, env.states(), events]);
      for (const s of secrets) expect(sent).not.toContain(s);
      expect(JSON.stringify(opened)).toContain('"hasPassword":true');
    } finally {
      session.dispose();
    }
  });
});
