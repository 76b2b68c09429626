// `.env`, `--env-file` and `env_file:` files, read as Compose reads them (compose-go's dotenv):
// `KEY=value` lines, optional `export `, `#` comments (inline only after a space in an unquoted
// value), single quotes literal, double quotes with `\n` `\t` `\\` `\"` escapes and continuing
// over lines, `${VAR}` interpolated in unquoted and double-quoted values (from the variables
// above it, then the lookup), and a bare `KEY` taking its value from the lookup (left out when
// unset). Problems carry the env file's own line and column.
import fs from 'node:fs';
import { interpolate, type Lookup } from './interpolate.js';

export interface DotenvProblem {
  line: number;
  column: number;
  message: string;
}

export interface Dotenv {
  values: Record<string, string>;
  /** 1-based line of each key, for messages. */
  lines: Record<string, number>;
  errors: DotenvProblem[];
  warnings: DotenvProblem[];
}

const KEY = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

export function parseDotenv(text: string, lookup: Lookup): Dotenv {
  const out: Dotenv = { values: Object.create(null) as Record<string, string>, lines: Object.create(null) as Record<string, number>, errors: [], warnings: [] };
  const own: Lookup = (name) => (Object.hasOwn(out.values, name) ? out.values[name] : lookup(name));
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const lineNo = index + 1;
    const raw = lines[index] ?? '';
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const body = trimmed.replace(/^export\s+/, '');
    const eq = body.indexOf('=');
    const key = (eq < 0 ? body : body.slice(0, eq)).trim();
    const column = raw.indexOf(key) + 1;
    if (!KEY.test(key)) {
      out.errors.push({ line: lineNo, column: Math.max(1, column), message: `"${trimmed.slice(0, 40)}" is not a KEY=value line` });
      continue;
    }
    if (eq < 0) {
      const value = lookup(key);
      if (value !== undefined) set(out, key, value, lineNo);
      continue;
    }
    let rest = body.slice(eq + 1).replace(/^[ \t]+/, '');
    const quote = rest[0];
    if (quote === "'" || quote === '"') {
      // A quoted value may continue over the following lines until its closing quote.
      let joined = rest.slice(1);
      let close = closingQuote(joined, quote);
      while (close < 0 && index + 1 < lines.length) {
        index++;
        joined += `\n${lines[index] ?? ''}`;
        close = closingQuote(joined, quote);
      }
      if (close < 0) {
        out.errors.push({ line: lineNo, column: Math.max(1, raw.indexOf(quote) + 1), message: `the value of ${key} opens a ${quote === '"' ? 'double' : 'single'} quote that is never closed` });
        continue;
      }
      const inner = joined.slice(0, close);
      if (quote === "'") set(out, key, inner, lineNo);
      else expandInto(out, key, unescape(inner), lineNo, column, own);
      continue;
    }
    const comment = rest.search(/\s#/);
    if (comment >= 0) rest = rest.slice(0, comment);
    expandInto(out, key, rest.trim(), lineNo, column, own);
  }
  return out;
}

/** Reads and parses an env file; `undefined` when it does not exist. */
export function readDotenv(file: string, lookup: Lookup): Dotenv | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    const reason = error instanceof Error ? error.message : String(error);
    return { values: {}, lines: {}, errors: [{ line: 1, column: 1, message: `cannot read ${file}: ${reason}` }], warnings: [] };
  }
  return parseDotenv(text, lookup);
}

function set(out: Dotenv, key: string, value: string, line: number): void {
  out.values[key] = value;
  out.lines[key] = line;
}

function expandInto(out: Dotenv, key: string, value: string, line: number, column: number, lookup: Lookup): void {
  const result = interpolate(value, lookup);
  if (!result.ok) {
    out.errors.push({ line, column, message: `${key}: ${result.message}` });
    return;
  }
  for (const name of result.unset) out.warnings.push({ line, column, message: `${key}: variable ${name} is not set; using an empty string` });
  set(out, key, result.value, line);
}

function closingQuote(text: string, quote: string): number {
  for (let i = 0; i < text.length; i++) {
    if (quote === '"' && text[i] === '\\') i++;
    else if (text[i] === quote) return i;
  }
  return -1;
}

function unescape(text: string): string {
  return text.replace(/\\([nrt"\\$])/g, (_m, c: string) => (c === 'n' ? '\n' : c === 'r' ? '\r' : c === 't' ? '\t' : c === '$' ? '$$' : c));
}
