// Services and states like the tm351 course's, for component tests.
import type { EnvironmentInfo, ServiceInfo, ServiceState } from '../lib/types.js';

export const notebook: ServiceInfo = {
  name: 'notebook',
  title: 'Jupyter Notebook',
  description: 'Notebook server',
  icon: 'notebook',
  hasWebUi: true,
  resetVolumes: [],
  dependsOn: ['postgres'],
};

export const postgres: ServiceInfo = {
  name: 'postgres',
  title: 'PostgreSQL',
  description: 'The course database',
  icon: 'postgres',
  hasWebUi: false,
  connection: { kind: 'postgres', port: 5432, user: 'testuser', database: 'testdb', hasPassword: true },
  resetVolumes: ['tm351_pgdata'],
  dependsOn: [],
};

export const mongo: ServiceInfo = {
  name: 'mongo',
  title: 'MongoDB',
  icon: 'mongo',
  hasWebUi: false,
  connection: { kind: 'mongodb', port: 27017, hasPassword: false },
  resetVolumes: ['tm351_mongodata'],
  dependsOn: [],
};

export const state = (service: string, extra: Partial<ServiceState> = {}): ServiceState => ({
  service,
  status: 'stopped',
  ports: [],
  ...extra,
});

export const envInfo = (states: ServiceState[] = [state('notebook'), state('postgres'), state('mongo')]): EnvironmentInfo => ({
  project: 'tm351',
  course: 'tm351',
  title: 'TM351 Data management and analysis',
  file: '/specs/tm351/compose.yml',
  services: [notebook, postgres, mongo],
  variables: [{ name: 'NOTEBOOKS_DIR', kind: 'folder', value: '/home/s/notebooks' }],
  warnings: [],
  states,
});
