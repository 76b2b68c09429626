// A Unix socket the test controls, forwarding to the real Docker socket: up, it is Docker;
// down, Docker "is not running" (every connection cut, the socket gone).
import { existsSync, unlinkSync } from 'node:fs';
import net from 'node:net';

export interface DockerProxy {
  path: string;
  url: string;
  up(): Promise<void>;
  down(): Promise<void>;
}

export function dockerProxy(path: string, target = '/var/run/docker.sock'): DockerProxy {
  let server: net.Server | undefined;
  const sockets = new Set<net.Socket>();
  const remove = () => {
    if (existsSync(path)) unlinkSync(path);
  };
  return {
    path,
    url: `unix://${path}`,
    async up() {
      if (server) return;
      remove();
      const s = net.createServer((client) => {
        const upstream = net.connect(target);
        sockets.add(client);
        sockets.add(upstream);
        const drop = () => {
          client.destroy();
          upstream.destroy();
          sockets.delete(client);
          sockets.delete(upstream);
        };
        client.on('error', drop).on('close', drop);
        upstream.on('error', drop).on('close', drop);
        client.pipe(upstream).pipe(client);
      });
      await new Promise<void>((resolve, reject) => {
        s.once('error', reject);
        s.listen(path, () => resolve());
      });
      server = s;
    },
    async down() {
      const s = server;
      server = undefined;
      for (const sock of sockets) sock.destroy();
      sockets.clear();
      if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
      remove();
    },
  };
}
