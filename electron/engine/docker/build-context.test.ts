// The build context hash: the same for the same files whatever their order on disk or the
// run, different when a file's content, a new file, executability, the Dockerfile name, a
// build arg or the target changes; files .dockerignore excludes are neither hashed nor sent.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { BuildSpec } from '../spec/types.js';
import { buildContextHash, contextEntries } from './build-context.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A context folder with these files, written in the given order. */
function context(files: Array<[string, string]>): BuildSpec {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cd-ctx-'));
  dirs.push(dir);
  for (const [name, content] of files) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), content);
  }
  return { context: dir, dockerfile: 'Dockerfile', args: {} };
}

const FILES: Array<[string, string]> = [
  ['Dockerfile', 'FROM debian:bookworm-slim\nCOPY . /app\n'],
  ['initdb/01-schema.sql', 'create table t (x int);\n'],
  ['entrypoint.sh', '#!/bin/sh\nexec "$@"\n'],
];

describe('buildContextHash', () => {
  it('is stable across runs and across the order files were written in', async () => {
    const a = context(FILES);
    const b = context([...FILES].reverse());
    const first = await buildContextHash(a);
    expect(first).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(await buildContextHash(a)).toBe(first);
    expect(await buildContextHash(b)).toBe(first);
  });

  it('changes with a file content, a new file, executability, dockerfile, args and target', async () => {
    const base = context(FILES);
    const before = await buildContextHash(base);
    const seen = new Set([before]);
    const differs = async (spec: BuildSpec) => {
      const h = await buildContextHash(spec);
      expect(seen.has(h)).toBe(false);
      seen.add(h);
    };
    await differs(context([...FILES.slice(0, 2), ['entrypoint.sh', '#!/bin/sh\nexec "$@" # changed\n']]));
    await differs(context([...FILES, ['initdb/02-data.sql', 'insert into t values (1);\n']]));
    const exec = context(FILES);
    chmodSync(path.join(exec.context, 'entrypoint.sh'), 0o755);
    await differs(exec);
    await differs({ ...base, args: { PG_VERSION: '15' } });
    await differs({ ...base, args: { PG_VERSION: '16' } });
    await differs({ ...base, target: 'slim' });
    writeFileSync(path.join(base.context, 'Other.Dockerfile'), 'FROM debian:bookworm-slim\n');
    const withOther = await buildContextHash(base);
    await differs({ ...base, dockerfile: 'Other.Dockerfile' });
    expect(withOther).not.toBe(before);
  });

  it('leaves out what .dockerignore excludes, but always keeps the Dockerfile and .dockerignore', async () => {
    const ignore = '*.log\nnotes/\nDockerfile\n!notes/keep.md\n';
    const spec = context([...FILES, ['.dockerignore', ignore], ['build.log', 'one'], ['notes/a.md', 'a'], ['notes/keep.md', 'k']]);
    const paths = (await contextEntries(spec.context, spec.dockerfile)).map((e) => e.path);
    expect(paths).toEqual(['.dockerignore', 'Dockerfile', 'entrypoint.sh', 'initdb/01-schema.sql', 'notes/keep.md']);
    const before = await buildContextHash(spec);
    writeFileSync(path.join(spec.context, 'build.log'), 'two');
    writeFileSync(path.join(spec.context, 'notes/a.md'), 'changed');
    expect(await buildContextHash(spec)).toBe(before);
    writeFileSync(path.join(spec.context, 'notes/keep.md'), 'changed');
    expect(await buildContextHash(spec)).not.toBe(before);
  });
});
