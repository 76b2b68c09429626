// Running a check's fix: the check is run again first (the offer is made from what is true
// now, never from what a UI sends), its repair is carried out, and the check is run once more
// so the answer says whether it passes now.
import type Dockerode from 'dockerode';
import { runChecks } from '../checks/run-checks.js';
import type { CheckResult } from '../checks/types.js';
import { formatBytes } from '../checks/probes.js';
import type { Environment } from '../environment.js';
import { freeDockerSpace, type SpaceScope } from './docker-space.js';
import { giveFilesTo } from './file-ownership.js';
import type { RepairOffer, RepairOutcome } from './repair-offer.js';

export interface FixResult extends RepairOutcome {
  /** The check as it is after the fix. */
  after?: CheckResult;
}

export interface FixOptions {
  /** Narrows the Docker space repair (tests on a shared engine). */
  spaceScope?: SpaceScope;
}

/** The declared id of a result id (`ports:notebook` → `ports`, `notebooks-writable:owner` → `notebooks-writable`). */
const declaredId = (checkId: string): string => {
  const colon = checkId.indexOf(':');
  return colon < 0 ? checkId : checkId.slice(0, colon);
};

export async function fixCheck(docker: Dockerode, env: Environment, checkId: string, options: FixOptions = {}): Promise<FixResult> {
  const before = (await runChecks(docker, env, { only: [declaredId(checkId)] })).results.find((r) => r.id === checkId);
  if (!before) throw new Error(`No check "${checkId}" in this course.`);
  if (before.status !== 'fail') return { ok: true, check: checkId, kind: 'restart-service', did: 'Nothing to fix: the check passes.', after: before };
  if (!before.repair) throw new Error(`Coursedock cannot fix "${before.title}" by itself: ${before.hint ?? 'see the check.'}`);
  const outcome = await runRepair(docker, env, checkId, before.repair, options);
  const after = (await runChecks(docker, env, { only: [declaredId(checkId)] })).results.find((r) => r.id === checkId);
  return { ...outcome, ...(after ? { after } : {}) };
}

export async function runRepair(docker: Dockerode, env: Environment, check: string, offer: RepairOffer, options: FixOptions = {}): Promise<RepairOutcome> {
  switch (offer.kind) {
    case 'chown': {
      const id = env.state(offer.service).containerId;
      if (!id) return { ok: false, check, kind: offer.kind, did: `${offer.service} is not running: start it, then fix again.` };
      const n = await giveFilesTo(docker, id, offer.path, offer.uid, offer.gid);
      return { ok: true, check, kind: offer.kind, changedFiles: n, did: `Gave ${n} ${n === 1 ? 'file' : 'files'} in ${offer.path} to uid ${offer.uid}.` };
    }
    case 'free-docker-space': {
      const r = await freeDockerSpace(docker, options.spaceScope);
      const kept = r.kept.length ? ` ${r.kept.length} could not be removed (in use).` : '';
      return {
        ok: true,
        check,
        kind: offer.kind,
        freedBytes: r.freedBytes,
        did: `Freed ${formatBytes(r.freedBytes)}: removed ${r.removedImages} untagged ${r.removedImages === 1 ? 'image' : 'images'} and ${r.removedCache} build cache ${r.removedCache === 1 ? 'record' : 'records'}; volumes and course images kept.${kept}`,
      };
    }
    case 'restart-service': {
      const r = await env.restart(offer.service);
      const title = env.spec.services[offer.service]?.meta.title ?? offer.service;
      const failed = r.services.find((s) => !s.ok);
      return failed
        ? { ok: false, check, kind: offer.kind, did: `Restarting ${title} failed: ${failed.error ?? 'see its logs'}.` }
        : { ok: true, check, kind: offer.kind, did: `Restarted ${title}.` };
    }
  }
}
