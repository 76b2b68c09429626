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

/** A service's container, when it last started, and whether it runs now (docker inspect). */
export function containerStart(project: string, service: string): { id: string; startedAt: string; running: boolean } {
  const id = ids(docker(['ps', '-aq', '--filter', `label=${LABEL}=${project}`, '--filter', `label=com.docker.compose.service=${service}`]))[0];
  if (!id) throw new Error(`No container for ${project}/${service}`);
  const [startedAt, running] = docker(['inspect', '--format', '{{.State.StartedAt}} {{.State.Running}}', id]).split(' ');
  return { id, startedAt: startedAt!, running: running === 'true' };
}

/** Stops a service's container behind Coursedock's back (as `docker stop` or a crash would). */
export function stopOutside(project: string, service: string): void {
  const id = ids(docker(['ps', '-q', '--filter', `label=${LABEL}=${project}`, '--filter', `label=com.docker.compose.service=${service}`]))[0];
  if (!id) throw new Error(`No running container for ${project}/${service}`);
  execFileSync('docker', ['stop', '-t', '5', id], { stdio: 'ignore' });
}

/**
 * Set by `npm test` (scripts/test-all.sh) and so by CI: there a missing Docker engine is a
 * failure of every spec that needs one, never a skip.
 */
export const DOCKER_REQUIRED = process.env.COURSEDOCK_REQUIRE_DOCKER === '1';

/** Why no Docker engine can be used here (the docker CLI's own words), or undefined when one answers. */
export function dockerProblem(): string | undefined {
  try {
    const version = execFileSync('docker', ['version', '--format', '{{.Server.Version}}'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 20_000,
    }).trim();
    return version ? undefined : 'the docker CLI printed no server version';
  } catch (err) {
    const e = err as { code?: string; stderr?: string; message?: string };
    if (e.code === 'ENOENT') return 'the docker command is not installed';
    return (e.stderr || e.message || String(err)).trim().split('\n').pop();
  }
}

/**
 * Whether a spec that needs Docker should run rather than skip. Under COURSEDOCK_REQUIRE_DOCKER=1
 * always true: the fixtures' Docker gate then fails each such test with the reason (see
 * fixtures.ts), so a spec's own `test.skip(!dockerAvailable(), …)` can never hide a missing engine.
 */
export function dockerAvailable(): boolean {
  return DOCKER_REQUIRED || dockerProblem() === undefined;
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
