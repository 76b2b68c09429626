import { afterEach, describe, expect, it } from 'vitest';
import { loadSpec } from '../spec/index.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { backupDeclSchema, planServiceBackup } from './backup-spec.js';
import { ZSTD_COMPRESS, mongoDump, mongoRestore, pgDumpDatabase, pgDumpGlobals, pgRestoreDatabase, zstdDecompress } from './database-commands.js';

const cleanup: Array<() => void> = [];
afterEach(() => cleanup.splice(0).forEach((f) => f()));

describe('how each service is backed up', () => {
  // Loading the real course spec takes seconds on a busy machine: a generous timeout, not a judgement of speed.
  it('defaults: PostgreSQL dumped, MongoDB dumped, the notebooks folder as files; course files left out', { timeout: 60_000 }, () => {
    const spec = loadSpec('compose-specs/tm351/compose.yml', { env: { NOTEBOOKS_DIR: '/home/s/nb', NOTEBOOK_TOKEN: 't', MONGO_PASSWORD: 'p', MONGO_ADMIN_PASSWORD: 'q' }, project: 'tm351' });
    const plan = (s: string) => planServiceBackup(spec.services[s]!, spec.volumes, spec.dir);
    expect(plan('postgres')).toEqual({ service: 'postgres', method: 'postgres', items: [{ kind: 'postgres', user: 'postgres' }], stopsService: false });
    expect(plan('mongo').items).toEqual([{ kind: 'mongodb' }]); // ./mongo/initdb (read-only, the course's) is not copied
    expect(plan('notebook')).toEqual({
      service: 'notebook',
      method: 'files',
      items: [{ kind: 'folder', name: 'home_student_notebooks', source: '/home/s/nb', target: '/home/student/notebooks' }],
      stopsService: false,
    });
  });

  it('a named volume is a tar; the spec may ask to stop the service for it, or for no backup', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cd-bkspec-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const file = path.join(dir, 'compose.yml');
    writeFileSync(file, `
x-coursedock:
  title: T
  services:
    cache:
      backup: { stop: true }
    scratch:
      backup: { method: none }
services:
  cache: { image: redis:7, volumes: [cachedata:/data] }
  scratch: { image: busybox, volumes: [tmpdata:/tmp/x] }
volumes: { cachedata: {}, tmpdata: {} }
`);
    const spec = loadSpec(file, { env: {}, project: 'p1' });
    expect(planServiceBackup(spec.services.cache!, spec.volumes, spec.dir)).toEqual({
      service: 'cache',
      method: 'files',
      items: [{ kind: 'volume', name: 'cachedata', volume: 'p1_cachedata', target: '/data', stop: true }],
      stopsService: true,
    });
    expect(planServiceBackup(spec.services.scratch!, spec.volumes, spec.dir).items).toEqual([]);
  });

  it('rejects an unknown backup key with the spec', () => {
    expect(backupDeclSchema.safeParse({ method: 'rsync' }).success).toBe(false);
    expect(backupDeclSchema.safeParse({ stop: true, extra: 1 }).success).toBe(false);
  });
});

describe('database commands', () => {
  it('PostgreSQL: uncompressed custom-format dumps per database (zstd compresses them), globals without passwords, restore from stdin recreates the database', () => {
    expect(pgDumpDatabase('postgres', 'testdb')).toEqual(['pg_dump', '-U', 'postgres', '-Fc', '-Z0', '-d', 'testdb']);
    expect(ZSTD_COMPRESS).toEqual(['zstd', '-q', expect.stringMatching(/^-T[1-4]$/), '-1', '-c']);
    expect(zstdDecompress('db-testdb.dump.zst')).toEqual(['zstd', '-q', '-dc', '/in/db-testdb.dump.zst']);
    expect(pgDumpGlobals('postgres')).toContain('--globals-only');
    const { terminate, restore } = pgRestoreDatabase('postgres', "o'brien");
    expect(terminate.at(-1)).toContain("datname = 'o''brien'");
    expect(restore).toEqual(['pg_restore', '-U', 'postgres', '-d', 'template1', '--clean', '--if-exists', '--create', '--exit-on-error']);
    expect(pgDumpDatabase('postgres', 'testdb', '/pipe').slice(-3)).toEqual(['--no-sync', '-f', '/pipe']);
  });

  it('MongoDB: one gzip archive with the image administrator read inside the container, restored with --drop', () => {
    const dump = mongoDump();
    expect(dump.slice(0, 2)).toEqual(['sh', '-c']);
    expect(dump[2]).toMatch(/^exec mongodump --quiet --archive --gzip /);
    expect(dump[2]).toContain('"$MONGO_INITDB_ROOT_PASSWORD"');
    expect(dump[2]).not.toMatch(/--password [^"]/);
    expect(mongoRestore("/tmp/a b'c.gz")[2]).toContain(`--drop --gzip --archive='/tmp/a b'\\''c.gz'`);
  });
});
