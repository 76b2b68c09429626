// Capture: what is installed in a running container, as a manifest. One exec runs the capture
// script; the image's id and creation time come from inspect.
import type Dockerode from 'dockerode';
import { describeError } from '../describe-error.js';
import { CAPTURE_SCRIPT, PYTHON_SNIPPET, parseCaptureOutput } from './capture-script.js';
import { execInContainer } from './exec.js';
import { MANIFEST_FORMAT, MANIFEST_VERSION, manifestSchema, type Manifest } from './manifest.js';

export interface CaptureMeta {
  name: string;
  project: string;
  service: string;
  /** Shown in errors ("Jupyter Notebook is not running"). */
  title?: string;
  now?: Date;
  timeoutMs?: number;
}

export async function captureContainer(docker: Dockerode, containerId: string, meta: CaptureMeta): Promise<Manifest> {
  const title = meta.title ?? meta.service;
  let info: Dockerode.ContainerInspectInfo;
  try {
    info = await docker.getContainer(containerId).inspect();
  } catch (err) {
    throw new Error(`${title} has no container to take a snapshot of: ${describeError(err)}`);
  }
  if (!info.State.Running) throw new Error(`${title} is not running: start it to take a snapshot.`);

  const result = await execInContainer(docker, containerId, ['sh', '-c', CAPTURE_SCRIPT], {
    env: [`CD_PY=${PYTHON_SNIPPET}`],
    timeoutMs: meta.timeoutMs ?? 120_000,
  }).catch((err: unknown) => {
    const msg = describeError(err);
    if (/executable file not found|no such file or directory/i.test(msg)) {
      throw new Error(`${title} has no shell (/bin/sh) in its container, so Coursedock cannot list what is installed.`);
    }
    throw new Error(`Could not list what is installed in ${title}: ${msg}`);
  });
  if (result.exitCode === 126 || result.exitCode === 127) {
    throw new Error(`${title} has no shell (/bin/sh) in its container, so Coursedock cannot list what is installed.`);
  }
  const parsed = parseCaptureOutput(result.stdout);

  let created: string | undefined;
  try {
    created = (await docker.getImage(info.Image).inspect()).Created;
  } catch {
    parsed.warnings.push(`The image ${info.Config.Image} (${info.Image}) is no longer in Docker: its creation time is unknown.`);
  }
  const manifest: Manifest = {
    format: MANIFEST_FORMAT,
    version: MANIFEST_VERSION,
    name: meta.name,
    createdAt: (meta.now ?? new Date()).toISOString(),
    project: meta.project,
    service: meta.service,
    image: { ref: info.Config.Image, id: info.Image, ...(created ? { created } : {}) },
    os: parsed.os,
    packages: parsed.packages,
    ...(parsed.python ? { python: parsed.python } : {}),
    ...(parsed.node ? { node: parsed.node } : {}),
    ...(parsed.warnings.length ? { warnings: parsed.warnings } : {}),
  };
  // What we write must be what we can read back.
  return manifestSchema.parse(manifest);
}
