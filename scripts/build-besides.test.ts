// The built command line finds its own files where the sources do: code that reads a file beside
// its module (import.meta.url) reads it beside the bundle, so the build copies those folders there.
// Seen missing once: the recorded onboarding screens, and the classroom gateway's build context.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';

const REPO = path.resolve(import.meta.dirname, '..');

it('copies the gateway build context and the onboarding fixtures beside the CLI bundle', () => {
  // bin rebuilds dist/cli first when a source file is newer, so this checks the current build.
  expect(spawnSync(process.execPath, [path.join(REPO, 'bin/coursedock.js'), '--help'], { encoding: 'utf8' }).status).toBe(0);
  const pairs = [
    ['electron/engine/classroom/gateway', 'dist/gateway'], // GATEWAY_CONTEXT: '../gateway' from dist/cli
    ['electron/engine/onboarding/fixtures', 'dist/cli/fixtures'], // FIXTURES_DIR: 'fixtures' beside it
  ] as const;
  for (const [from, to] of pairs) {
    expect(existsSync(path.join(REPO, to)), to).toBe(true);
    expect(readdirSync(path.join(REPO, to)).sort()).toEqual(readdirSync(path.join(REPO, from)).sort());
  }
}, 120_000);
