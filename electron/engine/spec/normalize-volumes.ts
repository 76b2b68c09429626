// service volumes (short `src:/target[:ro]` and long syntax) → MountSpec, and the top-level
// `volumes:` section → VolumeSpec. A named-volume mount's `source` is the volume's key in the
// spec (as in Compose); spec.volumes[key].dockerName is the Docker volume to use.
import { isHostPath, resolveHostPath } from './host-path.js';
import { judgeHostPath, type HostPathAllowance } from './host-path-guard.js';
import type { KeyPath } from './locate.js';
import { keyValuesToRecord } from './normalize-key-values.js';
import type { Reporter } from './report.js';
import { topVolumeSchema, type VolumeLong } from './schema.js';
import { isReservedName, nullRecord, reservedNameMessage } from './reserved-names.js';
import { didYouMean } from './suggest.js';
import { noteOrigin } from './spec-origins.js';
import type { MountSpec, VolumeSpec } from './types.js';
import { validate } from './zod-issues.js';
import { externalOf } from './normalize-networks.js';

export interface MountContext {
  dir: string;
  home: string;
  /** Keys of the top-level `volumes:` section. */
  volumeKeys: ReadonlySet<string>;
  report: Reporter;
  /** The service's `allow-host-paths` (x-coursedock.services.<service>). */
  hostPaths?: HostPathAllowance;
}

const IGNORED_MODES = ['z', 'Z', 'cached', 'delegated', 'consistent', 'nocopy'];
export const VOLUME_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

export function normalizeMounts(items: readonly (string | VolumeLong)[], path: KeyPath, ctx: MountContext): MountSpec[] {
  const out: MountSpec[] = [];
  items.forEach((item, index) => {
    const at = [...path, index];
    const mount = typeof item === 'string' ? parseShortMount(item, at, ctx) : normalizeLongMount(item, at, ctx);
    if (mount) out.push(noteOrigin(mount, at));
  });
  return out;
}

function parseShortMount(text: string, path: KeyPath, ctx: MountContext): MountSpec | undefined {
  // A Windows drive letter (C:\…) is part of the source, not a separator.
  const drive = /^[A-Za-z]:[\\/]/.test(text) ? text.slice(0, 2) : '';
  const parts = text.slice(drive.length).split(':');
  parts[0] = drive + (parts[0] ?? '');
  if (parts.length > 3) {
    ctx.report.error(path, `invalid volume "${text}" (expected source:/target or source:/target:ro)`);
    return undefined;
  }
  if (parts.length === 1) {
    const target = checkTarget(parts[0], path, ctx);
    return target === undefined ? undefined : { type: 'volume', target, readOnly: false };
  }
  const [source = '', targetText = '', modes] = parts;
  const target = checkTarget(targetText, path, ctx);
  const readOnly = modes === undefined ? false : parseModes(modes, path, ctx);
  if (target === undefined || readOnly === undefined) return undefined;
  if (source === '') {
    ctx.report.error(path, `volume "${text}" has an empty source`);
    return undefined;
  }
  if (isHostPath(source)) {
    const resolved = hostSource(source, readOnly, path, ctx);
    // Short syntax creates a missing host folder, as docker-compose always did.
    return resolved === undefined ? undefined : { type: 'bind', source: resolved, target, readOnly, createHostPath: true };
  }
  return checkDeclared(source, path, ctx) ? { type: 'volume', source, target, readOnly } : undefined;
}

function normalizeLongMount(item: VolumeLong, path: KeyPath, ctx: MountContext): MountSpec | undefined {
  const target = checkTarget(item.target, [...path, 'target'], ctx);
  const readOnly = item.read_only ?? false;
  const sourcePath = [...path, 'source'];
  switch (item.type) {
    case 'tmpfs':
      if (item.source !== undefined) ctx.report.error(sourcePath, 'a tmpfs mount has no source');
      return target === undefined || item.source !== undefined ? undefined : { type: 'tmpfs', target };
    case 'bind': {
      if (!item.source) {
        ctx.report.error(item.source === undefined ? path : sourcePath, 'a bind mount needs a source folder');
        return undefined;
      }
      const source = hostSource(item.source, readOnly, sourcePath, ctx);
      if (source === undefined || target === undefined) return undefined;
      return { type: 'bind', source, target, readOnly, createHostPath: item.bind?.create_host_path ?? false };
    }
    case 'volume': {
      if (item.source === undefined || item.source === '') {
        return target === undefined ? undefined : { type: 'volume', target, readOnly };
      }
      const declared = checkDeclared(item.source, sourcePath, ctx);
      return target === undefined || !declared ? undefined : { type: 'volume', source: item.source, target, readOnly };
    }
  }
}

function parseModes(text: string, path: KeyPath, ctx: MountContext): boolean | undefined {
  let readOnly = false;
  for (const mode of text.split(',')) {
    if (mode === 'ro') readOnly = true;
    else if (mode === 'rw') readOnly = false;
    else if (IGNORED_MODES.includes(mode)) ctx.report.warn(path, `volume option \`${mode}\` is not supported by Coursedock and is ignored`);
    else {
      ctx.report.error(path, `unknown volume option "${mode}" (use ro or rw)`);
      return undefined;
    }
  }
  return readOnly;
}

function checkTarget(target: string, path: KeyPath, ctx: MountContext): string | undefined {
  if (target.startsWith('/')) return target;
  ctx.report.error(path, `mount target "${target}" must be an absolute path inside the container`);
  return undefined;
}

/**
 * A bind source, resolved, if the course may bind it (host-path-guard.ts): never the Docker
 * socket or a folder holding it; a host system folder only when the service's
 * `allow-host-paths` names it, and then with a warning the panel and the CLI show.
 */
export function hostSource(source: string, readOnly: boolean, path: KeyPath, ctx: MountContext): string | undefined {
  const resolved = resolveHostPath(source, ctx.dir, ctx.home);
  if (resolved === undefined) {
    ctx.report.error(path, `"${source}": only ~ and ~/… are supported, not ~user`);
    return undefined;
  }
  const verdict = judgeHostPath(resolved, { home: ctx.home, extraSockets: ctx.hostPaths?.extraSockets ?? [] });
  if (!verdict) return resolved;
  const via = verdict.real !== resolved.replace(/[\\/]+$/, '') ? ` (${verdict.real} once symlinks are followed)` : '';
  if (verdict.kind === 'socket') {
    ctx.report.error(
      path,
      `"${source}"${via} would give the container ${verdict.what} (control of every container and root on this computer); Coursedock never does that — the panel is the control panel`,
    );
    return undefined;
  }
  const allowance = ctx.hostPaths;
  if (allowance?.allowed.has(verdict.real)) {
    allowance.used.add(verdict.real);
    ctx.report.warn(
      path,
      `"${source}"${via} gives the container ${verdict.what}, which it can ${readOnly ? 'read' : 'read and change'}: allowed by x-coursedock.services.${allowance.service}.allow-host-paths`,
    );
    return resolved;
  }
  const service = allowance?.service ?? '<service>';
  ctx.report.error(
    path,
    `"${source}"${via} is ${verdict.what}: a course may not bind-mount it. If the course truly needs it, list it under x-coursedock.services.${service}.allow-host-paths (the student is warned)`,
  );
  return undefined;
}

function checkDeclared(name: string, path: KeyPath, ctx: MountContext): boolean {
  if (ctx.volumeKeys.has(name)) return true;
  ctx.report.error(
    path,
    `volume "${name}" is not declared in the top-level \`volumes:\` section${didYouMean(name, ctx.volumeKeys)}`,
  );
  return false;
}

export function normalizeTopVolumes(
  raw: Record<string, unknown> | null | undefined,
  project: string,
  report: Reporter,
): Record<string, VolumeSpec> {
  const out = nullRecord<VolumeSpec>();
  for (const [key, value] of Object.entries(raw ?? {})) {
    const path = ['volumes', key];
    if (!VOLUME_NAME.test(key)) {
      report.error(path, `invalid volume name "${key}" (letters, digits, _ . - only)`, 'key');
      continue;
    }
    if (isReservedName(key)) {
      report.error(path, reservedNameMessage('a volume name', key), 'key');
      continue;
    }
    const volume = validate(topVolumeSchema, value, path, report);
    if (volume === undefined) continue;
    const [external, oldName] = externalOf(volume?.external, [...path, 'external'], report);
    out[key] = {
      key,
      dockerName: volume?.name ?? oldName ?? (external ? key : `${project}_${key}`),
      external,
      labels: keyValuesToRecord(volume?.labels, [...path, 'labels'], report),
    };
  }
  return out;
}
