// Regenerates a course baseline (compose-specs/<course>/baselines/<service>.json): the service
// started fresh from its image on a throwaway copy of the course, captured, and removed again.
// Run after the course image changes:  npx tsx electron/engine/snapshots/make-baseline.ts tm351 notebook
import path from 'node:path';
import { copyCourse, REPO_ROOT } from '../testing/course-copy.js';
import { newTestEngine } from '../testing/test-engine.js';
import { packageCounts } from './manifest.js';
import { captureService } from './service-snapshots.js';
import { baselineFile, writeManifest } from './store.js';

export async function makeBaseline(course: string, service: string): Promise<string> {
  const t = newTestEngine(copyCourse(course, 'cdbase'));
  try {
    const docker = await t.engine.connection.require();
    const env = await t.engine.open(t.copy.project);
    const up = await env.up([service]);
    const outcome = up.services.find((s) => s.service === service);
    if (!outcome?.ok) throw new Error(`${service} did not start: ${outcome?.error ?? 'unknown'}`);
    const manifest = await captureService(docker, env, service, 'baseline');
    // The copy's project name is a throwaway; the baseline belongs to the course.
    manifest.project = course;
    const file = baselineFile(path.join(REPO_ROOT, 'compose-specs', course, 'compose.yml'), service);
    writeManifest(manifest, file);
    const c = packageCounts(manifest);
    console.log(`${file}: ${c.debian} Debian, ${c.python} Python, ${c.npm} npm packages (image ${manifest.image.id.slice(7, 19)}).`);
    return file;
  } finally {
    await t.destroy();
  }
}

const [course, service] = process.argv.slice(2);
if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith('make-baseline.ts')) {
  if (!course || !service) {
    console.error('Usage: npx tsx electron/engine/snapshots/make-baseline.ts <course> <service>');
    process.exitCode = 2;
  } else {
    makeBaseline(course, service).catch((err: unknown) => {
      console.error(err instanceof Error ? err.message : String(err));
      process.exitCode = 1;
    });
  }
}
