// The image compared with the course team's reference (compose-specs/<course>/baselines/
// <service>.json, recorded when the course was prepared). Informational, never drift: an image
// built on a later day has Debian's later security updates, which is expected and not something
// the student did. Says so in words a student understands. Pure.
import { diffPackages, type EcosystemDrift, type PackageChange, type PackageVersion } from './diff.js';
import { compareDebianVersions } from './debian-version.js';
import type { Manifest } from './manifest.js';

export interface ReferenceReport {
  /** The course's reference: its file and when the course team recorded it. */
  reference: { file: string; createdAt: string; imageId: string };
  /** The image the service runs (or would run). */
  image: { ref: string; id: string };
  /** True when the image has exactly the reference's packages (and Node.js). */
  same: boolean;
  /** System (Debian) packages, by whether the image's version is newer or older than the reference's. */
  debian: { newer: PackageChange[]; older: PackageChange[]; added: PackageVersion[]; removed: PackageVersion[] };
  python: EcosystemDrift;
  npm: EcosystemDrift;
  node?: { from?: string; to?: string };
  os?: { from: string; to: string };
  /** One sentence per finding, for the panel and the command line. */
  summary: string[];
}

const osLabel = (m: Manifest) => m.os.prettyName ?? `${m.os.id} ${m.os.versionId ?? ''}`.trim();
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const day = (iso: string) => iso.slice(0, 10);

/** `reference`: the course's file; `image`: a fresh container of the image (its baseline). */
export function compareWithReference(reference: Manifest, image: Manifest, referenceFile: string): ReferenceReport {
  const deb = diffPackages(reference.packages.debian, image.packages.debian);
  const newer = deb.changed.filter((c) => compareDebianVersions(c.to, c.from) > 0);
  const older = deb.changed.filter((c) => compareDebianVersions(c.to, c.from) <= 0);
  const python = diffPackages(reference.packages.python, image.packages.python);
  const npm = diffPackages(reference.packages.npm, image.packages.npm);
  const nodeChanged = reference.node !== image.node;
  const from = osLabel(reference);
  const to = osLabel(image);
  const count = (e: EcosystemDrift) => e.added.length + e.removed.length + e.changed.length;
  const same = deb.added.length + deb.removed.length + deb.changed.length + count(python) + count(npm) === 0 && !nodeChanged;

  const when = day(reference.createdAt);
  const summary: string[] = [];
  if (same) summary.push(`The image has exactly the packages of the course's reference (recorded ${when}).`);
  if (from !== to) summary.push(`The image runs ${to}; the course's reference was recorded on ${from}.`);
  const isAre = (n: number) => (n === 1 ? 'is' : 'are');
  if (newer.length) {
    summary.push(
      `${plural(newer.length, 'system package')} ${isAre(newer.length)} newer than the course's reference: ` +
        `security and bug-fix updates Debian published after ${when}, included when the image was built. Nothing to do.`,
    );
  }
  if (older.length) {
    summary.push(
      `${plural(older.length, 'system package')} ${isAre(older.length)} older than the course's reference: ` +
        'the image was built from an older copy of Debian than the course team used.',
    );
  }
  if (deb.added.length) summary.push(`${plural(deb.added.length, 'system package')} in the image ${isAre(deb.added.length)} not in the course's reference.`);
  if (deb.removed.length) summary.push(`${plural(deb.removed.length, 'system package')} of the course's reference ${isAre(deb.removed.length)} not in the image.`);
  for (const [eco, label] of [
    [python, 'Python package'],
    [npm, 'npm package'],
  ] as const) {
    if (eco.changed.length) summary.push(`${plural(eco.changed.length, label)} ${isAre(eco.changed.length)} at another version than in the course's reference.`);
    if (eco.added.length) summary.push(`${plural(eco.added.length, label)} in the image ${isAre(eco.added.length)} not in the course's reference.`);
    if (eco.removed.length) summary.push(`${plural(eco.removed.length, label)} of the course's reference ${isAre(eco.removed.length)} not in the image.`);
  }
  if (nodeChanged) summary.push(`Node.js: ${reference.node ?? '(none)'} in the course's reference, ${image.node ?? '(none)'} in the image.`);

  return {
    reference: { file: referenceFile, createdAt: reference.createdAt, imageId: reference.image.id },
    image: { ref: image.image.ref, id: image.image.id },
    same,
    debian: { newer, older, added: deb.added, removed: deb.removed },
    python,
    npm,
    ...(nodeChanged ? { node: { ...(reference.node ? { from: reference.node } : {}), ...(image.node ? { to: image.node } : {}) } } : {}),
    ...(from !== to ? { os: { from, to } } : {}),
    summary,
  };
}

/** The report as text for the terminal: the sentences, then the packages, then what it is not. */
export function formatReference(r: ReferenceReport, detail = true): string {
  const lines = [`The image ${r.image.ref} compared with the course's reference (${r.reference.file}):`, ...r.summary.map((s) => `  ${s}`)];
  if (detail) {
    const block = (title: string, rows: string[]) => {
      if (rows.length) lines.push('', `${title}:`, ...rows);
    };
    block('System packages newer than the reference', r.debian.newer.map((c) => `  ${c.name} ${c.from} → ${c.to}`));
    block('System packages older than the reference', r.debian.older.map((c) => `  ${c.name} ${c.from} → ${c.to}`));
    block('System packages not in the reference', r.debian.added.map((p) => `  + ${p.name} ${p.version}`));
    block('System packages of the reference missing', r.debian.removed.map((p) => `  - ${p.name} ${p.version}`));
    for (const [eco, title] of [
      [r.python, 'Python packages'],
      [r.npm, 'npm packages (global)'],
    ] as const) {
      block(title, [
        ...eco.added.map((p) => `  + ${p.name} ${p.version}`),
        ...eco.removed.map((p) => `  - ${p.name} ${p.version}`),
        ...eco.changed.map((c) => `  ~ ${c.name} ${c.from} → ${c.to}`),
      ]);
    }
  }
  lines.push('', 'This is for information: it is not drift. Drift is what changed in your container since it was created from this image (coursedock drift).');
  return lines.join('\n');
}
