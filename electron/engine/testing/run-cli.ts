// The built command line (bin/coursedock.js) run as a child process, the way a student runs it:
// its exit code and both outputs, whether it succeeded or not.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from './course-copy.js';

const run = promisify(execFile);

export interface CliOutcome {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(args: string[], env: Record<string, string | undefined>, timeoutMs = 240_000): Promise<CliOutcome> {
  try {
    const r = await run(process.execPath, [path.join(REPO_ROOT, 'bin/coursedock.js'), ...args], { env: { ...process.env, ...env }, timeout: timeoutMs });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}
