// What a container's healthcheck said last (Docker keeps the last few outputs in its state):
// usually the reason a service never became healthy, so it goes into the words of the failure.
import type Dockerode from 'dockerode';

/** The trimmed output of the last healthcheck run; undefined when none, or the container is gone. */
export async function lastHealthOutput(docker: Dockerode, containerId: string): Promise<string | undefined> {
  try {
    const info = await docker.getContainer(containerId).inspect();
    const log = (info.State as { Health?: { Log?: Array<{ Output?: string }> } }).Health?.Log;
    return log?.[log.length - 1]?.Output?.trim() || undefined;
  } catch {
    return undefined;
  }
}
