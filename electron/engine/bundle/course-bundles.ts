// The bundle operations as the CLI and the panel use them, over the engine: export a course
// from the course list, install one into the app's data folder (`<data>/courses/<name>`) and
// add it to the course list. Installed courses live with the student's settings, not in the
// app's own (possibly read-only) compose-specs folder.
import path from 'node:path';
import type Dockerode from 'dockerode';
import { projectNameFor, type CourseInfo, type Engine } from '../engine.js';
import { exportBundle, type BundleProgress } from './export-bundle.js';
import { importBundle, type ImportResult } from './import-bundle.js';
import type { BundleManifest } from './bundle-format.js';

export { BundleRefused } from './bundle-format.js';
export type { BundleManifest, BundleProgress };

/** Where courses installed from bundles live. */
export const installedCoursesDir = (engine: Engine): string => path.join(engine.settingsDir, 'courses');

/**
 * Writes `course` (an id on the course list, a folder or a Compose file) to `out`. Give an
 * engine made with `profiles: ['*']`, so services of every profile bring their images.
 */
export async function exportCourseBundle(docker: Dockerode, engine: Engine, course: string, out: string, onProgress?: (p: BundleProgress) => void): Promise<BundleManifest> {
  const file = engine.resolveCourseFile(course);
  const spec = engine.load(file);
  return exportBundle(docker, { name: projectNameFor(file), spec, out: path.resolve(out), ...(onProgress ? { onProgress } : {}) });
}

export async function installCourseBundle(
  docker: Dockerode,
  engine: Engine,
  file: string,
  options: { replace?: boolean; onProgress?: (p: BundleProgress) => void } = {},
): Promise<ImportResult & { course: CourseInfo }> {
  const result = await importBundle(docker, path.resolve(file), {
    coursesDir: installedCoursesDir(engine),
    existing: (name) => engine.listCourses().find((c) => c.id === name)?.file,
    ...options,
  });
  const { course } = engine.addCourseFile(result.folder);
  return { ...result, course };
}

/** "1.2 GB of 3.4 GB" style progress in words. */
export function progressWords(p: BundleProgress): string {
  const size = (n: number): string => (n < 1024 * 1024 ? `${Math.max(1, Math.round(n / 1024))} KB` : n < 1024 ** 3 ? `${(n / 1024 / 1024).toFixed(0)} MB` : `${(n / 1024 ** 3).toFixed(2)} GB`);
  return `${p.message}: ${size(p.bytesDone)}${p.bytesTotal !== undefined ? ` of ${size(p.bytesTotal)}` : ''}`;
}
