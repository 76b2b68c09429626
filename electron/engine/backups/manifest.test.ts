import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { BACKUP_FORMAT, BackupRefused, MANIFEST_FILE, readManifest, verifyFiles, type BackupManifest } from './manifest.js';
import { findBackup, listBackups, newBackupId } from './store.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function backupFolder(root: string, id: string, content = 'dump bytes', over: Partial<BackupManifest> = {}): { dir: string; manifest: BackupManifest } {
  const dir = path.join(root, 'tm351', id);
  mkdirSync(path.join(dir, 'postgres'), { recursive: true });
  writeFileSync(path.join(dir, 'postgres/db-testdb.dump'), content);
  const manifest: BackupManifest = {
    format: BACKUP_FORMAT,
    version: 1,
    id,
    course: 'TM351',
    project: 'tm351',
    createdAt: '2030-01-01T10:00:00.000Z',
    reason: 'manual',
    automatic: false,
    services: [
      {
        service: 'postgres',
        title: 'PostgreSQL',
        image: 'coursedock/tm351-postgres:1',
        imageId: 'sha256:abc',
        method: 'postgres',
        stopped: false,
        items: [{ kind: 'pg-database', database: 'testdb', file: 'postgres/db-testdb.dump', bytes: Buffer.byteLength(content), sha256: createHash('sha256').update(content).digest('hex') }],
      },
    ],
    totalBytes: Buffer.byteLength(content),
    ...over,
  };
  writeFileSync(path.join(dir, MANIFEST_FILE), JSON.stringify(manifest));
  return { dir, manifest };
}

const tmp = () => {
  const d = mkdtempSync(path.join(os.tmpdir(), 'cd-manifest-'));
  dirs.push(d);
  return d;
};

describe('backup manifest', () => {
  it('reads a good manifest and verifies every file', async () => {
    const { dir } = backupFolder(tmp(), 'b1');
    const m = readManifest(dir);
    await expect(verifyFiles(dir, m)).resolves.toBeUndefined();
  });

  it('refuses a damaged manifest, a missing file, a changed size, a changed byte', async () => {
    const root = tmp();
    const a = backupFolder(root, 'a');
    writeFileSync(path.join(a.dir, MANIFEST_FILE), '{"format": "coursedock-backup",');
    expect(() => readManifest(a.dir)).toThrow(/manifest .* is damaged/);
    const b = backupFolder(root, 'b');
    writeFileSync(path.join(b.dir, MANIFEST_FILE), JSON.stringify({ ...b.manifest, version: 2 }));
    expect(() => readManifest(b.dir)).toThrow(BackupRefused);
    const c = backupFolder(root, 'c');
    rmSync(path.join(c.dir, 'postgres/db-testdb.dump'));
    await expect(verifyFiles(c.dir, c.manifest)).rejects.toThrow(/postgres\/db-testdb\.dump is missing/);
    const d = backupFolder(root, 'd');
    writeFileSync(path.join(d.dir, 'postgres/db-testdb.dump'), 'dump bytes!');
    await expect(verifyFiles(d.dir, d.manifest)).rejects.toThrow(/has 11 bytes, the manifest says 10/);
    const e = backupFolder(root, 'e');
    writeFileSync(path.join(e.dir, 'postgres/db-testdb.dump'), 'dump bytez');
    await expect(verifyFiles(e.dir, e.manifest)).rejects.toThrow(/does not match its checksum/);
  });

  it('a file name in a manifest cannot leave the backup folder', () => {
    const { dir, manifest } = backupFolder(tmp(), 'x');
    const evil = { ...manifest, services: [{ ...manifest.services[0]!, items: [{ ...manifest.services[0]!.items[0]!, file: '../../etc/passwd' }] }] };
    writeFileSync(path.join(dir, MANIFEST_FILE), JSON.stringify(evil));
    expect(() => readManifest(dir)).toThrow(/a file in the backup folder/);
  });

  it('lists the course’s backups newest first, finds one by id, and names broken folders', () => {
    const root = tmp();
    backupFolder(root, 'old', 'a', { createdAt: '2030-01-01T10:00:00.000Z' });
    backupFolder(root, 'new', 'b', { createdAt: '2030-01-02T10:00:00.000Z' });
    backupFolder(root, 'other', 'c', { course: 'M269' });
    mkdirSync(path.join(root, 'tm351', 'junk'));
    const { backups, broken } = listBackups(root, 'TM351');
    expect(backups.map((b) => b.id)).toEqual(['new', 'old']);
    expect(broken.map((b) => path.basename(b.folder))).toEqual(['junk']);
    expect(findBackup(root, 'old')).toBe(path.join(root, 'tm351', 'old'));
    expect(() => findBackup(root, 'nope')).toThrow(/There is no backup "nope"/);
    expect(newBackupId(Date.parse('2030-01-02T03:04:05.006Z'), 'postgres', () => 0)).toBe('2030-01-02T03-04-05-006Z-postgres-0000');
  });
});
