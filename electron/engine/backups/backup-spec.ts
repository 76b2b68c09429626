// How a service's student data is backed up (x-coursedock.services.<s>.backup) and the defaults
// when the spec says nothing: a database is dumped by its own tool while it runs (PostgreSQL's
// pg_dump, MongoDB's mongodump), a student folder from this computer is a tar compressed with
// zstd, any other named volume a tar made from a helper container. Pure: decided from the
// spec alone, acted on elsewhere (take-backup.ts, restore.ts).
import { z } from 'zod';
import type { MountSpec, ServiceSpec } from '../spec/types.js';

/** The key as a course team writes it; validated with the rest of the spec (normalize-meta). */
export const backupDeclSchema = z.strictObject({
  /** postgres / mongodb: the database's dump tool; files: tar of the volumes and folders; none: no backup. */
  method: z.enum(['postgres', 'mongodb', 'files', 'none']).optional(),
  /** Database login that may read everything (PostgreSQL: over the container's socket; default postgres). */
  user: z.string().min(1).optional(),
  /** Databases to dump (default: every database but the templates). */
  databases: z.array(z.string().min(1)).optional(),
  /** Stop the service while its volumes are copied (files method): for data a live copy would tear. */
  stop: z.boolean().optional(),
});
export type BackupDecl = z.output<typeof backupDeclSchema>;

/** One piece of a service's data and how it is copied. */
export type BackupItem =
  | { kind: 'postgres'; user: string; databases?: string[] }
  | { kind: 'mongodb' }
  | { kind: 'folder'; name: string; source: string; target: string }
  | { kind: 'volume'; name: string; volume: string; target: string; stop: boolean };

export interface ServiceBackupPlan {
  service: string;
  method: 'postgres' | 'mongodb' | 'files' | 'none';
  items: BackupItem[];
  /** Said to the student before a copy that stops the service. */
  stopsService: boolean;
}

const isImage = (svc: ServiceSpec, name: string): boolean => new RegExp(`(^|/)${name}(:|$)|(^|/|-)${name}(:|$)`).test(svc.image);

/** The method the spec names, else the one its connection kind or image suggests. */
export function backupMethod(svc: ServiceSpec): ServiceBackupPlan['method'] {
  const declared = svc.meta.backup?.method;
  if (declared) return declared;
  if (svc.meta.connection?.kind === 'postgres' || isImage(svc, 'postgres')) return 'postgres';
  if (svc.meta.connection?.kind === 'mongodb' || isImage(svc, 'mongo')) return 'mongodb';
  return 'files';
}

/** A file name made from a volume key or a container path (no slashes, no dots first). */
export const itemName = (raw: string): string => raw.replace(/^\/+/, '').replace(/[^A-Za-z0-9_.-]+/g, '_').replace(/^\.+/, '') || 'data';

/**
 * Folders from this computer that hold student work: writable bind mounts outside the course's
 * own folder (the course's files, such as init scripts, are not the student's).
 */
export function isStudentFolder(m: MountSpec, specDir: string): m is Extract<MountSpec, { type: 'bind' }> {
  if (m.type !== 'bind' || m.readOnly) return false;
  const inside = m.source === specDir || m.source.startsWith(specDir.endsWith('/') ? specDir : `${specDir}/`);
  return !inside && !m.source.startsWith('/var/run/') && !m.source.startsWith('/proc') && !m.source.startsWith('/sys');
}

/**
 * What a backup of the service copies. A database service's volumes are covered by its dump;
 * its student folders (if any) are still copied as files.
 */
export function planServiceBackup(svc: ServiceSpec, volumes: Record<string, { dockerName: string; external: boolean }>, specDir: string): ServiceBackupPlan {
  const method = backupMethod(svc);
  const decl = svc.meta.backup ?? {};
  const items: BackupItem[] = [];
  if (method === 'none') return { service: svc.name, method, items, stopsService: false };
  if (method === 'postgres') items.push({ kind: 'postgres', user: decl.user ?? 'postgres', ...(decl.databases ? { databases: decl.databases } : {}) });
  if (method === 'mongodb') items.push({ kind: 'mongodb' });
  for (const m of svc.mounts) {
    if (isStudentFolder(m, specDir)) items.push({ kind: 'folder', name: itemName(m.target), source: m.source, target: m.target });
    if (method === 'files' && m.type === 'volume' && m.source !== undefined) {
      const vol = volumes[m.source];
      if (vol && !vol.external) items.push({ kind: 'volume', name: itemName(m.source), volume: vol.dockerName, target: m.target, stop: decl.stop ?? false });
    }
  }
  return { service: svc.name, method, items, stopsService: items.some((i) => i.kind === 'volume' && i.stop) };
}

/** The volumes a database service keeps its data in (replaced by a restore of its dump only through the server). */
export function databaseVolumes(svc: ServiceSpec, volumes: Record<string, { dockerName: string; external: boolean }>): Array<{ name: string; volume: string; target: string }> {
  const out: Array<{ name: string; volume: string; target: string }> = [];
  for (const m of svc.mounts) {
    if (m.type !== 'volume' || m.source === undefined) continue;
    const vol = volumes[m.source];
    if (vol && !vol.external) out.push({ name: itemName(m.source), volume: vol.dockerName, target: m.target });
  }
  return out;
}
