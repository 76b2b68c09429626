// The command line: `coursedock <command> <course> [service]`. A thin layer over the engine,
// for scripts, the help desk and the README's setup command.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Engine } from '../engine/engine.js';
import type { Environment, OperationResult } from '../engine/environment.js';
import { DockerUnreachableError } from '../engine/docker/connect.js';
import { defaultSettingsStore } from '../engine/settings/settings-store.js';
import { SpecError } from '../engine/spec/index.js';
import type { ServiceState } from '../engine/state/service-state.js';
import type { ProgressState } from '../engine/docker/progress.js';
import { statusJson, statusTable } from './format.js';
import { openReport, validateReport, warningLines } from './spec-report.js';
import { snapshotCommand, recreateCommand, SNAPSHOT_USAGE } from './snapshot-commands.js';
import { backupCommand, BACKUP_USAGE } from './backup-commands.js';
import { formatCheckReport, runChecks } from '../engine/checks/index.js';
import { writeSupportBundle } from '../engine/support/support-bundle.js';
import type Dockerode from 'dockerode';
import { detectEngines, gatherProbes } from '../engine/onboarding/index.js';
import { runRepair } from '../engine/repairs/run-repair.js';
import type { RepairOutcome } from '../engine/repairs/repair-offer.js';
import { spaceScopeFromEnv, type SpaceScope } from '../engine/repairs/docker-space.js';
import { z } from 'zod';
import { WORK_ENDING_COMMANDS, confirmOpenWork, openWorkWarnings } from './open-work-warning.js';

const USAGE = `Usage: coursedock <command> <course> [service] [options]

Commands:
  courses                      list the course specs on offer
  up <course> [service]        fetch or build images, create and start, wait until ready
     [--switch-data-location]  use the notebooks folder (or volume) this run asks for instead
                               of the one your data is in (asked, never done silently)
  down <course>                stop and remove containers and network (data is kept)
  status <course> [--json]     state, health, ports, errors and URLs of every service
  start|stop|restart <course> <service>
  reinstall <course> <service> fresh container and image; data kept
  reset <course> <service> --yes
                               reinstall AND delete the service's data volumes
  logs <course> <service> [-f] [--tail N]
  plan <course> [service]      what "up" would do, without doing it
  validate <course|file>       every error and warning in the spec, with file:line:column and key;
                               exit code 1 only on errors (no Docker needed)
  open <file|folder>           add a Compose file to the course list (courses, the panel), as
                               a course named like its folder; refused if it has errors
  build <course>               fetch or build the images that are missing or whose build files changed (no containers)
  check <course> [--json]      "Check my environment": ✓/✗ per check with a fix hint;
                               exit code 1 if any check fails
     [--fix]                   also run the fixes the failed checks offer (each said
                               before it runs), then check again
  support-bundle <course> [--out FILE]
                               write a .tar.gz for a tutor: versions, spec, states, logs,
                               check results, settings; passwords and tokens masked
  serve                        the browser panel (see README)
  classroom up|down|status|start|stop|reinstall|reset <course> …
                               one stack per student on Docker Swarm (classroom --help)
${SNAPSHOT_USAGE}
${BACKUP_USAGE}
  bundle export <course> <file> | bundle import <file> [--replace]
                               a course with its images in one file, installed with no network (bundle --help)

stop, restart, reinstall, reset and down first say which notebooks are open on a notebook
server (unsaved edits there would be lost) and, at a terminal, ask; -y/--yes goes on.

<course> is a folder name under compose-specs/ (e.g. tm351) or a path to a Compose file.
Like Compose: --profile NAME (repeatable; default COMPOSE_PROFILES) plans that profile's services too;
--env-file FILE (repeatable) is read instead of the .env next to the spec.`;

export async function main(argv: string[]): Promise<number> {
  // One command parses each schema about once: zod's compiled fast path costs more to make
  // (~20 ms at start-up) than it saves here. The long-running shells keep it.
  z.config({ jitless: true });
  if (argv[0] === 'serve') {
    // The browser shell has options of its own: hand it everything after its name.
    const { serveMain } = await import('../serve/serve-main.js');
    return serveMain(argv.slice(1));
  }
  if (argv[0] === 'classroom') {
    const { classroomMain } = await import('./classroom-commands.js');
    return classroomMain(argv.slice(1));
  }
  if (argv[0] === 'bundle') {
    const { bundleMain } = await import('./bundle-commands.js');
    return bundleMain(argv.slice(1));
  }
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: 'boolean' },
      yes: { type: 'boolean', short: 'y' },
      follow: { type: 'boolean', short: 'f' },
      tail: { type: 'string' },
      quiet: { type: 'boolean', short: 'q' },
      help: { type: 'boolean', short: 'h' },
      name: { type: 'string' },
      out: { type: 'string' },
      against: { type: 'string' },
      base: { type: 'string' },
      'no-check': { type: 'boolean' },
      'exit-code': { type: 'boolean' },
      'switch-data-location': { type: 'boolean' },
      fix: { type: 'boolean' },
      profile: { type: 'string', multiple: true },
      'env-file': { type: 'string', multiple: true },
      delete: { type: 'string' },
    },
  });
  const [command, course, service] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }

  const engine = new Engine({
    store: defaultSettingsStore(),
    ...(values.profile?.length ? { profiles: values.profile } : {}),
    ...(values['env-file']?.length ? { envFiles: values['env-file'].map((f) => path.resolve(f)) } : {}),
  });
  try {
    if (command === 'courses') {
      for (const c of engine.listCourses()) console.log(`${c.id}\t${c.title}`);
      return 0;
    }
    if (command === 'recreate') return await recreateCommand(engine, course, values);
    if (!course) throw new UsageError(`"${command}" needs a course, e.g. coursedock ${command} tm351`);
    if (command === 'validate') {
      const outcome = validateReport(() => engine.load(engine.resolveCourseFile(course)));
      for (const line of outcome.lines) (line.startsWith('✗') || line.startsWith('!') ? console.error : console.log)(line);
      return outcome.code;
    }
    if (command === 'open') {
      const outcome = openReport(() => engine.addCourseFile(course));
      for (const line of outcome.lines) (line.startsWith('✗') || line.startsWith('!') ? console.error : console.log)(line);
      return outcome.code;
    }
    engine.start();
    await engine.connection.require();
    const env = await openCourse(engine, course, service, values['switch-data-location'] ?? false);
    if (['snapshot', 'snapshots', 'drift', 'reference'].includes(command)) return await snapshotCommand(engine, env, command, service, values);
    if (command === 'check' || command === 'support-bundle') return await supportCommand(engine, env, command, values);
    if (['backup', 'backups', 'restore'].includes(command)) return await backupCommand(engine, env, command, service, positionals[3], values);
    const said = !values.quiet && !values.json ? followProgress(env) : new Set<string>();
    // An operation cut short earlier (the journal) is finished or undone first, and said.
    for (const n of await env.recovered()) if (!said.has(n.message)) console.error(`${n.level === 'error' ? '✗' : '!'} ${n.message}`);
    if (WORK_ENDING_COMMANDS.has(command) && (command !== 'reset' || values.yes)) {
      const lines = await openWorkWarnings(env, service);
      if (!(await confirmOpenWork(lines, { yes: values.yes ?? false, interactive: process.stdin.isTTY }))) {
        console.error('Nothing was done.');
        return 2;
      }
    }
    return await run(env, command, service, values, said);
  } catch (err) {
    if (err instanceof DockerUnreachableError) await printOnboarding();
    return reportError(err);
  } finally {
    engine.close();
  }
}

class UsageError extends Error {}

/**
 * Opens the course; with --switch-data-location the student data of the service (or of every
 * service) moves to the place this run asks for. Without it, a run asking for another place
 * keeps the data where it is and says how to switch.
 */
async function openCourse(engine: Engine, course: string, service: string | undefined, switching: boolean): Promise<Environment> {
  const env = await engine.open(course);
  const questions = engine.dataLocationQuestions(env.project).filter((q) => !service || q.service === service);
  if (!questions.length) return env;
  if (!switching) {
    for (const q of questions) console.error(`! ${q.message} Run with --switch-data-location to switch.`);
    return env;
  }
  const which = new Set(questions);
  const switched = await engine.answerDataLocations(env.project, (q) => [...which].some((w) => w.service === q.service && w.target === q.target), 'switch');
  for (const q of questions) console.error(`Switched ${switched.spec.services[q.service]?.meta.title ?? q.service} to ${q.asked} (the files in ${q.current} stay there).`);
  return switched;
}

/** `check` and `support-bundle` (engine/checks, engine/support). */
async function supportCommand(engine: Engine, env: Environment, command: string, flags: { json?: boolean; out?: string; fix?: boolean }): Promise<number> {
  const docker = await engine.connection.require();
  if (command === 'check' && flags.fix) return fixCommand(docker, env, flags.json ?? false);
  if (command === 'check') {
    const report = await runChecks(docker, env);
    console.log(flags.json ? JSON.stringify(report, null, 2) : `${report.title}\n${formatCheckReport(report)}`);
    return report.ok ? 0 : 1;
  }
  console.error('Running the checks and collecting logs…');
  const bundle = await writeSupportBundle(docker, env, engine.store, flags.out ? { out: flags.out } : {});
  console.log(`Support bundle written: ${bundle.file} (${Math.max(1, Math.round(bundle.bytes / 1024))} KB, ${bundle.entries.length} files; passwords and tokens masked).`);
  return 0;
}

/** `check --fix`: check, run each offered fix (said first), check again. */
async function fixCommand(docker: Dockerode, env: Environment, json: boolean): Promise<number> {
  const first = await runChecks(docker, env);
  const fixes = first.results.flatMap((r) => (r.status === 'fail' && r.repair ? [{ check: r, repair: r.repair }] : []));
  const done: RepairOutcome[] = [];
  for (const { check: r, repair } of fixes) {
    console.error(`Fixing "${r.title}": ${repair.willDo}`);
    const outcome = await runRepair(docker, env, r.id, repair, scopeFromEnv()).catch((err: unknown): RepairOutcome => ({ ok: false, check: r.id, kind: repair.kind, did: err instanceof Error ? err.message : String(err) }));
    console.error(`  ${outcome.ok ? '✓' : '✗'} ${outcome.did}`);
    done.push(outcome);
  }
  if (!fixes.length) console.error(first.ok ? 'Nothing to fix.' : 'No failed check has a fix Coursedock can run; see the hints.');
  const report = fixes.length ? await runChecks(docker, env) : first;
  console.log(json ? JSON.stringify({ fixes: done, report }, null, 2) : `${report.title}\n${formatCheckReport(report)}`);
  return report.ok ? 0 : 1;
}

function scopeFromEnv(): { spaceScope?: SpaceScope } {
  const scope = spaceScopeFromEnv();
  return scope ? { spaceScope: scope } : {};
}

/** No engine answers: what is installed here and how to start it, or what to install. */
async function printOnboarding(): Promise<void> {
  const r = detectEngines(await gatherProbes());
  const lines = [r.headline, r.lead];
  for (const e of r.engines) lines.push(`  ${e.name}: ${e.state}${e.start ? ` — to start it: ${e.start.words}` : ''}`);
  for (const b of r.blockers) lines.push(`  ${b.title}: ${b.detail}${b.command ? ` (${b.command})` : ''}`);
  for (const c of r.choices) lines.push(`  ${c.name}: ${c.summary} Needs: ${c.requirements.join('; ')}. ${c.licence} ${c.link}`);
  console.error(`${lines.join('\n')}\n`);
}

function needService(command: string, service: string | undefined): string {
  if (!service) throw new UsageError(`"${command}" needs a service, e.g. coursedock ${command} tm351 postgres`);
  return service;
}

async function run(
  env: Environment,
  command: string,
  service: string | undefined,
  flags: { json?: boolean; yes?: boolean; follow?: boolean; tail?: string },
  said: Set<string> = new Set(),
): Promise<number> {
  const titles = Object.fromEntries(Object.values(env.spec.services).map((s) => [s.name, s.meta.title]));
  const finish = (r: OperationResult): number => {
    console.log(statusTable(env.states(), titles));
    // Every failure is said, including those no service's state shows (the network in `down`).
    for (const o of r.services) {
      if (!o.ok && !said.has(o.error ?? '')) console.error(`✗ ${titles[o.service] ?? o.service}: ${o.error ?? 'failed'}`);
    }
    if (r.courseError) console.error(`✗ ${r.courseError}`);
    return r.ok ? 0 : 1;
  };
  switch (command) {
    case 'status':
      printSpecWarnings(env);
      if (flags.json) console.log(JSON.stringify(statusJson(env.states(), (s) => env.webTarget(s)?.token), null, 2));
      else console.log(statusTable(env.states(), titles));
      return 0;
    case 'up':
      printSpecWarnings(env);
      return finish(await env.up(service ? [service] : undefined));
    case 'down':
      return finish(await env.down());
    case 'start':
      return finish(await env.start(needService(command, service)));
    case 'stop':
      return finish(await env.stop(needService(command, service)));
    case 'restart':
      return finish(await env.restart(needService(command, service)));
    case 'reinstall':
      return finish(await env.reinstall(needService(command, service)));
    case 'reset': {
      const name = needService(command, service);
      if (!flags.yes) {
        console.error(
          `Reset deletes the data of ${name} (volumes: ${env.resetVolumes(name).join(', ') || 'none'}); it is backed up first (undo: coursedock backups, then coursedock restore).\nRun again with --yes to confirm.`,
        );
        return 2;
      }
      return finish(await env.reset(name, { confirm: true }));
    }
    case 'logs': {
      const name = needService(command, service);
      const tail = flags.tail === undefined ? 200 : Number(flags.tail);
      if (!Number.isInteger(tail) || tail < 0) throw new UsageError('--tail takes a whole number');
      const handle = await env.logs(name, { tail, follow: flags.follow ?? false }, (l) =>
        (l.stream === 'stderr' ? process.stderr : process.stdout).write(`${l.text}\n`),
      );
      process.once('SIGINT', () => handle.stop());
      await handle.done;
      return 0;
    }
    case 'build': {
      const r = await env.prepareImages();
      for (const s of r.services) console.log(`${s.service}: ${s.ok ? 'image ready' : `not available — ${s.error}`}`);
      // An image that cannot be had here (e.g. no registry) is reported; the rest can run.
      return 0;
    }
    case 'plan': {
      printSpecWarnings(env);
      const plan = await env.plan(service ? [service] : undefined);
      for (const s of plan.services) {
        const c = s.container;
        if (s.imageReason) console.log(`${s.service}: ${s.imageReason}`);
        console.log(`${s.service}: image ${s.image}; container ${c.kind}${c.kind === 'recreate' ? ` (${c.reason})` : ''}${(c.kind === 'keep' || c.kind === 'start') && c.adopted ? ' (adopted: made by docker-compose)' : ''}`);
      }
      if (plan.createNetwork) console.log(`network: create`);
      if (plan.createVolumes.length) console.log(`volumes: create ${plan.createVolumes.join(', ')}`);
      return 0;
    }
    default:
      throw new UsageError(`unknown command "${command}"\n\n${USAGE}`);
  }
}

/** The spec's warnings (a host system folder the course allows itself, ignored keys): said, never hidden. */
function printSpecWarnings(env: Environment): void {
  for (const line of warningLines(env.spec.warnings)) console.error(line);
}

/** Prints each service's changes of state and notices while an operation runs. */
function followProgress(env: Environment): Set<string> {
  const said = new Set<string>();
  const last = new Map<string, string>();
  env.on('state', (s: ServiceState) => {
    const line = s.operation ? `${s.status} — ${s.operation.phase}` : s.status;
    const progress = s.progress && !s.progress.done ? progressSummary(s.progress) : '';
    const text = `${line}${progress}`;
    if (last.get(s.service) === text) return;
    last.set(s.service, text);
    console.error(`  ${s.service}: ${text}`);
  });
  env.on('notice', (n) => {
    said.add(n.message);
    console.error(`${n.level === 'error' ? '✗' : '!'} ${n.message}`);
  });
  return said;
}

function progressSummary(p: ProgressState): string {
  if (p.kind === 'build') {
    const step = [...p.lines].reverse().find((l) => /^Step \d+\/\d+/.test(l));
    return step ? ` (${step.slice(0, 60)})` : '';
  }
  const total = p.layers.reduce((a, l) => a + (l.total ?? 0), 0);
  const current = p.layers.reduce((a, l) => a + (l.current ?? 0), 0);
  return total ? ` (${Math.round((100 * current) / total)}%)` : '';
}

function reportError(err: unknown): number {
  if (err instanceof UsageError) {
    console.error(err.message);
    return 2;
  }
  if (err instanceof SpecError || err instanceof DockerUnreachableError) {
    console.error(err.message);
    return 1;
  }
  console.error(err instanceof Error ? err.message : String(err));
  return 1;
}
