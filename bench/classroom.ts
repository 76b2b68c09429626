// Classroom benchmark (issue #18): 20 students from a roster on this machine's single-node
// Swarm, each with the tm351 stack (notebook + PostgreSQL; MongoDB's image is not available
// here and is left out). Measures, from "Start class" (startClass: images checked, stacks
// started a few at a time):
// - cold: first start, so every PostgreSQL initialises its database from the course data;
// - warm: every stack stopped (scaled to 0, volumes kept) and started again;
// each until all 20 notebooks answer over HTTP through the front door's gateway (GET
// <base>/api/kernels with the student's token, on their own overlay) and all 20 databases are
// healthy (Swarm runs a task only once its healthcheck passes); and memory per idle stack
// (docker stats, page cache excluded) after the class has sat idle for BENCH_IDLE_SECONDS.
// Goals: warm ≤ 60 s, cold ≤ 150 s, ≤ 250 MB per idle stack. Benchmarks print; they assert nothing.
//
//   flock /tmp/cd-swarm.lock npm run bench:classroom
// BENCH_SERVICES (notebook,postgres: what the goals name), BENCH_STUDENTS (20), BENCH_CONCURRENCY (start-class default), BENCH_WARM_CONCURRENCY (same),
// BENCH_IDLE_SECONDS (30). Prints the load average during each run beside its time.
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import Dockerode from 'dockerode';
import { Classroom } from '../electron/engine/classroom/classroom.js';
import { getOver, notebookTarget } from '../electron/engine/classroom/cull.js';
import { startGateway } from '../electron/engine/classroom/front-door/gateway.js';
import { studentNetworkName } from '../electron/engine/classroom/names.js';
import { parseRoster } from '../electron/engine/classroom/roster.js';
import { defaultConcurrency, startClass, type StartClassEvent } from '../electron/engine/classroom/start-class.js';
import { ensureSwarm } from '../electron/engine/classroom/testing/swarm.js';
import { FileSettingsStore } from '../electron/engine/settings/settings-store.js';
import { copyCourse } from '../electron/engine/testing/course-copy.js';
import { median, table } from './lib.js';

const STUDENTS = Number(process.env.BENCH_STUDENTS ?? 20);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? defaultConcurrency());
/** The services the goals are about: notebooks answering, databases healthy (other tools left out). */
const SERVICES = (process.env.BENCH_SERVICES ?? 'notebook,postgres').split(',').map((x) => x.trim()).filter(Boolean);
const WARM_CONCURRENCY = Number(process.env.BENCH_WARM_CONCURRENCY ?? CONCURRENCY);
const IDLE_SECONDS = Number(process.env.BENCH_IDLE_SECONDS ?? 30);
const MB = 1024 * 1024;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = (line: string) => console.error(`[bench:classroom] ${line}`);

async function main(): Promise<void> {
  const docker = new Dockerode();
  const swarm = await ensureSwarm(docker);
  const copy = copyCourse('tm351', 'cdbench');
  const classroom = new Classroom({ docker, store: new FileSettingsStore(path.join(copy.home, 'settings.json')), specFile: copy.file, fetchImages: false });
  let gateway: Awaited<ReturnType<typeof startGateway>> | undefined;
  let cleaned: Promise<void> | undefined;
  const cleanup = () =>
    (cleaned ??= (async () => {
      log('cleaning up…');
      await gateway?.close().catch(() => undefined);
      await classroom.down({ keepVolumes: false }).catch((err: unknown) => log(`down: ${String(err)}`));
      copy.cleanup();
      await swarm.release();
    })());
  // Stopped half-way (Ctrl-C, kill): the class is still taken down and the Swarm left as found.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void cleanup().finally(() => process.exit(130)));
  }
  try {
    const csv = ['id,name', ...Array.from({ length: STUDENTS }, (_, i) => `s${String(i + 1).padStart(2, '0')},Student ${i + 1}`)].join('\n');
    const roster = parseRoster(csv, 'roster.csv');
    log(`deploying ${roster.length} stacks (stopped) for ${classroom.course}…`);
    const deployed = await classroom.up(roster, { stopped: true, services: SERVICES, concurrency: 4, onEvent: (e) => e.kind === 'left-out' && log(`left out ${e.service}: ${e.reason}`) });
    gateway = await startGateway(docker, { course: classroom.course, log });
    await gateway.attach(roster.map((s) => studentNetworkName(classroom.course, s.id)));
    const services = classroom.services();
    const spec = classroom.studentSpec(roster[0]!.id).spec;

    /** Until the student's notebook answers GET api/kernels through the gateway. */
    const notebookAnswers = async (id: string): Promise<void> => {
      const target = notebookTarget(classroom, id);
      for (let attempt = 0; ; attempt++) {
        try {
          await getOver(await gateway!.connect(target.host, target.port), target, 5_000);
          return;
        } catch (err) {
          if (attempt > 600) throw err;
          await sleep(250);
        }
      }
    };

    /** Load average over the last minute, sampled every 5 s while a run lasts. */
    const sampleLoad = () => {
      const samples = [loadavg()[0]!];
      const timer = setInterval(() => samples.push(loadavg()[0]!), 5_000);
      return () => {
        clearInterval(timer);
        samples.push(loadavg()[0]!);
        return { min: Math.min(...samples), max: Math.max(...samples), mean: samples.reduce((a, b) => a + b, 0) / samples.length };
      };
    };

    const run = async (label: string, concurrency: number) => {
      const answered: Array<Promise<number>> = [];
      const at = (ms: number) => (ms - t0) / 1000;
      const answering: number[] = [];
      const swarmReady: number[] = [];
      const stopLoad = sampleLoad();
      const t0 = performance.now();
      const result = await startClass(docker, classroom, {
        students: roster.map((s) => s.id),
        concurrency,
        prepare: { services: Object.values(spec.services).filter((s) => services.includes(s.name)) },
        onEvent: (e: StartClassEvent) => {
          if (e.kind === 'class-progress') log(`${label}: ${e.text} (${at(performance.now()).toFixed(1)} s)`);
          if (e.kind === 'task-problem' || e.kind === 'warning') log(`${label}: ! ${JSON.stringify(e)}`);
          if (e.kind === 'student-answering') answering.push(at(performance.now()));
          if (e.kind === 'student-ready') {
            swarmReady.push(at(performance.now()));
            answered.push(notebookAnswers(e.student).then(() => performance.now()));
          }
        },
      });
      const allReadyAt = performance.now();
      const times = await Promise.all(answered);
      const end = Math.max(allReadyAt, ...times);
      const load = stopLoad();
      const lastAnswering = answering.length ? Math.max(...answering) : NaN;
      log(`${label}: stacks answering our probe (slot freed): ${answering.length}, last at ${lastAnswering.toFixed(1)} s; Swarm ready: last at ${at(allReadyAt).toFixed(1)} s; notebooks answered: last at ${at(end).toFixed(1)} s; load ${load.min.toFixed(1)}–${load.max.toFixed(1)}`);
      return { seconds: at(end), readySeconds: at(allReadyAt), lastAnswering, ready: result.ready, total: result.total, problems: result.problems.length, load, concurrency };
    };

    log(`cold start: ${STUDENTS} students, ${CONCURRENCY} at a time, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}…`);
    const cold = await run('cold', CONCURRENCY);
    log(`idle for ${IDLE_SECONDS} s, then memory…`);
    await sleep(IDLE_SECONDS * 1000);
    const rows = await classroom.status({ resources: true });
    const perStack = rows.map((r) => r.services.reduce((n, s) => n + (s.memoryBytes ?? 0), 0));
    const perService = Object.fromEntries(services.map((name) => [name, median(rows.map((r) => r.services.find((s) => s.service === name)?.memoryBytes ?? 0))]));

    log('stopping every stack (volumes kept)…');
    await classroom.stop();
    for (let i = 0; i < 120; i++) {
      const containers = await docker.listContainers({ filters: { label: [`org.coursedock.classroom=${classroom.course}`, 'com.docker.swarm.task'] } });
      if (containers.length === 0) break;
      await sleep(1000);
    }
    log(`warm start: ${WARM_CONCURRENCY} at a time, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}…`);
    const warm = await run('warm', WARM_CONCURRENCY);

    const loadText = (l: { min: number; max: number; mean: number }) => `${l.min.toFixed(1)}–${l.max.toFixed(1)} (mean ${l.mean.toFixed(1)})`;
    console.log(`\nClassroom: ${STUDENTS} students (${services.join(' + ')}), this machine's single-node Swarm, ${cpus().length} cores`);
    console.log(`left out: ${deployed.leftOut.map((l) => l.service).join(', ') || 'none'}\n`);
    console.log(
      table([
        { measure: 'Start class → all notebooks answer + databases healthy, cold (s)', value: cold.seconds, goal: '≤ 150', ready: `${cold.ready}/${cold.total}`, 'at once': cold.concurrency, 'load avg (1 min) during': loadText(cold.load) },
        { measure: 'Start class → all notebooks answer + databases healthy, warm (s)', value: warm.seconds, goal: '≤ 60', ready: `${warm.ready}/${warm.total}`, 'at once': warm.concurrency, 'load avg (1 min) during': loadText(warm.load) },
        { measure: `memory per idle stack, median (MB, after ${IDLE_SECONDS} s idle)`, value: median(perStack) / MB, goal: '≤ 250', ready: '', 'at once': '', 'load avg (1 min) during': '' },
        { measure: 'memory per idle stack, max (MB)', value: Math.max(...perStack) / MB, goal: '≤ 250', ready: '', 'at once': '', 'load avg (1 min) during': '' },
        ...Object.entries(perService).map(([name, bytes]) => ({ measure: `  of which ${name}, median (MB)`, value: bytes / MB, goal: '', ready: '', 'at once': '', 'load avg (1 min) during': '' })),
      ]),
    );
    console.log(
      `\n(last stack answering its own checks, i.e. last start slot freed: cold ${cold.lastAnswering.toFixed(1)} s, warm ${warm.lastAnswering.toFixed(1)} s; ` +
        `all ready in Swarm: cold ${cold.readySeconds.toFixed(1)} s, warm ${warm.readySeconds.toFixed(1)} s; task problems: ${cold.problems + warm.problems})`,
    );
  } finally {
    await cleanup();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
