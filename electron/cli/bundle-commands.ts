// The CLI's offline course bundle: `bundle export <course> <file>` for a tutor, `bundle import
// <file> [--replace]` for a student with no network. Thin: the work is in engine/bundle; this
// prints progress (bytes done of total) and the outcome in words.
import { parseArgs } from 'node:util';
import { Engine } from '../engine/engine.js';
import { exportCourseBundle, installCourseBundle, progressWords, type BundleProgress } from '../engine/bundle/course-bundles.js';
import { defaultSettingsStore } from '../engine/settings/settings-store.js';

export const BUNDLE_USAGE = `  bundle export <course> <file>
                               write the course's spec folder and every image it needs into one
                               file (for a USB stick), with a checksum of every part
  bundle import <file> [--replace]
                               install a course from such a file with no network; a damaged
                               bundle is refused and nothing is left half-installed`;

export async function bundleMain(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { replace: { type: 'boolean' }, quiet: { type: 'boolean', short: 'q' }, help: { type: 'boolean', short: 'h' } },
  });
  const [command, first, second] = positionals;
  const usage = (): number => {
    console.error(`Usage:\n${BUNDLE_USAGE}`);
    return 2;
  };
  if (values.help) {
    console.log(`Usage:\n${BUNDLE_USAGE}`);
    return 0;
  }
  if (!first || (command === 'export' && !second) || (command !== 'export' && command !== 'import')) return usage();
  // Every profile's services, so the bundle holds every image the course can use.
  const engine = new Engine({ store: defaultSettingsStore(), profiles: ['*'] }).start();
  let last = '';
  const onProgress = (p: BundleProgress): void => {
    const line = `  ${progressWords(p)}`;
    if (values.quiet || line === last || p.phase === 'done') return;
    last = line;
    console.error(line);
  };
  try {
    const docker = await engine.connection.require();
    if (command === 'export') {
      const m = await exportCourseBundle(docker, engine, first, second ?? '', onProgress);
      console.log(`✓ Wrote ${second}: ${m.course.title}, ${m.files.length} spec files, images ${m.images.included.map((i) => i.ref).join(', ') || 'none'}`);
      for (const n of m.images.notIncluded) console.log(`  not included: ${n.ref} (${n.reason})`);
      return 0;
    }
    const r = await installCourseBundle(docker, engine, first, { replace: values.replace ?? false, onProgress });
    console.log(`✓ Installed ${r.manifest.course.title} as "${r.course.id}" (${r.folder}). Start it with: coursedock up ${r.course.id}`);
    for (const n of r.manifest.images.notIncluded) console.log(`  ! ${n.ref} is not in the bundle: ${n.reason}`);
    return 0;
  } catch (err) {
    console.error(`✗ ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  } finally {
    engine.close();
  }
}
