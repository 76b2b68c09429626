// Environment snapshots: capture what is installed in a service, show drift from a reference,
// recreate it elsewhere. See README.md in this folder.
export { captureContainer, type CaptureMeta } from './capture.js';
export { diffManifests, diffPackages, formatDrift, type DriftReport, type EcosystemDrift, type PackageChange, type PackageVersion } from './diff.js';
export {
  MANIFEST_FORMAT,
  MANIFEST_VERSION,
  ManifestError,
  manifestSchema,
  packageCounts,
  parseManifest,
  parseManifestText,
  readManifest,
  serializeManifest,
  type Ecosystem,
  type Manifest,
} from './manifest.js';
export { baseImageFor, planRecreate, type RecreateOptions, type RecreatePlan } from './recreate.js';
export { checkArchive, type ArchiveCheck } from './archive-check.js';
export {
  baselineFile,
  listSnapshots,
  saveSnapshot,
  snapshotFile,
  snapshotsDir,
  snapshotsRoot,
  writeManifest,
  type BrokenSnapshot,
  type SnapshotSummary,
} from './store.js';
export {
  captureService,
  driftOf,
  loadSnapshot,
  recreate,
  referenceFile,
  takeSnapshot,
  type DriftReference,
  type RecreateOutput,
  type ServiceDrift,
} from './service-snapshots.js';
