// `coursedock --help` is printed by bin/coursedock.js from the text the build wrote beside the
// bundle (dist/cli/help.txt), without loading the bundle: it must be the very text the command
// line itself prints, with the same exit codes.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';

const REPO = path.resolve(import.meta.dirname, '..');
const bin = path.join(REPO, 'bin/coursedock.js');

it('prints the help the command line prints, from the file the build wrote', () => {
  const viaBin = spawnSync(process.execPath, [bin, '--help'], { encoding: 'utf8' });
  expect(viaBin.status).toBe(0);
  // bin rebuilt the bundle first if a source file changed, so the two are of one build.
  const bundle = path.join(REPO, 'dist/cli/coursedock.cjs');
  const viaMain = execFileSync(process.execPath, ['-e', `require(${JSON.stringify(bundle)}).main(['--help']).then((code) => { process.exitCode = code; });`], {
    encoding: 'utf8',
  });
  expect(viaBin.stdout).toBe(viaMain);
  expect(readFileSync(path.join(REPO, 'dist/cli/help.txt'), 'utf8')).toBe(viaMain);
  expect(viaMain).toMatch(/^Usage: coursedock <command>/);

  expect(spawnSync(process.execPath, [bin, '-h'], { encoding: 'utf8' }).stdout).toBe(viaMain);
  const bare = spawnSync(process.execPath, [bin], { encoding: 'utf8' });
  expect([bare.status, bare.stdout]).toEqual([2, viaMain]);
}, 120_000);
