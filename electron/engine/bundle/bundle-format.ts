// The offline course bundle's file format (issue 15, item 5): one plain tar a tutor hands out
// on a USB stick, readable with `tar tf`. Its entries, in this order:
//   coursedock-bundle.json   the manifest (a fixed-size region, filled in when the export ends)
//   spec/<path>              every file of the course's spec folder
//   images.tar               `docker save` of every image the course needs (GET /images/get)
// The manifest comes first so an import can refuse a foreign or newer bundle, or a course that
// is already installed, before it reads anything else; it holds the size and checksum of every
// entry (sha256 for spec files, xxHash64 for the images: images-checksum.ts), so each is
// verified while it streams. Pure: no Docker, no file system.
import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { z } from 'zod';
import type { ChecksumKind } from './images-checksum.js';

export const BUNDLE_FORMAT = 'coursedock-bundle';
export const BUNDLE_VERSION = 2;
/** Version 1 (a sha256 of the images entry instead of its xxHash64) is still read. */
const OLDEST_READ = 1;
export const MANIFEST_ENTRY = 'coursedock-bundle.json';
export const IMAGES_ENTRY = 'images.tar';
export const SPEC_PREFIX = 'spec/';
/** Bytes reserved for the manifest (padded with spaces, which JSON ignores). */
export const MANIFEST_BYTES = 1024 * 1024;

/** A bundle cannot be installed (or made): the reason in words, for the student or tutor. */
export class BundleRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BundleRefused';
  }
}

const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a sha256 in hex');
/** A relative path inside the spec folder: no `..`, not absolute, no backslashes. */
const specPath = z
  .string()
  .min(1)
  .max(250)
  .refine((p) => p.startsWith(SPEC_PREFIX) && !p.includes('\\') && !p.split('/').some((s) => s === '..' || s === '.' || s === ''), 'a file under spec/');
/** A course name as Compose names projects. */
export const courseName = z.string().min(1).max(100).regex(/^[a-z0-9][a-z0-9_-]*$/, 'a course name (lowercase letters, digits, _ and -)');

const manifestSchema = z.strictObject({
  format: z.literal(BUNDLE_FORMAT),
  version: z.number().int().min(OLDEST_READ).max(BUNDLE_VERSION),
  course: z.strictObject({ name: courseName, title: z.string().max(300) }),
  createdAt: z.string(),
  files: z.array(z.strictObject({ path: specPath, size: z.number().int().nonnegative(), sha256 })).max(10_000),
  images: z.strictObject({
    size: z.number().int().nonnegative(),
    xxh64: z.string().regex(/^[0-9a-f]{16}$/, 'an xxHash64 in hex').optional(),
    sha256: sha256.optional(),
    included: z.array(z.strictObject({ ref: z.string().min(1), id: z.string().regex(/^sha256:[0-9a-f]{64}$/) })),
    notIncluded: z.array(z.strictObject({ ref: z.string().min(1), reason: z.string() })),
  }),
}).refine((m) => (m.version === 1 ? m.images.sha256 !== undefined && m.images.xxh64 === undefined : m.images.xxh64 !== undefined && m.images.sha256 === undefined), {
  message: 'the images checksum of another format version',
  path: ['images'],
});
export type BundleManifest = z.output<typeof manifestSchema>;

/** The images entry's size and checksum, and which kind that is (by the bundle's format version). */
export function imagesExpected(images: BundleManifest['images']): { size: number; kind: ChecksumKind; checksum: string } {
  return images.xxh64 !== undefined ? { size: images.size, kind: 'xxh64', checksum: images.xxh64 } : { size: images.size, kind: 'sha256', checksum: images.sha256 ?? '' };
}

/** Reads the manifest region; refuses a foreign, newer, unfinished or damaged one in words. */
export function parseManifest(text: string): BundleManifest {
  const trimmed = text.trim();
  if (!trimmed) throw new BundleRefused('This bundle was never finished (its export was interrupted): make it again.');
  let raw: unknown;
  try {
    raw = JSON.parse(trimmed);
  } catch {
    throw new BundleRefused('This bundle is damaged: its manifest is not readable.');
  }
  const head = (typeof raw === 'object' && raw !== null ? raw : {}) as { format?: unknown; version?: unknown };
  if (head.format !== BUNDLE_FORMAT) throw new BundleRefused('This file is not a Coursedock course bundle (its manifest is of another kind).');
  if (typeof head.version !== 'number' || !Number.isInteger(head.version) || head.version < OLDEST_READ || head.version > BUNDLE_VERSION) {
    throw new BundleRefused(
      typeof head.version === 'number' && head.version > BUNDLE_VERSION
        ? `This bundle was made by a newer Coursedock (format version ${head.version}; this one reads version ${BUNDLE_VERSION}): update Coursedock, then install it again.`
        : `This bundle has an unknown format version (${JSON.stringify(head.version)}).`,
    );
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new BundleRefused(`This bundle is damaged: its manifest is not valid (${issue?.path.join('.') || 'manifest'}: ${issue?.message ?? 'unknown'}).`);
  }
  return parsed.data;
}

/** The manifest as written into its region: JSON padded with spaces to MANIFEST_BYTES. */
export function manifestRegion(manifest: BundleManifest): Buffer {
  const json = Buffer.from(JSON.stringify(manifest));
  if (json.length > MANIFEST_BYTES) throw new BundleRefused(`The course's spec folder has too many files for one bundle (manifest of ${json.length} bytes).`);
  return Buffer.concat([json, Buffer.alloc(MANIFEST_BYTES - json.length, 0x20)]);
}

// --- tar headers (POSIX ustar; sizes of 8 GiB and more in the GNU base-256 form tar reads) ---

const put = (buf: Buffer, text: string, offset: number, length: number): void => {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length > length) throw new BundleRefused(`The file name ${text} is too long for a bundle.`);
  bytes.copy(buf, offset);
};
const octal = (n: number, digits: number): string => n.toString(8).padStart(digits, '0');

/** Splits a path into ustar's prefix (≤155 bytes) and name (≤100 bytes). */
function splitName(name: string): { prefix: string; name: string } {
  if (Buffer.byteLength(name) <= 100) return { prefix: '', name };
  for (let i = name.indexOf('/'); i !== -1; i = name.indexOf('/', i + 1)) {
    const prefix = name.slice(0, i);
    const rest = name.slice(i + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(rest) <= 100) return { prefix, name: rest };
  }
  throw new BundleRefused(`The file name ${name} is too long for a bundle.`);
}

/** Writes `size` into a header's size field and recomputes its checksum. */
export function setHeaderSize(header: Buffer, size: number): void {
  if (size < 8 ** 11) {
    header.write(`${octal(size, 11)}\0`, 124, 12, 'latin1');
  } else {
    header.fill(0, 124, 136);
    header[124] = 0x80;
    let n = BigInt(size);
    for (let i = 135; i > 124; i--, n >>= 8n) header[i] = Number(n & 0xffn);
  }
  header.fill(0x20, 148, 156);
  let sum = 0;
  for (const b of header) sum += b;
  header.write(`${octal(sum, 6)}\0 `, 148, 8, 'latin1');
}

/** A 512-byte header of a regular file. */
export function tarHeader(path: string, size: number, mtime = 0): Buffer {
  const header = Buffer.alloc(512);
  const { prefix, name } = splitName(path);
  put(header, name, 0, 100);
  header.write('0000644\0', 100, 8, 'latin1');
  header.write('0000000\0', 108, 8, 'latin1');
  header.write('0000000\0', 116, 8, 'latin1');
  header.write(`${octal(Math.floor(mtime / 1000), 11)}\0`, 136, 12, 'latin1');
  header.write('0', 156, 1, 'latin1');
  header.write('ustar\x0000', 257, 8, 'latin1');
  put(header, prefix, 345, 155);
  setHeaderSize(header, size);
  return header;
}

/** Zero bytes after an entry of `size` bytes, to the next 512-byte block. */
export const padding = (size: number): Buffer => Buffer.alloc((512 - (size % 512)) % 512);
/** The two zero blocks that end a tar. */
export const TAR_END = Buffer.alloc(1024);

// --- verifying while streaming ---

/**
 * Passes bytes through, hashing and counting them, and holds the last chunk back until the
 * whole entry is seen: a size or sha256 other than `expected` ends the stream with an error
 * instead, so whatever reads it never receives a complete damaged file. (The images entry,
 * gigabytes, goes to Docker through file-range-body.ts instead, which reuses its buffers.)
 */
export class VerifiedStream extends Transform {
  private readonly hash: Hash = createHash('sha256');
  private held: Buffer | undefined;
  bytes = 0;
  failure: BundleRefused | undefined;

  constructor(
    private readonly expected: { size: number; sha256: string },
    private readonly label: string,
  ) {
    super({ highWaterMark: 4 * 1024 * 1024 });
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    if (this.bytes > this.expected.size) {
      done((this.failure = this.mismatch('is larger than its manifest says')));
      return;
    }
    const previous = this.held;
    this.held = chunk;
    done(null, previous);
  }

  override _flush(done: TransformCallback): void {
    if (this.bytes !== this.expected.size) this.failure = this.mismatch(`holds ${this.bytes} of ${this.expected.size} bytes (the file is truncated)`);
    else if (this.hash.digest('hex') !== this.expected.sha256) this.failure = this.mismatch('does not match its checksum (the file is damaged)');
    if (this.failure) done(this.failure);
    else done(null, this.held);
  }

  private mismatch(what: string): BundleRefused {
    return new BundleRefused(`This bundle is damaged: ${this.label} ${what}.`);
  }
}
