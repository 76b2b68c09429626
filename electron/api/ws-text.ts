// The text of a WebSocket message as `ws` hands it over: a Buffer by default, a list of Buffers or
// an ArrayBuffer when a socket's binaryType asks for one. `toString()` on those two would give
// "[object ArrayBuffer]" or commas, so everything that reads API messages reads them here.
import type { RawData } from 'ws';

export function messageText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString();
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString();
  return data.toString();
}
