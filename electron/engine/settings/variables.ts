// Values a course spec asks the engine for (x-coursedock.variables): a notebook token made once
// per install and kept, the student's notebooks folder, the uid that owns it. Settings hold
// them per environment, so they survive restarts of the app and are the same next time, and
// a token is made once even when several Coursedock processes start the course together.
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import type { VariableDecl } from '../spec/types.js';
import type { SettingsStore } from './settings-store.js';

export const envKey = (project: string, ...rest: string[]): string =>
  ['environments', project, ...rest].join('.');

export function expandHome(p: string, home = os.homedir()): string {
  if (p === '~') return home;
  if (p.startsWith('~/') || p.startsWith('~\\')) return path.join(home, p.slice(2));
  return p;
}

export const generateToken = (): string => randomBytes(24).toString('hex');

/**
 * The token stored at `key`, made and stored if there is none. Made inside the store's
 * cross-process update where it has one, so two processes on their first run at once (the
 * desktop app and a CLI `up`) end with one token that both use, not one each.
 */
export function storedOrNewToken(store: SettingsStore, key: string): string {
  const keep = (current: unknown): string => (typeof current === 'string' ? current : generateToken());
  if (store.update) return store.update(key, keep);
  const value = keep(store.get(key));
  store.set(key, value);
  return value;
}

/**
 * The values for a spec's declared variables. Order: the process environment (like Compose),
 * then what this install stored, then the declaration's default; tokens are generated and
 * stored on first use.
 */
export function resolveVariables(
  decls: VariableDecl[],
  store: SettingsStore,
  project: string,
  env: Record<string, string | undefined> = process.env,
): Record<string, string> {
  // Null prototype and own lookups: a variable named `constructor` is a name, not Object's.
  const values: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const d of decls) {
    const key = envKey(project, 'variables', d.name);
    const fromEnv = Object.hasOwn(env, d.name) ? env[d.name] : undefined;
    const stored = store.get(key);
    let value: string;
    if (fromEnv !== undefined && fromEnv !== '') value = fromEnv;
    else if (typeof stored === 'string') value = stored;
    else if (d.kind === 'token') value = storedOrNewToken(store, key);
    else if (d.kind === 'host-uid') {
      // On Linux files in a bind mount keep numeric owners; elsewhere Docker Desktop maps them.
      value = process.platform === 'linux' && process.getuid ? String(process.getuid()) : (d.default ?? '1000');
    } else value = d.default ?? '';
    values[d.name] = d.kind === 'folder' ? path.resolve(expandHome(value)) : value;
  }
  return values;
}
