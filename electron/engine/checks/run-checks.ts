// Runs an environment's declared checks (x-coursedock.checks) inside its running services
// (docker exec, non-TTY) and from this computer (published ports), all at once, each bounded in
// time. Never throws for a check: whatever goes wrong becomes that check's failure.
import net from 'node:net';
import { statfs } from 'node:fs/promises';
import type Dockerode from 'dockerode';
import { describeError } from '../describe-error.js';
import type { Environment } from '../environment.js';
import { execInContainer, type ExecResult } from '../snapshots/exec.js';
import type { CheckDecl, ServiceSpec } from '../spec/types.js';
import type { ServiceState } from '../state/service-state.js';
import {
  CONNECT_PROBE,
  CONNECT_SHELL_PROBE,
  DISK_PROBE,
  PYTHON_MODULES_PROBE,
  WRITABLE_PROBE,
  connectProbeResult,
  firstValue,
  formatBytes,
  lastJson,
  lastLine,
  parseDf,
  pythonModulesResult,
  type ConnectProbeResult,
} from './probes.js';
import type { CheckReport, CheckResult, CheckStatus } from './types.js';
import { EXTRAS_RECORD_LABEL, IMAGE_EXTRAS_PROBE, extrasProbeOutput, judgeImageExtras, type ExtrasProbeOutput } from './image-extras.js';
import { findForeignFiles, userIds } from '../repairs/file-ownership.js';
import { reclaimableSpace, spaceScopeFromEnv } from '../repairs/docker-space.js';
import { judgeStaleness, readHealthFacts } from '../repairs/stale-services.js';
import type { RepairOffer } from '../repairs/repair-offer.js';
import type { InspectedContainer } from '../docker/api-records.js';

export interface RunChecksOptions {
  /** Only these check ids (as declared). */
  only?: string[];
  /** Per exec; the Python imports of a data-science stack take a few seconds on a cold cache. */
  timeoutMs?: number;
}

const RUNNING = new Set<ServiceState['status']>(['running', 'healthy', 'unhealthy', 'starting']);
const DEFAULT_TIMEOUT = 60_000;

type Outcome = Omit<CheckResult, 'id' | 'title' | 'kind' | 'ok' | 'durationMs' | 'repair'> & { id?: string; title?: string; repair?: RepairOffer };

export async function runChecks(docker: Dockerode, env: Environment, options: RunChecksOptions = {}): Promise<CheckReport> {
  const started = Date.now();
  await env.init(); // the state of this moment, whatever events were missed
  const ctx = new Context(docker, env, options.timeoutMs ?? DEFAULT_TIMEOUT);
  const decls = (env.spec.meta.checks ?? []).filter((c) => !options.only || options.only.includes(c.id));
  const perDecl = await Promise.all(decls.map((decl) => ctx.run(decl)));
  const results = perDecl.flat();
  const counts: Record<CheckStatus, number> = { pass: 0, fail: 0, skipped: 0, warn: 0 };
  for (const r of results) counts[r.status]++;
  return {
    project: env.project,
    title: env.spec.meta.title,
    startedAt: new Date(started).toISOString(),
    durationMs: Date.now() - started,
    ok: counts.fail === 0,
    counts,
    results,
  };
}

class Context {
  private readonly availability = new Map<string, Promise<Outcome | undefined>>();

  constructor(
    readonly docker: Dockerode,
    readonly env: Environment,
    readonly timeoutMs: number,
  ) {}

  /** A service the checks name (the spec's checks were validated against its services). */
  private service(name: string): ServiceSpec {
    const svc = this.env.spec.services[name];
    if (!svc) throw new Error(`This course has no service ${name}.`);
    return svc;
  }

  /** The container of a service that blocked() found running. */
  private containerId(service: string): string {
    const id = this.env.state(service).containerId;
    if (!id) throw new Error(`${this.title(service)} has no container.`);
    return id;
  }

  title(service: string): string {
    return this.env.spec.services[service]?.meta.title ?? service;
  }

  /** One declared check → its result(s); a crash of the check itself is its failure. */
  async run(decl: CheckDecl): Promise<CheckResult[]> {
    const t0 = Date.now();
    const finish = (o: Outcome): CheckResult => {
      const status = o.status;
      return {
        id: o.id ?? decl.id,
        title: o.title ?? decl.title,
        kind: decl.kind,
        status,
        ok: status !== 'fail',
        detail: o.detail,
        ...(o.hint ? { hint: o.hint } : {}),
        ...(o.repair && status === 'fail' ? { repair: o.repair } : {}),
        ...(o.service ? { service: o.service } : 'service' in decl && decl.service ? { service: decl.service } : {}),
        durationMs: Date.now() - t0,
      };
    };
    try {
      if (decl.kind === 'port') return (await this.ports(decl)).map(finish);
      if (decl.kind === 'writable') return (await this.writableAndOwned(decl)).map(finish);
      return [finish(await this.single(decl))];
    } catch (err) {
      return [finish({ status: 'fail', detail: `The check could not run: ${describeError(err)}`, hint: decl.hint ?? 'Save a support bundle and send it to your tutor.' })];
    }
  }

  private single(decl: Exclude<CheckDecl, { kind: 'port' }>): Promise<Outcome> {
    switch (decl.kind) {
      case 'python-modules':
        return this.pythonModules(decl);
      case 'connect':
        return this.connect(decl);
      case 'sql':
        return this.sql(decl);
      case 'writable':
        return this.writable(decl);
      case 'disk-space':
        return this.diskSpace(decl);
      case 'image-extras':
        return this.imageExtras(decl);
    }
  }

  // ---- services: can the check run? -----------------------------------------------------

  /**
   * Why `service` cannot take part in a check now, or undefined when it is running. Skipped
   * when it cannot run on this computer (see CheckStatus), a failure "Start …" otherwise.
   */
  blocked(service: string): Promise<Outcome | undefined> {
    let p = this.availability.get(service);
    if (!p) {
      p = this.computeBlocked(service);
      this.availability.set(service, p);
    }
    return p;
  }

  private async computeBlocked(service: string): Promise<Outcome | undefined> {
    const state = this.env.state(service);
    const title = this.title(service);
    if (RUNNING.has(state.status) && state.containerId) return undefined;
    if (state.unavailable) {
      return {
        status: 'skipped',
        service,
        detail: `${title} is not available on this computer${state.lastError ? `: ${lastLine(state.lastError, 200)}` : '.'}`,
        hint: `If your course needs ${title} now, start it while connected to the internet so its image can be downloaded.`,
      };
    }
    const svc = this.service(service);
    if (!svc.build && !(await this.hasImage(svc))) {
      return {
        status: 'skipped',
        service,
        detail: `${title} is not available on this computer: its image ${svc.image} is not here (it is downloaded the first time ${title} starts).`,
        hint: `If your course needs ${title} now, start it while connected to the internet.`,
      };
    }
    const word = state.status === 'missing' ? 'not created yet' : state.status === 'error' ? `in error${state.lastError ? ` (${lastLine(state.lastError, 160)})` : ''}` : state.status;
    return { status: 'fail', service, detail: `${title} is not running (${word}).`, hint: `Start ${title}.` };
  }

  private async hasImage(svc: ServiceSpec): Promise<boolean> {
    try {
      await this.docker.getImage(svc.image).inspect();
      return true;
    } catch {
      return false;
    }
  }

  private exec(service: string, cmd: string[], user?: string, extraEnv?: string[]): Promise<ExecResult> {
    const id = this.containerId(service);
    return execInContainer(this.docker, id, cmd, {
      timeoutMs: this.timeoutMs,
      maxBytes: 1024 * 1024,
      ...(user ? { user } : {}),
      ...(extraEnv ? { env: extraEnv } : {}),
    });
  }

  // ---- kinds ------------------------------------------------------------------------------

  private async pythonModules(decl: Extract<CheckDecl, { kind: 'python-modules' }>): Promise<Outcome> {
    const blocked = await this.blocked(decl.service);
    if (blocked) return blocked;
    const r = await this.exec(decl.service, ['python3', '-c', PYTHON_MODULES_PROBE, ...decl.modules], decl.user);
    const parsed = lastJson(r.stdout, pythonModulesResult);
    const title = this.title(decl.service);
    const hint = decl.hint ?? `Reinstall ${title} to restore its Python modules.`;
    if (!parsed) {
      return { status: 'fail', detail: `Python did not run in ${title} (exit code ${r.exitCode}): ${lastLine(r.stderr || r.stdout) || 'no output'}`, hint };
    }
    const missing = Object.entries(parsed.missing);
    if (!missing.length) return { status: 'pass', detail: `All ${decl.modules.length} modules import: ${decl.modules.join(', ')}.` };
    return {
      status: 'fail',
      detail: `${missing.length === 1 ? 'A module does' : `${missing.length} modules do`} not import: ${missing.map(([m, e]) => `${m} (${e})`).join('; ')}.`,
      hint,
    };
  }

  private async connect(decl: Extract<CheckDecl, { kind: 'connect' }>): Promise<Outcome> {
    const source = await this.blocked(decl.service);
    if (source) return source;
    const target = await this.blocked(decl.target);
    // A service that cannot run here makes the check moot; a stopped one is tried all the same
    // (the probe's words are the evidence), and the hint says to start it.
    if (target?.status === 'skipped') return target;
    let r = await this.exec(decl.service, ['python3', '-c', CONNECT_PROBE, decl.target, String(decl.port), decl.login ?? '', decl.urlEnv ?? ''], decl.user);
    let outcome: ConnectProbeResult | undefined = lastJson(r.stdout, connectProbeResult);
    if (!outcome && r.exitCode === 127 && !decl.login) {
      // No Python in this container: a plain TCP connection with bash.
      r = await this.exec(decl.service, ['bash', '-c', CONNECT_SHELL_PROBE, 'probe', decl.target, String(decl.port)], decl.user);
      outcome = r.exitCode === 0
        ? { ok: true, stage: 'done', detail: `reached ${decl.target}:${decl.port}` }
        : { ok: false, stage: 'connect', detail: `${decl.target}:${decl.port} does not accept connections (${lastLine(r.stdout + r.stderr) || `exit code ${r.exitCode}`})` };
    }
    const from = this.title(decl.service);
    const to = this.title(decl.target);
    if (!outcome) {
      return { status: 'fail', detail: `The probe did not run in ${from} (exit code ${r.exitCode}): ${lastLine(r.stderr || r.stdout) || 'no output'}`, hint: decl.hint ?? `Reinstall ${from}.` };
    }
    const detail = `${capitalize(outcome.detail)}.`;
    if (outcome.ok) return { status: 'pass', detail };
    if (target) return { status: 'fail', detail: `${detail} ${target.detail}`, hint: target.hint ?? `Start ${to}.` };
    return {
      status: 'fail',
      detail,
      hint: decl.hint ?? (outcome.stage === 'login' ? `Restart ${to}; if logging in still fails, reset ${to}.` : `Restart ${to}, then ${from}.`),
    };
  }

  private async sql(decl: Extract<CheckDecl, { kind: 'sql' }>): Promise<Outcome> {
    const blocked = await this.blocked(decl.service);
    if (blocked) return blocked;
    const conn = this.service(decl.service).meta.connection;
    const user = decl.user ?? conn?.user ?? 'postgres';
    const database = decl.database ?? conn?.database ?? user;
    const env = ['PGCONNECT_TIMEOUT=5', ...(conn?.password ? [`PGPASSWORD=${conn.password}`] : [])];
    const r = await this.exec(decl.service, ['psql', '-X', '-q', '-tA', '-v', 'ON_ERROR_STOP=1', '-U', user, '-d', database, '-c', decl.query], undefined, env);
    const title = this.title(decl.service);
    const hint = decl.hint ?? `Reset ${title} to restore the course data (this deletes tables you made).`;
    if (r.exitCode !== 0) {
      return { status: 'fail', detail: `The query failed: ${lastLine(r.stderr || r.stdout) || `psql exit code ${r.exitCode}`}`, hint };
    }
    const value = firstValue(r.stdout);
    if (decl.atLeast === undefined) {
      return value === undefined
        ? { status: 'fail', detail: 'The query returned no rows.', hint }
        : { status: 'pass', detail: `The query returned rows (first value: ${value}).` };
    }
    const n = Number(value);
    if (value === undefined || value === '' || !Number.isFinite(n)) {
      return { status: 'fail', detail: `The query returned ${value === undefined ? 'no rows' : `"${value}"`}, not a number.`, hint };
    }
    if (n < decl.atLeast) return { status: 'fail', detail: `The query returned ${n}; at least ${decl.atLeast} expected.`, hint };
    return { status: 'pass', detail: `The query returned ${n} (at least ${decl.atLeast} expected).` };
  }

  private async writable(decl: Extract<CheckDecl, { kind: 'writable' }>): Promise<Outcome> {
    const blocked = await this.blocked(decl.service);
    if (blocked) return blocked;
    const r = await this.exec(decl.service, ['sh', '-c', WRITABLE_PROBE, 'probe', decl.path], decl.user);
    const [verdict, who, owner, err] = lastLine(r.stdout).split('|');
    const hint =
      decl.hint ??
      (this.isBindTarget(decl.service, decl.path)
        ? 'Make sure your user owns that folder on this computer (and it is not read-only), or choose another folder in Settings.'
        : `Reinstall ${this.title(decl.service)}.`);
    if (verdict === 'ok') return { status: 'pass', detail: `${who} can create files in ${decl.path}.` };
    if (verdict === 'fail') {
      return { status: 'fail', detail: `${who} cannot create files in ${decl.path} (owner ${owner}): ${err || 'permission denied'}.`, hint };
    }
    return { status: 'fail', detail: lastLine(r.stdout + r.stderr) || `The probe failed (exit code ${r.exitCode}).`, hint };
  }

  /**
   * A writable folder bind-mounted from this computer also gets an ownership result: every
   * file in it belongs to the check's user (the notebook user), or the fix gives them to it.
   */
  private async writableAndOwned(decl: Extract<CheckDecl, { kind: 'writable' }>): Promise<Outcome[]> {
    const writable = await this.writable(decl);
    if (!decl.user || !this.isBindTarget(decl.service, decl.path)) return [writable];
    const base = { id: `${decl.id}:owner`, title: `The files in ${decl.path} belong to the notebook server's user`, service: decl.service };
    const blocked = await this.blocked(decl.service);
    if (blocked) return [writable, { ...blocked, ...base }];
    const id = this.containerId(decl.service);
    const who = await userIds(this.docker, id, decl.user, this.timeoutMs);
    if (!who) return [writable, { ...base, status: 'fail', detail: `Could not tell the uid of user ${decl.user} in ${this.title(decl.service)}.`, hint: `Reinstall ${this.title(decl.service)}.` }];
    const found = await findForeignFiles(this.docker, id, decl.path, who.uid, who.gid, this.timeoutMs);
    if (!found) return [writable, { ...base, status: 'fail', detail: `Could not list the owners of the files in ${decl.path}.`, hint: `Reinstall ${this.title(decl.service)}.` }];
    if (found.count === 0) return [writable, { ...base, status: 'pass', detail: `Every file in ${decl.path} belongs to uid ${who.uid}.` }];
    const some = found.samples.map((x) => x.replace(/^(\S+) (.*)$/, '$2 ($1)')).join(', ');
    const more = found.count > found.samples.length ? ` and ${found.count - found.samples.length} more` : '';
    return [
      writable,
      {
        ...base,
        status: 'fail',
        detail: `${found.count} ${found.count === 1 ? 'file' : 'files'} in ${decl.path} ${found.count === 1 ? 'belongs' : 'belong'} to another user, so the notebook server cannot save over ${found.count === 1 ? 'it' : 'them'}: ${some}${more}.`,
        hint: 'Fix gives them to the notebook user.',
        repair: {
          kind: 'chown',
          title: 'Give the files to the notebook user',
          willDo: `Change the owner of ${found.count} ${found.count === 1 ? 'file' : 'files'} in ${decl.path} to uid ${who.uid} (group ${who.gid}), from inside ${this.title(decl.service)}; on this computer they then belong to uid ${who.uid}. Nothing is deleted.`,
          service: decl.service,
          path: decl.path,
          uid: who.uid,
          gid: who.gid,
        },
      },
    ];
  }

  private isBindTarget(service: string, target: string): boolean {
    return this.service(service).mounts.some((m) => m.type === 'bind' && m.target === target);
  }

  /**
   * Free space where Docker keeps images, containers and volumes. Measured with df inside a
   * running container: its root filesystem lives in Docker's data root (overlay2 and the like),
   * which is the disk that fills up, also when Docker runs in a VM (Docker Desktop). Without a
   * running container, the data root itself when it is on this computer.
   */
  private async diskSpace(decl: Extract<CheckDecl, { kind: 'disk-space' }>): Promise<Outcome> {
    const info = (await this.docker.info()) as { DockerRootDir?: string; Driver?: string };
    const root = info.DockerRootDir ?? 'Docker data root';
    const hint = decl.hint ?? 'Free some disk space: delete files you no longer need, or remove unused Docker images (docker image prune).';
    const candidates = decl.service ? [decl.service] : Object.keys(this.env.spec.services);
    let measured: { freeBytes: number; totalBytes: number; where: string } | undefined;
    for (const service of candidates) {
      if (await this.blocked(service)) continue;
      const r = await this.exec(service, DISK_PROBE);
      const df = r.exitCode === 0 ? parseDf(r.stdout) : undefined;
      if (df) {
        measured = { ...df, where: `measured in ${this.title(service)}` };
        break;
      }
    }
    if (!measured) {
      try {
        const s = await statfs(root);
        measured = { freeBytes: s.bavail * s.bsize, totalBytes: s.blocks * s.bsize, where: `measured at ${root}` };
      } catch {
        if (decl.service) return (await this.blocked(decl.service)) ?? { status: 'fail', detail: 'Could not measure the free space.', hint };
        return { status: 'fail', detail: `Could not measure the free space: no service is running and ${root} is not on this computer.`, hint: 'Start the environment, then check again.' };
      }
    }
    const what = `${formatBytes(measured.freeBytes)} free of ${formatBytes(measured.totalBytes)} where Docker keeps its data (${root}, ${info.Driver ?? '?'}; ${measured.where})`;
    if (measured.freeBytes < decl.minFreeBytes) {
      const space = await reclaimableSpace(this.docker, spaceScopeFromEnv()).catch(() => undefined);
      const repair: RepairOffer | undefined =
        space && space.bytes > 0
          ? {
              kind: 'free-docker-space',
              title: `Free ${formatBytes(space.bytes)} of Docker space`,
              willDo: `Remove ${space.images.length} untagged ${space.images.length === 1 ? 'image' : 'images'} no container uses and ${space.buildCache.length} unused build cache ${space.buildCache.length === 1 ? 'record' : 'records'}: about ${formatBytes(space.bytes)}. Volumes (your data) and the course's images are kept.`,
              freesBytes: space.bytes,
            }
          : undefined;
      return { status: 'fail', detail: `Only ${what}; at least ${formatBytes(decl.minFreeBytes)} needed.`, hint, ...(repair ? { repair } : {}) };
    }
    return { status: 'pass', detail: `${capitalize(what)}; at least ${formatBytes(decl.minFreeBytes)} needed.` };
  }

  /** The extras the service's image could not get at build time (image-extras.ts), each a named warning. */
  private async imageExtras(decl: Extract<CheckDecl, { kind: 'image-extras' }>): Promise<Outcome> {
    const blocked = await this.blocked(decl.service);
    if (blocked) return blocked;
    // Docker answers null, not {}, for a container without labels: InspectedContainer says so.
    const info: InspectedContainer = await this.docker.getContainer(this.containerId(decl.service)).inspect();
    const recordPath = info.Config.Labels?.[EXTRAS_RECORD_LABEL] || undefined;
    let probe: ExtrasProbeOutput | undefined;
    let probeFailure: string | undefined;
    if (recordPath) {
      const r = await this.exec(decl.service, ['python3', '-c', IMAGE_EXTRAS_PROBE, recordPath], decl.user);
      probe = lastJson(r.stdout, extrasProbeOutput);
      if (!probe) probeFailure = `Python exit code ${r.exitCode}: ${lastLine(r.stderr || r.stdout) || 'no output'}`;
    }
    const verdict = judgeImageExtras({ serviceTitle: this.title(decl.service), recordPath, probe, ...(probeFailure ? { probeFailure } : {}) });
    return { ...verdict, ...(verdict.hint && decl.hint ? { hint: decl.hint } : {}) };
  }

  /** One result per service that publishes ports: each published port answers on 127.0.0.1. */
  private async ports(decl: Extract<CheckDecl, { kind: 'port' }>): Promise<Outcome[]> {
    const services = Object.values(this.env.spec.services).filter((s) => (decl.service ? s.name === decl.service : s.ports.length > 0));
    return Promise.all(
      services.map(async (svc): Promise<Outcome> => {
        const base = { id: `${decl.id}:${svc.name}`, title: `${decl.title}: ${svc.meta.title}`, service: svc.name };
        const blocked = await this.blocked(svc.name);
        if (blocked) return { ...blocked, ...base };
        const published = this.env.state(svc.name).ports.filter((p) => p.protocol === 'tcp');
        if (!published.length) return { ...base, status: 'fail', detail: `${svc.meta.title} publishes no port on this computer.`, hint: `Restart ${svc.meta.title}.` };
        const answers = await Promise.all(published.map((p) => probePort(svc, this.env.state(svc.name), p.hostPort, p.target)));
        const detail = answers.map((a) => a.detail).join('; ');
        const restart: RepairOffer = {
          kind: 'restart-service',
          title: `Restart ${svc.meta.title}`,
          willDo: `Restart ${svc.meta.title} (its container stops and starts again; your data is kept).`,
          service: svc.name,
        };
        if (answers.every((a) => a.ok)) {
          const staleness = judgeStaleness(await readHealthFacts(this.docker, this.containerId(svc.name)), Date.now());
          if (!staleness.stale) return { ...base, status: 'pass', detail: `${capitalize(detail)}.` };
          return { ...base, status: 'fail', detail: `${capitalize(detail)}, but ${svc.meta.title} looks stuck: ${staleness.reason} (this happens after the computer slept).`, hint: `Restart ${svc.meta.title}.`, repair: restart };
        }
        return { ...base, status: 'fail', detail: `${capitalize(detail)}.`, hint: decl.hint ?? `Restart ${svc.meta.title}; if another program took its port, Coursedock picks a free one at the next start.`, repair: restart };
      }),
    );
  }
}

/**
 * Whether something answers on 127.0.0.1:hostPort, as well as can be told from outside: a web UI
 * gets an HTTP request, PostgreSQL its SSL request (answered "S" or "N"); anything else must keep
 * a TCP connection open for a moment (Docker's port proxy accepts and then drops the connection
 * when nothing listens in the container).
 */
export async function probePort(svc: ServiceSpec, state: ServiceState, hostPort: number, target: number): Promise<{ ok: boolean; detail: string }> {
  const where = `127.0.0.1:${hostPort}`;
  try {
    if (svc.meta.web?.port === target) {
      const path = state.webUrl ? new URL(state.webUrl).pathname : '/';
      const res = await fetch(`http://${where}${path}`, { redirect: 'manual', signal: AbortSignal.timeout(5000) });
      await res.body?.cancel();
      return { ok: true, detail: `${where} answers (HTTP ${res.status})` };
    }
    if (svc.meta.connection?.kind === 'postgres' && svc.meta.connection.port === target) {
      const reply = await tcpExchange(hostPort, Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]), 1);
      const ok = reply === 'S' || reply === 'N';
      return { ok, detail: ok ? `${where} answers (PostgreSQL)` : `${where} does not answer like PostgreSQL` };
    }
    await tcpExchange(hostPort, undefined, 0);
    return { ok: true, detail: `${where} accepts connections` };
  } catch (err) {
    return { ok: false, detail: `${where} does not answer (${describeError(err)})` };
  }
}

/** Connects; sends `payload`; resolves with the first `want` bytes, or after 400 ms still open when want is 0. */
function tcpExchange(port: number, payload: Buffer | undefined, want: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let got = Buffer.alloc(0);
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      fn();
    };
    const timer = setTimeout(() => settle(() => (want === 0 ? resolve('') : reject(new Error('no reply within 5 s')))), want === 0 ? 400 : 5000);
    socket.on('connect', () => {
      if (payload) socket.write(payload);
    });
    socket.on('data', (chunk: Buffer) => {
      got = Buffer.concat([got, chunk]);
      if (want > 0 && got.length >= want) settle(() => resolve(got.subarray(0, want).toString('latin1')));
    });
    socket.on('end', () => settle(() => reject(new Error('the connection was closed at once: nothing listens behind the port'))));
    socket.on('error', (e) => settle(() => reject(e)));
  });
}

const capitalize = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
