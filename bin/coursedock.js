#!/usr/bin/env node
// `npx coursedock …`: runs the compiled command line, dist/cli/coursedock.cjs (`npm run build`,
// scripts/build.mjs). Nothing is compiled while the student waits: not the TypeScript, and with
// V8's code cache beside the bundle (code-cache.js) not even the JavaScript, after the first run.
//
// In a source checkout (electron/cli/main.ts is here) the build is checked first: when a source
// file it was built from is newer than the build, or the build is missing, it is rebuilt with
// esbuild (a devDependency; ~0.3 s) before running, so a command never runs stale code. The check
// is one stat per source file, read from dist/cli/coursedock.cjs.inputs.json.
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadWithCodeCache } from './code-cache.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const built = path.join(repo, 'dist/cli/coursedock.cjs');

function stale() {
  if (!existsSync(path.join(repo, 'electron/cli/main.ts'))) return !existsSync(built);
  try {
    const { startedAt, inputs } = JSON.parse(readFileSync(`${built}.inputs.json`, 'utf8'));
    if (!existsSync(built)) return true;
    return inputs.some((p) => {
      try {
        return statSync(path.join(repo, p)).mtimeMs > startedAt;
      } catch {
        return true; // a source file it was built from is gone
      }
    });
  } catch {
    return true;
  }
}

if (stale()) {
  try {
    const [{ buildTarget }, esbuild] = await Promise.all([import('../scripts/build.mjs'), import('esbuild')]);
    await buildTarget(esbuild, 'cli');
  } catch (err) {
    console.error(`[coursedock] The command line is not built (${built}) and could not be built here: ${err instanceof Error ? err.message : String(err)}\nFix: npm ci && npm run build`);
    process.exit(1);
  }
}

// `coursedock --help` (or no command at all): the help text the build wrote beside the bundle
// (scripts/build.mjs), printed without loading the bundle, which is most of a command's start-up.
const args = process.argv.slice(2);
const help = path.join(repo, 'dist/cli/help.txt');
if ((args.length === 0 || (args.length === 1 && (args[0] === '--help' || args[0] === '-h'))) && existsSync(help)) {
  process.stdout.write(readFileSync(help, 'utf8'));
  process.exitCode = args.length === 0 ? 2 : 0;
} else {
  const cli = loadWithCodeCache(built);
  // A long-running command (serve, logs -f) writes the cache once it is up; others when done.
  setTimeout(cli.save, 5000).unref();
  process.exitCode = await cli.exports.main(args);
  cli.save();
}
