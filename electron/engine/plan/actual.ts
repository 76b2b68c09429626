// What Docker currently has for a project, reduced to what the planner needs.

export type ContainerRunState =
  | 'created'
  | 'running'
  | 'paused'
  | 'restarting'
  | 'removing'
  | 'exited'
  | 'dead';

export interface ActualContainer {
  id: string;
  name: string;
  service: string;
  number: number;
  oneoff: boolean;
  configHash: string;
  /**
   * Made by another Compose tool (docker-compose), not by us: no org.coursedock.managed-by
   * label. Its config hash is that tool's own, never ours, so it is adopted rather than
   * recreated while it runs the service's current image.
   */
  foreign?: boolean;
  /** Image id (sha256:…) the container was created from. */
  imageId: string;
  state: ContainerRunState;
  /** Host ports the container publishes, keyed `<target>/<protocol>`. */
  hostPorts: Record<string, number>;
}

export interface ActualState {
  containers: ActualContainer[];
  /** Image id per image reference; absent when the image is not present locally. */
  images: Record<string, string | undefined>;
  /** Labels of present images, per image reference: whether and from what we built them. */
  imageBuilds?: Record<string, ActualImage>;
  /** Hash of each buildable service's context as it is on disk now (docker/build-context.ts). */
  contextHashes?: Record<string, string>;
  networkExists: boolean;
  /** Docker names of the volumes that exist. */
  volumes: Set<string>;
}

/** What an image's labels say of its making; both absent on an image from a registry. */
export interface ActualImage {
  /** The service Coursedock built it for (label org.coursedock.service). */
  builtFor?: string;
  /** Hash of the build context it was built from (label org.coursedock.context-hash). */
  contextHash?: string;
}
