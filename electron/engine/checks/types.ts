// "Check my environment": what a check reports. The checks themselves are declared in the spec
// (x-coursedock.checks → CheckDecl in spec/types.ts).
import type { CheckKind } from '../spec/types.js';
import type { RepairOffer } from '../repairs/repair-offer.js';

export type { RepairOffer } from '../repairs/repair-offer.js';

/**
 * - `pass`: the check ran and found what it wanted.
 * - `fail`: something is wrong that the student (or a tutor) can fix; `hint` says how in one
 *   line. A check whose service is not running fails with the hint "Start <service>".
 * - `skipped`: the check does not apply on this computer, because a service it needs cannot
 *   run here: the engine could not get its image (the service shows as unavailable), or the
 *   image is not here and the spec gives no way to build it (it would have to be downloaded).
 *   Not counted as a failure: `ok` is true. `detail` says which service and why.
 * - `warn`: the check ran and found a known, explained difference from the course's full
 *   environment that leaves the rest working (an optional extra its image could not get when it
 *   was built, named in `detail`, with what to do in `hint`). Not a failure: `ok` is true.
 */
export type CheckStatus = 'pass' | 'fail' | 'skipped' | 'warn';

export interface CheckResult {
  /** The declared id; a check expanded per service (kind `port`) adds `:<service>`. */
  id: string;
  title: string;
  kind: CheckKind;
  status: CheckStatus;
  /** False only for `fail`. */
  ok: boolean;
  /** What the check found, in a sentence (the reason when it failed or was skipped). */
  detail: string;
  /** One line: what to do. Always present on failures; on skipped checks when something can be done. */
  hint?: string;
  /** On a failure Coursedock can fix: what the fix will do (shown first), run on request. */
  repair?: RepairOffer;
  /** The service the check ran in (or is about). */
  service?: string;
  durationMs: number;
}

export interface CheckReport {
  project: string;
  title: string;
  startedAt: string;
  durationMs: number;
  /** No check failed (skipped ones do not count). */
  ok: boolean;
  counts: Record<CheckStatus, number>;
  results: CheckResult[];
}
