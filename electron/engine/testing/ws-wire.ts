// What a test client reads off the panel's API socket, typed instead of `any`: a frame's text
// (ws hands over a Buffer, an ArrayBuffer or fragments) and the two kinds of message the server
// sends, an answer ({id, result | error}) or an event ({event, payload}), checked with zod.
import type WebSocket from 'ws';
import { z } from 'zod';

export function frameText(raw: WebSocket.RawData): string {
  if (Array.isArray(raw)) return Buffer.concat(raw).toString('utf8');
  if (Buffer.isBuffer(raw)) return raw.toString('utf8');
  return Buffer.from(raw).toString('utf8');
}

const wireMessage = z.looseObject({
  id: z.number().nullable().optional(),
  result: z.unknown().optional(),
  error: z.looseObject({ message: z.string() }).optional(),
  event: z.string().optional(),
  payload: z.record(z.string(), z.unknown()).optional(),
});
export type WireMessage = z.infer<typeof wireMessage>;

/** One message from the API socket; throws when it is not JSON or not of the contract's shape. */
export function parseWire(raw: WebSocket.RawData): WireMessage {
  return wireMessage.parse(JSON.parse(frameText(raw)));
}
