// Reading a spec file before it is parsed: the size limit is checked on the file's size (so a
// 50 MB file is refused without being read), and the bytes must be UTF-8 — a Latin-1 "é" in a
// password would otherwise silently become "�". Both are refusals with the place to fix.
import { isUtf8 } from 'node:buffer';
import fs from 'node:fs';
import { keyPathAt } from './parse-yaml.js';
import { formatPath } from './locate.js';
import { SpecError } from './spec-error.js';
import { MAX_SPEC_BYTES, sizeProblem } from './spec-limits.js';
import type { SpecProblem } from './types.js';

/** At most this many bad places are listed: a binary file is one problem, not thousands. */
const MAX_ENCODING_PROBLEMS = 10;

/** The spec's text, or a SpecError (not a raw ENOENT) when it cannot be read or is not UTF-8 text. */
export function readSpecFile(file: string): string {
  let bytes: Buffer;
  try {
    const size = fs.statSync(file).size;
    if (size > MAX_SPEC_BYTES) throw new SpecError([sizeProblem(file, size)]);
    bytes = fs.readFileSync(file);
  } catch (error) {
    if (error instanceof SpecError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new SpecError([{ file, line: 1, column: 1, path: '', message: `cannot read the spec: ${reason}` }]);
  }
  // Read while another program writes it: the size may have grown since stat.
  if (bytes.length > MAX_SPEC_BYTES) throw new SpecError([sizeProblem(file, bytes.length)]);
  const text = bytes.toString('utf8');
  // The native check first; the byte-by-byte walk only to find the places to report.
  if (isUtf8(bytes)) return text;
  const bad = invalidUtf8(bytes);
  if (bad.length === 0) return text;
  throw new SpecError(bad.slice(0, MAX_ENCODING_PROBLEMS).map((site) => encodingProblem(file, text, site, bad.length)));
}

/** One place where the bytes are not UTF-8; line and column count characters as an editor does. */
export interface InvalidUtf8Site {
  byteOffset: number;
  /** Offset in the text decoded with replacement characters (where `�` stands). */
  charOffset: number;
  line: number;
  column: number;
  bytes: number[];
}

/** Every maximal run of bytes that is not UTF-8 (the WHATWG decoder's replacement rules, simplified). */
export function invalidUtf8(bytes: Uint8Array): InvalidUtf8Site[] {
  const sites: InvalidUtf8Site[] = [];
  let line = 1;
  let column = 1;
  let chars = 0;
  let i = 0;
  for (let b = bytes[i]; b !== undefined; b = bytes[i]) {
    const length = sequenceLength(bytes, i);
    if (length === 0) {
      const start = i;
      // Skip continuation bytes that belonged to this broken sequence: one site, one `�`.
      i++;
      while (isContinuation(bytes[i]) && i - start < 4) i++;
      const last = sites[sites.length - 1];
      if (last && last.byteOffset + last.bytes.length === start) last.bytes.push(...bytes.subarray(start, i));
      else sites.push({ byteOffset: start, charOffset: chars, line, column, bytes: [...bytes.subarray(start, i)] });
      chars++;
      column++;
      continue;
    }
    if (b === 0x0a) {
      line++;
      column = 1;
    } else column++;
    chars += length === 4 ? 2 : 1;
    i += length;
  }
  return sites;
}

/** A UTF-8 continuation byte (10xxxxxx); false past the end. */
const isContinuation = (b: number | undefined): boolean => b !== undefined && (b & 0xc0) === 0x80;

/** Length of the valid UTF-8 sequence starting at `i`, or 0 when it is not one. */
function sequenceLength(bytes: Uint8Array, i: number): number {
  const b = bytes[i];
  if (b === undefined) return 0;
  if (b < 0x80) return 1;
  const cont = (k: number, lo = 0x80, hi = 0xbf) => {
    const next = bytes[i + k];
    return next !== undefined && next >= lo && next <= hi;
  };
  if (b >= 0xc2 && b <= 0xdf) return cont(1) ? 2 : 0;
  if (b >= 0xe0 && b <= 0xef) {
    const lo = b === 0xe0 ? 0xa0 : 0x80;
    const hi = b === 0xed ? 0x9f : 0xbf;
    return cont(1, lo, hi) && cont(2) ? 3 : 0;
  }
  if (b >= 0xf0 && b <= 0xf4) {
    const lo = b === 0xf0 ? 0x90 : 0x80;
    const hi = b === 0xf4 ? 0x8f : 0xbf;
    return cont(1, lo, hi) && cont(2) && cont(3) ? 4 : 0;
  }
  return 0;
}

function encodingProblem(file: string, text: string, site: InvalidUtf8Site, total: number): SpecProblem {
  const hex = site.bytes.map((b) => `0x${b.toString(16).padStart(2, '0')}`).join(' ');
  const lineText = text.split('\n', site.line)[site.line - 1] ?? '';
  const shown = lineText.trim().length > 60 ? `${lineText.trim().slice(0, 57)}…` : lineText.trim();
  const more = total > MAX_ENCODING_PROBLEMS ? ` (${total} places in all; the first ${MAX_ENCODING_PROBLEMS} are listed)` : '';
  return {
    file,
    line: site.line,
    column: site.column,
    path: formatPath(keyPathAt(text, site.charOffset)),
    message:
      `${site.bytes.length === 1 ? 'byte' : 'bytes'} ${hex} ${site.bytes.length === 1 ? 'is' : 'are'} not UTF-8 text: read as is, this line would say "${shown}". ` +
      `Save the spec as UTF-8 (an editor's "encoding" menu), then retype the character${more}`,
  };
}
