// The panel origin's rules, as pure checks on request heads: the page token (query, header,
// a cookie named with the port, any of several), and the API's (Host, exact Origin, API key in
// the subprotocol — never a cookie).
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { hasCookie, cookieValues, withoutCookies } from './cookies.js';
import { API_PROTOCOL, apiUpgradeRefusal, injectApiKey, panelAuthorized, panelCookieName } from './panel-access.js';

const PORT = 8350;
const TOKEN = 't'.repeat(32);
const KEY = 'k'.repeat(32);

const req = (url: string, headers: Record<string, string> = {}): IncomingMessage =>
  ({ url, headers: { host: `127.0.0.1:${PORT}`, ...Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])) } }) as unknown as IncomingMessage;

const api = (headers: Record<string, string>) => apiUpgradeRefusal(req('/api', headers), PORT, KEY);
const good = { Origin: `http://127.0.0.1:${PORT}`, 'Sec-WebSocket-Protocol': `${API_PROTOCOL}, key.${KEY}` };

describe('panel pages', () => {
  it('open with the token in the query, an Authorization header, or the cookie named with our port', () => {
    expect(panelCookieName(PORT)).toBe('coursedock_panel_8350');
    expect(panelAuthorized(req(`/?token=${TOKEN}`), PORT, TOKEN)).toBe(true);
    expect(panelAuthorized(req('/', { Authorization: `token ${TOKEN}` }), PORT, TOKEN)).toBe(true);
    expect(panelAuthorized(req('/', { Cookie: `coursedock_panel_8350=${TOKEN}` }), PORT, TOKEN)).toBe(true);
  });

  it('refuse a wrong token, or the right one in another port\'s cookie', () => {
    expect(panelAuthorized(req('/?token=nope'), PORT, TOKEN)).toBe(false);
    expect(panelAuthorized(req('/', { Cookie: `coursedock_panel_8351=${TOKEN}` }), PORT, TOKEN)).toBe(false);
    expect(panelAuthorized(req('/', { Cookie: `coursedock_token=${TOKEN}` }), PORT, TOKEN)).toBe(false);
    expect(panelAuthorized(req('/'), PORT, TOKEN)).toBe(false);
  });

  it('accept when any of several same-named cookies is right (a page on another port may plant one)', () => {
    const planted = `coursedock_panel_8350=junk; other=1; coursedock_panel_8350=${TOKEN}`;
    expect(panelAuthorized(req('/', { Cookie: planted }), PORT, TOKEN)).toBe(true);
    expect(cookieValues(planted, 'coursedock_panel_8350')).toEqual(['junk', TOKEN]);
    expect(hasCookie('coursedock_panel_8350=%zz; coursedock_panel_8350=ok', 'coursedock_panel_8350', 'ok')).toBe(true);
  });

  it('skip cookies that do not decode instead of throwing', () => {
    expect(panelAuthorized(req('/', { Cookie: 'coursedock_panel_8350=%zz' }), PORT, TOKEN)).toBe(false);
  });

  it('carry the API key in index.html only', () => {
    const html = injectApiKey('<!doctype html><html><head><title>x</title></head></html>', KEY);
    expect(html).toContain(`<head>\n    <meta name="coursedock-api-key" content="${KEY}" />`);
  });
});

describe('the API upgrade', () => {
  it('opens for this origin with the key in the subprotocol', () => {
    expect(api(good)).toBeUndefined();
    expect(apiUpgradeRefusal(req('/api', { ...good, Host: `localhost:${PORT}`, Origin: `http://localhost:${PORT}` }), PORT, KEY)).toBeUndefined();
  });

  it('never opens for a cookie, however good', () => {
    expect(api({ Origin: good.Origin, Cookie: `${panelCookieName(PORT)}=${TOKEN}` })).toMatch(/subprotocol/);
    expect(api({ Origin: good.Origin, Cookie: `${panelCookieName(PORT)}=${TOKEN}`, 'Sec-WebSocket-Protocol': API_PROTOCOL })).toMatch(/API key/);
  });

  it('refuses another origin — a service page on another loopback port included — even with the key', () => {
    expect(api({ ...good, Origin: 'http://127.0.0.1:39999' })).toMatch(/Origin/);
    expect(api({ ...good, Origin: 'http://evil.example' })).toMatch(/Origin/);
    expect(api({ ...good, Origin: 'null' })).toMatch(/Origin/);
    expect(api({ 'Sec-WebSocket-Protocol': good['Sec-WebSocket-Protocol'] })).toBe('no Origin');
    expect(apiUpgradeRefusal(req('/api', { ...good, Host: `evil.example:${PORT}` }), PORT, KEY)).toMatch(/Host/);
  });

  it('refuses a wrong or missing key', () => {
    expect(api({ ...good, 'Sec-WebSocket-Protocol': `${API_PROTOCOL}, key.wrong` })).toMatch(/API key/);
    expect(api({ ...good, 'Sec-WebSocket-Protocol': `key.${KEY}` })).toMatch(/subprotocol/);
    expect(api({ Origin: good.Origin })).toMatch(/subprotocol/);
  });
});

describe('our cookies upstream', () => {
  it('are all taken out, the service\'s kept', () => {
    expect(withoutCookies('coursedock_panel_1=a; _xsrf=x; coursedock_web_2=b; username-1=u', 'coursedock_')).toBe('_xsrf=x; username-1=u');
    expect(withoutCookies('coursedock_web_2=b', 'coursedock_')).toBeUndefined();
  });
});
