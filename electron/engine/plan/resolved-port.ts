/** A published port after auto-correction: what the container is (or will be) created with. */
export interface ResolvedPort {
  target: number;
  protocol: 'tcp' | 'udp';
  hostIp: string;
  /** Host port to publish; undefined lets Docker choose a free one. */
  hostPort?: number;
  /** What the spec asked for, when it named a port. */
  requested?: number;
}

export const portKey = (p: { target: number; protocol: string }): string =>
  `${p.target}/${p.protocol}`;
