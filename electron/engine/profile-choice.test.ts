// The profile switch below the panel (issue 13): a course's declared profiles reach the contract
// with their state; choosing them is validated (declared names only), remembered per course in
// settings, used exactly when the course is opened again (COMPOSE_PROFILES from .env no longer
// decides) and overridden by `--profile`. A check of a service whose profile is off is left out
// with a warning naming the profile, not refused as "not a service".
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiSession } from '../api/api-session.js';
import type { EnvironmentInfo } from '../api/contract.js';
import { parseInput } from '../api/contract.js';
import { Engine } from './engine.js';
import { FileSettingsStore } from './settings/settings-store.js';
import { chosenProfiles, declaredProfiles } from './profile-choice.js';
import { envKey } from './settings/variables.js';
import { loadSpec } from './spec/index.js';
import { offlineEngine } from './testing/offline-engine.js';

const SPEC = `name: replica
services:
  db:
    image: mongo:7
  mongo-2:
    image: mongo:7
    profiles: [replica-set]
  grafana:
    image: grafana/grafana
    profiles: [monitoring, debug]
x-coursedock:
  title: Replica
  checks:
    - id: db-reaches-mongo-2
      kind: connect
      service: db
      target: mongo-2
      port: 27017
`;

let root: string;
let file: string;
let engine: Engine | undefined;
let session: ApiSession | undefined;

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'cd-profiles-'));
  mkdirSync(path.join(root, 'specs', 'replica'), { recursive: true });
  file = path.join(root, 'specs', 'replica', 'compose.yaml');
  writeFileSync(file, SPEC);
  // The course's own default: the monitoring profile on (as Compose reads it from .env).
  writeFileSync(path.join(root, 'specs', 'replica', '.env'), 'COMPOSE_PROFILES=monitoring\n');
});

afterEach(() => {
  session?.dispose();
  engine?.close();
  session = undefined;
  engine = undefined;
  rmSync(root, { recursive: true, force: true });
});

/** A session on an engine without Docker; `profiles`: the CLI's `--profile`. */
const open = (profiles?: string[]) => {
  engine = profiles
    ? new Engine({
        store: new FileSettingsStore(path.join(root, 'settings.json')),
        specsDir: path.join(root, 'specs'),
        env: {},
        discovery: () => ({ env: {}, home: root, platform: 'linux', configured: `unix://${root}/no-docker.sock` }),
        profiles,
      })
    : offlineEngine(root);
  session = new ApiSession(engine, () => undefined);
  return session;
};

describe('spec: a check of a service in an inactive profile', () => {
  it('is left out with a warning naming the profile, not "not a service"', () => {
    const spec = loadSpec(file, { env: { HOME: root }, profiles: ['monitoring'] });
    expect((spec.meta.checks ?? []).map((c) => c.id)).toEqual([]);
    const warning = spec.warnings.find((w) => w.path.includes('checks'));
    expect(warning?.message).toBe('"mongo-2" runs only with the profile "replica-set", which is not active: this check is left out until it is');
    expect(spec.warnings.some((w) => /not a service/.test(w.message))).toBe(false);
  });

  it('is kept when the profile is on', () => {
    const spec = loadSpec(file, { env: { HOME: root }, profiles: ['replica-set'] });
    expect((spec.meta.checks ?? []).map((c) => c.id)).toEqual(['db-reaches-mongo-2']);
  });

  it('an exact choice ignores COMPOSE_PROFILES; an empty one turns every profile off', () => {
    const spec = loadSpec(file, { env: { HOME: root }, profiles: [], profilesExact: true });
    expect(Object.keys(spec.services)).toEqual(['db']);
    expect(declaredProfiles(spec)).toEqual(['debug', 'monitoring', 'replica-set']);
  });
});

describe('contract: env.profiles', () => {
  it('accepts only a project and a list of profile names at the boundary', () => {
    expect(() => parseInput('env.profiles', { project: 'replica', profiles: ['replica-set'] })).not.toThrow();
    expect(() => parseInput('env.profiles', { project: 'replica', profiles: 'replica-set' })).toThrow(/profiles/);
    expect(() => parseInput('env.profiles', { project: 'replica', profiles: ['a b'] })).toThrow(/profiles\.0/);
    expect(() => parseInput('env.profiles', { project: 'replica', profiles: [], extra: 1 })).toThrow(/Invalid input/);
  });

  it('env.open tells the declared profiles and which are on (the course default from .env)', async () => {
    const info = (await open().call('env.open', { course: 'replica' })) as EnvironmentInfo;
    expect(info.profiles).toEqual([
      { name: 'debug', active: false, services: ['grafana'] },
      { name: 'monitoring', active: true, services: ['grafana'] },
      { name: 'replica-set', active: false, services: ['mongo-2'] },
    ]);
    expect(info.services.map((s) => s.name).sort()).toEqual(['db', 'grafana']);
  });

  it('switching re-opens with exactly the chosen profiles and remembers them for the course', async () => {
    const s = open();
    const info = (await s.call('env.open', { course: 'replica' })) as EnvironmentInfo;
    const result = (await s.call('env.profiles', { project: info.project, profiles: ['replica-set'] })) as { profiles: Array<{ name: string; active: boolean }> };
    expect(result.profiles.filter((p) => p.active).map((p) => p.name)).toEqual(['replica-set']);
    expect(chosenProfiles(engine!.store, info.project)).toEqual(['replica-set']);
    expect(engine!.store.get(envKey(info.project, 'profiles'))).toEqual(['replica-set']);
    const again = (await s.call('env.open', { course: 'replica' })) as EnvironmentInfo;
    expect(again.services.map((x) => x.name).sort()).toEqual(['db', 'mongo-2']);

    // A new engine (the app started again) opens the course with the remembered choice.
    s.dispose();
    engine!.close();
    const next = open();
    const reopened = (await next.call('env.open', { course: 'replica' })) as EnvironmentInfo;
    expect(reopened.services.map((x) => x.name).sort()).toEqual(['db', 'mongo-2']);

    // Every profile off: only the services without profiles.
    await next.call('env.profiles', { project: info.project, profiles: [] });
    const none = (await next.call('env.open', { course: 'replica' })) as EnvironmentInfo;
    expect(none.services.map((x) => x.name)).toEqual(['db']);
  });

  it('`--profile` wins over the remembered choice', async () => {
    const s = open();
    const info = (await s.call('env.open', { course: 'replica' })) as EnvironmentInfo;
    await s.call('env.profiles', { project: info.project, profiles: ['replica-set'] });
    s.dispose();
    engine!.close();
    const cli = (await open(['debug']).call('env.open', { course: 'replica' })) as EnvironmentInfo;
    expect(cli.services.map((x) => x.name).sort()).toEqual(['db', 'grafana']);
    expect(cli.profiles?.filter((p) => p.active).map((p) => p.name)).toEqual(['debug']);
  });

  it('refuses a profile the course does not declare, and remembers nothing', async () => {
    const s = open();
    const info = (await s.call('env.open', { course: 'replica' })) as EnvironmentInfo;
    await expect(s.call('env.profiles', { project: info.project, profiles: ['replica-set', 'nope'] })).rejects.toMatchObject({
      error: { code: 'invalid-input', message: 'Replica has no profile "nope" (its profiles: debug, monitoring, replica-set).' },
    });
    expect(chosenProfiles(engine!.store, info.project)).toBeUndefined();
  });
});
