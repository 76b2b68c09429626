// The panel's page check against install folders students can choose (the NSIS installer lets
// them): spaces, %, #, [, ], non-ASCII, Windows drive letters and shares. The page URL is made
// the way Electron makes it — loadFile's own formula, url.format({protocol: 'file', slashes: true,
// pathname: path.resolve(appPath, file), query}) (lib/browser/api/web-contents.ts), or loadURL of
// our escaped URL — and then canonicalised as Chromium does before it reports frame.url
// (WHATWG URL parsing: `new URL(x).href`). The check must accept our page however spelled, and
// nothing else.
import path from 'node:path';
import url, { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { appPageUrl, fileUrlInside, fileUrlOf, filePathOfUrl, sameFile, unpackedPath } from './file-urls.js';
import { isAppPage, panelNavigation } from './navigation-policy.js';

type Platform = 'linux' | 'darwin' | 'win32';

/** Electron's loadFile: the URL it hands to loadURL. */
const electronLoadFileUrl = (file: string, platform: Platform, query?: Record<string, string>): string =>
  url.format({ protocol: 'file', slashes: true, pathname: (platform === 'win32' ? path.win32 : path.posix).resolve(file), ...(query ? { query } : {}) });

/** What Chromium reports as the frame's URL for a URL it was asked to load. */
const chromium = (u: string): string => new URL(u).href;

const POSIX_FOLDERS = [
  '/home/sam/Apps/Coursedock',
  '/home/sam/My Apps/Coursedock',
  '/home/sam/100%/Coursedock',
  '/home/sam/a%20b/Coursedock',
  '/home/sam/C#/Coursedock',
  '/home/sam/[beta]/Coursedock',
  '/home/sam/Zoë Müller/日本語/Coursedock',
  '/Applications/Coursedock.app/Contents/Resources/app.asar',
];

const WINDOWS_FOLDERS = [
  'C:\\Program Files\\Coursedock\\resources\\app.asar',
  'C:\\Users\\Zoë\\AppData\\Local\\Programs\\Coursedock [beta] 100%\\resources\\app.asar',
  'D:\\Kurs #1\\Übung [2]\\resources\\app.asar',
  '\\\\fileserver\\students\\sam\\Coursedock\\resources\\app.asar',
];

const rows: Array<[Platform, string]> = [
  ...POSIX_FOLDERS.map((f): [Platform, string] => ['linux', f]),
  ...POSIX_FOLDERS.map((f): [Platform, string] => ['darwin', f]),
  ...WINDOWS_FOLDERS.map((f): [Platform, string] => ['win32', f]),
];

const indexIn = (folder: string, platform: Platform) => (platform === 'win32' ? path.win32 : path.posix).join(folder, 'dist', 'renderer', 'index.html');
const hasPercent = (s: string) => s.includes('%');

describe('the panel page check compares files, not URL spellings', () => {
  it.each(rows)('%s, installed in %s', (platform, folder) => {
    const index = indexIn(folder, platform);
    const appUrl = appPageUrl(index, {}, platform);
    // Our URL names the page exactly, and so does Chromium's spelling of it, with a query and a hash.
    expect(filePathOfUrl(appUrl, platform)).toBe(index);
    const loaded = chromium(appPageUrl(index, { course: 'tm351' }, platform));
    expect(isAppPage(loaded, appUrl, platform)).toBe(true);
    expect(isAppPage(`${loaded}#/services/notebook`, appUrl, platform)).toBe(true);
    if (platform === process.platform) expect(panelNavigation(loaded, appUrl, { loopbackPorts: new Set(), hosts: [] })).toBe('allow');

    // Electron's loadFile formula: accepted wherever it names the page. A folder with `%` in its
    // name is why the window loads by URL: loadFile leaves the `%` unescaped, so its URL names
    // another file (a%20b → "a b") or none (100%).
    const viaLoadFile = chromium(electronLoadFileUrl(index, platform, { course: 'tm351' }));
    if (hasPercent(folder)) {
      expect(filePathOfUrl(viaLoadFile, platform)).not.toBe(index);
    } else {
      expect(isAppPage(viaLoadFile, appUrl, platform)).toBe(true);
    }

    // Nothing else passes: another file beside it, the same file in a sibling folder, a folder
    // whose name starts the same, a parent-directory trick, another host, http.
    const p = platform === 'win32' ? path.win32 : path.posix;
    const others = [
      p.join(folder, 'dist', 'renderer', 'other.html'),
      p.join(`${folder}2`, 'dist', 'renderer', 'index.html'),
      p.join(p.dirname(folder), 'evil', 'dist', 'renderer', 'index.html'),
    ];
    for (const o of others) expect(isAppPage(chromium(fileUrlOf(o, platform)), appUrl, platform), o).toBe(false);
    expect(isAppPage(appUrl.replace('/index.html', '/x/../../renderer/index.html%2F'), appUrl, platform)).toBe(false);
    expect(isAppPage(appUrl.replace(/^file:\/\/[^/]*\//, 'http://127.0.0.1/'), appUrl, platform)).toBe(false);
    if (platform !== 'win32') expect(isAppPage(appUrl.replace('file:///', 'file://otherhost/'), appUrl, platform)).toBe(false);

    // The CSP check: the panel's files are inside the renderer folder, however spelled.
    const rendererDir = p.dirname(index);
    expect(fileUrlInside(chromium(fileUrlOf(p.join(rendererDir, 'assets', 'index-abc.js'), platform)), rendererDir, platform)).toBe(true);
    expect(fileUrlInside(chromium(fileUrlOf(p.join(folder, 'secret.html'), platform)), rendererDir, platform)).toBe(false);
  });

  it('the string comparison it replaces refused the panel in a folder with brackets', () => {
    const index = '/home/sam/[beta]/Coursedock/dist/renderer/index.html';
    const before = pathToFileURL(index).href; // what main.ts used to compare against
    const page = chromium(electronLoadFileUrl(index, 'linux'));
    expect(page).not.toBe(before);
    expect(isAppPage(page, before, 'linux')).toBe(true);
  });

  it("agrees with Node's fileURLToPath and pathToFileURL on this platform", () => {
    for (const folder of POSIX_FOLDERS) {
      const index = indexIn(folder, 'linux');
      expect(fileUrlOf(index, 'linux')).toBe(pathToFileURL(index).href);
      expect(filePathOfUrl(chromium(pathToFileURL(index).href), 'linux')).toBe(fileURLToPath(pathToFileURL(index)));
    }
  });

  it('Windows paths compare without regard to case or slash direction, elsewhere exactly', () => {
    expect(sameFile('file:///c:/program%20files/x/index.html', 'C:\\Program Files\\x\\index.html', 'win32')).toBe(true);
    expect(sameFile('file:///C:/Program%20Files/x/index.html', 'file:///c:/PROGRAM%20FILES/X/INDEX.HTML', 'win32')).toBe(true);
    expect(sameFile('file:///home/Sam/index.html', 'file:///home/sam/index.html', 'linux')).toBe(false);
    expect(filePathOfUrl('file:///C:/a%5Cb/index.html', 'win32')).toBeUndefined();
    expect(filePathOfUrl('file:///not-a-drive/index.html', 'win32')).toBeUndefined();
    expect(filePathOfUrl('https://example.org/', 'linux')).toBeUndefined();
  });

  it('finds files unpacked from app.asar (the tray icon) beside the archive', () => {
    expect(unpackedPath('/opt/Coursedock/resources/app.asar/assets/icons/app/png/32x32.png')).toBe(
      '/opt/Coursedock/resources/app.asar.unpacked/assets/icons/app/png/32x32.png',
    );
    expect(unpackedPath('C:\\Program Files\\Coursedock\\resources\\app.asar\\assets\\icons\\app\\coursedock.ico')).toBe(
      'C:\\Program Files\\Coursedock\\resources\\app.asar.unpacked\\assets\\icons\\app\\coursedock.ico',
    );
    expect(unpackedPath('/work/main/assets/icons/app/png/32x32.png')).toBe('/work/main/assets/icons/app/png/32x32.png');
  });
});
