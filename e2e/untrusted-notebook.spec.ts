// A notebook is untrusted content: one downloaded from a forum may carry JavaScript output. Here
// a cell's output (IPython.display.Javascript), run through the panel's notebook view, tries
// everything a hostile page would against the panel: the API WebSocket (bare, with our
// subprotocol, with a guessed key), fetch with credentials, reading parent/top, navigating the
// panel away, and postMessage. Every attempt fails in the browser, and the shell's own log shows
// the API refused the notebook's origin and never answered settings.get.
import { expect, test } from './support/fixtures.js';
import { putOneCellNotebook } from './support/notebooks.js';

/** Runs in the notebook page; leaves what happened as JSON in <pre id="attempts">. */
const attack = (panelPort: number) => `
(async () => {
  const P = ${panelPort};
  const api = 'ws://127.0.0.1:' + P + '/api';
  const results = {};
  const tryWs = (protocols) => new Promise((resolve) => {
    let ws;
    try { ws = protocols ? new WebSocket(api, protocols) : new WebSocket(api); } catch (e) { return resolve('threw ' + e.name); }
    const timer = setTimeout(() => resolve('no answer'), 5000);
    ws.onopen = () => ws.send(JSON.stringify({ id: 1, method: 'settings.get', params: {} }));
    ws.onmessage = (m) => { clearTimeout(timer); resolve('ANSWERED ' + String(m.data).slice(0, 200)); };
    ws.onclose = (e) => { clearTimeout(timer); resolve('closed ' + e.code); };
  });
  results.wsBare = await tryWs();
  results.wsProtocol = await tryWs(['coursedock.v1']);
  results.wsGuessedKey = await tryWs(['coursedock.v1', 'key.guessed']);
  results.fetchPanel = await fetch('http://127.0.0.1:' + P + '/', { credentials: 'include' })
    .then(async (r) => 'READ ' + r.status + ' ' + (await r.text()).slice(0, 200), (e) => 'failed ' + e.name);
  results.fetchNoCors = await fetch('http://127.0.0.1:' + P + '/', { credentials: 'include', mode: 'no-cors' })
    .then((r) => (r.type === 'opaque' ? 'opaque' : 'READ ' + r.type), (e) => 'failed ' + e.name);
  results.parent = (() => { try { return 'READ ' + parent.document.title; } catch (e) { return 'blocked ' + e.name; } })();
  results.top = (() => { try { return 'READ ' + top.location.href; } catch (e) { return 'blocked ' + e.name; } })();
  results.postMessage = (() => { try { parent.postMessage({ id: 1, method: 'settings.get', params: {} }, '*'); return 'sent'; } catch (e) { return 'blocked ' + e.name; } })();
  results.topNavigation = (() => { try { top.location.href = 'http://127.0.0.1:' + P + '/?hijacked=1'; return 'attempted'; } catch (e) { return 'blocked ' + e.name; } })();
  const out = document.createElement('pre');
  out.id = 'attempts';
  out.textContent = JSON.stringify(results);
  document.body.appendChild(out);
})();
`;

test('JavaScript in a notebook cannot reach the panel or its API', async ({ panel, page, shell, course }) => {
  const base = `/p/${course.project}/notebook`;
  let nbOrigin = '';
  await panel.waitForServices(['notebook', 'postgres', 'mongo']);

  await test.step('the notebook view is on an origin of its own', async () => {
    await panel.select('notebook');
    await panel.openExtraTab('Notebook');
    await panel.startAll();
    await panel.waitForStatus('notebook', /healthy/);
    const frame = panel.notebookTab().getByTestId('notebook-frame');
    await expect(frame).toHaveAttribute('src', /coursedock_ticket=/);
    nbOrigin = new URL((await frame.getAttribute('src'))!).origin;
    expect(nbOrigin).not.toBe(shell.origin);
    expect(await frame.getAttribute('sandbox')).not.toMatch(/allow-top-navigation/);
    await panel.notebookListShown();
  });

  await test.step('a notebook whose cell outputs JavaScript, run from the notebook view', async () => {
    const source = ['from IPython.display import Javascript, display', `display(Javascript(${JSON.stringify(attack(shell.port))}))`].join('\n');
    await putOneCellNotebook(page.request, `${nbOrigin}${base}`, 'hostile.ipynb', source);
    const frame = page.frames().find((f) => f.url().startsWith(`${nbOrigin}${base}/tree`));
    expect(frame, 'the notebook frame').toBeTruthy();
    await frame!.goto(`${nbOrigin}${base}/notebooks/hostile.ipynb`);
    const nb = panel.notebookFrame();
    await expect(nb.locator('#kernel_indicator_icon.kernel_idle_icon')).toBeAttached({ timeout: 60_000 });
    await nb.locator('.cell.code_cell').first().click();
    await nb.locator('.cell.code_cell').first().press('Shift+Enter');
    await expect(nb.locator('#attempts')).toBeAttached({ timeout: 60_000 });
    await panel.screenshot('untrusted-notebook');

    const attempts = JSON.parse((await nb.locator('#attempts').textContent())!) as Record<string, string>;
    expect(Object.keys(attempts).sort()).toEqual(
      ['fetchNoCors', 'fetchPanel', 'parent', 'postMessage', 'top', 'topNavigation', 'wsBare', 'wsGuessedKey', 'wsProtocol'].sort(),
    );
    for (const ws of ['wsBare', 'wsProtocol', 'wsGuessedKey']) expect(attempts[ws], ws).toMatch(/^closed /);
    expect(attempts.fetchPanel).toBe('failed TypeError'); // no CORS: the panel's answer cannot be read
    expect(attempts.fetchNoCors).toMatch(/^(opaque|failed)/); // nothing readable either way
    expect(attempts.parent).toBe('blocked SecurityError');
    expect(attempts.top).toBe('blocked SecurityError');
    expect(JSON.stringify(attempts)).not.toMatch(/ANSWERED|READ|coursedock-api-key|dockerEndpoint/);
  });

  await test.step('the panel stayed where it was and the shell never answered settings.get', async () => {
    expect(new URL(page.url()).search).not.toContain('hijacked');
    await expect(page.getByRole('list', { name: 'Services' })).toBeVisible();
    const log = shell.output();
    const refused = log.split('\n').filter((l) => l.includes('Refused an API connection') && l.includes(`Origin ${nbOrigin}`));
    expect(refused.length, log).toBeGreaterThanOrEqual(3);
    expect(log).not.toMatch(/API call settings\.get/);
    // The panel's own connection still works.
    await panel.select('postgres');
    await expect(panel.detail()).toContainText('PostgreSQL');
  });
});
