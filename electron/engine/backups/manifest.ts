// The manifest written beside every backup's files: which course and services it holds, the
// image each service ran, when it was taken, why (by hand, before a reset, on a schedule), and
// the size and sha256 of every file, so a backup can be checked on any computer before a
// restore touches anything. Read back through zod: a manifest that does not parse is refused.
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

export const MANIFEST_FILE = 'manifest.json';
export const BACKUP_FORMAT = 'coursedock-backup';

const fileName = z.string().min(1).max(200).regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*(\/[A-Za-z0-9][A-Za-z0-9_.-]*)?$/, 'a file in the backup folder');

const fileEntry = z.strictObject({
  /** Relative to the backup folder: `<service>/<name>`. */
  file: fileName,
  bytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});

export const itemSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('pg-globals'), ...fileEntry.shape }),
  z.strictObject({ kind: z.literal('pg-database'), database: z.string().min(1), ...fileEntry.shape }),
  z.strictObject({ kind: z.literal('mongo-archive'), ...fileEntry.shape }),
  z.strictObject({ kind: z.literal('folder'), name: z.string().min(1), target: z.string().min(1), ...fileEntry.shape }),
  z.strictObject({ kind: z.literal('volume'), name: z.string().min(1), volume: z.string().min(1), target: z.string().min(1), ...fileEntry.shape }),
]);
export type ManifestItem = z.output<typeof itemSchema>;

export const serviceEntrySchema = z.strictObject({
  service: z.string().min(1),
  title: z.string(),
  image: z.string(),
  imageId: z.string(),
  method: z.enum(['postgres', 'mongodb', 'files']),
  /** The service was stopped for the copy (files method with stop: true, or it was not running). */
  stopped: z.boolean(),
  items: z.array(itemSchema),
});
export type ServiceEntry = z.output<typeof serviceEntrySchema>;

export const reasonSchema = z.enum(['manual', 'before-reset', 'scheduled']);
export type BackupReason = z.output<typeof reasonSchema>;

export const manifestSchema = z.strictObject({
  format: z.literal(BACKUP_FORMAT),
  version: z.literal(1),
  id: z.string().min(1).max(200),
  /** The course's title: a backup is restored only into the same course. */
  course: z.string().min(1),
  /** The environment it was taken from (a restore may go to another). */
  project: z.string().min(1),
  createdAt: z.iso.datetime(),
  reason: reasonSchema,
  /** Kept until deleted (manual) or removed by retention (automatic: before-reset, scheduled). */
  automatic: z.boolean(),
  services: z.array(serviceEntrySchema).min(1),
  totalBytes: z.number().int().nonnegative(),
});
export type BackupManifest = z.output<typeof manifestSchema>;

/** A backup refused before anything was touched, with the reason in words. */
export class BackupRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackupRefused';
  }
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Reads and validates a backup folder's manifest; throws BackupRefused with the reason. */
export function readManifest(dir: string): BackupManifest {
  const file = path.join(dir, MANIFEST_FILE);
  if (!existsSync(file)) throw new BackupRefused(`${dir} is not a Coursedock backup: it has no ${MANIFEST_FILE}.`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new BackupRefused(`The backup's manifest (${file}) is damaged: ${err instanceof Error ? err.message : String(err)}.`);
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) {
    const why = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(manifest)'}: ${i.message}`).join('; ');
    throw new BackupRefused(`The backup's manifest (${file}) is damaged or not Coursedock's: ${why}.`);
  }
  return parsed.data;
}

/**
 * Every file the manifest lists is there with its size and checksum (all of them read, none
 * trusted). Throws BackupRefused naming the first file that is missing or changed.
 */
export async function verifyFiles(dir: string, manifest: BackupManifest, services?: string[]): Promise<void> {
  for (const s of manifest.services) {
    if (services && !services.includes(s.service)) continue;
    for (const item of s.items) {
      const file = path.join(dir, item.file);
      if (!existsSync(file)) throw new BackupRefused(`The backup is incomplete: ${item.file} is missing.`);
      const size = statSync(file).size;
      if (size !== item.bytes) throw new BackupRefused(`The backup is damaged: ${item.file} has ${size} bytes, the manifest says ${item.bytes}.`);
      const sum = await sha256File(file);
      if (sum !== item.sha256) throw new BackupRefused(`The backup is damaged: ${item.file} does not match its checksum (sha256).`);
    }
  }
}
