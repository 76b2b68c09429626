import { describe, expect, it } from 'vitest';
import { interpolate } from './interpolate.js';

const env: Record<string, string> = { A: 'alpha', EMPTY: '', N: '5' };
const lookup = (name: string): string | undefined => (Object.hasOwn(env, name) ? env[name] : undefined);
const ok = (text: string): string => {
  const result = interpolate(text, lookup);
  if (!result.ok) throw new Error(result.message);
  return result.value;
};
const unsetOf = (text: string): string[] => {
  const result = interpolate(text, lookup);
  if (!result.ok) throw new Error(result.message);
  return result.unset;
};
const fails = (text: string): string => {
  const result = interpolate(text, lookup);
  if (result.ok) throw new Error(`expected ${text} to fail`);
  return result.message;
};

describe('interpolate', () => {
  it('substitutes ${VAR} and $VAR', () => {
    expect(ok('${A}-$A-$N.x')).toBe('alpha-alpha-5.x');
    expect(ok('no variables')).toBe('no variables');
    expect(unsetOf('$A_B')).toEqual(['A_B']); // names are greedy, as in a shell
  });

  it('$$ is a literal dollar', () => {
    expect(ok('cost $$5 and $${A}')).toBe('cost $5 and ${A}');
  });

  it('defaults: :- for unset or empty, - for unset', () => {
    expect(ok('${MISSING:-def}')).toBe('def');
    expect(ok('${EMPTY:-def}')).toBe('def');
    expect(ok('${MISSING-def}')).toBe('def');
    expect(ok('${EMPTY-def}')).toBe('');
    expect(ok('${A:-def}')).toBe('alpha');
    expect(ok('${MISSING:-}')).toBe('');
    expect(ok('${MISSING:-${A}/x}')).toBe('alpha/x');
    expect(ok('${MISSING:-a}}')).toBe('a}');
  });

  it('alternatives: :+ and +', () => {
    expect(ok('${A:+set}')).toBe('set');
    expect(ok('${EMPTY:+set}')).toBe('');
    expect(ok('${EMPTY+set}')).toBe('set');
    expect(ok('${MISSING+set}')).toBe('');
  });

  it('required: :? and ?', () => {
    expect(fails('${MISSING:?give it a value}')).toBe('variable MISSING is not set: give it a value');
    expect(fails('${EMPTY:?must not be empty}')).toBe('variable EMPTY is empty: must not be empty');
    expect(ok('${EMPTY?x}')).toBe('');
    expect(fails('${MISSING?}')).toBe('variable MISSING is not set');
  });

  it('an unset variable without a default is the empty string, reported as unset (Compose warns)', () => {
    expect(ok('${MISSING}')).toBe('');
    expect(ok('x $MISSING y')).toBe('x  y');
    expect(unsetOf('${MISSING}/$OTHER/${MISSING}')).toEqual(['MISSING', 'OTHER']);
    expect(unsetOf('${MISSING:-x} ${MISSING-y} ${MISSING:+z} ${A}')).toEqual([]);
    expect(unsetOf('${MISSING:-$NESTED}')).toEqual(['NESTED']);
  });

  it('a $ that starts no reference stays as written, as in Compose', () => {
    expect(ok('price: 5$')).toBe('price: 5$');
    expect(ok('$1 and $ x')).toBe('$1 and $ x');
  });

  it('malformed references are errors', () => {
    expect(fails('${A')).toMatch(/unterminated `\$\{`/);
    expect(fails('${}')).toMatch(/malformed `\$\{\}`/);
    expect(fails('${1A}')).toMatch(/expected a variable name/);
    expect(fails('${A:x}')).toMatch(/malformed `\$\{A:x\}`/);
    expect(fails('${A B}')).toMatch(/malformed/);
  });

  it('does not find inherited properties of the lookup object', () => {
    expect(unsetOf('${constructor}')).toEqual(['constructor']);
  });
});
