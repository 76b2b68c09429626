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
  networkExists: boolean;
  /** Docker names of the volumes that exist. */
  volumes: Set<string>;
}
