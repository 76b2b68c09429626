// Zod schemas of the supported Compose subset and of x-coursedock. They check shapes only;
// parsing of short syntaxes ("127.0.0.1:8351:8888", "1m30s", …) happens in normalize-*.ts,
// which can report each problem at its own line. Objects are strict: keys we do not know were
// already reported and removed by check-keys.ts (which takes its key lists from these shapes).
import { z } from 'zod';

/** Numbers may arrive as strings after interpolation (`retries: ${RETRIES}`). */
export const intLike = z.union([
  z.number().int(),
  z.string().regex(/^\s*\d+\s*$/, 'expected a whole number').transform((text) => Number(text)),
]);

export const boolLike = z.union([
  z.boolean(),
  z.enum(['true', 'false']).transform((text) => text === 'true'),
]);

/** Scalars that Compose turns into strings (environment values, labels, user ids…). */
export const scalarText = z.union([z.string(), z.number(), z.boolean()]).transform((value) => String(value));

/** `{KEY: value}` or `["KEY=value", "KEY"]` (environment, labels, build args). */
export const keyValues = z.union([
  z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
  z.array(z.union([z.string(), z.number()]).transform((value) => String(value))),
]);
export type KeyValues = z.output<typeof keyValues>;

const commandLine = z.union([z.string(), z.array(z.union([z.string(), z.number()]).transform((v) => String(v))), z.null()]);

export const buildShape = {
  context: z.string().optional(),
  dockerfile: z.string().min(1).optional(),
  args: keyValues.optional(),
  target: z.string().optional(),
};
export const buildSchema = z.strictObject(buildShape);

export const portShape = {
  target: intLike,
  published: z.union([z.number(), z.string()]).optional(),
  host_ip: z.string().optional(),
  protocol: z.string().optional(),
};
export const portSchema = z.strictObject(portShape);
export type PortLong = z.output<typeof portSchema>;

export const bindShape = { create_host_path: boolLike.optional() };
export const volumeMountShape = {
  type: z.enum(['volume', 'bind', 'tmpfs']),
  source: z.string().optional(),
  target: z.string(),
  read_only: boolLike.optional(),
  bind: z.strictObject(bindShape).optional(),
};
export const volumeMountSchema = z.strictObject(volumeMountShape);
export type VolumeLong = z.output<typeof volumeMountSchema>;

export const dependsShape = {
  condition: z.enum(['service_started', 'service_healthy', 'service_completed_successfully']).optional(),
  restart: boolLike.optional(),
  required: boolLike.optional(),
};
export const dependsSchema = z.strictObject(dependsShape);

export const healthcheckShape = {
  test: z.union([z.string(), z.array(z.string())]).optional(),
  interval: z.string().optional(),
  timeout: z.string().optional(),
  start_period: z.string().optional(),
  retries: intLike.optional(),
  disable: boolLike.optional(),
};
export const healthcheckSchema = z.strictObject(healthcheckShape);
export type HealthcheckRaw = z.output<typeof healthcheckSchema>;

/** `env_file:` a path, or a list of paths and `{path, required, format}` entries. */
export const envFileEntryShape = { path: z.string().min(1), required: boolLike.optional(), format: z.string().optional() };
export const envFileSchema = z.union([z.string().min(1), z.array(z.union([z.string().min(1), z.strictObject(envFileEntryShape)])), z.null()]);
export type EnvFileRaw = z.output<typeof envFileSchema>;

/** A service's `secrets:` / `configs:` entry: a name, or `{source, target, uid, gid, mode}`. */
export const fileGrantShape = {
  source: z.string().min(1),
  target: z.string().min(1).optional(),
  uid: scalarText.optional(),
  gid: scalarText.optional(),
  mode: z.union([z.number(), z.string()]).optional(),
};
export const fileGrantsSchema = z.array(z.union([z.string().min(1), z.strictObject(fileGrantShape)]));
export type FileGrantsRaw = z.output<typeof fileGrantsSchema>;

/** A service's attachment to one network (`networks: {name: {aliases}}`). */
export const serviceNetworkShape = {
  aliases: z.array(z.string().min(1)).optional(),
  priority: z.number().optional(),
};
export const serviceNetworksSchema = z.union([
  z.array(z.string().min(1)),
  z.record(z.string(), z.union([z.strictObject(serviceNetworkShape), z.null()])),
]);
export type ServiceNetworksRaw = z.output<typeof serviceNetworksSchema>;

/** `deploy.resources.{limits,reservations}`: what Coursedock applies to the container. */
export const resourceShape = { cpus: z.union([z.number(), z.string()]).optional(), memory: z.union([z.string(), z.number()]).optional() };
export const resourcesShape = { limits: z.strictObject(resourceShape).optional(), reservations: z.strictObject(resourceShape).optional() };
export const deployShape = { resources: z.strictObject(resourcesShape).optional() };

export const serviceShape = {
  image: z.string().min(1).optional(),
  build: z.union([z.string().min(1), buildSchema]).optional(),
  pull_policy: z.string().optional(),
  command: commandLine.optional(),
  entrypoint: commandLine.optional(),
  environment: keyValues.optional(),
  ports: z.array(z.union([z.string(), z.number(), portSchema])).optional(),
  volumes: z.array(z.union([z.string(), volumeMountSchema])).optional(),
  depends_on: z.union([z.array(z.string()), z.record(z.string(), z.union([dependsSchema, z.null()]))]).optional(),
  healthcheck: healthcheckSchema.optional(),
  restart: z.string().optional(),
  user: scalarText.optional(),
  working_dir: z.string().optional(),
  hostname: z.string().optional(),
  labels: keyValues.optional(),
  shm_size: z.union([z.string(), z.number()]).optional(),
  init: boolLike.optional(),
  tty: boolLike.optional(),
  stdin_open: boolLike.optional(),
  stop_grace_period: z.string().optional(),
  env_file: envFileSchema.optional(),
  profiles: z.array(z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/, 'letters, digits, _ . - only')).optional(),
  secrets: fileGrantsSchema.optional(),
  configs: fileGrantsSchema.optional(),
  networks: serviceNetworksSchema.optional(),
  deploy: z.strictObject(deployShape).nullish(),
  cpus: z.union([z.number(), z.string()]).optional(),
  mem_limit: z.union([z.string(), z.number()]).optional(),
  mem_reservation: z.union([z.string(), z.number()]).optional(),
};
export const serviceSchema = z.strictObject(serviceShape);
export type ServiceRaw = z.output<typeof serviceSchema>;

/** `external: true`, or the old `external: {name: …}` (deprecated by Compose, still accepted). */
export const externalLike = z.union([boolLike, z.strictObject({ name: z.string().min(1).optional() })]);

export const topVolumeShape = {
  name: z.string().min(1).optional(),
  external: externalLike.optional(),
  labels: keyValues.optional(),
};
export const topVolumeSchema = z.union([z.strictObject(topVolumeShape), z.null()]);

export const topNetworkShape = {
  name: z.string().min(1).optional(),
  external: externalLike.optional(),
  internal: boolLike.optional(),
  driver: z.string().optional(),
  labels: keyValues.optional(),
  attachable: boolLike.optional(),
};
export const topNetworkSchema = z.union([z.strictObject(topNetworkShape), z.null()]);

/** Top-level `secrets:` and `configs:` entries: from a file, from a variable, or (configs) inline. */
export const topFileShape = {
  file: z.string().min(1).optional(),
  environment: z.string().min(1).optional(),
  content: z.string().optional(),
  external: externalLike.optional(),
  name: z.string().min(1).optional(),
  labels: keyValues.optional(),
};
export const topFileSchema = z.strictObject(topFileShape);

export const variableShape = {
  kind: z.enum(['token', 'folder', 'host-uid', 'value']),
  default: scalarText.optional(),
  description: z.string().optional(),
};
export const variableSchema = z.strictObject(variableShape);

export const webShape = { port: intLike, path: z.string().optional(), 'announces-ready': z.boolean().optional() };
export const connectionShape = {
  kind: z.enum(['postgres', 'mongodb', 'http', 'other']),
  port: intLike,
  user: scalarText.optional(),
  password: scalarText.optional(),
  database: scalarText.optional(),
  'env-vars': z.record(z.string(), z.string()).optional(),
};
export const serviceMetaShape = {
  title: z.string().min(1).optional(),
  description: z.string().optional(),
  icon: z.string().optional(),
  web: z.strictObject(webShape).optional(),
  connection: z.strictObject(connectionShape).optional(),
  /** Host system folders this service may bind-mount anyway (host-path-guard.ts); each is warned about. */
  'allow-host-paths': z.array(z.string().min(1)).optional(),
  /** How the service's data is backed up: shape in engine/backups/backup-spec.ts, checked in normalize-meta.ts. */
  backup: z.unknown().optional(),
};
export const serviceMetaSchema = z.strictObject(serviceMetaShape);
export type ServiceMetaRaw = z.output<typeof serviceMetaSchema>;

export const courseMetaShape = {
  // Required, but checked in normalize-meta.ts so a missing title does not hide other problems.
  title: z.string().min(1).optional(),
  description: z.string().optional(),
  variables: z.record(z.string(), z.unknown()).nullish(),
  'student-data': z.array(z.string()).nullish(),
  services: z.record(z.string(), z.unknown()).nullish(),
  // Shapes below (starterNotebooksSchema, checkSchemas), validated entry by entry in normalize-meta.ts.
  'starter-notebooks': z.unknown().optional(),
  checks: z.array(z.unknown()).nullish(),
};

/** Files copied into a service's bind-mounted folder before its first start (content/). */
export const starterNotebooksSchema = z.strictObject({
  /** Folder next to the spec holding the files. */
  source: z.string().min(1),
  service: z.string().min(1),
  /** Container path of the service's bind mount whose host folder receives the files. */
  target: z.string().regex(/^\//, 'must be an absolute container path'),
});

// "Check my environment" (checks/): each entry one check, its kind naming what it runs.
const checkCommon = {
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, . _ - only').optional(),
  title: z.string().min(1).optional(),
  /** One line telling the student what to do when the check fails. */
  hint: z.string().min(1).optional(),
};
const pythonName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/, 'a Python module name');
const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name');
export const checkSchemas = {
  'python-modules': z.strictObject({
    kind: z.literal('python-modules'), ...checkCommon,
    service: z.string().min(1), user: scalarText.optional(), modules: z.array(pythonName).min(1),
  }),
  connect: z.strictObject({
    kind: z.literal('connect'), ...checkCommon,
    service: z.string().min(1), user: scalarText.optional(), target: z.string().min(1), port: intLike,
    login: z.enum(['postgres', 'mongodb']).optional(), 'url-env': envName.optional(),
  }),
  sql: z.strictObject({
    kind: z.literal('sql'), ...checkCommon,
    service: z.string().min(1), query: z.string().min(1), 'at-least': intLike.optional(),
    user: scalarText.optional(), database: scalarText.optional(),
  }),
  writable: z.strictObject({
    kind: z.literal('writable'), ...checkCommon,
    service: z.string().min(1), path: z.string().regex(/^\//, 'must be an absolute container path'), user: scalarText.optional(),
  }),
  'disk-space': z.strictObject({
    kind: z.literal('disk-space'), ...checkCommon,
    'min-free': z.union([z.string(), z.number()]), service: z.string().min(1).optional(),
  }),
  port: z.strictObject({ kind: z.literal('port'), ...checkCommon, service: z.string().min(1).optional() }),
  'image-extras': z.strictObject({ kind: z.literal('image-extras'), ...checkCommon, service: z.string().min(1), user: scalarText.optional() }),
} as const;
export type CheckRaw = z.output<(typeof checkSchemas)[keyof typeof checkSchemas]>;
export const courseMetaSchema = z.strictObject(courseMetaShape);

export const topShape = {
  services: z.record(z.string(), z.unknown()),
  volumes: z.record(z.string(), z.unknown()).nullish(),
  networks: z.record(z.string(), z.unknown()).nullish(),
  secrets: z.record(z.string(), z.unknown()).nullish(),
  configs: z.record(z.string(), z.unknown()).nullish(),
  /** Compose's project name; here also the course title when x-coursedock gives none. */
  name: z.string().min(1).optional(),
  'x-coursedock': z.unknown().optional(),
};
export const topSchema = z.strictObject(topShape);
