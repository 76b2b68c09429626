// electron-builder's afterPack hook: node-pty must be unpacked, and its `spawn-helper` (macOS)
// must be an executable file outside app.asar, or every terminal fails with "posix_spawnp failed" (node-pty
// 1.1's prebuilt macOS helper ships without its execute bit). It sets the bit where it is
// missing, then checks that every spawn-helper in the packed app is executable and that there
// is at least one; otherwise the build fails here instead of on a student's computer.
// CommonJS because electron-builder requires hooks; the functions are unit-tested
// (electron/desktop/packaging.test.ts).
const { chmodSync, readdirSync, statSync } = require('node:fs');
const path = require('node:path');

/** Every file named spawn-helper under `dir`. */
function findSpawnHelpers(dir) {
  const found = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...findSpawnHelpers(p));
    else if (entry.name === 'spawn-helper') found.push(p);
  }
  return found;
}

const isExecutable = (file) => (statSync(file).mode & 0o111) === 0o111;

/** Makes every spawn-helper under `dir` executable; returns what it found and what still is not. */
function fixSpawnHelpers(dir) {
  const helpers = findSpawnHelpers(dir);
  for (const h of helpers) if (!isExecutable(h)) chmodSync(h, 0o755);
  return { helpers, notExecutable: helpers.filter((h) => !isExecutable(h)) };
}

/** Every file under `dir` whose name matches. */
function findFiles(dir, test) {
  const found = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...findFiles(p, test));
    else if (test(entry.name)) found.push(p);
  }
  return found;
}

const unpackedOnly = (files) => files.filter((f) => f.split(path.sep).includes('app.asar.unpacked'));

/**
 * The check itself, for a packed app folder of a platform (electron-builder's appOutDir and
 * electronPlatformName). Throws with the reason. node-pty must be unpacked (its native module
 * outside app.asar) everywhere; on macOS its spawn-helper must be there and executable; any
 * spawn-helper elsewhere must be executable too (node-pty on Linux forks without one).
 */
function checkPackedApp(appOutDir, platform) {
  const native = unpackedOnly(findFiles(appOutDir, (n) => n === 'pty.node' || n === 'conpty.node')).filter((f) => f.includes(`${path.sep}node-pty${path.sep}`));
  if (native.length === 0) {
    throw new Error(`node-pty is not unpacked in ${appOutDir} (no pty.node under app.asar.unpacked): terminals could not start. Keep node_modules/node-pty/** in asarUnpack.`);
  }
  if (platform === 'win32') return { helpers: [], notExecutable: [] };
  const { helpers, notExecutable } = fixSpawnHelpers(appOutDir);
  if (platform === 'darwin' && unpackedOnly(helpers).length === 0) {
    throw new Error(`No node-pty spawn-helper under app.asar.unpacked in ${appOutDir}: terminals would fail with "posix_spawnp failed".`);
  }
  if (notExecutable.length) throw new Error(`node-pty spawn-helper is not executable: ${notExecutable.join(', ')}`);
  return { helpers, notExecutable };
}

exports.findSpawnHelpers = findSpawnHelpers;
exports.fixSpawnHelpers = fixSpawnHelpers;
exports.checkPackedApp = checkPackedApp;
exports.default = async function afterPack(context) {
  const platform = context.electronPlatformName;
  const { helpers } = checkPackedApp(context.appOutDir, platform);
  console.log(`[coursedock] afterPack: ${helpers.length} spawn-helper file(s) executable`);
};
