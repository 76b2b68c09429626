// What a check offers to fix, declared with its result: the panel shows `willDo` before the
// student clicks, the CLI prints it before `check --fix` runs it. The offer carries what the
// repair needs; the engine recomputes it from a fresh run of the check before acting, so a UI
// can only ask "fix check X", never hand in a path or a uid.
export type RepairOffer =
  | {
      kind: 'chown';
      title: string;
      willDo: string;
      service: string;
      /** The folder in the container (bind-mounted from this computer). */
      path: string;
      uid: number;
      gid: number;
    }
  | {
      kind: 'free-docker-space';
      title: string;
      willDo: string;
      /** Dangling images and unused build cache: what it will free, measured now. */
      freesBytes: number;
    }
  | {
      kind: 'restart-service';
      title: string;
      willDo: string;
      service: string;
    };

export interface RepairOutcome {
  ok: boolean;
  /** The check the repair was for. */
  check: string;
  kind: RepairOffer['kind'];
  /** What was done, in words ("Gave 3 files to uid 1000", "Freed 1.2 GB"). */
  did: string;
  freedBytes?: number;
  changedFiles?: number;
}
