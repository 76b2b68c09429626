// Tests run against a copy of a real course spec under a unique project name, with their own
// settings folder and notebooks folder, so they never touch a student's (or another test's)
// containers, volumes or settings. The images are shared: copies reuse the built ones.
// An image the course only downloads (no build context, e.g. mongo:7) is moved to a registry
// that cannot answer, so "this service cannot be had here" is made by the copy, the same on an
// offline machine, a connected one, or one that already holds the image.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, parseDocument } from 'yaml';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export interface CourseCopy {
  /** Unique project name, e.g. `cdt-tm351-k3j2`. */
  project: string;
  /** Folder holding the copied spec (its name is the project). */
  dir: string;
  file: string;
  /** COURSEDOCK_HOME for this test. */
  home: string;
  notebooksDir: string;
  /** Environment to give the engine (or the CLI / browser shell as a child process). */
  env: Record<string, string>;
  cleanup(): void;
}

/** A registry on a closed loopback port: every pull from it is refused at once. */
export const UNREACHABLE_REGISTRY = '127.0.0.1:1/coursedock-test';

/** `mongo:7` → `127.0.0.1:1/coursedock-test/mongo:7` (a registry host in the name is dropped). */
export function unreachableImage(image: string): string {
  const parts = image.split('/');
  const hasHost = parts.length > 1 && /[.:]|^localhost$/.test(parts[0]!);
  return `${UNREACHABLE_REGISTRY}/${(hasHost ? parts.slice(1) : parts).join('/')}`;
}

/** The spec text with every download-only image moved to the unreachable registry (every service naming it). */
export function withUnreachableDownloads(text: string): string {
  const doc = parse(text) as { services?: Record<string, { image?: unknown; build?: unknown } | null> } | null;
  let out = text;
  for (const svc of Object.values(doc?.services ?? {})) {
    if (!svc || svc.build !== undefined || typeof svc.image !== 'string') continue;
    const escaped = svc.image.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    out = out.replace(new RegExp(`^([ \\t]*image:[ \\t]*)(["']?)${escaped}\\2[ \\t]*$`, 'gm'), `$1$2${unreachableImage(svc.image)}$2`);
  }
  return out;
}

/**
 * Services a copy leaves out unless a test asks for them (`withSlow`): OpenRefine, a JVM that
 * takes minutes to start on a busy 2-core machine, would slow every test that brings the whole
 * course up without being about it. Its tests ask for it.
 */
export const SLOW_SERVICES = ['openrefine'];

/** The spec text without `names`: their services, their x-coursedock entries, and named volumes only they use. */
export function withoutServices(text: string, names: string[]): string {
  const doc = parseDocument(text);
  const services = (doc.toJS() as { services?: Record<string, { volumes?: unknown[] } | null> }).services ?? {};
  const volumesOf = (svc: { volumes?: unknown[] } | null | undefined): string[] =>
    (svc?.volumes ?? []).map((v) => {
      if (typeof v === 'string') return v.split(':')[0]!;
      const { source } = (v ?? {}) as { source?: unknown };
      return typeof source === 'string' ? source : '';
    });
  const present = names.filter((n) => n in services);
  if (!present.length) return text;
  const kept = new Set(Object.entries(services).filter(([n]) => !present.includes(n)).flatMap(([, svc]) => volumesOf(svc)));
  const theirs = present.flatMap((n) => volumesOf(services[n])).filter((v) => v && !kept.has(v) && !v.startsWith('.') && !v.startsWith('/') && !v.startsWith('$'));
  for (const n of present) {
    doc.deleteIn(['services', n]);
    doc.deleteIn(['x-coursedock', 'services', n]);
  }
  for (const v of theirs) doc.deleteIn(['volumes', v]);
  const studentData = doc.getIn(['x-coursedock', 'student-data']) as { items?: Array<{ value?: unknown }> } | undefined;
  if (studentData?.items) studentData.items = studentData.items.filter((i) => !theirs.includes(String(i.value)));
  return doc.toString({ lineWidth: 0 });
}

/**
 * The spec text with every healthcheck run every 2 s and a 10 s start period (retries and
 * commands kept): for tests about Docker's own health verdict, which otherwise comes minutes late
 * on the course's deliberately rare checks.
 */
export function withQuickHealthchecks(text: string): string {
  const doc = parseDocument(text);
  const services = (doc.toJS() as { services?: Record<string, { healthcheck?: unknown } | null> }).services ?? {};
  for (const [name, svc] of Object.entries(services)) {
    if (!svc?.healthcheck) continue;
    doc.setIn(['services', name, 'healthcheck', 'interval'], '2s');
    doc.setIn(['services', name, 'healthcheck', 'start_period'], '10s');
  }
  return doc.toString({ lineWidth: 0 });
}

export interface CopyOptions {
  /** Healthchecks every 2 s with a 10 s start period (see withQuickHealthchecks). */
  quickHealthchecks?: boolean;
  /** Keep download-only images as the course names them (default: moved to UNREACHABLE_REGISTRY). */
  keepDownloads?: boolean;
  /** Keep these of SLOW_SERVICES (default: none; the rest are left out of the copy). */
  withSlow?: string[];
}

export function copyCourse(course = 'tm351', prefix = 'cdt', options: CopyOptions = {}): CourseCopy {
  const root = mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
  const project = `${prefix}-${course}-${path.basename(root).split('-').pop()!.toLowerCase()}`;
  const dir = path.join(root, 'specs', project);
  cpSync(path.join(REPO_ROOT, 'compose-specs', course), dir, { recursive: true });
  const file = path.join(dir, 'compose.yml');
  const leftOut = SLOW_SERVICES.filter((n) => !options.withSlow?.includes(n));
  if (leftOut.length) writeFileSync(file, withoutServices(readFileSync(file, 'utf8'), leftOut));
  if (!options.keepDownloads) writeFileSync(file, withUnreachableDownloads(readFileSync(file, 'utf8')));
  if (options.quickHealthchecks) writeFileSync(file, withQuickHealthchecks(readFileSync(file, 'utf8')));
  const home = path.join(root, 'home');
  const notebooksDir = path.join(root, 'notebooks');
  return {
    project,
    dir,
    file,
    home,
    notebooksDir,
    env: { COURSEDOCK_HOME: home, NOTEBOOKS_DIR: notebooksDir, COURSEDOCK_SPECS: path.dirname(dir) },
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}
