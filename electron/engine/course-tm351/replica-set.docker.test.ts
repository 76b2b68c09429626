// The replica-set activity (profile replica-set) running for real: switched on, `up` of its
// init service starts the three members, waits for them to be healthy, runs the one-shot init to
// completion, and the set rs0 has three members. It needs MongoDB's image (mongo:7), which is not
// in Debian and cannot be downloaded on machines without a registry: there the test is skipped,
// saying so (its spec, plan and panel switch are tested in tm351-services.test.ts).
import { execFileSync } from 'node:child_process';
import Dockerode from 'dockerode';
import { afterEach, describe, expect, it } from 'vitest';
import { imageId } from '../docker/images.js';
import { probePull } from '../docker/registry-probe.js';
import { copyCourse } from '../testing/course-copy.js';
import { skipBecause } from '../testing/skip-reason.js';
import { newTestEngine, type TestEngine } from '../testing/test-engine.js';

const MEMBERS = ['mongo-rs1', 'mongo-rs2', 'mongo-rs3'];

describe('the replica-set activity on the real engine', () => {
  let t: TestEngine | undefined;
  afterEach(async () => {
    await t?.destroy();
    t = undefined;
  });

  it('up of the init starts three members and initiates rs0', { timeout: 15 * 60_000 }, async (ctx) => {
    const docker = new Dockerode();
    if (!(await imageId(docker, 'mongo:7'))) {
      const pull = await probePull(docker, 'mongo:7');
      if (!pull.ok) skipBecause(ctx, `MongoDB's image mongo:7 is not on this machine and cannot be downloaded here (${pull.error}); MongoDB is not in Debian`);
    }
    t = newTestEngine(copyCourse('tm351', 'cdt', { keepDownloads: true }));
    await t.engine.connection.require();
    await t.engine.open(t.copy.project);
    const env = await t.engine.chooseProfiles(t.copy.project, ['replica-set']);
    const result = await env.up(['mongo-rs-init']);
    expect(result.ok).toBe(true);
    for (const m of MEMBERS) expect(env.state(m).status).toBe('healthy');
    const init = await docker.getContainer(env.state('mongo-rs-init').containerId!).inspect();
    expect(init.State.ExitCode).toBe(0);
    const members = execFileSync('docker', ['exec', env.state('mongo-rs1').containerId!, 'mongosh', '--quiet', '--eval', 'rs.status().members.length'], { encoding: 'utf8' });
    expect(members.trim()).toBe('3');
  });
});
