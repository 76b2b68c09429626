// Who may use the browser shell: only whoever holds the printed token, through a loopback Host.
import http from 'node:http';
import WebSocket from 'ws';
import { expect, test } from './support/fixtures.js';

// The shell's door answers whether or not Docker runs: these run on any machine.
test.use({ needsDocker: false });

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
}

function get(port: number, pathname: string, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: pathname, method: 'GET', headers }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Opens the API socket; resolves with 'open' or the HTTP status it was refused with. */
function upgrade(port: number, headers: Record<string, string> = {}, protocols: string[] = []): Promise<'open' | number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/api`, protocols, { headers });
    ws.on('open', () => {
      ws.close();
      resolve('open');
    });
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('error', () => resolve(0));
  });
}

test.describe('access to the browser shell', () => {
  test('the page needs the token', async ({ shell }) => {
    expect((await get(shell.port, '/')).status).toBe(401);
    expect((await get(shell.port, '/index.html')).status).toBe(401);
    expect((await get(shell.port, '/?token=not-the-token')).status).toBe(401);
    expect((await get(shell.port, '/', { Cookie: `coursedock_panel_${shell.port}=not-the-token` })).status).toBe(401);
  });

  test('the token in the URL becomes an HttpOnly cookie and leaves the address', async ({ shell }) => {
    const first = await get(shell.port, `/?token=${shell.token}`);
    expect(first.status).toBe(302);
    expect(first.headers.location).toBe('/');
    const cookie = String(first.headers['set-cookie']);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    const cookiePair = cookie.split(';')[0]!;
    expect((await get(shell.port, '/', { Cookie: cookiePair })).status).toBe(200);
  });

  test('a wrong Host header is refused even with the token', async ({ shell }) => {
    const reply = await get(shell.port, '/', { Host: 'evil.example:80', Cookie: `coursedock_panel_${shell.port}=${shell.token}` });
    expect(reply.status).toBe(403);
    const rebinding = await get(shell.port, '/', { Host: `attacker.test:${shell.port}`, Cookie: `coursedock_panel_${shell.port}=${shell.token}` });
    expect(rebinding.status).toBe(403);
  });

  test('the API socket needs the panel origin and the key only the panel page holds, never just the cookie', async ({ shell }) => {
    const cookie = `coursedock_panel_${shell.port}=${shell.token}`;
    const page = await fetch(`${shell.origin}/`, { headers: { Cookie: cookie } });
    const key = (await page.text()).match(/<meta name="coursedock-api-key" content="([\w-]+)"/)?.[1];
    expect(key).toBeTruthy();
    const protocols = ['coursedock.v1', `key.${key}`];
    expect(await upgrade(shell.port)).toBe(403);
    expect(await upgrade(shell.port, { Cookie: cookie, Origin: shell.origin })).toBe(403);
    expect(await upgrade(shell.port, { Cookie: cookie, Origin: shell.origin }, ['coursedock.v1', 'key.wrong'])).toBe(403);
    expect(await upgrade(shell.port, { Origin: 'http://evil.example' }, protocols)).toBe(403);
    expect(await upgrade(shell.port, { Origin: `http://127.0.0.1:${shell.port + 1}` }, protocols)).toBe(403);
    expect(await upgrade(shell.port, { Origin: shell.origin }, protocols)).toBe('open');
  });

  test('the page opened with the token works, and the token is not left in the address', async ({ page, shell }) => {
    await page.goto(shell.url);
    await expect(page).toHaveURL(`${shell.origin}/`);
    await expect(page.getByRole('list', { name: 'Services' })).toBeVisible({ timeout: 60_000 });
    expect(await page.evaluate(() => document.cookie)).toBe(''); // HttpOnly: scripts cannot read it
  });
});
