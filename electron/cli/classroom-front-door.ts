// `coursedock classroom serve` and `coursedock classroom codes`: the classroom's front door
// (one port, students sign in with their codes, the tutor gets the Classroom view) and the
// access codes it checks (made once, shown once as a sheet or CSV, rotated on demand).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { connectDocker, defaultDiscovery } from '../engine/docker/connect.js';
import { Engine } from '../engine/engine.js';
import { defaultSettingsStore, readSetting, type SettingsStore } from '../engine/settings/settings-store.js';
import { ActivityStore, setActivityStore } from '../engine/classroom/activity.js';
import { Classroom, requireSwarmManager } from '../engine/classroom/classroom.js';
import { CodeStore, codesCsv, codesSheet, signInLink } from '../engine/classroom/codes.js';
import { CulledStore, DEFAULT_IDLE_MINUTES, classroomKernelProbe, cullIdleStudents, wakeOnSignIn } from '../engine/classroom/cull.js';
import { ClassroomDesks } from '../engine/classroom/front-door/classroom-desks.js';
import { studentNetworkName } from '../engine/classroom/names.js';
import { startFrontDoor } from '../engine/classroom/front-door/front-door.js';
import { startGateway } from '../engine/classroom/front-door/gateway.js';
import { parseRoster } from '../engine/classroom/roster.js';
import type { Student } from '../engine/classroom/types.js';
import { defaultRendererDir } from '../serve/serve-main.js';

export const FRONT_DOOR_USAGE = `  classroom serve <course> [--port N] [--listen ADDR] [--public-url URL] [--idle-minutes N]
                               the front door: students sign in with their codes (127.0.0.1
                               unless --listen; --public-url when HTTPS is put in front); stops
                               stacks idle for N minutes (default 60), started again at sign-in
  classroom codes <course> [--roster FILE] [--rotate ID,ID|all] [--rotate-tutor]
                  [--csv FILE] [--sheet FILE] [--url URL]
                               make the missing access codes (and rotated ones); they are shown
                               once: as CSV on stdout or in --csv, as a printable --sheet`;

function courseFile(course: string, store: SettingsStore): string {
  return new Engine({ store }).resolveCourseFile(course);
}

function rosterOf(classroom: Classroom, file: string | undefined): Student[] {
  if (file) return parseRoster(readFileSync(file, 'utf8'), path.basename(file));
  const roster = classroom.students();
  if (!roster.length) throw new Error(`Classroom ${classroom.course} has no roster yet: pass --roster FILE (or run classroom up first).`);
  return roster;
}

export function classroomCodes(argv: string[]): number {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      roster: { type: 'string' },
      rotate: { type: 'string' },
      'rotate-tutor': { type: 'boolean', default: false },
      csv: { type: 'string' },
      sheet: { type: 'string' },
      url: { type: 'string' },
    },
  });
  const course = positionals[0];
  if (!course) throw new Error('classroom codes needs a course, e.g. coursedock classroom codes tm351 --roster roster.csv');
  const store = defaultSettingsStore();
  const file = courseFile(course, store);
  // Codes need no Docker: the classroom is asked only for its roster and name.
  const classroom = new Classroom({ docker: undefined as never, store, specFile: file });
  const roster = rosterOf(classroom, values.roster);
  const rotate = values.rotate === 'all' ? 'all' : values.rotate ? values.rotate.split(',').map((s) => s.trim()).filter(Boolean) : undefined;
  const codes = CodeStore.forCourse(classroom.course);
  const issued = codes.issue(roster, { ...(rotate ? { rotate } : {}), rotateTutor: values['rotate-tutor'] });
  if (!issued.length) {
    console.error(`Every student of ${classroom.course} has a code (and the tutor too). Codes are shown only when made: use --rotate ID (or all) or --rotate-tutor for new ones.`);
    return 0;
  }
  const csv = codesCsv(issued, values.url);
  if (values.csv) writeFileSync(values.csv, csv, { mode: 0o600 });
  if (values.sheet) writeFileSync(values.sheet, codesSheet(issued, classroom.course, values.url), { mode: 0o600 });
  if (!values.csv && !values.sheet) process.stdout.write(csv);
  console.error(
    `${issued.length} code${issued.length === 1 ? '' : 's'} made (${issued.map((c) => c.id).join(', ')}). They are not shown again: keep ${values.csv ?? values.sheet ?? 'this output'} safe.`,
  );
  return 0;
}

export async function classroomServe(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      port: { type: 'string', default: '0' },
      listen: { type: 'string', default: '127.0.0.1' },
      'public-url': { type: 'string' },
      'idle-minutes': { type: 'string' },
    },
  });
  const idleMinutes = values['idle-minutes'] === undefined ? DEFAULT_IDLE_MINUTES : Number(values['idle-minutes']);
  if (!Number.isFinite(idleMinutes) || idleMinutes < 1) throw new Error(`--idle-minutes must be a number of minutes (at least 1), not "${values['idle-minutes']}".`);
  const course = positionals[0];
  if (!course) throw new Error('classroom serve needs a course, e.g. coursedock classroom serve tm351');
  if (values.listen === '0.0.0.0' || values.listen === '::') {
    if (!values['public-url']) throw new Error(`--listen ${values.listen} needs --public-url (the address students open, e.g. https://class.example.org/).`);
  }
  const rendererDir = defaultRendererDir();
  if (!existsSync(path.join(rendererDir, 'index.html'))) {
    console.error(`The panel is not built (${rendererDir} has no index.html). Run: npm run build`);
    return 1;
  }
  const store = defaultSettingsStore();
  const file = courseFile(course, store);
  const connected = await connectDocker(defaultDiscovery(readSetting(store, 'dockerEndpoint', z.string())));
  const docker = connected.docker;
  await requireSwarmManager(docker);
  const probe = new Classroom({ docker, store, specFile: file });
  const activity = ActivityStore.forCourse(probe.course);
  setActivityStore(activity);
  const classroom = new Classroom({ docker, store, specFile: file, lastActivity: (id) => activity.last(id) });
  if (!classroom.students().length) throw new Error(`Classroom ${classroom.course} is not up: run coursedock classroom up ${course} --roster roster.csv first.`);
  const codes = CodeStore.forCourse(classroom.course);
  if (!codes.read()) {
    console.error(`Classroom ${classroom.course} has no access codes yet: run coursedock classroom codes ${course} --sheet codes.html first.`);
    return 1;
  }
  const log = (line: string) => console.log(`[classroom] ${line}`);
  const gateway = await startGateway(docker, { course: classroom.course, log });
  // Joined up front (not only at a student's first page): culling asks every notebook through it.
  for (const s of classroom.students()) {
    await gateway.attach([studentNetworkName(classroom.course, s.id)]).catch((err: unknown) => log(`The gateway cannot reach ${s.id}'s network yet: ${String(err)}`));
  }
  const desks = new ClassroomDesks(classroom, docker, gateway);
  const culled = CulledStore.forCourse(classroom.course);
  const door = await startFrontDoor({
    desks,
    codes,
    rendererDir,
    activity,
    log,
    port: Number(values.port),
    listen: values.listen,
    ...(values['public-url'] ? { publicUrl: values['public-url'] } : {}),
    dockerStatus: () => ({ state: 'connected', endpoint: connected.endpoint.url, source: connected.endpoint.source, version: connected.version }),
    onStudentSignIn: async (id) => {
      const woken = await wakeOnSignIn(classroom, culled, id);
      if (woken.started) desks.forget();
      return woken.message;
    },
  });
  // Idle culling: a pass every few minutes (never two at once), stacks kept, data kept.
  const kernels = await classroomKernelProbe(docker, classroom);
  let culling = false;
  const cullTimer = setInterval(() => {
    if (culling) return;
    culling = true;
    void cullIdleStudents({ docker, classroom, lastActivity: (id) => activity.last(id), recordActivity: (id, at) => activity.record(id, at), kernels, culled, idleMinutes })
      .then((r) => {
        for (const c of r.culled) log(`Stopped ${c.studentId}'s stack after ${c.idleMinutes} idle minutes (data kept; their next sign-in starts it).`);
        if (r.culled.length) desks.forget();
      })
      .catch((err: unknown) => log(`Idle culling failed: ${err instanceof Error ? err.message : String(err)}`))
      .finally(() => (culling = false));
  }, Math.min(5, idleMinutes) * 60_000);
  cullTimer.unref();
  console.log(`Classroom front door: ${door.url}`);
  console.log(`Students open it and type their code, or follow their link (e.g. ${signInLink(door.url, 'XXXX-XXXX-XXXX')}).`);
  console.log('Press Ctrl+C to close the front door (the students\u2019 environments keep running).');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  clearInterval(cullTimer);
  await door.close();
  await gateway.close().catch(() => undefined);
  activity.flush();
  setTimeout(() => process.exit(0), 1000).unref();
  return 0;
}
