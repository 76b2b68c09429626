// What the specs do with Docker and PostgreSQL directly, through their command-line tools.
import { execFileSync } from 'node:child_process';

const LABEL = 'com.docker.compose.project';

function docker(args: string[]): string {
  try {
    return execFileSync('docker', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch {
    return '';
  }
}

const ids = (out: string) => out.split('\n').filter(Boolean);

/** Removes a test project's containers, network and volumes, whatever state they are in. */
export function removeProject(project: string): void {
  const containers = ids(docker(['ps', '-aq', '--filter', `label=${LABEL}=${project}`]));
  if (containers.length) docker(['rm', '-f', '-v', ...containers]);
  const networks = ids(docker(['network', 'ls', '-q', '--filter', `label=${LABEL}=${project}`]));
  if (networks.length) docker(['network', 'rm', ...networks]);
  const volumes = new Set([
    ...ids(docker(['volume', 'ls', '-q', '--filter', `label=${LABEL}=${project}`])),
    ...ids(docker(['volume', 'ls', '-q', '--filter', `name=^${project}_`])),
  ]);
  if (volumes.size) docker(['volume', 'rm', '-f', ...volumes]);
}

/** Stops a service's container behind Coursedock's back (as `docker stop` or a crash would). */
export function stopOutside(project: string, service: string): void {
  const id = ids(docker(['ps', '-q', '--filter', `label=${LABEL}=${project}`, '--filter', `label=com.docker.compose.service=${service}`]))[0];
  if (!id) throw new Error(`No running container for ${project}/${service}`);
  execFileSync('docker', ['stop', '-t', '5', id], { stdio: 'ignore' });
}

export function dockerAvailable(): boolean {
  return docker(['version', '--format', '{{.Server.Version}}']) !== '';
}

export function imagePresent(image: string): boolean {
  return docker(['image', 'inspect', '--format', '{{.Id}}', image]) !== '';
}

/** Runs SQL with the host's psql against the published port; returns psql's unaligned output. */
export function psql(port: number, sql: string): string {
  return execFileSync('psql', ['-h', '127.0.0.1', '-p', String(port), '-U', 'testuser', '-d', 'testdb', '-v', 'ON_ERROR_STOP=1', '-tAc', sql], {
    env: { ...process.env, PGPASSWORD: 'testpass', PGCONNECT_TIMEOUT: '5' },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}

/** Like psql() but returns the error text instead of throwing (to provoke log lines). */
export function psqlError(port: number, sql: string): string {
  try {
    psql(port, sql);
    return '';
  } catch (err) {
    return String((err as { stderr?: string }).stderr ?? err);
  }
}
