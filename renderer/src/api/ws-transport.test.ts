import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createClient } from './client.js';
import { ApiCallError, type ConnectionState } from './transport.js';
import { apiProtocols, apiUrl, createWsTransport, pageApiKey } from './ws-transport.js';

/** A WebSocket stand-in the test drives: open, message, close. */
class FakeSocket {
  static all: FakeSocket[] = [];
  readyState = 0;
  sent: Array<{ id: number; method: string; params: unknown }> = [];
  onopen: ((ev: Event) => unknown) | null = null;
  onclose: ((ev: CloseEvent) => unknown) | null = null;
  onerror: ((ev: Event) => unknown) | null = null;
  onmessage: ((ev: MessageEvent) => unknown) | null = null;
  constructor(
    readonly url: string,
    readonly protocols?: string[],
  ) {
    FakeSocket.all.push(this);
  }
  send(data: string) {
    this.sent.push(JSON.parse(data) as { id: number; method: string; params: unknown });
  }
  close() {
    this.drop();
  }
  open() {
    this.readyState = 1;
    this.onopen?.(new Event('open'));
  }
  receive(msg: unknown) {
    this.onmessage?.({ data: JSON.stringify(msg) } as MessageEvent);
  }
  drop() {
    this.readyState = 3;
    this.onclose?.({} as CloseEvent);
  }
}

const last = () => FakeSocket.all[FakeSocket.all.length - 1]!;
const tick = async () => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

beforeEach(() => {
  FakeSocket.all = [];
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
});
afterEach(() => vi.useRealTimers());

const make = () =>
  createWsTransport({ url: 'ws://127.0.0.1:1234/api', WebSocketImpl: FakeSocket, backoffMs: [100, 200, 400], waitForOpenMs: 1000 });

describe('WebSocket transport', () => {
  it('derives the URL from the page', () => {
    expect(apiUrl({ protocol: 'http:', host: '127.0.0.1:8080' })).toBe('ws://127.0.0.1:8080/api');
    expect(apiUrl({ protocol: 'https:', host: 'example.test' })).toBe('wss://example.test/api');
  });

  it('sends {id, method, params} and resolves with the matching result', async () => {
    const client = createClient(make());
    last().open();
    const p = client.call('env.state', { project: 'tm351' });
    await Promise.resolve();
    await Promise.resolve();
    expect(last().sent).toEqual([{ id: 1, method: 'env.state', params: { project: 'tm351' } }]);
    last().receive({ id: 1, result: [] });
    await expect(p).resolves.toEqual([]);
    // No file picker on the engine's computer from a browser: paths are typed.
    expect(client.canChooseFiles).toBe(false);
  });

  it('rejects with the ApiError as an ApiCallError', async () => {
    const client = createClient(make());
    last().open();
    const p = client.call('docker.status', {});
    await Promise.resolve();
    await Promise.resolve();
    last().receive({ id: 1, error: { code: 'docker-unreachable', message: 'Docker is not reachable.', details: { hint: 'h' } } });
    const err = await p.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiCallError);
    expect(err).toMatchObject({ code: 'docker-unreachable', message: 'Docker is not reachable.', details: { hint: 'h' } });
  });

  it('waits for the socket to open before sending', async () => {
    const client = createClient(make());
    const p = client.call('courses.list', {});
    await Promise.resolve();
    expect(last().sent).toHaveLength(0);
    last().open();
    await Promise.resolve();
    await Promise.resolve();
    expect(last().sent).toHaveLength(1);
    last().receive({ id: 1, result: [] });
    await expect(p).resolves.toEqual([]);
  });

  it('fails a call when the socket does not open in time', async () => {
    const client = createClient(make());
    const p = client.call('courses.list', {}).catch((e: unknown) => e);
    vi.advanceTimersByTime(1001);
    expect(await p).toMatchObject({ code: 'failed', message: expect.stringMatching(/not answering/) as unknown });
  });

  it('delivers pushed events to their listeners only', () => {
    const client = createClient(make());
    last().open();
    const states: unknown[] = [];
    const notices: unknown[] = [];
    client.on('env.state', (p) => states.push(p));
    const off = client.on('env.notice', (p) => notices.push(p));
    last().receive({ event: 'env.state', payload: { project: 'p', state: { service: 'a' } } });
    off();
    last().receive({ event: 'env.notice', payload: {} });
    expect(states).toEqual([{ project: 'p', state: { service: 'a' } }]);
    expect(notices).toEqual([]);
  });

  it('ignores garbage', () => {
    const client = createClient(make());
    last().open();
    const cb = vi.fn();
    client.on('env.state', cb);
    last().onmessage?.({ data: 'not json' } as MessageEvent);
    last().receive({ id: 99, result: 1 });
    expect(cb).not.toHaveBeenCalled();
  });

  it('fails calls in flight when the socket drops, reconnects with backoff, and re-sends nothing', async () => {
    const states: ConnectionState[] = [];
    const client = createClient(make());
    client.onConnection((s) => states.push(s));
    last().open();
    const p = client.call('env.up', { project: 'tm351' }).catch((e: unknown) => e);
    await tick();
    const first = last();
    first.drop();
    expect(await p).toMatchObject({ code: 'failed', message: expect.stringMatching(/Lost the connection/) as unknown });
    expect(FakeSocket.all).toHaveLength(1);
    vi.advanceTimersByTime(100);
    expect(FakeSocket.all).toHaveLength(2);
    last().drop();
    vi.advanceTimersByTime(199);
    expect(FakeSocket.all).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(FakeSocket.all).toHaveLength(3);
    last().open();
    expect(last().sent).toEqual([]);
    expect(states).toEqual(['connecting', 'open', 'closed', 'connecting', 'closed', 'connecting', 'open']);
    // After a successful open the backoff starts again from the first delay.
    last().drop();
    vi.advanceTimersByTime(100);
    expect(FakeSocket.all).toHaveLength(4);
  });

  it('stops reconnecting once closed', () => {
    const t = make();
    last().open();
    t.close();
    vi.advanceTimersByTime(10_000);
    expect(FakeSocket.all).toHaveLength(1);
  });
});

describe('the API key', () => {
  it('is read from the page the shell served and offered as a subprotocol beside ours', () => {
    const doc = { querySelector: (sel: string) => (sel === 'meta[name="coursedock-api-key"]' ? ({ content: 'k123' } as HTMLMetaElement) : null) };
    expect(pageApiKey(doc as unknown as Document)).toBe('k123');
    expect(pageApiKey({ querySelector: () => null })).toBeUndefined();
    expect(apiProtocols('k123')).toEqual(['coursedock.v1', 'key.k123']);
    expect(apiProtocols(undefined)).toEqual(['coursedock.v1']);
  });

  it('goes with every (re)connection', () => {
    const t = createWsTransport({ url: 'ws://x/api', protocols: ['coursedock.v1', 'key.k'], WebSocketImpl: FakeSocket, backoffMs: [1] });
    expect(last().protocols).toEqual(['coursedock.v1', 'key.k']);
    t.close();
  });
});
