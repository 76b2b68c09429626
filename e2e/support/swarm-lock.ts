// Holding /tmp/cd-swarm.lock from inside a test: the lock every Docker-restarting or
// Swarm-changing test on this shared machine takes (flock(1) in a child process that keeps the
// lock until its stdin closes).
import { spawn } from 'node:child_process';

export async function holdSwarmLock(timeoutMs = 15 * 60_000): Promise<() => void> {
  // The runner took it already (`CD_SWARM_LOCK_HELD=1 flock /tmp/cd-swarm.lock …`): taking it
  // again from here would wait for ourselves.
  if (process.env.CD_SWARM_LOCK_HELD === '1') return () => undefined;
  const child = spawn('flock', ['/tmp/cd-swarm.lock', 'sh', '-c', 'echo locked; cat >/dev/null'], { stdio: ['pipe', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('could not take /tmp/cd-swarm.lock in time')), timeoutMs);
    child.stdout.on('data', (d: Buffer) => {
      if (d.toString().includes('locked')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`flock exited (${code})`)));
  });
  return () => child.stdin.end();
}
