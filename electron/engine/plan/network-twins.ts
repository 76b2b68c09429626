// Docker does not keep network names unique: two clients racing (or another tool) can leave two
// `<project>_default` networks, after which every container create fails as "ambiguous". Which
// one to keep is decided here, purely: the one in use (most containers attached, then the
// oldest); the others are removed, their containers moved over first.

export interface NetworkTwin {
  id: string;
  name: string;
  /** Containers attached, by id. */
  containers: string[];
  created: string;
}

export interface TwinDecision {
  keep?: NetworkTwin;
  remove: NetworkTwin[];
}

export function decideNetworkTwins(networks: NetworkTwin[]): TwinDecision {
  if (networks.length === 0) return { remove: [] };
  const ranked = [...networks].sort(
    (a, b) => b.containers.length - a.containers.length || a.created.localeCompare(b.created) || a.id.localeCompare(b.id),
  );
  return { keep: ranked[0], remove: ranked.slice(1) };
}

/** The words said after a repair. */
export function twinRepairMessage(name: string, removed: NetworkTwin[], moved: number): string {
  const n = removed.length + 1;
  const what = n === 2 ? 'two networks' : `${n} networks`;
  const move = moved ? `, after moving ${moved} container${moved === 1 ? '' : 's'} to the one kept` : '';
  return `Found ${what} named ${name} (left by another program or an older Coursedock); kept the one in use and removed the other${removed.length === 1 ? '' : 's'}${move}.`;
}
