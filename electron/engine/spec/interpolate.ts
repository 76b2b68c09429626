// Compose's `${VAR}` interpolation (compose-go's template rules): an unset variable without a
// default becomes the empty string and is reported back (`unset`) so the loader can warn with a
// line, as Compose warns; `${VAR:?msg}` is an error; `$$` is a literal `$`; a `$` that starts no
// reference (`5$`, `$1`, `$ x`) is kept as written; a malformed `${…}` is an error.

export type Lookup = (name: string) => string | undefined;
export type InterpolationResult = { ok: true; value: string; unset: string[] } | { ok: false; message: string };

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;
const OPERATORS = [':-', ':?', ':+', '-', '?', '+'] as const;
type Operator = (typeof OPERATORS)[number];

class InterpolationError extends Error {}

/** Replaces `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?msg}`, `${VAR?msg}`,
 *  `${VAR:+alt}`, `${VAR+alt}` and `$$` (a literal `$`). Defaults may themselves interpolate. */
export function interpolate(input: string, lookup: Lookup): InterpolationResult {
  const unset: string[] = [];
  try {
    const value = expand(input, lookup, 0, unset);
    return { ok: true, value, unset: [...new Set(unset)] };
  } catch (error) {
    if (error instanceof InterpolationError) return { ok: false, message: error.message };
    throw error;
  }
}

function expand(input: string, lookup: Lookup, depth: number, unset: string[]): string {
  if (depth > 10) throw new InterpolationError('defaults are nested too deeply');
  let out = '';
  let i = 0;
  while (i < input.length) {
    const dollar = input.indexOf('$', i);
    if (dollar < 0) {
      out += input.slice(i);
      break;
    }
    out += input.slice(i, dollar);
    const next = input[dollar + 1];
    if (next === '$') {
      out += '$';
      i = dollar + 2;
    } else if (next === '{') {
      const end = matchingBrace(input, dollar + 2);
      out += expandBraced(input.slice(dollar + 2, end), lookup, depth, unset);
      i = end + 1;
    } else if (next !== undefined && NAME_START.test(next)) {
      const name = readName(input, dollar + 1);
      out += required(name, lookup, unset);
      i = dollar + 1 + name.length;
    } else {
      // Not a reference: Compose keeps the `$` as written.
      out += '$';
      i = dollar + 1;
    }
  }
  return out;
}

/** Index of the `}` closing a `${` whose body starts at `from`, skipping nested `${…}`. */
function matchingBrace(input: string, from: number): number {
  let depth = 1;
  for (let j = from; j < input.length; j++) {
    const c = input[j];
    if (c === '$' && (input[j + 1] === '$' || input[j + 1] === '{')) {
      if (input[j + 1] === '{') depth++;
      j++;
    } else if (c === '}' && --depth === 0) {
      return j;
    }
  }
  throw new InterpolationError(`unterminated \`\${\` in "${input}" (missing \`}\`)`);
}

function expandBraced(body: string, lookup: Lookup, depth: number, unset: string[]): string {
  const name = readName(body, 0);
  if (!name) throw new InterpolationError(`malformed \`\${${body}}\`: expected a variable name after \`\${\``);
  const rest = body.slice(name.length);
  if (rest === '') return required(name, lookup, unset);
  const operator = OPERATORS.find((op) => rest.startsWith(op));
  if (!operator) {
    throw new InterpolationError(
      `malformed \`\${${body}}\`: expected \`}\`, \`:-\`, \`-\`, \`:?\`, \`?\`, \`:+\` or \`+\` after \`${name}\``,
    );
  }
  const word = rest.slice(operator.length);
  return apply(name, operator, word, lookup, depth, unset);
}

function apply(name: string, operator: Operator, word: string, lookup: Lookup, depth: number, unset: string[]): string {
  const value = lookup(name);
  const missing = value === undefined;
  const empty = missing || value === '';
  switch (operator) {
    case ':-':
      return empty ? expand(word, lookup, depth + 1, unset) : value;
    case '-':
      return missing ? expand(word, lookup, depth + 1, unset) : value;
    case ':+':
      return empty ? '' : expand(word, lookup, depth + 1, unset);
    case '+':
      return missing ? '' : expand(word, lookup, depth + 1, unset);
    case ':?':
    case '?':
      if (operator === ':?' ? empty : missing) {
        const reason = word ? `: ${expandQuietly(word, lookup, depth)}` : '';
        throw new InterpolationError(`variable ${name} is ${missing ? 'not set' : 'empty'}${reason}`);
      }
      return value ?? '';
  }
}

function expandQuietly(word: string, lookup: Lookup, depth: number): string {
  try {
    return expand(word, lookup, depth + 1, []);
  } catch {
    return word;
  }
}

function required(name: string, lookup: Lookup, unset: string[]): string {
  const value = lookup(name);
  if (value === undefined) {
    unset.push(name);
    return '';
  }
  return value;
}

function readName(input: string, from: number): string {
  if (!NAME_START.test(input[from] ?? '')) return '';
  let end = from + 1;
  while (end < input.length && NAME_CHAR.test(input[end] ?? '')) end++;
  return input.slice(from, end);
}
