// A stand-in for the browser shell with no engine behind it: serves the built panel and answers
// the contract from canned data (typed against the contract, so it stays in step), for browser
// tests of the panel alone — e.g. how it copes with a flood of log lines. No Docker needed.
import { createReadStream, existsSync, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { EnvironmentInfo, Events, MethodName, Outputs } from '../../electron/api/contract.js';
import { REPO_ROOT } from './paths.js';
import { messageText } from '../../electron/api/ws-text.js';

type Answer = { [M in MethodName]?: (params: unknown, ws: WebSocket) => Outputs[M] };

export interface FakeShell {
  url: string;
  push<E extends keyof Events>(ws: WebSocket, event: E, payload: Events[E]): void;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.html': 'text/html' };

export async function startFakeShell(answers: Answer): Promise<FakeShell> {
  const root = path.join(REPO_ROOT, 'dist/renderer');
  const server = http.createServer((req, res) => {
    let file = path.join(root, path.normalize(new URL(req.url ?? '/', 'http://x').pathname));
    if (!file.startsWith(root) || !existsSync(file) || statSync(file).isDirectory()) file = path.join(root, 'index.html');
    res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  const wss = new WebSocketServer({ server, path: '/api' });
  wss.on('connection', (ws) => {
    ws.on('message', (data) => {
      const { id, method, params } = JSON.parse(messageText(data)) as { id: number; method: MethodName; params: unknown };
      const answer = answers[method] as ((p: unknown, ws: WebSocket) => unknown) | undefined;
      const reply = answer
        ? { id, result: answer(params, ws) }
        : { id, error: { code: 'unknown-method', message: `The fake shell does not answer ${method}.` } };
      ws.send(JSON.stringify(reply));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    push: (ws, event, payload) => ws.send(JSON.stringify({ event, payload })),
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of wss.clients) c.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** One running service, enough for the panel to show its detail. */
export function oneService(name: string, title: string): EnvironmentInfo {
  return {
    project: 'demo',
    course: 'demo',
    title: 'Demo course',
    file: '/demo/compose.yml',
    services: [{ name, title, icon: 'generic', hasWebUi: false, resetVolumes: [], dependsOn: [] }],
    variables: [],
    warnings: [],
    states: [{ service: name, status: 'running', ports: [] }],
  };
}

/**
 * A shell whose one service ("chatty") floods its logs like the real shell does under
 * 10 000 lines a second: batches of 500 lines every 50 ms, per subscribing socket. Used by the
 * log-flood spec (what the panel keeps) and bench/panel.bench.ts (how responsive it stays).
 */
export async function startFloodShell(source: string): Promise<FakeShell> {
  let timers: NodeJS.Timeout[] = [];
  const stopAll = () => {
    for (const t of timers) clearInterval(t);
    timers = [];
  };
  const shell: FakeShell = await startFakeShell({
    'docker.status': () => ({ state: 'connected', endpoint: 'unix:///fake.sock', source, version: '0' }),
    'courses.list': () => [{ id: 'demo', title: 'Demo course', file: '/demo/compose.yml' }],
    'env.open': () => oneService('chatty', 'Chatty service'),
    'logs.subscribe': (_params, ws) => {
      let n = 0;
      const t = setInterval(() => {
        const lines = Array.from({ length: 500 }, () => ({ stream: 'stdout' as const, text: `line ${n++} ${'lorem ipsum '.repeat(6)}` }));
        shell.push(ws, 'logs.lines', { subscription: 'flood', lines });
      }, 50);
      timers.push(t);
      ws.on('close', () => clearInterval(t));
      return { subscription: 'flood' };
    },
    'logs.unsubscribe': () => {
      stopAll();
      return { ok: true as const };
    },
  });
  return {
    ...shell,
    close: async () => {
      stopAll();
      await shell.close();
    },
  };
}
