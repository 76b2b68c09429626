// electron-builder's beforePack hook: packages are always made from a fresh `npm run build`
// (scripts/build.mjs: panel, main, preload), never from whatever dist/ held (issue #19: a stale
// dist/electron could be packaged). CommonJS because electron-builder requires hooks.
const { execFileSync } = require('node:child_process');
const path = require('node:path');

exports.default = async function beforePack() {
  const repo = path.resolve(__dirname, '..');
  execFileSync(process.execPath, [path.join(repo, 'scripts/build.mjs')], { cwd: repo, stdio: 'inherit' });
};
