// Backup of PostgreSQL holding ~1 GB of table data: Coursedock's backup (pg_dump -Fc -Z0 through
// Docker exec, compressed by zstd in a helper container, streamed to a file with its sha256, plus
// the globals and the other databases)
// against a plain `docker run … pg_dump -Fc` (default compression) of the same database over the
// project's network; both files' sizes are printed.
// Goal: ratio ≤ 1.1 and ≤ 15 s on 2 cores. Run alone: `npx tsx bench/backup.bench.ts`
// (BENCH_ROWS changes the size). Prints numbers; asserts nothing.
import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Dockerode from 'dockerode';
import { takeBackup } from '../electron/engine/backups/take-backup.js';
import { copyCourse } from '../electron/engine/testing/course-copy.js';
import { newTestEngine, psql } from '../electron/engine/testing/test-engine.js';
import { loadAverage } from './machine.js';
import { now, runBench, table } from './lib.js';

const ROWS = Number(process.env.BENCH_ROWS ?? 6_500_000);

async function plainPgDump(network: string, image: string, out: string): Promise<number> {
  const started = now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn('docker', ['run', '--rm', '--network', network, '-e', 'PGPASSWORD=testpass', '--entrypoint', 'pg_dump', image, '-h', 'postgres', '-U', 'testuser', '-Fc', '-d', 'testdb'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child.stdout.pipe(createWriteStream(out));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`docker run pg_dump exited ${code}`))));
  });
  return (now() - started) / 1000;
}

async function main(): Promise<void> {
  const copy = copyCourse('tm351', 'cdbench');
  // The images on this computer as they are, and health checks with room on a busy machine: the
  // bench times the backup, not a course image rebuild or a 3 s probe under load.
  writeFileSync(copy.file, readFileSync(copy.file, 'utf8').replace(/^ {4}build:\n {6}context: [^\n]+\n/gm, '').replace(/^ {6}timeout: 3s$/gm, '      timeout: 60s'));
  const t = newTestEngine(copy);
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'cd-bench-backup-'));
  try {
    const env = await t.engine.open(path.basename(copy.dir));
    const up = await env.up(['postgres']);
    if (!up.ok) throw new Error(`postgres did not start: ${JSON.stringify(up.services)}`);
    const port = env.state('postgres').ports.find((p) => p.target === 5432)!.hostPort;
    console.error(`Loading ${ROWS} rows…`);
    psql(port, `create table bench (id bigint primary key, a text, b text); insert into bench select g, md5(g::text) || md5((g * 7)::text), md5((g * 13)::text) || md5((g * 17)::text) from generate_series(1, ${ROWS}) g`);
    const tableBytes = Number(psql(port, "select pg_total_relation_size('bench')"));
    console.error(`Table: ${(tableBytes / 1024 ** 3).toFixed(2)} GiB. Load average before: ${loadAverage()}`);

    const docker = new Dockerode();
    const ours0 = now();
    const backup = await takeBackup(docker, env, t.store, { services: ['postgres'], root: path.join(scratch, 'ours') });
    const ours = (now() - ours0) / 1000;
    const plainFile = path.join(scratch, 'plain.dump');
    const plain = await plainPgDump(`${env.project}_default`, env.spec.services.postgres!.image, plainFile);
    console.log(
      table([
        {
          measure: 'PostgreSQL backup (s)',
          'table data (GiB)': tableBytes / 1024 ** 3,
          coursedock: ours,
          'docker run pg_dump -Fc': plain,
          ratio: ours / plain,
          'coursedock bytes': backup.totalBytes,
          'plain bytes': statSync(plainFile).size,
        },
      ]),
    );
    console.log(`load average after: ${loadAverage()} (${os.cpus().length} cores)`);
  } finally {
    await t.destroy();
    rmSync(scratch, { recursive: true, force: true });
  }
}

runBench(main);
