// Top-level `secrets:` and `configs:` and a service's grants of them, as Compose runs them
// without Swarm: each becomes a read-only bind mount of a file — secrets at
// `/run/secrets/<name>` (so `POSTGRES_PASSWORD_FILE=/run/secrets/db_password` works), configs at
// their `target` or `/<name>`. A `file:` source is judged like any bind source
// (host-path-guard.ts); an `environment:` source (and a config's inline `content:`) is written
// once to a private folder (LoadSpecOptions.secretsDir) and that file is mounted.
import fs from 'node:fs';
import path from 'node:path';
import type { Lookup } from './interpolate.js';
import type { KeyPath } from './locate.js';
import { hostSource, type MountContext } from './normalize-volumes.js';
import type { Reporter } from './report.js';
import { nullRecord } from './reserved-names.js';
import { topFileSchema, type FileGrantsRaw } from './schema.js';
import { didYouMean } from './suggest.js';
import type { MountSpec } from './types.js';
import { validate } from './zod-issues.js';

export type GrantKind = 'secrets' | 'configs';

/** A declared secret or config: where its file is (not yet judged: that happens per mount). */
export type FileSource = { kind: 'file'; path: string; written: false } | { kind: 'written'; path: string; written: true };

export function normalizeTopFiles(
  kind: GrantKind,
  raw: Record<string, unknown> | null | undefined,
  lookup: Lookup,
  secretsDir: string,
  report: Reporter,
): Record<string, FileSource> {
  const out = nullRecord<FileSource>();
  for (const [name, value] of Object.entries(raw ?? {})) {
    const at = [kind, name];
    const entry = validate(topFileSchema, value, at, report);
    if (!entry) continue;
    const sources = (['file', 'environment', 'content'] as const).filter((k) => entry[k] !== undefined);
    if (entry.external !== undefined && entry.external !== false) {
      report.error(at, `external ${kind} exist only in Docker Swarm: give "${name}" a \`file:\` (or \`environment:\`) instead`);
      continue;
    }
    if (sources.length !== 1) {
      report.error(at, `${kind === 'secrets' ? 'a secret' : 'a config'} needs exactly one of \`file:\`, \`environment:\`${kind === 'configs' ? ' or `content:`' : ''}`);
      continue;
    }
    if (entry.content !== undefined && kind === 'secrets') {
      report.error([...at, 'content'], 'a secret takes `file:` or `environment:`, not `content:`', 'key');
      continue;
    }
    if (entry.file !== undefined) {
      out[name] = { kind: 'file', path: entry.file, written: false };
      continue;
    }
    let content = entry.content;
    if (entry.environment !== undefined) {
      content = lookup(entry.environment);
      if (content === undefined) {
        report.error([...at, 'environment'], `variable ${entry.environment} is not set, so ${kind === 'secrets' ? 'the secret' : 'the config'} "${name}" has no value`);
        continue;
      }
    }
    out[name] = { kind: 'written', path: writeOnce(secretsDir, `${kind}-${name}`, content ?? ''), written: true };
  }
  return out;
}

/** The mounts a service's `secrets:` or `configs:` list asks for. */
export function grantMounts(kind: GrantKind, raw: FileGrantsRaw | undefined, declared: Record<string, FileSource>, at: KeyPath, ctx: MountContext): MountSpec[] {
  const out: MountSpec[] = [];
  (raw ?? []).forEach((item, index) => {
    const where = [...at, index];
    const long = typeof item === 'string' ? { source: item } : item;
    const source = Object.hasOwn(declared, long.source) ? declared[long.source] : undefined;
    if (!source) {
      const known = Object.keys(declared);
      ctx.report.error(typeof item === 'string' ? where : [...where, 'source'], `${kind === 'secrets' ? 'secret' : 'config'} "${long.source}" is not declared in the top-level \`${kind}:\` section${didYouMean(long.source, known)}`);
      return;
    }
    if (typeof item !== 'string') {
      for (const key of ['uid', 'gid', 'mode'] as const) {
        if (item[key] !== undefined) ctx.report.warn([...where, key], `\`${key}\` is not applied: without Swarm the file is mounted with its own owner and mode (as Compose does)`, 'key');
      }
    }
    const target = targetOf(kind, long.source, long.target);
    const file = source.written ? source.path : hostSource(source.path, true, [kind, long.source, 'file'], ctx);
    if (file === undefined) return;
    if (!source.written && !isFile(file)) {
      ctx.report.error([kind, long.source, 'file'], `"${source.path}" does not exist (looked for ${file})`);
      return;
    }
    out.push({ type: 'bind', source: file, target, readOnly: true, createHostPath: false });
  });
  return out;
}

function targetOf(kind: GrantKind, name: string, target: string | undefined): string {
  if (kind === 'configs') return target === undefined ? `/${name}` : target.startsWith('/') ? target : `/${target}`;
  if (target === undefined) return `/run/secrets/${name}`;
  return target.startsWith('/') ? target : `/run/secrets/${target}`;
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** Writes `content` to `<dir>/<name>` unless it is already there (a private folder, a readable file). */
function writeOnce(dir: string, name: string, content: string): string {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, name.replace(/[^A-Za-z0-9_.-]/g, '_'));
  let same = false;
  try {
    same = fs.readFileSync(file, 'utf8') === content;
  } catch {
    same = false;
  }
  if (!same) {
    const temp = `${file}.${process.pid}.tmp`;
    // Readable inside the container whatever user it runs as; the folder keeps other users out.
    fs.writeFileSync(temp, content, { mode: 0o444 });
    fs.renameSync(temp, file);
  }
  return file;
}
