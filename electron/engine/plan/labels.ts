// Compose-compatible labels and names, so `docker-compose -p <project> ps` and Coursedock see
// the same containers, volumes and networks.

export const LABEL = {
  project: 'com.docker.compose.project',
  service: 'com.docker.compose.service',
  number: 'com.docker.compose.container-number',
  oneoff: 'com.docker.compose.oneoff',
  configHash: 'com.docker.compose.config-hash',
  version: 'com.docker.compose.version',
  workingDir: 'com.docker.compose.project.working_dir',
  configFiles: 'com.docker.compose.project.config_files',
  network: 'com.docker.compose.network',
  volume: 'com.docker.compose.volume',
  /** Ours: marks objects Coursedock created, for support bundles and clean-up. */
  managedBy: 'org.coursedock.managed-by',
  /** Ours: what a helper container is for (ROLE_BACKUP_HELPER), found again after a crash. */
  role: 'org.coursedock.role',
} as const;

/** The role of backup helper containers (backups/container-io.ts; its image carries it too). */
export const ROLE_BACKUP_HELPER = 'backup-helper';

/** The Compose version we claim in labels; v1.29 reads it when listing containers. */
export const COMPOSE_VERSION_LABEL = '1.29.2';

export const containerName = (project: string, service: string, n = 1): string =>
  `${project}-${service}-${n}`;

export const networkName = (project: string): string => `${project}_default`;

export const volumeName = (project: string, key: string): string => `${project}_${key}`;

/** Docker API filter selecting every non-one-off container of a project. */
export const projectFilter = (project: string): { label: string[] } => ({
  label: [`${LABEL.project}=${project}`],
});
