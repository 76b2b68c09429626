// Backups and restores on the real engine with the course's real PostgreSQL and notebook
// folder: a student's table and notebook file survive backup → reset → "Undo reset", a `down`
// with the volume removed, and a move to another project name; a backup taken while a writer
// commits rows restores to one consistent instant; damaged or foreign backups are refused with
// nothing changed.
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Environment } from '../environment.js';
import { copyCourse, type CourseCopy } from '../testing/course-copy.js';
import { newTestEngine, psql, type TestEngine } from '../testing/test-engine.js';
import { Teardown } from '../testing/teardown.js';
import { BackupRefused, MANIFEST_FILE, readManifest } from './manifest.js';
import { listBackups, backupsRoot } from './store.js';
import { execToFile } from './container-io.js';
import { takeBackup } from './take-backup.js';
import { restoreBackup, type RestoreResult } from './restore.js';

const docker = new Dockerode();
const pgPort = (env: Environment): number => {
  const p = env.state('postgres').ports.find((x) => x.target === 5432);
  if (!p) throw new Error('postgres publishes no port');
  return p.hostPort;
};
const NOTE = 'my-work.ipynb';
const NOTE_TEXT = '{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5, "note": "written by the student"}\n';

/**
 * A copy of tm351 that runs the course images already on this computer: their build sections
 * are dropped, so a course image being rebuilt meanwhile (its build files changed) is not
 * waited for. Backups do not depend on how the images were made.
 */
function courseWithBuiltImages(prefix: string): CourseCopy {
  const copy = copyCourse('tm351', prefix);
  // Health checks get more time than the course's 3 s: this judges backups, not a loaded machine's speed.
  writeFileSync(
    copy.file,
    readFileSync(copy.file, 'utf8')
      .replace(/^ {4}build:\n {6}context: [^\n]+\n/gm, '').replace(/^ {6}timeout: 3s$/gm, '      timeout: 60s')
      // The modules the notebook image on this computer has: the course's list grows while other work rebuilds that image.
      .replace(/^ {6}modules: \[.*\]$/m, '      modules: [pandas, numpy, matplotlib, psycopg2, sqlalchemy, pymongo, notebook, nbconvert]'),
  );
  return copy;
}

const teardown = new Teardown();
let a: TestEngine;
let envA: Environment;
const scratch = path.join(os.tmpdir(), `cd-backup-test-${process.pid}`);

beforeAll(async () => {
  mkdirSync(scratch, { recursive: true });
  a = teardown.add(newTestEngine(courseWithBuiltImages('cdtbk')), (made) => made.destroy());
  envA = await a.engine.open(path.basename(a.copy.dir));
  const up = await envA.up(['notebook']);
  expect(up.ok, JSON.stringify(up)).toBe(true);
  psql(pgPort(envA), 'create table student_work (id int primary key, note text); insert into student_work select g, $$row $$ || g from generate_series(1, 250) g');
  writeFileSync(path.join(a.copy.notebooksDir, NOTE), NOTE_TEXT);
});

afterAll(async () => {
  await teardown.run();
  rmSync(scratch, { recursive: true, force: true });
});

/**
 * The restore came back healthy and the course's checks about its data pass. Importing the
 * course's Python modules (pandas, matplotlib…) can outlast that check's timeout on a heavily
 * loaded machine; it is about the image, not the restored data, so it is left out here.
 */
function restoredWell(r: RestoreResult): void {
  expect(r.up.ok, r.message).toBe(true);
  expect(r.checks?.results.filter((c) => c.status === 'fail' && c.kind !== 'python-modules').map((c) => c.title)).toEqual([]);
}

const studentTable = (env: Environment) => psql(pgPort(env), 'select count(*) || $$/$$ || sum(id) from student_work');

describe('backup and restore of student data', () => {
  it('a table and a notebook file survive backup → reset → Undo reset', async () => {
    const manual = await takeBackup(docker, envA, a.store, { services: ['postgres', 'notebook'] });
    expect(manual.automatic).toBe(false);
    expect(manual.services.map((s) => s.service).sort()).toEqual(['notebook', 'postgres']);
    const m = readManifest(manual.folder);
    expect(m.services.find((s) => s.service === 'postgres')!.items.map((i) => i.kind)).toEqual(expect.arrayContaining(['pg-globals', 'pg-database']));
    expect(m.services.find((s) => s.service === 'notebook')!.items.map((i) => i.kind)).toEqual(['folder']);

    const notices: string[] = [];
    envA.on('notice', (n) => notices.push(n.message));
    const reset = await envA.reset('postgres', { confirm: true });
    expect(reset.ok, JSON.stringify(reset)).toBe(true);
    expect(() => psql(pgPort(envA), 'select 1 from student_work')).toThrow(/student_work/);
    expect(notices.some((n) => /Backed up PostgreSQL before the reset/.test(n))).toBe(true);
    rmSync(path.join(a.copy.notebooksDir, NOTE)); // and the student lost the notebook too

    const before = listBackups(backupsRoot(a.store), envA.spec.meta.title).backups.find((b) => b.reason === 'before-reset');
    expect(before?.automatic).toBe(true);
    // "Undo reset" restores the automatic backup taken before it.
    const undo = await restoreBackup(docker, envA, before!.folder);
    restoredWell(undo);
    expect(studentTable(envA)).toBe('250/31375');
    // The notebook comes from the manual backup (a reset of PostgreSQL never touches it).
    const files = await restoreBackup(docker, envA, manual.folder, { services: ['notebook'] });
    restoredWell(files);
    expect(readFileSync(path.join(a.copy.notebooksDir, NOTE), 'utf8')).toBe(NOTE_TEXT);
    expect(files.checks?.results.some((r) => r.id === 'notebooks-writable' && r.status === 'pass')).toBe(true);
  });

  it('backup → down + volume removed → restore into a brand-new project, and on a second project name', async () => {
    const backup = await takeBackup(docker, envA, a.store, { services: ['postgres', 'notebook'] });
    // The backup travels to "another computer": copied into the other engine's backups folder.
    const b = newTestEngine(courseWithBuiltImages('cdtbk2'));
    try {
      const down = await envA.down();
      expect(down.ok).toBe(true);
      await docker.getVolume(`${envA.project}_pgdata`).remove();
      rmSync(a.copy.notebooksDir, { recursive: true, force: true });

      const envB = await b.engine.open(path.basename(b.copy.dir));
      expect(envB.project).not.toBe(envA.project);
      const moved = path.join(backupsRoot(b.store), 'from-elsewhere', backup.id);
      cpSync(backup.folder, moved, { recursive: true });
      const r = await restoreBackup(docker, envB, moved);
      restoredWell(r);
      expect(envB.state('postgres').health).toBe('healthy');
      expect(studentTable(envB)).toBe('250/31375');
      expect(readFileSync(path.join(b.copy.notebooksDir, NOTE), 'utf8')).toBe(NOTE_TEXT);
      // The course's own data came back too (the checks above ran: anscombe, elements).
      expect(r.checks?.results.some((c) => c.id === 'data-anscombe' && c.status === 'pass')).toBe(true);

      // The first project, with nothing left of it, is restored the same way.
      const again = await restoreBackup(docker, envA, backup.folder);
      restoredWell(again);
      expect(studentTable(envA)).toBe('250/31375');
      expect(readFileSync(path.join(a.copy.notebooksDir, NOTE), 'utf8')).toBe(NOTE_TEXT);
    } finally {
      await b.destroy();
    }
  });

  it('corrupt manifest, missing file, wrong checksum, another course: refused in words, nothing changed', async () => {
    const good = await takeBackup(docker, envA, a.store, { services: ['postgres'] });
    psql(pgPort(envA), 'insert into student_work values (1000, $$after the backup$$)');
    const containerBefore = envA.state('postgres').containerId;
    const variant = (name: string, change: (dir: string) => void): string => {
      const dir = path.join(scratch, name);
      cpSync(good.folder, dir, { recursive: true });
      change(dir);
      return dir;
    };
    const m = readManifest(good.folder);
    const dump = m.services[0]!.items.find((i) => i.kind === 'pg-database')!.file;
    const cases: Array<[string, string, RegExp]> = [
      ['corrupt', variant('corrupt', (d) => writeFileSync(path.join(d, MANIFEST_FILE), '{"format": "coursedock-backup", "version": 1, "id": ')), /manifest .* is damaged/],
      ['missing', variant('missing', (d) => rmSync(path.join(d, dump))), /incomplete: .*\.dump\.zst is missing/],
      [
        'checksum',
        variant('checksum', (d) => {
          const f = path.join(d, dump);
          const bytes = readFileSync(f);
          bytes[bytes.length - 10] = bytes[bytes.length - 10]! ^ 0xff;
          writeFileSync(f, bytes);
        }),
        /does not match its checksum/,
      ],
      [
        'foreign',
        variant('foreign', (d) => writeFileSync(path.join(d, MANIFEST_FILE), JSON.stringify({ ...m, course: 'M269 Algorithms' }))),
        /another course \("M269 Algorithms"/,
      ],
    ];
    for (const [, dir, words] of cases) {
      const err = await restoreBackup(docker, envA, dir).then(() => undefined, (e: unknown) => e);
      expect(err).toBeInstanceOf(BackupRefused);
      expect((err as Error).message).toMatch(words);
    }
    expect(envA.state('postgres').containerId).toBe(containerBefore);
    expect(psql(pgPort(envA), 'select note from student_work where id = 1000')).toBe('after the backup');
  });

  it('a backup made before dumps were compressed by zstd (pg_dump -Fc with its own zlib) still restores', async () => {
    const backup = await takeBackup(docker, envA, a.store, { services: ['postgres'] });
    const m = readManifest(backup.folder);
    const item = m.services[0]!.items.find((i) => i.kind === 'pg-database' && i.database === 'testdb')!;
    rmSync(path.join(backup.folder, item.file));
    // What the earlier Coursedock wrote: pg_dump's own compression, a `.dump` file.
    item.file = item.file.replace(/\.zst$/, '');
    Object.assign(item, await execToFile(docker, envA.state('postgres').containerId!, ['pg_dump', '-U', 'testuser', '-Fc', '-Z1', '-d', 'testdb'], path.join(backup.folder, item.file)));
    writeFileSync(path.join(backup.folder, MANIFEST_FILE), JSON.stringify(m));
    const before = studentTable(envA);
    psql(pgPort(envA), 'insert into student_work values (2000, $$after the old backup$$)');
    restoredWell(await restoreBackup(docker, envA, backup.folder));
    expect(studentTable(envA)).toBe(before);
  });

  it('a backup taken while a writer commits rows restores to one consistent instant', async () => {
    const port = pgPort(envA);
    psql(port, 'create table ledger (id int primary key, at timestamptz default now()); create table ledger_total (n int); insert into ledger_total values (0)');
    // One psql session committing row after row: each transaction adds a row and counts it.
    const writer = spawn('psql', ['-h', '127.0.0.1', '-p', String(port), '-U', 'testuser', '-d', 'testdb', '-q', '-v', 'ON_ERROR_STOP=1'], {
      env: { ...process.env, PGPASSWORD: 'testpass' },
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    let stopped = false;
    let i = 0;
    const feed = async () => {
      while (!stopped) {
        const chunk: string[] = [];
        for (let k = 0; k < 50; k++) {
          i++;
          chunk.push(`begin; insert into ledger (id) values (${i}); update ledger_total set n = n + 1; commit;`);
        }
        if (!writer.stdin.write(`${chunk.join('\n')}\n`)) await new Promise((r) => writer.stdin.once('drain', r));
        await new Promise((r) => setTimeout(r, 5));
      }
      writer.stdin.end();
    };
    const feeding = feed();
    try {
      await new Promise((r) => setTimeout(r, 1500));
      const atStart = Number(psql(port, 'select count(*) from ledger'));
      const backup = await takeBackup(docker, envA, a.store, { services: ['postgres'] });
      const atEnd = Number(psql(port, 'select count(*) from ledger'));
      stopped = true;
      await feeding;
      await new Promise((r) => writer.once('close', r));
      expect(atStart).toBeGreaterThan(0);

      const r = await restoreBackup(docker, envA, backup.folder);
      restoredWell(r);
      const [count, max, total] = psql(port, 'select count(*), coalesce(max(id), 0), (select n from ledger_total) from ledger').split('|').map(Number);
      // Rows 1..count, no gap, and the running total written in the same transactions agrees.
      expect(max).toBe(count);
      expect(total).toBe(count);
      expect(count).toBeGreaterThanOrEqual(atStart);
      expect(count).toBeLessThanOrEqual(atEnd);
      const logs = (await docker.getContainer(envA.state('postgres').containerId!).logs({ stdout: true, stderr: true })).toString('utf8');
      expect(logs).not.toMatch(/PANIC|invalid page|could not read block|database system was not properly shut down/);
    } finally {
      stopped = true;
      writer.kill();
    }
  });
});
