// Compose-style `${VAR}` interpolation, stricter than Compose: an unset variable without a
// default is an error (Compose silently substitutes ""), so a missing token or folder is caught
// at load time with a line number instead of surfacing as a broken container.

export type Lookup = (name: string) => string | undefined;
export type InterpolationResult = { ok: true; value: string } | { ok: false; message: string };

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;
const OPERATORS = [':-', ':?', ':+', '-', '?', '+'] as const;
type Operator = (typeof OPERATORS)[number];

class InterpolationError extends Error {}

/** Replaces `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?msg}`, `${VAR?msg}`,
 *  `${VAR:+alt}`, `${VAR+alt}` and `$$` (a literal `$`). Defaults may themselves interpolate. */
export function interpolate(input: string, lookup: Lookup): InterpolationResult {
  try {
    return { ok: true, value: expand(input, lookup, 0) };
  } catch (error) {
    if (error instanceof InterpolationError) return { ok: false, message: error.message };
    throw error;
  }
}

function expand(input: string, lookup: Lookup, depth: number): string {
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
      out += expandBraced(input.slice(dollar + 2, end), lookup, depth);
      i = end + 1;
    } else if (next !== undefined && NAME_START.test(next)) {
      const name = readName(input, dollar + 1);
      out += required(name, lookup);
      i = dollar + 1 + name.length;
    } else {
      throw new InterpolationError('a lone `$` must be written `$$` (a literal dollar sign)');
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

function expandBraced(body: string, lookup: Lookup, depth: number): string {
  const name = readName(body, 0);
  if (!name) throw new InterpolationError(`malformed \`\${${body}}\`: expected a variable name after \`\${\``);
  const rest = body.slice(name.length);
  if (rest === '') return required(name, lookup);
  const operator = OPERATORS.find((op) => rest.startsWith(op));
  if (!operator) {
    throw new InterpolationError(
      `malformed \`\${${body}}\`: expected \`}\`, \`:-\`, \`-\`, \`:?\`, \`?\`, \`:+\` or \`+\` after \`${name}\``,
    );
  }
  const word = rest.slice(operator.length);
  return apply(name, operator, word, lookup, depth);
}

function apply(name: string, operator: Operator, word: string, lookup: Lookup, depth: number): string {
  const value = lookup(name);
  const unset = value === undefined;
  const empty = unset || value === '';
  switch (operator) {
    case ':-':
      return empty ? expand(word, lookup, depth + 1) : value;
    case '-':
      return unset ? expand(word, lookup, depth + 1) : value;
    case ':+':
      return empty ? '' : expand(word, lookup, depth + 1);
    case '+':
      return unset ? '' : expand(word, lookup, depth + 1);
    case ':?':
    case '?':
      if (operator === ':?' ? empty : unset) {
        const reason = word ? `: ${expandQuietly(word, lookup, depth)}` : '';
        throw new InterpolationError(`variable ${name} is ${unset ? 'not set' : 'empty'}${reason}`);
      }
      return value ?? '';
  }
}

function expandQuietly(word: string, lookup: Lookup, depth: number): string {
  try {
    return expand(word, lookup, depth + 1);
  } catch {
    return word;
  }
}

function required(name: string, lookup: Lookup): string {
  const value = lookup(name);
  if (value === undefined) {
    throw new InterpolationError(`variable ${name} is not set (write \${${name}:-default} to give it a default)`);
  }
  return value;
}

function readName(input: string, from: number): string {
  if (!NAME_START.test(input[from] ?? '')) return '';
  let end = from + 1;
  while (end < input.length && NAME_CHAR.test(input[end] ?? '')) end++;
  return input.slice(from, end);
}
