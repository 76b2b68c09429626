// A skipped test must say why, where `npm test` can read it: vitest's JSON report drops the
// text of `ctx.skip(note)`, but keeps task meta, so the reason travels as `meta.skipReason`
// (scripts/suite-counts.ts counts a skip without one as a failure). Skip only what truly cannot
// run on this machine (no Electron binary, not root), never to hide a missing Docker engine.
import type { TestContext } from 'vitest';

declare module 'vitest' {
  interface TaskMeta {
    /** Why this test was skipped, in words. */
    skipReason?: string;
  }
}

/** Options for `describe`/`it`: skipped with the reason unless `condition` holds. */
export function runOnlyIf(condition: boolean, reason: string): { skip: boolean; meta: { skipReason: string } } {
  return { skip: !condition, meta: { skipReason: reason } };
}

/** Skips the running test now, with the reason (inside a test: `skipBecause(ctx, '…')`). */
export function skipBecause(ctx: TestContext, reason: string): never {
  ctx.task.meta.skipReason = reason;
  ctx.skip(reason);
  throw new Error('unreachable: ctx.skip throws');
}
