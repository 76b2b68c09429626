// Docker Swarm for the classroom's Docker tests. This machine's dockerd is not a Swarm member
// by default; a test that needs one makes it a single-node Swarm (advertising 127.0.0.1 only)
// and, when it is done, leaves the Swarm only if it was the one that made it, so a Swarm that
// was there before (a developer's, another suite's) is never taken away.
//
// Run such tests under `flock /tmp/cd-swarm.lock …`: joining and leaving are machine-wide.
import Dockerode from 'dockerode';

export interface SwarmHandle {
  docker: Dockerode;
  /** This node's Swarm id (for placement constraints). */
  nodeId: string;
  /** True when this handle initialised the Swarm (and so will leave it on release). */
  initialised: boolean;
  /** Leaves the Swarm if this handle initialised it; otherwise does nothing. */
  release(): Promise<void>;
}

async function localNodeState(docker: Dockerode): Promise<{ state: string; nodeId: string }> {
  const info = (await docker.info()) as { Swarm?: { LocalNodeState?: string; NodeID?: string } };
  return { state: info.Swarm?.LocalNodeState ?? 'inactive', nodeId: info.Swarm?.NodeID ?? '' };
}

/** Makes the local engine a Swarm manager if it is not in a Swarm yet. */
export async function ensureSwarm(docker: Dockerode = new Dockerode()): Promise<SwarmHandle> {
  let { state, nodeId } = await localNodeState(docker);
  let initialised = false;
  if (state === 'inactive') {
    await docker.swarmInit({ ListenAddr: '127.0.0.1:2377', AdvertiseAddr: '127.0.0.1' });
    initialised = true;
    ({ state, nodeId } = await localNodeState(docker));
  }
  if (state !== 'active') throw new Error(`the local Docker engine is in Swarm state "${state}", not active`);
  return {
    docker,
    nodeId,
    initialised,
    release: async () => {
      if (initialised) await docker.swarmLeave({ force: true });
    },
  };
}

/** Runs `fn` with a Swarm, leaving it afterwards only if this call initialised it. */
export async function withSwarm<T>(fn: (swarm: SwarmHandle) => Promise<T>, docker?: Dockerode): Promise<T> {
  const swarm = await ensureSwarm(docker);
  try {
    return await fn(swarm);
  } finally {
    await swarm.release();
  }
}
