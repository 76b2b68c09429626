// What crosses the proxy, as pure functions over headers: our secrets never go upstream, the
// service's cookies never overwrite ours, and only the panel may frame the page.
import { describe, expect, it } from 'vitest';
import { downstreamHeaders, filterHandshake, upstreamHeaders, upstreamPath, withFrameAncestors } from './web-ui-proxy.js';

const PANEL = { frameAncestors: 'http://127.0.0.1:8350' };

describe('upstream requests', () => {
  it('lose our ticket and any token in the query, and keep the rest as sent', () => {
    expect(upstreamPath('/p/x/notebook/tree?coursedock_ticket=abc&a=1')).toBe('/p/x/notebook/tree?a=1');
    expect(upstreamPath('/p/x/notebook/api/kernels/1/channels?session_id=s&token=t')).toBe('/p/x/notebook/api/kernels/1/channels?session_id=s');
    expect(upstreamPath('/p/x/notebook/api/contents?ACCESS_TOKEN=t&Token=u')).toBe('/p/x/notebook/api/contents');
    expect(upstreamPath('/p/x/notebook/files/a%20b.csv?download=1')).toBe('/p/x/notebook/files/a%20b.csv?download=1');
  });

  it('lose our cookies and the client\'s Authorization; carry the service token and its own Host and Origin', () => {
    const h = upstreamHeaders(
      {
        host: '127.0.0.1:40000',
        origin: 'http://127.0.0.1:40000',
        cookie: 'coursedock_web_40000=secret; _xsrf=x; coursedock_panel_8350=panel',
        authorization: 'token panel-token',
        'proxy-authorization': 'Basic x',
        referer: 'http://127.0.0.1:8350/?token=panel-token',
        'x-coursedock-anything': '1',
      },
      { port: 8888, token: 'service-token' },
    );
    expect(h).toMatchObject({ host: '127.0.0.1:8888', origin: 'http://127.0.0.1:8888', cookie: '_xsrf=x', authorization: 'token service-token' });
    expect(h.referer).toBeUndefined();
    expect(h['proxy-authorization']).toBeUndefined();
    expect(h['x-coursedock-anything']).toBeUndefined();
  });

  it('send no Authorization at all when the service has no token', () => {
    const h = upstreamHeaders({ host: 'x', authorization: 'token panel-token', cookie: 'coursedock_web_1=a' }, { port: 8888 });
    expect(h.authorization).toBeUndefined();
    expect(h.cookie).toBeUndefined();
  });
});

describe('responses to the browser', () => {
  it('drop any Set-Cookie the service sends with our names', () => {
    const h = downstreamHeaders(
      { 'set-cookie': ['coursedock_panel_8350=evil; Path=/', '_xsrf=ok; Path=/', 'Coursedock_web_1=evil', ' coursedock_x=1'] },
      8888,
      PANEL,
    );
    expect(h['set-cookie']).toEqual(['_xsrf=ok; Path=/']);
    expect(downstreamHeaders({ 'set-cookie': ['coursedock_token=x'] }, 8888, PANEL)['set-cookie']).toBeUndefined();
  });

  it('set frame-ancestors to the panel, replacing whatever the service said', () => {
    expect(downstreamHeaders({}, 8888, PANEL)['content-security-policy']).toBe('frame-ancestors http://127.0.0.1:8350');
    const h = downstreamHeaders(
      { 'content-security-policy': "frame-ancestors *; report-uri /api/security/csp-report; FRAME-ANCESTORS 'self'", 'x-frame-options': 'ALLOWALL' },
      8888,
      PANEL,
    );
    expect(h['content-security-policy']).toBe('report-uri /api/security/csp-report; frame-ancestors http://127.0.0.1:8350');
    expect(h['x-frame-options']).toBeUndefined();
    expect(withFrameAncestors("default-src 'self'", "'none'")).toBe("default-src 'self'; frame-ancestors 'none'");
  });

  it('make redirects to the upstream\'s own address relative, and leave others alone', () => {
    expect(downstreamHeaders({ location: 'http://127.0.0.1:8888/p/x/notebook/tree' }, 8888, PANEL).location).toBe('/p/x/notebook/tree');
    expect(downstreamHeaders({ location: 'http://localhost:8888' }, 8888, PANEL).location).toBe('/');
    expect(downstreamHeaders({ location: '/p/x/notebook/login' }, 8888, PANEL).location).toBe('/p/x/notebook/login');
    expect(downstreamHeaders({ location: 'http://127.0.0.1:88880/x' }, 8888, PANEL).location).toBe('http://127.0.0.1:88880/x');
  });

  it('filter our cookies out of a WebSocket handshake answer too', () => {
    const head = ['HTTP/1.1 101 Switching Protocols', 'Upgrade: websocket', 'Set-Cookie: coursedock_panel_8350=evil', 'set-cookie: a=1'].join('\r\n');
    expect(filterHandshake(head)).toBe(['HTTP/1.1 101 Switching Protocols', 'Upgrade: websocket', 'set-cookie: a=1'].join('\r\n'));
  });
});
