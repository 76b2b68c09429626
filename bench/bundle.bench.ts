// The offline course bundle against Docker's own tools, on the same images in one run:
// `coursedock bundle export` (GET /images/get streamed through a checksum into the bundle, plus the
// spec folder and manifest) against `docker save -o`, and the bundle's import (POST /images/load
// through the checksum, then the tag check) against `docker load -i`. Goal: ratio ≤ 1.1 each.
// The images are the built tm351 course images already on this computer; both loads find their
// layers present (the same for both), so the load figures time reading and checking the
// archive, not unpacking layers. The import goes to a scratch courses folder; the tags it loads
// are the ones already there, with the same ids. Before each timed step the page cache's dirty
// pages are written out (`sync`): otherwise whichever load follows an export or save (2.2 GiB
// just written) pays for that writeback. Run alone: `npx tsx bench/bundle.bench.ts`
// (BENCH_ROUNDS, default 2: the order alternates; BENCH_ONLY=load makes the bundle and the saved
// archive once, untimed, and times only the loads). Prints numbers, with the CPU seconds the
// import's own process used; asserts nothing.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Dockerode from 'dockerode';
import { Engine } from '../electron/engine/engine.js';
import { FileSettingsStore } from '../electron/engine/settings/settings-store.js';
import { courseImages, exportBundle } from '../electron/engine/bundle/export-bundle.js';
import { importBundle } from '../electron/engine/bundle/import-bundle.js';
import { loadAverage } from './machine.js';
import { median, now, runBench, table } from './lib.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const ONLY_LOAD = process.env.BENCH_ONLY === 'load';

/** Writes out dirty pages, so a step does not pay for the previous one's writes. */
const settle = (): void => void spawnSync('sync');

function dockerCli(args: string[]): Promise<number> {
  settle();
  const started = now();
  return new Promise((resolve, reject) => {
    const child = spawn('docker', args, { stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve((now() - started) / 1000) : reject(new Error(`docker ${args[0]} exited ${code}`))));
  });
}

async function main(): Promise<void> {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'cd-bench-bundle-'));
  const engine = new Engine({ store: new FileSettingsStore(path.join(scratch, 'settings.json')), profiles: ['*'] });
  const docker = new Dockerode();
  try {
    const spec = engine.load(engine.resolveCourseFile('tm351'));
    const refs: string[] = [];
    for (const { ref } of courseImages(spec)) if (await docker.getImage(ref).inspect().then(() => true, () => false)) refs.push(ref);
    console.error(`Images: ${refs.join(', ')}. Load average before: ${loadAverage()}`);
    const times: Record<string, number[]> = { export: [], save: [], import: [], load: [], importCpu: [] };
    const bundle = path.join(scratch, 'tm351.coursedock');
    const saved = path.join(scratch, 'saved.tar');
    for (let round = 0; round < ROUNDS; round++) {
      const ours = async (): Promise<void> => {
        rmSync(bundle, { force: true });
        settle();
        const t0 = now();
        await exportBundle(docker, { name: 'tm351', spec, out: bundle });
        times.export!.push((now() - t0) / 1000);
      };
      const theirs = async (): Promise<void> => {
        rmSync(saved, { force: true });
        times.save!.push(await dockerCli(['save', '-o', saved, ...refs]));
      };
      const ourLoad = async (): Promise<void> => {
        const courses = path.join(scratch, `courses-${round}`);
        settle();
        const cpu = process.cpuUsage();
        const t0 = now();
        await importBundle(docker, bundle, { coursesDir: courses });
        times.import!.push((now() - t0) / 1000);
        const used = process.cpuUsage(cpu);
        times.importCpu!.push((used.user + used.system) / 1e6);
        rmSync(courses, { recursive: true, force: true });
      };
      const theirLoad = async (): Promise<void> => {
        times.load!.push(await dockerCli(['load', '-q', '-i', saved]));
      };
      if (ONLY_LOAD && round === 0) {
        await ours();
        await theirs();
      }
      // Alternate who goes first, so a cache warmed by one favours each side once.
      if (ONLY_LOAD) {
        if (round % 2 === 0) {
          await theirLoad();
          await ourLoad();
        } else {
          await ourLoad();
          await theirLoad();
        }
      } else if (round % 2 === 0) {
        await theirs();
        await ours();
        await theirLoad();
        await ourLoad();
      } else {
        await ours();
        await theirs();
        await ourLoad();
        await theirLoad();
      }
      const made = ONLY_LOAD ? '' : `export ${times.export!.at(-1)!.toFixed(1)} s, save ${times.save!.at(-1)!.toFixed(1)} s, `;
      console.error(`[bench] round ${round + 1}: ${made}import ${times.import!.at(-1)!.toFixed(1)} s (${times.importCpu!.at(-1)!.toFixed(1)} s CPU), load ${times.load!.at(-1)!.toFixed(1)} s (load ${loadAverage()})`);
    }
    const gib = (f: string): number => statSync(f).size / 1024 ** 3;
    const rows = [
      { measure: 'import vs docker load (s, median)', coursedock: median(times.import!), docker: median(times.load!), ratio: median(times.import!) / median(times.load!), 'coursedock GiB': gib(bundle), 'docker GiB': gib(saved) },
    ];
    if (!ONLY_LOAD) rows.unshift({ measure: 'export vs docker save (s, median)', coursedock: median(times.export!), docker: median(times.save!), ratio: median(times.export!) / median(times.save!), 'coursedock GiB': gib(bundle), 'docker GiB': gib(saved) });
    console.log(table(rows));
    console.log(`import's own CPU (median): ${median(times.importCpu!).toFixed(1)} s`);
    console.log(`${ROUNDS} rounds; load average after: ${loadAverage()} (${os.cpus().length} cores)`);
  } finally {
    engine.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}

runBench(main);
