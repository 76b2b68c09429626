// Environment snapshots: capture what is installed in a service, show its drift from its image
// (or a snapshot), compare the image with the course's reference, recreate it elsewhere. See
// README.md in this folder.
export { captureContainer, type CaptureMeta } from './capture.js';
export {
  diffManifests,
  diffPackages,
  formatDrift,
  type DriftReport,
  type EcosystemDrift,
  type PackageChange,
  type PackageVersion,
  type ReferenceKind,
} from './diff.js';
export { compareWithReference, formatReference, type ReferenceReport } from './course-reference.js';
export { compareDebianVersions } from './debian-version.js';
export { captureImage, imageBaseline, imageBaselineFile, imageBaselinesDir, type ImageBaseline, type ImageRef } from './image-baseline.js';
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
  courseReferenceFile,
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
  comparisonFile,
  driftOf,
  loadSnapshot,
  recreate,
  referenceOf,
  serviceImage,
  takeSnapshot,
  type DriftReference,
  type RecreateOutput,
  type ServiceDrift,
  type ServiceReference,
} from './service-snapshots.js';
