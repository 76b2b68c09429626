// Drift: what changed between a reference manifest (a fresh container of the service's image,
// or a saved snapshot) and another (usually the running service now), per ecosystem. Pure.
import { ECOSYSTEMS, type Ecosystem, type Manifest } from './manifest.js';

export interface PackageVersion {
  name: string;
  version: string;
}

export interface PackageChange {
  name: string;
  from: string;
  to: string;
}

export interface EcosystemDrift {
  added: PackageVersion[];
  removed: PackageVersion[];
  changed: PackageChange[];
}

export interface DriftReport {
  /**
   * What was compared against: `image` = a fresh container of the image the service runs (the
   * baseline), `manifest` = a saved snapshot or a manifest file; its name, file and image.
   */
  reference: { kind: ReferenceKind; name: string; file?: string; createdAt: string; imageId: string; imageRef: string };
  current: { name: string; createdAt: string; imageId: string };
  /** True when nothing was added, removed or changed in any ecosystem (and Node.js is the same). */
  empty: boolean;
  ecosystems: Record<Ecosystem, EcosystemDrift>;
  node?: { from?: string; to?: string };
  /** Another OS release, or another image: context for the package changes. */
  os?: { from: string; to: string };
  imageChanged: boolean;
  counts: { added: number; removed: number; changed: number };
}

export type ReferenceKind = 'image' | 'manifest';

const byName = <T extends { name: string }>(a: T, b: T) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

export function diffPackages(from: Record<string, string>, to: Record<string, string>): EcosystemDrift {
  const added: PackageVersion[] = [];
  const removed: PackageVersion[] = [];
  const changed: PackageChange[] = [];
  for (const [name, version] of Object.entries(to)) {
    const before = from[name];
    if (before === undefined) added.push({ name, version });
    else if (before !== version) changed.push({ name, from: before, to: version });
  }
  for (const [name, version] of Object.entries(from)) if (!(name in to)) removed.push({ name, version });
  return { added: added.sort(byName), removed: removed.sort(byName), changed: changed.sort(byName) };
}

const osLabel = (m: Manifest) => m.os.prettyName ?? `${m.os.id} ${m.os.versionId ?? ''}`.trim();

export function diffManifests(
  reference: Manifest,
  current: Manifest,
  about: { file?: string; kind?: ReferenceKind } = {},
): DriftReport {
  const ecosystems = Object.fromEntries(
    ECOSYSTEMS.map((e) => [e, diffPackages(reference.packages[e], current.packages[e])]),
  ) as Record<Ecosystem, EcosystemDrift>;
  const counts = { added: 0, removed: 0, changed: 0 };
  for (const e of ECOSYSTEMS) {
    counts.added += ecosystems[e].added.length;
    counts.removed += ecosystems[e].removed.length;
    counts.changed += ecosystems[e].changed.length;
  }
  const nodeChanged = reference.node !== current.node;
  const from = osLabel(reference);
  const to = osLabel(current);
  return {
    reference: {
      kind: about.kind ?? 'manifest',
      name: reference.name,
      ...(about.file ? { file: about.file } : {}),
      createdAt: reference.createdAt,
      imageId: reference.image.id,
      imageRef: reference.image.ref,
    },
    current: { name: current.name, createdAt: current.createdAt, imageId: current.image.id },
    empty: counts.added + counts.removed + counts.changed === 0 && !nodeChanged,
    ecosystems,
    ...(nodeChanged
      ? { node: { ...(reference.node ? { from: reference.node } : {}), ...(current.node ? { to: current.node } : {}) } }
      : {}),
    ...(from !== to ? { os: { from, to } } : {}),
    imageChanged: reference.image.id !== current.image.id,
    counts,
  };
}

const TITLES: Record<Ecosystem, string> = { debian: 'Debian packages', python: 'Python packages', npm: 'npm packages (global)' };

/** The drift as text for the terminal: one block per ecosystem with changes. */
export function formatDrift(d: DriftReport): string {
  const lines: string[] = [];
  const ref =
    d.reference.kind === 'image'
      ? `the image ${d.reference.imageRef} (${short(d.reference.imageId)})`
      : `${d.reference.name}${d.reference.file ? ` (${d.reference.file})` : ''}`;
  if (d.empty) {
    lines.push(
      d.reference.kind === 'image'
        ? `No drift: the packages match a fresh container of ${ref}.`
        : `No drift: the packages match ${ref}.`,
    );
  } else {
    const { added, removed, changed } = d.counts;
    lines.push(`Drift from ${ref}: ${added} added, ${removed} removed, ${changed} changed.`);
  }
  if (d.os) lines.push(`Operating system: ${d.os.from} → ${d.os.to}`);
  if (d.imageChanged) lines.push(`The container runs another image than the reference (${short(d.reference.imageId)} → ${short(d.current.imageId)}).`);
  if (d.node) lines.push(`Node.js: ${d.node.from ?? '(none)'} → ${d.node.to ?? '(none)'}`);
  for (const e of ECOSYSTEMS) {
    const x = d.ecosystems[e];
    if (!x.added.length && !x.removed.length && !x.changed.length) continue;
    lines.push('', `${TITLES[e]}:`);
    for (const p of x.added) lines.push(`  + ${p.name} ${p.version}`);
    for (const p of x.removed) lines.push(`  - ${p.name} ${p.version}`);
    for (const p of x.changed) lines.push(`  ~ ${p.name} ${p.from} → ${p.to}`);
  }
  if (!d.empty) lines.push('', 'Reinstalling the service gives a fresh container from its image, without these changes.');
  return lines.join('\n');
}

const short = (id: string) => id.replace(/^sha256:/, '').slice(0, 12);
