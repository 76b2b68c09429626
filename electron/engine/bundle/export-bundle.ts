// `coursedock bundle export`: writes a course's spec folder and every image it needs into one
// file (bundle-format.ts) for a tutor to hand out. The images come from Docker's
// GET /images/get (one `docker save` of them all, so shared layers are stored once), streamed
// through a checksum (images-checksum.ts) straight into the file, never held in memory. An
// image the course only downloads and this computer does not hold is listed as not included,
// with the reason; a course image that is built and missing is refused (build it first).
// Written to a temporary name and renamed when complete: an interrupted export leaves no
// bundle that looks whole.
import { createReadStream, createWriteStream, mkdirSync, openSync, readdirSync, renameSync, rmSync, statSync, writeSync, closeSync, type WriteStream } from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import type Dockerode from 'dockerode';
import type { CourseSpec } from '../spec/types.js';
import { streamingChecksum, type StreamingChecksum } from './images-checksum.js';
import {
  BUNDLE_FORMAT,
  BUNDLE_VERSION,
  BundleRefused,
  IMAGES_ENTRY,
  MANIFEST_BYTES,
  MANIFEST_ENTRY,
  SPEC_PREFIX,
  TAR_END,
  manifestRegion,
  padding,
  setHeaderSize,
  tarHeader,
  type BundleManifest,
} from './bundle-format.js';

export interface BundleProgress {
  phase: 'spec' | 'images' | 'verify' | 'done';
  bytesDone: number;
  /** Unknown while Docker streams the images out (it does not say their size first). */
  bytesTotal?: number;
  message: string;
}

/** Folders never copied into a bundle. */
const SKIPPED = new Set(['.git', 'node_modules']);

/** Every regular file under `dir`, as sorted `/`-separated relative paths. */
export function specFiles(dir: string, under = ''): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(path.join(dir, under), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const rel = under ? `${under}/${entry.name}` : entry.name;
    if (entry.isDirectory() && !SKIPPED.has(entry.name)) out.push(...specFiles(dir, rel));
    else if (entry.isFile()) out.push(rel);
  }
  return out;
}

/** The images of the spec's services (every profile the spec was loaded with), each once, and whether the course builds it. */
export function courseImages(spec: CourseSpec): Array<{ ref: string; built: boolean }> {
  const found = new Map<string, boolean>();
  for (const svc of Object.values(spec.services)) found.set(svc.image, (found.get(svc.image) ?? false) || !!svc.build);
  return [...found].map(([ref, built]) => ({ ref, built })).sort((a, b) => a.ref.localeCompare(b.ref));
}

export interface ExportOptions {
  /** The course's name in the bundle (its folder name when installed). */
  name: string;
  /** Loaded with every profile active, so no service's image is left out. */
  spec: CourseSpec;
  out: string;
  onProgress?: (p: BundleProgress) => void;
}

export async function exportBundle(docker: Dockerode, options: ExportOptions): Promise<BundleManifest> {
  const { spec, out } = options;
  const say = options.onProgress ?? (() => undefined);
  const dir = path.dirname(spec.file);
  const included: BundleManifest['images']['included'] = [];
  const notIncluded: BundleManifest['images']['notIncluded'] = [];
  for (const { ref, built } of courseImages(spec)) {
    const id = await docker
      .getImage(ref)
      .inspect()
      .then((i) => i.Id)
      .catch(() => undefined);
    if (id) included.push({ ref, id });
    else if (built) throw new BundleRefused(`The course image ${ref} is not on this computer: build it first (coursedock build ${options.name}), then export again.`);
    else notIncluded.push({ ref, reason: 'not on this computer; the course downloads it when a service that uses it starts' });
  }

  mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
  const partial = `${out}.partial-${process.pid}`;
  // A deep write queue: Docker's stream keeps coming while the disk writes (16 KB would wait on every chunk).
  const file = createWriteStream(partial, { highWaterMark: 16 * 1024 * 1024 });
  try {
    let offset = 0;
    const write = async (buf: Buffer): Promise<void> => {
      offset += buf.length;
      if (!file.write(buf)) await once(file, 'drain');
    };
    await write(tarHeader(MANIFEST_ENTRY, MANIFEST_BYTES));
    await write(Buffer.alloc(MANIFEST_BYTES, 0x20));

    const files: BundleManifest['files'] = [];
    for (const rel of specFiles(dir)) {
      const full = path.join(dir, rel);
      const size = statSync(full).size;
      await write(tarHeader(`${SPEC_PREFIX}${rel}`, size, statSync(full).mtimeMs));
      const hashed = await copyHashed(createReadStream(full), file, await streamingChecksum('sha256'));
      if (hashed.size !== size) throw new Error(`${rel} changed while it was being copied; export again.`);
      offset += size;
      await write(padding(size));
      files.push({ path: `${SPEC_PREFIX}${rel}`, size, sha256: hashed.checksum });
    }
    say({ phase: 'spec', bytesDone: offset, message: `Spec folder: ${files.length} files` });

    const imagesHeaderAt = offset;
    const imagesHeader = tarHeader(IMAGES_ENTRY, 0, Date.now());
    await write(imagesHeader);
    let images = { size: 0, checksum: (await streamingChecksum()).digest() };
    if (included.length) {
      say({ phase: 'images', bytesDone: offset, message: `Images: ${included.map((i) => i.ref).join(', ')}` });
      // dockerode has GET /images/get for several images (getImages) but its types do not.
      const saver = docker as unknown as { getImages(opts: { names: string[] }): Promise<NodeJS.ReadableStream> };
      const stream = await saver.getImages({ names: included.map((i) => i.ref) });
      const start = offset;
      let last = 0;
      images = await copyHashed(stream, file, await streamingChecksum(), (n) => {
        if (n - last < 64 * 1024 * 1024) return;
        last = n;
        say({ phase: 'images', bytesDone: start + n, message: 'Images' });
      });
      offset += images.size;
    }
    await write(padding(images.size));
    await write(TAR_END);
    await new Promise<void>((resolve, reject) => file.end((err?: Error | null) => (err ? reject(err) : resolve())));

    const manifest: BundleManifest = {
      format: BUNDLE_FORMAT,
      version: BUNDLE_VERSION,
      course: { name: options.name, title: spec.meta.title },
      createdAt: new Date().toISOString(),
      files,
      images: { size: images.size, xxh64: images.checksum, included, notIncluded },
    };
    // Fill in what is known only now: the images entry's size and the manifest.
    setHeaderSize(imagesHeader, images.size);
    const fd = openSync(partial, 'r+');
    try {
      writeSync(fd, imagesHeader, 0, 512, imagesHeaderAt);
      writeSync(fd, manifestRegion(manifest), 0, MANIFEST_BYTES, 512);
    } finally {
      closeSync(fd);
    }
    renameSync(partial, out);
    say({ phase: 'done', bytesDone: offset, bytesTotal: offset, message: `Wrote ${out}` });
    return manifest;
  } catch (err) {
    file.destroy();
    rmSync(partial, { force: true });
    throw err;
  }
}

/** Copies `from` into the open file (not ending it), returning the bytes' count and checksum. */
async function copyHashed(from: NodeJS.ReadableStream, to: WriteStream, hash: StreamingChecksum, onBytes?: (n: number) => void): Promise<{ size: number; checksum: string }> {
  let size = 0;
  for await (const chunk of from as AsyncIterable<Buffer>) {
    hash.update(chunk);
    size += chunk.length;
    onBytes?.(size);
    // events.once rejects if the file reports an error meanwhile.
    if (!to.write(chunk)) await once(to, 'drain');
  }
  return { size, checksum: hash.digest() };
}
