// The engine's and the contract's types, as the panel imports them (types only: nothing of the
// engine is bundled into the panel).
export type {
  ApiError,
  EnvironmentInfo,
  EventName,
  Events,
  MethodName,
  Outputs,
  ServiceInfo,
  Settings,
} from '../../../electron/api/contract.js';
export type { OperationKind, PublishedPort, ServiceState, ServiceStatus } from '../../../electron/engine/state/service-state.js';
export type { LayerProgress, ProgressState } from '../../../electron/engine/docker/progress.js';
export type { DockerStatus } from '../../../electron/engine/docker/docker-connection.js';
export type { Attempt } from '../../../electron/engine/docker/connect.js';
export type { Notice, OperationResult } from '../../../electron/engine/environment.js';
export type { LogLine } from '../../../electron/engine/docker/logs.js';
export type { CourseInfo } from '../../../electron/engine/engine.js';
