// What the panel tells a student about the support bundle they are about to send: which
// secrets of their environment the bundle masks, and proof that none is in it — the archive
// just written is read back and searched for every known secret (the same search the support
// bundle's own test makes).
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import type { CourseSpec } from '../spec/types.js';
import { secretsOf, SECRET_KEY } from './mask.js';

const gunzipAsync = promisify(gunzip);

/** Secrets shorter than this are not searched for (the masker leaves them too: see mask.ts). */
const MIN_LENGTH = 4;

export interface BundleSecrets {
  /** What is masked, in words: "NOTEBOOK_TOKEN", "PostgreSQL password". */
  what: string[];
  /** How many known secret values were searched for in the archive. */
  checked: number;
  /** How many of them were found in it (0: none left). */
  found: number;
}

/** Names of the environment's secrets, for the panel (never their values). */
export function secretNames(spec: CourseSpec): string[] {
  const names = spec.meta.variables.filter((v) => v.kind === 'token' || SECRET_KEY.test(v.name)).map((v) => v.name);
  for (const svc of Object.values(spec.services)) if (svc.meta.connection?.password) names.push(`${svc.meta.title} password`);
  return names;
}

/** Reads the .tar.gz back and counts the known secrets found in it (tar stores file contents as they are). */
export async function checkBundleSecrets(file: string, spec: CourseSpec, variables: Record<string, string | undefined>): Promise<BundleSecrets> {
  const secrets = [...new Set(secretsOf(spec, variables).filter((s) => s.length >= MIN_LENGTH))];
  const tar = (await gunzipAsync(await readFile(file))).toString('latin1');
  const found = secrets.filter((s) => tar.includes(Buffer.from(s, 'utf8').toString('latin1'))).length;
  return { what: secretNames(spec), checked: secrets.length, found };
}
