// Docker's event stream is newline-delimited JSON that arrives in arbitrary chunks: an event may
// be split across chunks, or several may share one. Both followers of that stream (the engine's
// connection and the classroom's Swarm watch) read it through this one splitter.
import { StringDecoder } from 'node:string_decoder';

/** Calls `onLine` with every non-empty line of `stream`, whole, in order. */
export function onEventLines(stream: NodeJS.ReadableStream, onLine: (line: string) => void): void {
  // The decoder keeps a multi-byte character split across chunks intact.
  const decoder = new StringDecoder('utf8');
  let buffer = '';
  stream.on('data', (chunk: Buffer | string) => {
    buffer += typeof chunk === 'string' ? chunk : decoder.write(chunk);
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl).trim();
      buffer = buffer.slice(nl + 1);
      if (line) onLine(line);
    }
  });
}
