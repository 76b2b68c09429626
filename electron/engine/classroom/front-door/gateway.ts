// The classroom gateway: how the front door (a process on the host) reaches the students' web
// UIs when no student service publishes a host port. One container per classroom, built here
// from `../gateway/` (FROM debian:bookworm-slim, tinyproxy), published on 127.0.0.1 only and
// attached to every student's attachable overlay network. The front door opens a TCP tunnel
// through it with HTTP CONNECT to `<course>-<student>_<service>:<port>` (Swarm's DNS name of
// that student's service, which resolves only on that student's overlay). The gateway accepts
// clients from the host side only (gateway/entrypoint.sh), so a student's container that can
// reach the gateway over its overlay cannot use it to reach anyone else.
import net from 'node:net';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type Dockerode from 'dockerode';
import { buildContextHash, packContext } from '../../docker/build-context.js';
import { CLASSROOM_LABEL } from '../names.js';

export const GATEWAY_CONTEXT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../gateway');
const PROXY_PORT = 3128;
const HASH_LABEL = 'org.coursedock.context-hash';
/** On the gateway container: the classroom it serves. */
export const GATEWAY_LABEL = 'org.coursedock.classroom-gateway';

export const gatewayContainerName = (course: string): string => `coursedock-classroom-${course}-gateway`;

/** The gateway image for the context as it is now (built when missing or changed). */
export async function ensureGatewayImage(docker: Dockerode, log: (line: string) => void = () => undefined): Promise<string> {
  const build = { context: GATEWAY_CONTEXT, dockerfile: 'Dockerfile', args: {} };
  const hash = await buildContextHash(build);
  const tag = `coursedock/classroom-gateway:${hash.slice('sha256:'.length, 'sha256:'.length + 12)}`;
  const have = await docker
    .getImage(tag)
    .inspect()
    .catch(() => undefined);
  if (have) return tag;
  log(`Building the classroom gateway image ${tag}…`);
  const stream = await docker.buildImage(await packContext(build), { t: tag, labels: { [HASH_LABEL]: hash }, forcerm: true });
  const output = await new Promise<Array<{ error?: string; stream?: string }>>((resolve, reject) =>
    docker.modem.followProgress(stream, (err: Error | null, res: Array<{ error?: string }>) => (err ? reject(err) : resolve(res))),
  );
  const failed = output.find((o) => o.error);
  if (failed) throw new Error(`The classroom gateway image did not build: ${failed.error}`);
  return tag;
}

export interface Gateway {
  /** The port on 127.0.0.1 the gateway's proxy is published on. */
  readonly port: number;
  readonly containerId: string;
  /** Joins these overlay networks (already joined ones are skipped). */
  attach(networks: string[]): Promise<void>;
  /** A TCP connection to `host:port` as seen from inside the students' networks. */
  connect(host: string, port: number): Promise<Duplex>;
  /** Stops and removes the container (the students' stacks are untouched). */
  close(): Promise<void>;
}

export interface GatewayOptions {
  course: string;
  /** Ports a CONNECT may go to (default: 8888, the notebook). */
  connectPorts?: number[];
  log?: (line: string) => void;
}

async function removeIfThere(docker: Dockerode, name: string): Promise<void> {
  await docker
    .getContainer(name)
    .remove({ force: true })
    .catch((err: unknown) => {
      if ((err as { statusCode?: number } | null)?.statusCode !== 404) throw err;
    });
}

export async function startGateway(docker: Dockerode, options: GatewayOptions): Promise<Gateway> {
  const image = await ensureGatewayImage(docker, options.log);
  const name = gatewayContainerName(options.course);
  // One gateway per classroom, owned by the front door that runs: a leftover one is replaced.
  await removeIfThere(docker, name);
  const container = await docker.createContainer({
    name,
    Image: image,
    Env: [`GATEWAY_CONNECT_PORTS=${(options.connectPorts ?? [8888]).join(' ')}`],
    // Not labelled as one of the classroom's objects: `classroom down` waits for those to go.
    Labels: { [GATEWAY_LABEL]: options.course, [CLASSROOM_LABEL.managedBy]: 'coursedock' },
    ExposedPorts: { [`${PROXY_PORT}/tcp`]: {} },
    HostConfig: {
      PortBindings: { [`${PROXY_PORT}/tcp`]: [{ HostIp: '127.0.0.1', HostPort: '' }] },
      RestartPolicy: { Name: 'unless-stopped' },
      CapDrop: ['ALL'],
      CapAdd: ['SETUID', 'SETGID'],
      SecurityOpt: ['no-new-privileges'],
    },
  });
  await container.start();
  const info = await container.inspect();
  const binding = info.NetworkSettings.Ports[`${PROXY_PORT}/tcp`]?.[0];
  if (!binding) throw new Error('The classroom gateway started without its port.');
  const port = Number(binding.HostPort);
  const joined = new Set(Object.keys(info.NetworkSettings.Networks));
  await waitForProxy(port);

  return {
    port,
    containerId: info.Id,
    async attach(networks) {
      for (const n of networks) {
        if (joined.has(n)) continue;
        try {
          await docker.getNetwork(n).connect({ Container: info.Id });
        } catch (err) {
          const e = err as { statusCode?: number; message?: string };
          // Already attached (another call raced us) is fine; a missing network is not ours to make.
          if (!(e.statusCode === 403 && /already exists|already attached/i.test(e.message ?? ''))) throw err;
        }
        joined.add(n);
      }
    },
    connect: (host, targetPort) => connectThrough(port, host, targetPort),
    close: () => removeIfThere(docker, name),
  };
}

async function waitForProxy(port: number, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect({ host: '127.0.0.1', port }, () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error('The classroom gateway did not answer.');
    await new Promise((r) => setTimeout(r, 200));
  }
}

const MAX_ANSWER_BYTES = 16 * 1024;

/** Opens `host:port` through the HTTP CONNECT proxy on 127.0.0.1:`proxyPort`. */
export function connectThrough(proxyPort: number, host: string, port: number, timeoutMs = 15_000): Promise<Duplex> {
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(host)) return Promise.reject(new Error(`Not a service name: ${host}`));
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port: proxyPort });
    let answer = Buffer.alloc(0);
    const timer = setTimeout(() => fail(new Error(`The classroom gateway did not open ${host}:${port} in time.`)), timeoutMs);
    const fail = (err: Error) => {
      clearTimeout(timer);
      socket.destroy();
      reject(err);
    };
    socket.on('error', fail);
    socket.on('connect', () => socket.write(`CONNECT ${host}:${port} HTTP/1.1\r\nHost: ${host}:${port}\r\n\r\n`));
    // Read the proxy's answer in paused mode: the bytes after it belong to whoever pipes the
    // socket next, and a 'data' listener would put it in flowing mode and lose them.
    const onReadable = () => {
      for (let chunk = socket.read() as Buffer | null; chunk; chunk = socket.read() as Buffer | null) {
        answer = Buffer.concat([answer, chunk]);
        const end = answer.indexOf('\r\n\r\n');
        if (end < 0) {
          if (answer.length > MAX_ANSWER_BYTES) { fail(new Error('The classroom gateway answered nonsense.')); return; }
          continue;
        }
        socket.off('readable', onReadable);
        const status = answer.subarray(0, end).toString('latin1').split('\r\n')[0] ?? '';
        if (!/^HTTP\/1\.[01] 200/.test(status)) {
          fail(new Error(`${host}:${port} cannot be reached through the classroom gateway (${status.slice(0, 80)}).`)); return;
        }
        clearTimeout(timer);
        socket.off('error', fail);
        const rest = answer.subarray(end + 4);
        if (rest.length) socket.unshift(rest);
        resolve(socket); return;
      }
    };
    socket.on('readable', onReadable);
  });
}
