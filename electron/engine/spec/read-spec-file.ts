import fs from 'node:fs';
import { SpecError } from './spec-error.js';

/** The spec's text, or a SpecError (not a raw ENOENT) when it cannot be read. */
export function readSpecFile(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new SpecError([{ file, line: 1, column: 1, path: '', message: `cannot read the spec: ${reason}` }]);
  }
}
