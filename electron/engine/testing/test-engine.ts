// A real engine (real Docker) over a copied course, for the Docker-backed test suites.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import Dockerode from 'dockerode';
import { Engine } from '../engine.js';
import { LABEL } from '../plan/labels.js';
import { FileSettingsStore } from '../settings/settings-store.js';
import { copyCourse, type CourseCopy } from './course-copy.js';
import { listVolumes } from '../docker/volume-list.js';

export interface TestEngine {
  copy: CourseCopy;
  engine: Engine;
  store: FileSettingsStore;
  /** Everything the test created in Docker and on disk goes. */
  destroy(): Promise<void>;
}

/** readyTimeoutMs: how long a service may take to become ready (a JVM on a busy machine needs more). */
export function newTestEngine(copy: CourseCopy = copyCourse(), { readyTimeoutMs = 5 * 60_000 }: { readyTimeoutMs?: number } = {}): TestEngine {
  const store = new FileSettingsStore(path.join(copy.home, 'settings.json'));
  const engine = new Engine({
    store,
    specsDir: path.dirname(copy.dir),
    env: { ...process.env, ...copy.env },
    environment: { readyTimeoutMs },
  }).start();
  return {
    copy,
    engine,
    store,
    destroy: async () => {
      engine.close();
      await removeProject(copy.project);
      copy.cleanup();
    },
  };
}

/** Removes a project's containers, network and volumes, whatever state they are in. */
export async function removeProject(project: string): Promise<void> {
  const docker = new Dockerode();
  const filters = { label: [`${LABEL.project}=${project}`] };
  for (const c of await docker.listContainers({ all: true, filters })) {
    await docker.getContainer(c.Id).remove({ force: true, v: true }).catch(() => undefined);
  }
  for (const n of await docker.listNetworks({ filters })) {
    await docker.getNetwork(n.Id).remove().catch(() => undefined);
  }
  for (const v of await listVolumes(docker, { filters })) await docker.getVolume(v.Name).remove().catch(() => undefined);
}

/** Runs SQL through the host's psql against a published PostgreSQL port; returns the output. */
export function psql(port: number, sql: string, db = 'testdb', user = 'testuser', password = 'testpass'): string {
  return execFileSync('psql', ['-h', '127.0.0.1', '-p', String(port), '-U', user, '-d', db, '-tAc', sql], {
    env: { ...process.env, PGPASSWORD: password, PGCONNECT_TIMEOUT: '5' },
    encoding: 'utf8',
  }).trim();
}
