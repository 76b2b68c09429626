// `coursedock classroom …`: one copy of a course's stack per student on Docker Swarm, from the
// command line. A thin layer over engine/classroom/classroom.ts: parse, call, print. Events
// go to stderr as lines (progress a script may ignore); tables and --json go to stdout.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { Classroom, requireSwarmManager } from '../engine/classroom/classroom.js';
import { FRONT_DOOR_USAGE } from './classroom-front-door.js';
import { cullCommand, START_CULL_USAGE, startClassCommand } from './classroom-start-cull.js';
import { parseRoster } from '../engine/classroom/roster.js';
import type { ClassroomEvent, StudentStatus } from '../engine/classroom/types.js';
import { connectDocker, defaultDiscovery } from '../engine/docker/connect.js';
import { Engine } from '../engine/engine.js';
import { defaultSettingsStore, readSetting } from '../engine/settings/settings-store.js';

export const CLASSROOM_USAGE = `Usage: coursedock classroom <command> <course> [options]

One stack of the course per student, on the Docker Swarm this Docker engine manages
(one computer: docker swarm init --advertise-addr 127.0.0.1). No student service
publishes a port; students reach theirs through the front door (classroom serve).

  classroom up <course> --roster FILE [--stopped] [--concurrency N] [--services a,b]
                               deploy a stack per student of the roster (CSV: id,name),
                               then start them N at a time and wait until ready;
                               --services: only these course services (default all)
  classroom down <course> [--volumes --yes]
                               remove the stacks (services, networks); students' data
                               stays unless --volumes
  classroom status <course> [--json] [--resources]
                               state and health of every student's services (CPU/memory
                               with --resources)
${START_CULL_USAGE}
  classroom stop <course> [student…]
  classroom reinstall <course> <student> <service>
                               a fresh container for one student's service; data kept
  classroom reset <course> <student> <service> --yes
                               reinstall AND delete that student's data of that service
${FRONT_DOOR_USAGE}`;

function describeEvent(e: ClassroomEvent): string {
  switch (e.kind) {
    case 'warning':
      return `! ${e.student ? `${e.student}: ` : ''}${e.message}`;
    case 'left-out':
      return `! ${e.service} is left out of every student's stack: ${e.reason}`;
    case 'student-deployed':
      return `  deployed ${e.student} (${e.done} of ${e.total})`;
    case 'student-answering':
      return `  ${e.student} answers; waiting for Swarm's health check`;
    case 'student-ready':
      return `✓ ${e.student} ready — ${e.ready} of ${e.total} ready`;
    case 'starters-copied':
      return `  ${e.student}: copied the starter notebooks ${e.copied.join(', ') || '(none)'}${e.kept.length ? `; kept their own ${e.kept.join(', ')}` : ''}`;
    case 'student-stopped':
      return `  stopped ${e.student} (${e.done} of ${e.total})`;
    case 'student-removed':
      return `  removed ${e.student}'s stack (${e.done} of ${e.total})`;
    case 'task-problem':
      return `! ${e.student}'s ${e.service}: ${e.taskState}: ${e.message}`;
    case 'service-reinstalled':
      return `✓ reinstalled ${e.student}'s ${e.service}`;
    case 'service-reset':
      return `✓ reset ${e.student}'s ${e.service} (deleted ${e.volumes.join(', ') || 'no volume'})`;
  }
}

const mib = (bytes: number | undefined): string => (bytes === undefined ? '' : `${Math.round(bytes / 1024 / 1024)} MiB`);

/** One line per student's service: student, name, service, state, health, CPU, memory, message. */
export function classroomTable(rows: StudentStatus[], resources = false): string {
  const head = ['STUDENT', 'NAME', 'SERVICE', 'STATE', 'HEALTH', ...(resources ? ['CPU', 'MEMORY'] : []), 'LAST ACTIVITY', 'NOTE'];
  const lines = [head];
  for (const r of rows) {
    for (const s of r.services) {
      lines.push([
        r.student.id,
        r.student.name,
        s.service,
        s.state,
        s.health,
        ...(resources ? [s.cpuPercent === undefined ? '' : `${s.cpuPercent}%`, mib(s.memoryBytes)] : []),
        r.lastActivity ?? '',
        s.message ?? '',
      ]);
    }
  }
  const widths = head.map((_, i) => Math.max(...lines.map((l) => (l[i] ?? '').length)));
  return lines.map((l) => l.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd()).join('\n');
}

function positiveInt(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} must be a whole number of at least 1, not "${text}".`);
  return n;
}

export async function classroomMain(argv: string[]): Promise<number> {
  // The front door's commands have options of their own (electron/cli/classroom-front-door.ts).
  if (argv[0] === 'serve' || argv[0] === 'codes') {
    const { classroomServe, classroomCodes } = await import('./classroom-front-door.js');
    try {
      return argv[0] === 'serve' ? await classroomServe(argv.slice(1)) : classroomCodes(argv.slice(1));
    } catch (err) {
      console.error(err instanceof Error ? err.message : String(err));
      return 1;
    }
  }
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      roster: { type: 'string' },
      stopped: { type: 'boolean' },
      services: { type: 'string' },
      concurrency: { type: 'string' },
      registry: { type: 'string' },
      'no-images': { type: 'boolean' },
      'idle-minutes': { type: 'string' },
      volumes: { type: 'boolean' },
      yes: { type: 'boolean', short: 'y' },
      json: { type: 'boolean' },
      resources: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command, course, ...rest] = positionals;
  if (values.help || !command) {
    console.log(CLASSROOM_USAGE);
    return values.help ? 0 : 2;
  }
  if (!course) {
    console.error(`"classroom ${command}" needs a course, e.g. coursedock classroom ${command} tm351`);
    return 2;
  }
  const say = (e: ClassroomEvent) => console.error(describeEvent(e));
  try {
    const concurrency = positiveInt(values.concurrency, '--concurrency');
    const store = defaultSettingsStore();
    const specFile = new Engine({ store }).resolveCourseFile(course);
    const { docker } = await connectDocker(defaultDiscovery(readSetting(store, 'dockerEndpoint', z.string())));
    await requireSwarmManager(docker);
    const classroom = new Classroom({ docker, store, specFile });
    switch (command) {
      case 'up': {
        if (!values.roster) throw new Error('classroom up needs --roster FILE (a CSV of student id and display name).');
        const roster = parseRoster(readFileSync(values.roster, 'utf8'), path.basename(values.roster));
        const services = values.services?.split(',').map((x) => x.trim()).filter(Boolean);
        const result = await classroom.up(roster, { stopped: values.stopped, ...(services?.length ? { services } : {}), ...(concurrency ? { concurrency } : {}), onEvent: say });
        const ready = roster.length - result.failed.length;
        console.error(values.stopped ? `${roster.length} stacks deployed (stopped).` : `${ready} of ${roster.length} ready.`);
        return result.failed.length ? 1 : 0;
      }
      case 'down': {
        if (values.volumes && !values.yes) throw new Error("classroom down --volumes deletes every student's data: add --yes to confirm.");
        await classroom.down({ keepVolumes: !values.volumes, onEvent: say });
        console.error(values.volumes ? 'Removed the stacks and the students\' data.' : 'Removed the stacks; the students\' data is kept.');
        return 0;
      }
      case 'status': {
        const rows = await classroom.status({ resources: values.resources });
        console.log(values.json ? JSON.stringify(rows, null, 2) : classroomTable(rows, values.resources));
        return 0;
      }
      case 'start':
        return await startClassCommand({
          docker,
          classroom,
          students: rest.length ? rest : undefined,
          concurrency,
          registry: values.registry,
          images: !values['no-images'],
          classroomLine: describeEvent,
        });
      case 'cull':
        return await cullCommand(docker, classroom, positiveInt(values['idle-minutes'], '--idle-minutes'), describeEvent);
      case 'stop':
        await classroom.stop(rest.length ? rest : undefined, { onEvent: say });
        return 0;
      case 'reinstall':
      case 'reset': {
        const [student, service] = rest;
        if (!student || !service) throw new Error(`classroom ${command} needs a student and a service, e.g. coursedock classroom ${command} ${course} ann postgres`);
        if (command === 'reinstall') await classroom.reinstall(student, service, { onEvent: say });
        else {
          if (!values.yes) throw new Error(`classroom reset deletes ${student}'s data of ${service}: add --yes to confirm.`);
          await classroom.reset(student, service, { onEvent: say });
        }
        return 0;
      }
      default:
        console.error(`Unknown classroom command "${command}".\n\n${CLASSROOM_USAGE}`);
        return 2;
    }
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    return 1;
  }
}
