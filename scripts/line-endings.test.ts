// .gitattributes keeps course files and scripts LF-only wherever the repository is checked out,
// so the images students build never meet `#!/bin/bash\r` (issue #19: a Windows build machine
// with core.autocrlf=true would otherwise package entrypoint.sh with CRLF). Shown on a real
// checkout with core.autocrlf=true in a scratch repository holding our .gitattributes, and on
// the files as they are in this tree.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../electron/engine/testing/course-copy.js';

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.org', '-c', 'init.defaultBranch=main', ...args], { cwd, encoding: 'utf8' });

let scratch: string | undefined;
afterEach(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  scratch = undefined;
});

describe('line endings of course files and scripts', { timeout: 60_000 }, () => {
  it('a checkout with core.autocrlf=true (a Windows build machine) keeps them LF; other files get CRLF', () => {
    scratch = mkdtempSync(path.join(os.tmpdir(), 'cd-eol-'));
    const origin = path.join(scratch, 'origin');
    mkdirSync(path.join(origin, 'compose-specs/c/notebook'), { recursive: true });
    mkdirSync(path.join(origin, 'scripts'), { recursive: true });
    copyFileSync(path.join(REPO_ROOT, '.gitattributes'), path.join(origin, '.gitattributes'));
    const files = { 'compose-specs/c/notebook/entrypoint.sh': '#!/bin/bash\nexec "$@"\n', 'scripts/setup.sh': '#!/usr/bin/env bash\necho hi\n', 'README.md': '# x\nline\n' };
    for (const [f, text] of Object.entries(files)) writeFileSync(path.join(origin, f), text);
    git(origin, 'init', '-q');
    git(origin, 'add', '.');
    git(origin, 'commit', '-q', '-m', 'x');
    const checkout = path.join(scratch, 'checkout');
    execFileSync('git', ['-c', 'core.autocrlf=true', 'clone', '-q', '--config', 'core.autocrlf=true', origin, checkout]);
    expect(readFileSync(path.join(checkout, 'compose-specs/c/notebook/entrypoint.sh'), 'utf8')).toBe(files['compose-specs/c/notebook/entrypoint.sh']);
    expect(readFileSync(path.join(checkout, 'scripts/setup.sh'), 'utf8')).toBe(files['scripts/setup.sh']);
    // The control: without the attribute, autocrlf does convert (so the check above means something).
    expect(readFileSync(path.join(checkout, 'README.md'), 'utf8')).toBe('# x\r\nline\r\n');
  });

  it('every course file and script in this tree says eol=lf and holds no \\r', () => {
    const tracked = git(REPO_ROOT, 'ls-files', '-z', '--cached', '--others', '--exclude-standard', '--', 'compose-specs', 'scripts', 'bin').split('\0').filter(Boolean);
    expect(tracked.length).toBeGreaterThan(10);
    const attrs = git(REPO_ROOT, 'check-attr', 'eol', '--', ...tracked);
    // Files marked binary (*.png: an icon a course image serves) are bytes, never converted.
    const binary = new Set(
      git(REPO_ROOT, 'check-attr', 'text', '--', ...tracked)
        .split('\n')
        .filter((line) => line.endsWith(': text: unset'))
        .map((line) => line.slice(0, -': text: unset'.length)),
    );
    expect([...binary].every((f) => /\.(png|ico|icns)$/.test(f))).toBe(true);
    for (const f of tracked) {
      expect(attrs, f).toContain(`${f}: eol: lf`);
      if (binary.has(f)) continue;
      const bytes = readFileSync(path.join(REPO_ROOT, f));
      expect(bytes.includes(0x0d), `${f} contains \\r`).toBe(false);
    }
  });
});
