// The one place that knows which shell the panel runs in: Electron's preload exposes
// `window.coursedock`; anywhere else the panel talks to the browser shell over a WebSocket,
// with the API key the shell put in this page.
import { createClient } from './client.js';
import { ipcBridge } from './ipc-bridge.js';
import { createIpcTransport } from './ipc-transport.js';
import { apiProtocols, createWsTransport, pageApiKey } from './ws-transport.js';

export function connectClient() {
  const bridge = ipcBridge();
  return createClient(bridge ? createIpcTransport(bridge) : createWsTransport({ protocols: apiProtocols(pageApiKey()) }));
}
