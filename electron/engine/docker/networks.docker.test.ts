// The project's default network on the real engine when Docker holds twins of it (two networks
// of one name, as two racing clients or another tool leave them): `up` keeps the one in use,
// removes the empty twin and says so; `down` removes the network, and when something not ours
// keeps it in use, the CLI says why `down` failed instead of exiting 1 in silence.
import Dockerode from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LABEL, networkName } from '../plan/labels.js';
import { copyCourse, type CourseCopy } from '../testing/course-copy.js';
import { runCli } from '../testing/processes.js';
import { removeProject } from '../testing/test-engine.js';

const docker = new Dockerode();
let copy: CourseCopy;
const foreign: string[] = [];

const defaultNetworks = async () =>
  (await docker.listNetworks({ filters: { name: [networkName(copy.project)] } })).filter((n) => n.Name === networkName(copy.project));

const twin = () =>
  docker.createNetwork({
    Name: networkName(copy.project),
    Driver: 'bridge',
    // As docker-compose would label it: found by label and by name alike.
    Labels: { [LABEL.project]: copy.project, [LABEL.network]: 'default' },
  });

beforeAll(() => {
  copy = copyCourse('tm351', 'cdn');
});

afterAll(async () => {
  for (const id of foreign) await docker.getContainer(id).remove({ force: true }).catch(() => undefined);
  await removeProject(copy.project);
  for (const n of await defaultNetworks()) await docker.getNetwork(n.Id).remove().catch(() => undefined);
  copy.cleanup();
});

describe('default network twins', () => {
  it('up repairs two empty twins into one and says so; a second up finds nothing to repair', async () => {
    await twin();
    await twin();
    expect(await defaultNetworks()).toHaveLength(2);
    const up = await runCli(copy, ['up', copy.project, 'postgres']);
    expect(up.code, up.stderr).toBe(0);
    expect(up.stderr).toMatch(/Found two networks named .*_default .*kept the one in use and removed the other/);
    expect(await defaultNetworks()).toHaveLength(1);
    const again = await runCli(copy, ['up', copy.project, 'postgres']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).not.toMatch(/Found two networks/);
  });

  it('keeps the twin PostgreSQL is attached to and removes the empty one', async () => {
    const [inUse] = await defaultNetworks();
    await twin();
    expect(await defaultNetworks()).toHaveLength(2);
    const restart = await runCli(copy, ['restart', copy.project, 'postgres']);
    expect(restart.code, restart.stderr).toBe(0);
    expect(restart.stderr).toMatch(/Found two networks/);
    const left = await defaultNetworks();
    expect(left.map((n) => n.Id)).toEqual([inUse!.Id]);
  });

  it('down says why it failed when a container not of this course holds the network', async () => {
    const c = await docker.createContainer({
      Image: 'debian:bookworm-slim',
      Cmd: ['sleep', '300'],
      HostConfig: { NetworkMode: networkName(copy.project) },
    });
    foreign.push(c.id);
    await c.start();
    const down = await runCli(copy, ['down', copy.project]);
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/✗ Could not remove the course's network: Could not remove the network .*_default \(still used by 1 container/);
    await c.remove({ force: true });
    const again = await runCli(copy, ['down', copy.project]);
    expect(again.code, again.stderr).toBe(0);
    expect(await defaultNetworks()).toHaveLength(0);
  });
});
