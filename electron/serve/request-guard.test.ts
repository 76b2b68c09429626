// The request guard's pieces on their own: decoding that reports instead of throwing, the
// request-target check, the log line (bounded, printable, no token), the rate limit, and the
// listener wrappers turning throws into 400/500 answers.
import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { cookieValue, requestToken } from './access.js';
import {
  BadRequest,
  MAX_URL_LENGTH,
  decodeComponent,
  describeRequest,
  guardRequests,
  guardUpgrades,
  rateLimitedLog,
  requestUrl,
  tryDecodeComponent,
} from './request-guard.js';

const req = (url: string, headers: Record<string, string> = {}, method = 'GET') =>
  ({ url, method, headers }) as unknown as IncomingMessage;

/** Enough of a ServerResponse to see what the guard answers. */
function fakeResponse() {
  const res = new EventEmitter() as EventEmitter & { status?: number; body?: string; headersSent: boolean; destroyed: boolean };
  res.headersSent = false;
  res.destroyed = false;
  Object.assign(res, {
    writeHead(status: number) {
      res.status = status;
      res.headersSent = true;
    },
    end(body?: string) {
      res.body = body;
    },
    destroy() {
      res.destroyed = true;
    },
  });
  return res as unknown as ServerResponse & { status?: number; body?: string; destroyed: boolean };
}

describe('decoding helpers', () => {
  it('decode good percent-encoding and report bad encoding as a BadRequest naming where', () => {
    expect(decodeComponent('a%20b%C3%A9', 'cookie')).toBe('a bé');
    for (const bad of ['%zz', '%', '%E0%A4%A', '%C3', '%ff%fe', 'abc%2']) {
      expect(() => decodeComponent(bad, 'coursedock_token cookie')).toThrow(BadRequest);
      expect(() => decodeComponent(bad, 'coursedock_token cookie')).toThrow(/malformed percent-encoding in the coursedock_token cookie/);
      expect(tryDecodeComponent(bad)).toBeUndefined();
    }
    expect(tryDecodeComponent('ok%21')).toBe('ok!');
  });

  it('reads our cookie, and a malformed one is a BadRequest rather than a URIError', () => {
    expect(cookieValue(req('/', { cookie: 'a=1; coursedock_token=t%2Bk; b=%zz' }), 'coursedock_token')).toBe('t+k');
    // Someone else's undecodable cookie is not ours to decode.
    expect(cookieValue(req('/', { cookie: 'other=%zz' }), 'coursedock_token')).toBeUndefined();
    expect(() => cookieValue(req('/', { cookie: 'coursedock_token=%zz' }), 'coursedock_token')).toThrow(BadRequest);
    expect(() => requestToken(req('/', { cookie: 'coursedock_token=%zz' }))).toThrow(BadRequest);
  });

  it('accepts origin-form request targets only, bounded in length', () => {
    expect(requestUrl(req('/p/x/?token=a%zz&b')).pathname).toBe('/p/x/');
    expect(requestUrl(req('/%zz')).pathname).toBe('/%zz');
    for (const bad of ['*', 'http://evil.example/', '//evil:99999/x', 'x', '', '/'.padEnd(MAX_URL_LENGTH + 1, 'a')]) {
      expect(() => requestUrl(req(bad)), bad.slice(0, 40)).toThrow(BadRequest);
    }
  });

  it('describes a request in one bounded, printable line without the token', () => {
    const line = describeRequest(req('/a?token=SECRET&x=1\u0000\u001b[31m', {}, 'GET'));
    expect(line).not.toContain('SECRET');
    expect(Array.from(line).filter((ch) => ch.charCodeAt(0) < 0x20), 'control characters').toEqual([]);
    expect(describeRequest(req(`/${'a'.repeat(1000)}`)).length).toBeLessThanOrEqual(121);
  });

  it('rate-limits the log and says how many lines were left out', () => {
    let t = 0;
    const lines: string[] = [];
    const log = rateLimitedLog((l) => lines.push(l), 3, 1000, () => t);
    for (let i = 0; i < 10; i++) log(`line ${i}`);
    expect(lines).toEqual(['line 0', 'line 1', 'line 2']);
    t = 1000;
    log('later');
    expect(lines.slice(3)).toEqual(['Coursedock: 7 more refused requests were not logged.', 'later']);
  });
});

describe('listener wrappers', () => {
  it('answer 400 for bad input, 500 for anything else, and log one line without a stack', async () => {
    const lines: string[] = [];
    const log = (l: string) => lines.push(l);
    const handler = guardRequests((r) => {
      if (r.url === '/boom') throw new Error('bug\n    at somewhere (file.ts:1:1)');
      if (r.url === '/async') return Promise.reject(new URIError('URI malformed'));
      decodeComponent('%zz', 'path');
    }, log);

    const bad = fakeResponse();
    handler(req('/x'), bad);
    expect(bad.status).toBe(400);
    const target = fakeResponse();
    handler(req('http://evil.example/'), target);
    expect(target.status).toBe(400);
    const bug = fakeResponse();
    handler(req('/boom'), bug);
    expect(bug.status).toBe(500);
    const late = fakeResponse();
    handler(req('/async'), late);
    await new Promise((r) => setImmediate(r));
    expect(late.status).toBe(400);

    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/refused a malformed request \(400\): malformed percent-encoding in the path — GET \/x/);
    expect(lines[2]).toMatch(/a request failed \(500\): Error: bug/);
    for (const l of lines) expect(l).not.toMatch(/\n|at somewhere/);
  });

  it('close a throwing upgrade with 400 and keep the socket from raising an unhandled error', () => {
    const lines: string[] = [];
    const socket = new PassThrough();
    let written = '';
    socket.on('data', (c: Buffer) => (written += c.toString()));
    guardUpgrades(() => {
      throw new BadRequest('truncated upgrade');
    }, (l) => lines.push(l))(req('/api'), socket, Buffer.alloc(0));
    expect(written).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(lines).toEqual([expect.stringMatching(/refused a malformed upgrade \(400\): truncated upgrade — GET \/api/)]);
    // A reset after 'upgrade' has a listener now (Node removed its own): no crash.
    expect(() => socket.emit('error', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }))).not.toThrow();
  });
});
