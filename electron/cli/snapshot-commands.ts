// The CLI's snapshot commands (`coursedock snapshot|snapshots|drift|reference|recreate`), kept here so
// electron/cli/main.ts only dispatches to them.
import path from 'node:path';
import type { Engine } from '../engine/engine.js';
import type { Environment } from '../engine/environment.js';
import { formatReference } from '../engine/snapshots/course-reference.js';
import { formatDrift } from '../engine/snapshots/diff.js';
import { readManifest } from '../engine/snapshots/manifest.js';
import { captureService, driftOf, recreate, referenceOf, takeSnapshot, type DriftReference } from '../engine/snapshots/service-snapshots.js';
import { listSnapshots, writeManifest, summarize, SNAPSHOT_ID } from '../engine/snapshots/store.js';
import { describeError } from '../engine/describe-error.js';

export const SNAPSHOT_USAGE = `  snapshot <course> <service> [--name N] [--out FILE]
                               record what is installed (Debian, Python, npm packages)
                               in the running service; saved in the data folder, or FILE
  snapshots <course> [service] list the saved snapshots
  drift <course> <service> [--against baseline|ID|FILE] [--json] [--exit-code]
                               what was added, removed or changed in the container since
                               it was created from its image (default), or since a saved
                               snapshot or a manifest file
  reference <course> <service> [--json]
                               the service's image compared with the course team's
                               reference (e.g. newer security updates): not drift
  recreate <manifest> [--out DIR] [--base IMAGE] [--no-check]
                               a Dockerfile and install.sh that pin the manifest's versions`;

export interface SnapshotFlags {
  name?: string;
  out?: string;
  against?: string;
  base?: string;
  json?: boolean;
  'no-check'?: boolean;
  'exit-code'?: boolean;
}

function usage(message: string): number {
  console.error(message);
  return 2;
}

export async function snapshotCommand(
  engine: Engine,
  env: Environment,
  command: string,
  service: string | undefined,
  flags: SnapshotFlags,
): Promise<number> {
  if (command === 'snapshots') {
    const { snapshots, broken } = listSnapshots(env.project, service);
    if (flags.json) {
      console.log(JSON.stringify({ snapshots, broken }, null, 2));
      return 0;
    }
    if (!snapshots.length) console.log(`No snapshots of ${env.project}${service ? `/${service}` : ''} yet.`);
    for (const s of snapshots) {
      console.log(`${s.id}\t${s.service}\t${s.name}\t${s.counts.debian} Debian, ${s.counts.python} Python, ${s.counts.npm} npm\t${s.image.ref}`);
    }
    for (const b of broken) console.error(`! ${b.file}: ${b.problem}`);
    return 0;
  }
  if (!service) return usage(`"${command}" needs a service, e.g. coursedock ${command} tm351 notebook`);
  const docker = await engine.connection.require();

  if (command === 'snapshot') {
    const name = flags.name ?? 'snapshot';
    let summary;
    if (flags.out) {
      const manifest = await captureService(docker, env, service, name);
      const file = path.resolve(flags.out);
      writeManifest(manifest, file);
      summary = summarize(manifest, file);
    } else {
      const { manifest, ...rest } = await takeSnapshot(docker, env, service, { name });
      summary = rest;
    }
    if (flags.json) console.log(JSON.stringify(summary, null, 2));
    else {
      const c = summary.counts;
      console.log(`Snapshot "${summary.name}" of ${service}: ${c.debian} Debian, ${c.python} Python, ${c.npm} npm packages.`);
      console.log(`Saved in ${summary.file}`);
    }
    return 0;
  }

  if (command === 'reference') {
    const report = await referenceOf(docker, env, service);
    console.log(flags.json ? JSON.stringify(report, null, 2) : formatReference(report));
    return 0;
  }

  // drift
  const against = flags.against ?? 'baseline';
  const reference: DriftReference =
    against === 'baseline'
      ? { baseline: true }
      : SNAPSHOT_ID.test(against) && !against.includes('/')
        ? listSnapshots(env.project, service).snapshots.some((s) => s.id === against)
          ? { snapshot: against }
          : { file: against }
        : { file: against };
  const drift = await driftOf(docker, env, service, reference);
  console.log(flags.json ? JSON.stringify(drift, null, 2) : formatDrift(drift));
  return flags['exit-code'] && !drift.empty ? 1 : 0;
}

export async function recreateCommand(engine: Engine, manifestFile: string | undefined, flags: SnapshotFlags): Promise<number> {
  if (!manifestFile) return usage('"recreate" needs a manifest file, e.g. coursedock recreate ~/snapshot.json --out ./rebuild');
  const manifest = readManifest(path.resolve(manifestFile));
  let docker;
  if (!flags['no-check']) {
    try {
      engine.start();
      docker = await engine.connection.require();
    } catch (err) {
      console.error(`! Docker is not available, so the archive is not checked: ${describeError(err)}`);
    }
  }
  const outDir = path.resolve(flags.out ?? `${manifestFile.replace(/\.json$/i, '')}.recreate`);
  if (!flags.json) console.error(`Checking ${Object.keys(manifest.packages.debian).length} Debian packages against the archive…`);
  const { plan, files } = await recreate(docker, manifest, {
    outDir,
    check: !flags['no-check'] && docker !== undefined,
    ...(flags.base ? { baseImage: flags.base } : {}),
  });
  if (flags.json) {
    const { dockerfile, script, ...rest } = plan;
    console.log(JSON.stringify({ ...rest, files }, null, 2));
    return 0;
  }
  console.log(`Base image: ${plan.baseImage}`);
  console.log(
    `Debian: ${plan.debian.pinned.length} pinned, ${plan.debian.inBase.length} already in the base image. ` +
      `Python: ${plan.python.pinned.length + plan.python.fromUrl.length} with pip, ${plan.python.fromDebian} from Debian packages. ` +
      `npm: ${plan.npm.pinned.length}.`,
  );
  if (plan.notPinned.length) {
    console.log(`\nNot pinned (${plan.notPinned.length}):`);
    for (const l of plan.notPinned) console.log(`  - ${l}`);
  } else {
    console.log(plan.checked ? 'Every version is available: all pinned.' : 'Every package pinned (availability not checked).');
  }
  for (const n of plan.notes) console.log(`Note: ${n}`);
  console.log(`\nWrote ${files.join(' and ')}`);
  const rel = path.relative(process.cwd(), outDir);
  console.log(`Build it with: docker build -t my-copy ${rel.startsWith('..') ? outDir : rel || '.'}`);
  return 0;
}
