// Several real processes on one settings folder at once (the desktop app, the browser shell
// and CLI commands do this): every key each one set is kept, and a token they all race to make
// on "first run" is made once, the one value every process got back.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const CHILD = fileURLToPath(new URL('./testing/settings-race-child.ts', import.meta.url));
const CHILDREN = 6;
const ROUNDS = 25;

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function runChild(file: string, id: string, kind: 'file' | 'desktop'): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, file, id, String(ROUNDS), kind], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out) as string[]) : reject(new Error(`child ${id} exited ${code}: ${err}`))));
  });
}

describe('settings.json shared by several processes', () => {
  it(`${CHILDREN} processes (CLI-like and desktop-like) racing: all keys kept, one token per round that every process got`, async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'cd-settings-race-'));
    const file = path.join(dir, 'settings.json');
    const ids = Array.from({ length: CHILDREN }, (_, i) => `c${i}`);
    const results = await Promise.all(ids.map((id, i) => runChild(file, id, i % 2 === 0 ? 'file' : 'desktop')));

    const saved = JSON.parse(readFileSync(file, 'utf8')) as {
      environments: { race: { variables: Record<string, string>; children: Record<string, Record<string, number>> } };
    };
    const { variables, children } = saved.environments.race;
    for (let round = 0; round < ROUNDS; round++) {
      const token = variables[`TOKEN_${round}`];
      expect(token).toMatch(/^[0-9a-f]{48}$/);
      for (const got of results) expect(got[round]).toBe(token);
    }
    expect(Object.keys(variables)).toHaveLength(ROUNDS);
    for (const id of ids) {
      expect(children[id]).toEqual(Object.fromEntries(Array.from({ length: ROUNDS }, (_, r) => [`round${r}`, r])));
    }
    // Nothing left behind: no lock, no temporary file.
    expect(readdirSync(dir)).toEqual(['settings.json']);
  }, 120_000);
});
