// Builds the panel once before the specs, so they test the current source.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, SCREENS_DIR } from './paths.js';

export default function globalSetup(): void {
  if (process.env.E2E_SKIP_BUILD !== '1') {
    execFileSync(process.execPath, [path.join(REPO_ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], {
      cwd: REPO_ROOT,
      stdio: 'inherit',
    });
  }
  mkdirSync(SCREENS_DIR, { recursive: true });
}
