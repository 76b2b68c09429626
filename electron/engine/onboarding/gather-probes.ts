// Onboarding's looking half on the real computer: which of the planned paths exist, which
// processes run (/proc on Linux, ps on macOS, tasklist on Windows) and what the planned
// commands print, each bounded to a few seconds. Reads only; detect.ts decides.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { commandKey, probePlan, type CommandOutput, type HostOs, type HostProbes } from './probes.js';

const TIMEOUT_MS = 4000;

export function hostOs(platform: NodeJS.Platform = process.platform): HostOs {
  return platform === 'win32' ? 'windows' : platform === 'darwin' ? 'macos' : 'linux';
}

export async function gatherProbes(): Promise<HostProbes> {
  const o = hostOs();
  const env: HostProbes['env'] = {};
  for (const k of ['XDG_RUNTIME_DIR', 'LOCALAPPDATA', 'ProgramFiles'] as const) if (process.env[k]) env[k] = process.env[k];
  const home = os.homedir();
  const plan = probePlan(o, home, env);
  const outputs = await Promise.all(plan.commands.map(async (argv) => [commandKey(argv), await runCommand(argv)] as const));
  const processes = await listProcesses(o);
  return {
    os: o,
    home,
    ...(process.getuid ? { uid: process.getuid() } : {}),
    env,
    files: plan.files.filter((f) => existsSync(f)),
    processes,
    commands: Object.fromEntries(outputs),
    memoryBytes: os.totalmem(),
  };
}

function runCommand(argv: string[]): Promise<CommandOutput> {
  const [file, ...args] = argv;
  if (file === undefined) return Promise.resolve({ code: -1, stdout: '', stderr: 'no command' });
  return new Promise((resolve) => {
    execFile(file, args, { timeout: TIMEOUT_MS, windowsHide: true }, (err, stdout, stderr) => {
      const e = err as (NodeJS.ErrnoException & { code?: number | string }) | null;
      const code = !e ? 0 : typeof e.code === 'number' ? e.code : -1;
      resolve({ code, stdout: stdout.slice(0, 64 * 1024), stderr: (stderr || (e && typeof e.code !== 'number' ? e.message : '')).slice(0, 4096) });
    });
  });
}

async function listProcesses(o: HostOs): Promise<string[]> {
  if (o === 'linux') {
    const names = new Set<string>();
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        names.add(readFileSync(`/proc/${entry}/comm`, 'utf8').trim());
      } catch {
        // ended while we looked
      }
    }
    return [...names];
  }
  const argv = o === 'macos' ? ['ps', '-axco', 'comm'] : ['tasklist', '/fo', 'csv', '/nh'];
  const out = await runCommand(argv);
  const lines = out.stdout.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  const names = o === 'macos' ? lines.slice(1) : lines.map((l) => (l.split('","')[0] ?? '').replace(/^"/, ''));
  return [...new Set(names)];
}
