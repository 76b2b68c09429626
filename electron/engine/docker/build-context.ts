// A service's build context as Docker receives it, and a hash of it. An image we built is
// labelled with the hash of the context it came from, so when a course team changes a
// Dockerfile or a file beside it, the planner sees the label differ and rebuilds instead of
// reusing the old image under the same tag. The files hashed are exactly the files sent:
// both come from `contextEntries`, which honours `.dockerignore` as the Docker CLI does
// (the Dockerfile and .dockerignore themselves are always sent; the daemon needs them).
import { createHash } from 'node:crypto';
import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import path from 'node:path';
import dockerignoreModule from '@balena/dockerignore';
import { pack } from 'tar-fs';
import type { BuildSpec } from '../spec/types.js';

// A CommonJS module whose types declare an ES default: take whichever form the loader gives.
type IgnoreFactory = typeof dockerignoreModule.default;
const dockerignore: IgnoreFactory =
  typeof dockerignoreModule === 'function' ? dockerignoreModule : dockerignoreModule.default;

/** Image label holding the hash of the build context the image was built from. */
export const CONTEXT_HASH_LABEL = 'org.coursedock.context-hash';
/** Image label naming the service an image was built for: marks images we built ourselves. */
export const BUILT_FOR_LABEL = 'org.coursedock.service';

/** Bump when what goes into the hash changes, so old labels count as different. */
const HASH_FORMAT = 'coursedock-context-v1';

export interface ContextEntry {
  /** Path relative to the context, with `/` separators. */
  path: string;
  kind: 'file' | 'symlink';
  /** Any execute bit set (files only). */
  executable: boolean;
}

/** Files and symlinks Docker receives for this context, sorted by path. */
export async function contextEntries(context: string, dockerfile = 'Dockerfile'): Promise<ContextEntry[]> {
  const found: ContextEntry[] = [];
  const walk = async (rel: string): Promise<void> => {
    const names = await readdir(path.join(context, rel));
    for (const name of names) {
      const relPath = rel ? `${rel}/${name}` : name;
      const st = await lstat(path.join(context, relPath));
      if (st.isDirectory()) await walk(relPath);
      else if (st.isSymbolicLink()) found.push({ path: relPath, kind: 'symlink', executable: false });
      else if (st.isFile()) found.push({ path: relPath, kind: 'file', executable: (st.mode & 0o111) !== 0 });
    }
  };
  await walk('');
  const ignoreText = await readFile(path.join(context, '.dockerignore'), 'utf8').catch(() => undefined);
  let kept = found;
  if (ignoreText !== undefined) {
    const rules = dockerignore({ ignorecase: false }).add(ignoreText);
    const always = new Set([path.posix.normalize(dockerfile.split(path.sep).join('/')), '.dockerignore']);
    kept = found.filter((e) => always.has(e.path) || !rules.ignores(e.path));
  }
  return kept.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * Hash of everything that decides what a build produces: each file's path, executability and
 * content (a symlink's target), the Dockerfile name, the build args and the target.
 */
export async function buildContextHash(build: BuildSpec): Promise<string> {
  const h = createHash('sha256');
  const field = (...parts: string[]) => h.update(parts.map((p) => `${p.length}:${p}`).join('') + '\n');
  field(HASH_FORMAT, build.dockerfile, build.target ?? '');
  for (const [key, value] of Object.entries(build.args).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) field('arg', key, value);
  for (const e of await contextEntries(build.context, build.dockerfile)) {
    const full = path.join(build.context, e.path);
    const content =
      e.kind === 'symlink'
        ? await readlink(full)
        : createHash('sha256').update(await readFile(full)).digest('hex');
    field(e.kind, e.path, e.executable ? 'x' : '-', content);
  }
  return `sha256:${h.digest('hex')}`;
}

/** The context as the tar stream Docker's build API takes: the entries above, nothing else. */
export async function packContext(build: BuildSpec): Promise<NodeJS.ReadableStream> {
  const entries = (await contextEntries(build.context, build.dockerfile)).map((e) => e.path);
  return pack(build.context, { entries }) as unknown as NodeJS.ReadableStream;
}
