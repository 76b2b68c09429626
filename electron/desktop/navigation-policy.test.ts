// Where the desktop windows may go: URL tables for the panel, its links and the notebook window.
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_EXTERNAL_HOSTS,
  externalTarget,
  isAppPage,
  notebookNavigation,
  notebookOrigin,
  panelNavigation,
  panelWindowOpen,
  type ExternalPolicy,
} from './navigation-policy.js';

const APP = 'file:///opt/Coursedock/resources/app.asar/dist/renderer/index.html';
const policy: ExternalPolicy = { loopbackPorts: new Set([8351, 15432]), hosts: DEFAULT_EXTERNAL_HOSTS };

describe('the panel window stays on our page', () => {
  it.each([
    [APP, 'allow'],
    [`${APP}?course=tm351`, 'allow'],
    [`${APP}#/postgres`, 'allow'],
    ['file:///opt/Coursedock/resources/app.asar/dist/renderer/other.html', 'deny'],
    ['file:///etc/passwd', 'deny'],
    ['file://evil-server/opt/Coursedock/resources/app.asar/dist/renderer/index.html', 'deny'],
    ['http://127.0.0.1:8351/p/tm351/notebook/tree?token=abc', 'external'],
    ['http://localhost:8351/', 'external'],
    ['http://127.0.0.1:9999/', 'deny'],
    ['https://docs.docker.com/get-docker/', 'external'],
    ['http://docs.docker.com/get-docker/', 'deny'],
    ['https://evil.example/', 'deny'],
    ['https://docs.docker.com.evil.example/', 'deny'],
    ['javascript:alert(1)', 'deny'],
    ['data:text/html,<script>1</script>', 'deny'],
    ['about:blank', 'deny'],
    ['chrome://gpu', 'deny'],
    ['devtools://devtools/bundled/inspector.html', 'deny'],
    ['not a url', 'deny'],
  ] as const)('%s → %s', (url, decision) => {
    expect(panelNavigation(url, APP, policy)).toBe(decision);
  });

  it('compares Windows paths without regard to case, and only there', () => {
    const win = 'file:///C:/Program%20Files/Coursedock/resources/app.asar/dist/renderer/index.html';
    expect(isAppPage(win.replace('C:/Program%20Files', 'c:/program%20files'), win, 'win32')).toBe(true);
    expect(isAppPage(win.replace('C:/Program%20Files', 'c:/program%20files'), win, 'linux')).toBe(false);
  });
});

describe('window.open from the panel never opens an app window', () => {
  it.each([
    ['http://127.0.0.1:8351/p/tm351/notebook/tree?token=abc', 'external'],
    ['http://[::1]:15432/', 'external'],
    [APP, 'deny'],
    ['https://www.docker.com/products/docker-desktop/', 'external'],
    ['http://127.0.0.1:2375/containers/json', 'deny'],
    ['http://user:pw@127.0.0.1:8351/', 'deny'],
    ['ftp://127.0.0.1:8351/', 'deny'],
    ['file:///C:/Windows/System32/calc.exe', 'deny'],
    ['ms-settings:privacy', 'deny'],
    ['x-apple.systempreferences:com.apple.preference.security', 'deny'],
    ['smb://attacker/share', 'deny'],
  ] as const)('%s → %s', (url, decision) => {
    expect(panelWindowOpen(url, policy)).toBe(decision);
  });

  it('hands the system browser a normalised URL', () => {
    expect(externalTarget('HTTP://LOCALHOST:8351/a b', policy)).toBe('http://localhost:8351/a%20b');
    expect(externalTarget('https://docs.docker.com', policy)).toBe('https://docs.docker.com/');
    expect(externalTarget('http://127.0.0.1/', { loopbackPorts: new Set([80]), hosts: [] })).toBe('http://127.0.0.1/');
  });

  it('with no environment running, no loopback link leaves', () => {
    expect(externalTarget('http://127.0.0.1:8351/', { loopbackPorts: new Set(), hosts: [] })).toBeUndefined();
  });
});

describe('the notebook window stays on the notebook', () => {
  const origin = notebookOrigin('http://127.0.0.1:8351/p/tm351/notebook/tree?token=abc')!;
  it('only loopback http URLs can be shown in it', () => {
    expect(origin).toBe('http://127.0.0.1:8351');
    expect(notebookOrigin('https://evil.example/')).toBeUndefined();
    expect(notebookOrigin('http://192.168.1.2:8351/')).toBeUndefined();
    expect(notebookOrigin('file:///etc/passwd')).toBeUndefined();
  });

  it.each([
    ['http://127.0.0.1:8351/p/tm351/notebook/notebooks/a.ipynb', 'allow'],
    ['http://127.0.0.1:8351/p/tm351/notebook/logout', 'allow'],
    ['http://localhost:8351/p/tm351/notebook/tree', 'external'],
    ['http://127.0.0.1:15432/', 'external'],
    ['https://docs.python.org/3/', 'deny'],
    ['https://docs.docker.com/', 'external'],
    [APP, 'deny'],
    ['file:///home/student/notebooks/a.ipynb', 'deny'],
  ] as const)('%s → %s', (url, decision) => {
    expect(notebookNavigation(url, origin, policy)).toBe(decision);
  });
});
