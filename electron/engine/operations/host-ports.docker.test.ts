// A port moved by a transient clash goes back, on the real engine: something else holds the
// port PostgreSQL wants when it starts, so it gets another one; the running container keeps
// that port even once the wanted one is free (nothing is recreated behind the student's back);
// at the next start it is back on the wanted port, with its data.
import net from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { Notice } from '../environment.js';
import { envKey } from '../settings/variables.js';
import { copyCourse } from '../testing/course-copy.js';
import { newTestEngine, psql, type TestEngine } from '../testing/test-engine.js';

let t: TestEngine | undefined;
const servers: net.Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
  await t?.destroy();
  t = undefined;
});

/** Holds a port on 127.0.0.1 ("another program"); port 0 picks a free one. */
async function hold(port = 0): Promise<net.Server> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port, exclusive: true }, () => resolve());
  });
  servers.push(server);
  return server;
}

const release = (server: net.Server) => new Promise((r) => server.close(r));

describe('a port moved by a clash at start time', () => {
  it('is used while the wanted port is taken, kept while running, and given back at the next start once free', async () => {
    // Another program holds the port this course copy asks PostgreSQL to publish on.
    const blocker = await hold();
    const wanted = (blocker.address() as net.AddressInfo).port;
    const copy = copyCourse();
    writeFileSync(copy.file, readFileSync(copy.file, 'utf8').replace('"127.0.0.1:5432:5432"', `"127.0.0.1:${wanted}:5432"`));
    t = newTestEngine(copy);
    await t.engine.connection.require();
    const env = await t.engine.open(copy.project);
    const said: Notice[] = [];
    env.on('notice', (n) => said.push(n));
    const port = () => env.state('postgres').ports.find((p) => p.target === 5432)!;
    const remembered = () => t!.store.get(envKey(copy.project, 'ports', 'postgres', '5432/tcp'));

    expect((await env.up(['postgres'])).ok).toBe(true);
    const moved = port().hostPort;
    expect(moved).not.toBe(wanted);
    expect(port().requested).toBe(wanted);
    expect(remembered()).toBe(moved);
    expect(said.map((n) => n.message)).toContain(`Port ${wanted} is in use by another program — Coursedock uses ${moved} for PostgreSQL instead.`);
    psql(moved, "create table sentinel(v text); insert into sentinel values ('kept')");

    // The other program lets go: the running service is not moved under the student.
    await release(blocker);
    const id = env.state('postgres').containerId;
    expect((await env.up(['postgres'])).ok).toBe(true);
    expect(env.state('postgres').containerId).toBe(id);
    expect(port().hostPort).toBe(moved);

    // Next start: back on the wanted port, said in words, the move forgotten, data kept.
    expect((await env.stop('postgres')).ok).toBe(true);
    said.length = 0;
    expect((await env.start('postgres')).ok).toBe(true);
    expect(port().hostPort).toBe(wanted);
    expect(remembered()).toBeUndefined();
    expect(said.map((n) => [n.level, n.message])).toContainEqual(['info', `Port ${wanted} is free again — PostgreSQL is back on ${wanted}.`]);
    expect(psql(wanted, 'select v from sentinel')).toBe('kept');
  });

  it('a pinned port is the one used, whatever port the course asks for', async () => {
    const copy = copyCourse();
    t = newTestEngine(copy);
    const pinned = (await hold()).address() as net.AddressInfo;
    await release(servers.pop()!);
    t.store.set(envKey(copy.project, 'portPins', 'postgres', '5432/tcp'), pinned.port);
    await t.engine.connection.require();
    const env = await t.engine.open(copy.project);
    expect((await env.up(['postgres'])).ok).toBe(true);
    expect(env.state('postgres').ports.find((p) => p.target === 5432)!.hostPort).toBe(pinned.port);
    expect(psql(pinned.port, 'select 1')).toBe('1');
  });
});
