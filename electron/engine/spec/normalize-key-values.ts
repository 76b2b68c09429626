// environment / labels / build args: a map or a `KEY=value` list → Record<string, string>.
import type { Lookup } from './interpolate.js';
import type { KeyPath } from './locate.js';
import type { Reporter } from './report.js';
import { nullRecord } from './reserved-names.js';
import type { KeyValues } from './schema.js';

/**
 * `fromEnv`: what a bare `KEY` (list) or `KEY:` (map, no value) means. For environment and
 * build args Compose takes the value from the environment (and leaves KEY out when unset); for
 * labels it is the empty string.
 */
export function keyValuesToRecord(
  raw: KeyValues | undefined,
  path: KeyPath,
  report: Reporter,
  fromEnv?: Lookup,
): Record<string, string> {
  // No prototype: `__proto__=x` or `constructor=x` in a list is a variable like any other.
  const out = nullRecord<string>();
  const bare = (key: string): void => {
    if (!fromEnv) out[key] = '';
    else {
      const value = fromEnv(key);
      if (value !== undefined) out[key] = value;
    }
  };
  if (raw === undefined) return out;
  if (Array.isArray(raw)) {
    raw.forEach((entry, index) => {
      const eq = entry.indexOf('=');
      const key = (eq < 0 ? entry : entry.slice(0, eq)).trim();
      if (!key) {
        report.error([...path, index], `expected KEY=value, got "${entry}"`);
        return;
      }
      // `- FOO BAR` was meant as FOO=BAR (or is a typo): never dropped or passed on silently.
      if (eq < 0 && /\s/.test(key)) {
        report.error([...path, index], `"${entry}" is not KEY=value: a name cannot hold spaces (did you mean ${key.split(/\s+/)[0]}=${key.split(/\s+/).slice(1).join(' ')}?)`);
        return;
      }
      if (eq < 0) bare(key);
      else out[key] = entry.slice(eq + 1);
    });
    return out;
  }
  for (const [key, value] of Object.entries(raw)) {
    if (value === null) bare(key);
    else out[key] = String(value);
  }
  return out;
}
