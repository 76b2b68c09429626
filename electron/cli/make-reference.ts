// Records a course reference (compose-specs/<course>/baselines/<service>.json): what a fresh
// container of the service's image has installed, for the course team to ship with the spec.
// The image is built (or fetched) on a throwaway copy of the course, captured the same way the
// image baselines of drift are (a helper container, no volumes), and the copy removed again.
// Drift never uses this file; `coursedock reference` compares an image with it, for information.
// Run when the course image changes:  npx tsx electron/cli/make-reference.ts tm351 notebook
import path from 'node:path';
import { copyCourse, REPO_ROOT } from '../engine/testing/course-copy.js';
import { newTestEngine } from '../engine/testing/test-engine.js';
import { captureImage } from '../engine/snapshots/image-baseline.js';
import { packageCounts } from '../engine/snapshots/manifest.js';
import { serviceImage } from '../engine/snapshots/service-snapshots.js';
import { courseReferenceFile, writeManifest } from '../engine/snapshots/store.js';

export async function makeReference(course: string, service: string): Promise<string> {
  const t = newTestEngine(copyCourse(course, 'cdref'));
  try {
    const docker = await t.engine.connection.require();
    const env = await t.engine.open(t.copy.project);
    const built = (await env.prepareImages()).services.find((s) => s.service === service);
    if (!built?.ok) throw new Error(`the image of ${service} could not be made: ${built?.error ?? 'no such service'}`);
    const image = await serviceImage(docker, env, service);
    const manifest = { ...(await captureImage(docker, image)), name: 'reference', project: course, service };
    const file = courseReferenceFile(path.join(REPO_ROOT, 'compose-specs', course, 'compose.yml'), service);
    writeManifest(manifest, file);
    const c = packageCounts(manifest);
    console.log(`${file}: ${c.debian} Debian, ${c.python} Python, ${c.npm} npm packages (image ${manifest.image.id.slice(7, 19)}).`);
    return file;
  } finally {
    await t.destroy();
  }
}

const [course, service] = process.argv.slice(2);
if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('make-reference.ts')) {
  if (!course || !service) {
    console.error('Usage: npx tsx electron/cli/make-reference.ts <course> <service>');
    process.exitCode = 2;
  } else {
    makeReference(course, service).catch((err: unknown) => {
      console.error(err instanceof Error ? err.message : String(err));
      process.exitCode = 1;
    });
  }
}
