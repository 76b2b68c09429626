// Method names that are Object.prototype's own (`__proto__`, `constructor`, `toString`, …) are
// unknown methods on every path a UI can take: the contract's lookup, the session, the browser
// shell's WebSocket binding and the desktop's IPC binding (issue 12 item 6). Inputs that carry
// `__proto__` are refused as input, and nothing is polluted on the way.
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { Engine } from '../engine/engine.js';
import { bindIpc } from '../desktop/ipc-binding.js';
import { createBridge } from '../desktop/preload-bridge.js';
import { InMemoryIpcMain, InMemoryWindow } from '../desktop/testing/in-memory-ipc.js';
import { bindSocket } from '../serve/ws-binding.js';
import { ApiSession } from './api-session.js';
import { ApiFailure, parseInput } from './contract.js';
import { offlineEngine } from '../engine/testing/offline-engine.js';

const PROTOTYPE_NAMES = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'valueOf',
  'hasOwnProperty',
  'isPrototypeOf',
  'propertyIsEnumerable',
  'toLocaleString',
  '__defineGetter__',
  '__lookupSetter__',
];

let root: string;
let engine: Engine;

beforeAll(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'cd-methods-'));
  engine = offlineEngine(root);
});

afterAll(() => {
  engine.close();
  rmSync(root, { recursive: true, force: true });
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});

describe('unknown methods', () => {
  it.each(PROTOTYPE_NAMES)('the contract says %s is an unknown method', (method) => {
    let error: unknown;
    try {
      parseInput(method, {});
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ApiFailure);
    expect((error as ApiFailure).error).toEqual({ code: 'unknown-method', message: `Unknown method "${method}".` });
  });

  it('the session answers unknown-method for each of them', async () => {
    const session = new ApiSession(engine, () => undefined);
    try {
      for (const method of PROTOTYPE_NAMES) {
        await expect(session.call(method, {})).rejects.toMatchObject({ error: { code: 'unknown-method' } });
      }
    } finally {
      session.dispose();
    }
  });

  it('the WebSocket binding answers unknown-method, and a `__proto__` input is invalid input, not pollution', async () => {
    const ws = Object.assign(new EventEmitter(), { OPEN: 1, readyState: 1, bufferedAmount: 0, sent: [] as unknown[] });
    (ws as unknown as { send: (t: string) => void }).send = (text) => ws.sent.push(JSON.parse(text));
    const session = bindSocket(ws as unknown as WebSocket, engine);
    try {
      const reply = async (text: string) => {
        const before = ws.sent.length;
        ws.emit('message', Buffer.from(text), false);
        for (let i = 0; i < 100 && ws.sent.length === before; i++) await new Promise((r) => setTimeout(r, 5));
        return ws.sent.slice(before).find((m) => typeof m === 'object' && m !== null && 'id' in m);
      };
      for (const [i, method] of PROTOTYPE_NAMES.entries()) {
        expect(await reply(JSON.stringify({ id: i, method, params: {} }))).toEqual({
          id: i,
          error: { code: 'unknown-method', message: `Unknown method "${method}".` },
        });
      }
      const hostile = '{"id":"p","method":"settings.set","params":{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}}}}';
      expect(await reply(hostile)).toMatchObject({ id: 'p', error: { code: 'invalid-input' } });
      expect(await reply('{"id":"q","method":"courses.list","params":{"__proto__":{"polluted":1}}}')).toMatchObject({
        id: 'q',
        error: { code: 'invalid-input' },
      });
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    } finally {
      session.dispose();
    }
  });

  it('the IPC bridge and binding answer unknown-method for them too', async () => {
    const appUrl = 'file:///opt/Coursedock/resources/app.asar/dist/renderer/index.html';
    const ipcMain = new InMemoryIpcMain();
    const win = new InMemoryWindow(ipcMain, appUrl);
    const binding = bindIpc({ ipcMain, webContents: win, appUrl, createSession: (emit) => new ApiSession(engine, emit) });
    try {
      const bridge = createBridge(win.ipcRenderer());
      for (const method of PROTOTYPE_NAMES) {
        await expect(bridge.invoke(method, {})).resolves.toMatchObject({ ok: false, error: { code: 'unknown-method' } });
      }
      // Straight at the channels (a page without the bridge): no handler for these names.
      const ipc = win.ipcRenderer();
      for (const method of ['__proto__', 'constructor', 'toString']) {
        await expect(ipc.invoke(`coursedock:call:${method}`, {})).rejects.toThrow(/No handler registered/);
      }
    } finally {
      binding.dispose();
    }
  });
});
