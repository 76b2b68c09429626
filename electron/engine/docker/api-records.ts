// The records the engine reads from the Docker API, narrowed to the fields it uses and typed as the
// engine sends them. @types/dockerode declares every map present, but the engine is written in Go,
// where an empty map comes through as `null`: an image or container made without labels has
// `"Labels": null`, a container created through the API without port bindings has
// `"PortBindings": null`, a stopped one `"Ports": null` in its network settings. A dockerode result
// is assigned to one of these types (a widening tsc checks), so the reading code tests exactly what
// can be missing and nothing else.
import type { DockerHealth } from '../state/health-log.js';

/** `"8888/tcp": [{HostIp, HostPort}]`, or null for a port exposed but not published. */
export type PortMap = Record<string, Array<{ HostIp: string; HostPort: string }> | null>;

/** One entry of `GET /containers/json` (the fields the engine reads). */
export interface ListedContainer {
  Id: string;
  Names: string[];
  ImageID: string;
  State: string;
  Labels: Record<string, string | undefined>;
  Ports: Array<{ IP?: string; PrivatePort: number; PublicPort?: number; Type: string }>;
  Mounts: Array<{ Type?: string; Name?: string; Source?: string; Destination?: string }>;
}

/** `GET /containers/{id}/json` (the fields the engine reads). */
export interface InspectedContainer {
  Id: string;
  State: {
    Status: string;
    Running: boolean;
    ExitCode: number;
    StartedAt: string;
    Error: string;
    Health?: DockerHealth;
  };
  Config: { Image: string; Labels: Record<string, string | undefined> | null };
  HostConfig: { PortBindings?: PortMap | null };
  NetworkSettings: { Ports: PortMap | null };
}

/** `GET /images/{name}/json` (the fields the engine reads). */
export interface InspectedImage {
  Id: string;
  Config: { Labels: Record<string, string | undefined> | null };
}
