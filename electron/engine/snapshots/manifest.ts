// The snapshot manifest: what was installed in one service's container at one moment, as a
// versioned JSON file. Every file is validated on load, so a corrupted, foreign or newer file
// fails with words naming the file and what is wrong, never half-read.
import { readFileSync } from 'node:fs';
import { z } from 'zod';

export const MANIFEST_FORMAT = 'coursedock-snapshot';
export const MANIFEST_VERSION = 1;

/** Where a Python distribution lives: a Debian package's, pip's (system-wide), a user's ~/.local, or elsewhere. */
export type PythonScope = 'system' | 'user' | 'other';

const versions = z.record(z.string().min(1), z.string().min(1));

const pythonNotFromDebian = z
  .object({
    scope: z.enum(['system', 'user', 'other']),
    location: z.string(),
    /** A pip requirement URL when it was installed from one (a path, an archive, a VCS commit). */
    url: z.string().optional(),
  })
  .strict();

export const manifestSchema = z
  .object({
    format: z.literal(MANIFEST_FORMAT),
    version: z.literal(MANIFEST_VERSION),
    name: z.string().min(1).max(200),
    createdAt: z.iso.datetime({ offset: true }),
    project: z.string().min(1),
    service: z.string().min(1),
    image: z
      .object({
        ref: z.string(),
        id: z.string(),
        created: z.string().optional(),
      })
      .strict(),
    os: z
      .object({
        id: z.string(),
        versionId: z.string().optional(),
        codename: z.string().optional(),
        prettyName: z.string().optional(),
        /** dpkg's architecture (amd64, arm64). */
        architecture: z.string().optional(),
      })
      .strict(),
    packages: z
      .object({
        debian: versions,
        /** Keyed by the normalized (PEP 503) name: lowercase, runs of - _ . as one -. */
        python: versions,
        npm: versions,
      })
      .strict(),
    python: z
      .object({
        version: z.string(),
        /** What listed the packages: pip, or the import system when pip is missing. */
        lister: z.enum(['pip', 'importlib']),
        /** Packages that a Debian package did not install (the others came with dpkg). */
        notFromDebian: z.record(z.string(), pythonNotFromDebian),
      })
      .strict()
      .optional(),
    /** `node -v`, when Node.js is on the PATH. */
    node: z.string().optional(),
    /** Things the capture could not see (no dpkg, npm failed ...). */
    warnings: z.array(z.string()).optional(),
  })
  .strict();

export type Manifest = z.infer<typeof manifestSchema>;
export type Ecosystem = keyof Manifest['packages'];
export const ECOSYSTEMS: Ecosystem[] = ['debian', 'python', 'npm'];

/** A manifest file that cannot be used, with the reason in words. */
export class ManifestError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
    this.name = 'ManifestError';
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What a foreign JSON file probably is, to say so in the error. */
function guessKind(v: Record<string, unknown>): string {
  if ('dependencies' in v || 'devDependencies' in v || 'scripts' in v) return ' (it looks like a package.json)';
  if ('services' in v) return ' (it looks like a Compose file)';
  if ('cells' in v && 'nbformat' in v) return ' (it looks like a Jupyter notebook)';
  return '';
}

/** Validates parsed JSON as a manifest; `file` names the source in errors. */
export function parseManifest(value: unknown, file: string): Manifest {
  if (!isObject(value)) {
    const what = Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`;
    throw new ManifestError(file, `not a Coursedock snapshot: the file holds ${what}, not a snapshot object.`);
  }
  if (value.format !== MANIFEST_FORMAT) {
    const keys = Object.keys(value).slice(0, 6);
    throw new ManifestError(
      file,
      `not a Coursedock snapshot: it has no "format": "${MANIFEST_FORMAT}"${
        value.format !== undefined ? ` (it says ${JSON.stringify(value.format).slice(0, 60)})` : ''
      }${guessKind(value)}; its top-level keys are ${keys.length ? keys.join(', ') : '(none)'}.`,
    );
  }
  if (value.version !== MANIFEST_VERSION) {
    const v = value.version;
    const newer = typeof v === 'number' && v > MANIFEST_VERSION;
    throw new ManifestError(
      file,
      newer
        ? `snapshot format version ${v} was written by a newer Coursedock; this one reads version ${MANIFEST_VERSION}. Update Coursedock to open it.`
        : `unsupported snapshot format version ${(JSON.stringify(v) as string | undefined) ?? 'missing'}; this Coursedock reads version ${MANIFEST_VERSION}.`,
    );
  }
  const result = manifestSchema.safeParse(value);
  if (!result.success) {
    const issues = result.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    const more = result.error.issues.length > 5 ? ` (and ${result.error.issues.length - 5} more)` : '';
    throw new ManifestError(file, `the snapshot is damaged: ${issues.join('; ')}${more}.`);
  }
  return result.data;
}

/** Parses manifest text (the contents of `file`). */
export function parseManifestText(text: string, file: string): Manifest {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    const hint = text.trim() === '' ? 'the file is empty' : `the file is not valid JSON (${detail})`;
    throw new ManifestError(file, `${hint}; it may be truncated or corrupted.`);
  }
  return parseManifest(value, file);
}

export function readManifest(file: string): Manifest {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new ManifestError(file, code === 'ENOENT' ? 'no such file.' : code === 'EISDIR' ? 'that is a folder, not a snapshot file.' : `cannot be read (${code ?? String(err)}).`);
  }
  return parseManifestText(text, file);
}

/** Stable JSON: keys of package maps sorted, so files diff well in git. */
export function serializeManifest(m: Manifest): string {
  const sorted = (r: Record<string, string>) => Object.fromEntries(Object.entries(r).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const out: Manifest = {
    ...m,
    packages: { debian: sorted(m.packages.debian), python: sorted(m.packages.python), npm: sorted(m.packages.npm) },
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}

export const packageCounts = (m: Manifest): Record<Ecosystem, number> => ({
  debian: Object.keys(m.packages.debian).length,
  python: Object.keys(m.packages.python).length,
  npm: Object.keys(m.packages.npm).length,
});

/** PEP 503 normalized name: what pip compares. */
export const normalizePythonName = (name: string): string => name.replace(/[-_.]+/g, '-').toLowerCase();
