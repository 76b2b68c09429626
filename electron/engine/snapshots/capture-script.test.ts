import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  CAPTURE_SCRIPT,
  MARKER,
  parseCaptureOutput,
  parseDpkg,
  parseNpmLs,
  parseOsRelease,
  parsePipList,
  pythonScope,
  splitSections,
} from './capture-script.js';
import { parseMadison } from './archive-check.js';

const here = path.dirname(fileURLToPath(import.meta.url));
/** Recorded from the tm351 notebook container with one `pip install --user` package added. */
const NOTEBOOK = readFileSync(path.join(here, 'fixtures/notebook-capture.txt'), 'utf8');

const section = (name: string, body: string) => `\n${MARKER} ${name}\n${body}`;

describe('capture script', () => {
  it('is valid sh', () => {
    expect(() => execFileSync('sh', ['-n', '-c', CAPTURE_SCRIPT])).not.toThrow();
  });
});

describe('parsing the recorded notebook capture', () => {
  const parsed = parseCaptureOutput(NOTEBOOK);

  it('reads the OS release and architecture', () => {
    expect(parsed.os).toEqual({
      id: 'debian',
      versionId: '12',
      codename: 'bookworm',
      prettyName: 'Debian GNU/Linux 12 (bookworm)',
      architecture: 'amd64',
    });
  });

  it('lists a few hundred Debian packages with versions', () => {
    const debian = parsed.packages.debian;
    expect(Object.keys(debian).length).toBeGreaterThan(300);
    expect(debian['jupyter-notebook']).toMatch(/^6\.4\./);
    expect(debian['python3-pandas']).toMatch(/^1\.5\./);
    expect(debian['x11-common']).toBe('1:7.7+23'); // epoch kept
  });

  it('lists pandas, psycopg2 and the Jupyter packages under normalized names', () => {
    const py = parsed.packages.python;
    expect(py.pandas).toBe('1.5.3');
    expect(py.psycopg2).toMatch(/^2\.9/);
    expect(py.notebook).toBe('6.4.12');
    expect(py['jupyter-core']).toBeDefined();
    expect(py['jupyter-client']).toBeDefined();
    expect(py.markupsafe).toBeDefined(); // "MarkupSafe"
    expect(parsed.python?.lister).toBe('pip');
    expect(parsed.python?.version).toBe('3.11.2');
  });

  it('tells the user-installed package from the Debian ones, with where it came from', () => {
    expect(parsed.packages.python['coursedock-hello']).toBe('0.1.0');
    expect(parsed.python?.notFromDebian).toEqual({
      'coursedock-hello': { scope: 'user', location: '/home/student/.local/lib/python3.11/site-packages', url: 'file:///tmp/pkg' },
    });
  });

  it('has no npm packages, no Node.js and no warnings', () => {
    expect(parsed.packages.npm).toEqual({});
    expect(parsed.node).toBeUndefined();
    expect(parsed.warnings).toEqual([]);
  });
});

describe('section parsers', () => {
  it('splits sections at markers, keeping empty ones', () => {
    const s = splitSections(`noise${section('a', 'one\ntwo')}${section('b', '')}${section('end', '')}`);
    expect([...s.keys()]).toEqual(['a', 'b', 'end']);
    expect(s.get('a')).toBe('one\ntwo');
  });

  it('reads os-release quoting', () => {
    expect(parseOsRelease('ID=ubuntu\nPRETTY_NAME="Ubuntu 22.04.4 LTS"\nVERSION_CODENAME=jammy\n# comment\nX=\'a b\'')).toEqual({
      ID: 'ubuntu',
      PRETTY_NAME: 'Ubuntu 22.04.4 LTS',
      VERSION_CODENAME: 'jammy',
      X: 'a b',
    });
  });

  it('keeps installed packages only; qualifies foreign architectures; reports broken ones', () => {
    const text = [
      'ii \tbash\t5.2.15-2+b2\tamd64',
      'rc \told-thing\t1.0\tamd64',
      'hi \theld\t2.0\tall',
      'ii \tlibc6\t2.36-9\ti386',
      'iF \thalf\t1.0\tamd64',
      'garbage',
    ].join('\n');
    const { packages, skipped } = parseDpkg(text, 'amd64');
    expect(packages).toEqual({ bash: '5.2.15-2+b2', held: '2.0', 'libc6:i386': '2.36-9' });
    expect(skipped).toEqual(['half (iF)']);
    expect(parseDpkg('iW \ttriggered\t1\tamd64\npn \tgone\t\tamd64\niU \tunpacked\t1\tamd64', 'amd64')).toEqual({
      packages: { triggered: '1' },
      skipped: ['unpacked (iU)'],
    });
  });

  it('reads pip list JSON and notices when pip failed', () => {
    expect(parsePipList('[{"name": "Foo", "version": "1.0", "location": "/usr/local/lib/python3.11/dist-packages", "installer": "pip"}]\n\npip-exit 0\n')).toEqual({
      exit: 0,
      dists: [{ name: 'Foo', version: '1.0', location: '/usr/local/lib/python3.11/dist-packages', installer: 'pip' }],
    });
    expect(parsePipList('\npip-exit 1\n')).toEqual({ exit: 1 });
    expect(parsePipList('not json\npip-exit 0')).toEqual({ exit: 0 });
  });

  it('reads npm ls -g --json, including its problems', () => {
    const out = parseNpmLs(
      JSON.stringify({
        name: 'lib',
        dependencies: { npm: { version: '10.8.2' }, 'tty.js': { version: '0.2.13' }, broken: { missing: true } },
        problems: ['missing: broken@1'],
      }),
    );
    expect(out?.packages).toEqual({ npm: '10.8.2', 'tty.js': '0.2.13' });
    expect(out?.problems).toEqual(['missing: broken@1', 'broken: no version (missing)']);
    expect(parseNpmLs('{}')).toEqual({ packages: {}, problems: [] });
    expect(parseNpmLs('npm ERR!')).toBeUndefined();
  });

  it('places Python folders', () => {
    expect(pythonScope('/usr/lib/python3/dist-packages')).toBe('debian');
    expect(pythonScope('/usr/lib/python3.11')).toBe('debian');
    expect(pythonScope('/usr/local/lib/python3.11/dist-packages')).toBe('system');
    expect(pythonScope('/home/student/.local/lib/python3.11/site-packages')).toBe('user');
    expect(pythonScope('/root/.local/lib/python3.11/site-packages')).toBe('user');
    expect(pythonScope('/opt/conda/lib/python3.11/site-packages')).toBe('other');
  });

  it('reads apt-cache madison, ignoring source lines', () => {
    const text = [
      '        jq | 1.6-2.1+deb12u3 | http://security.debian.org/debian-security bookworm-security/main amd64 Packages',
      '        jq | 1.6-2.1+deb12u2 | http://deb.debian.org/debian bookworm/main amd64 Packages',
      '        jq | 1.6-2.1+deb12u2 | http://deb.debian.org/debian bookworm/main Sources',
      'python3-six |   1.16.0-4 | http://deb.debian.org/debian bookworm/main amd64 Packages',
      'N: Unable to locate package nosuch',
    ].join('\n');
    expect(parseMadison(text)).toEqual({ jq: ['1.6-2.1+deb12u3', '1.6-2.1+deb12u2'], 'python3-six': ['1.16.0-4'] });
  });
});

describe('parseCaptureOutput without pip, dpkg or a finished script', () => {
  const osRelease = section('os-release', 'ID=debian\nVERSION_ID="12"\n');

  it('falls back to the import system when pip is missing', () => {
    const snippet = JSON.stringify({
      python: '3.11.2',
      dists: [
        { name: 'six', version: '1.16.0', location: '/usr/lib/python3/dist-packages', installer: '', url: null },
        { name: 'Cool_Lib', version: '2.0', location: '/usr/local/lib/python3.11/dist-packages', installer: 'pip', url: 'git+https://example.org/cool.git@abc123' },
      ],
    });
    const out = parseCaptureOutput(`${osRelease}${section('python', snippet)}${section('pip', '\npip-exit 1\n')}${section('end', '')}`);
    expect(out.python?.lister).toBe('importlib');
    expect(out.packages.python).toEqual({ six: '1.16.0', 'cool-lib': '2.0' });
    expect(out.python?.notFromDebian).toEqual({
      'cool-lib': { scope: 'system', location: '/usr/local/lib/python3.11/dist-packages', url: 'git+https://example.org/cool.git@abc123' },
    });
    expect(out.warnings).toContain('No dpkg in this container: its system packages are not listed (not a Debian-based image).');
  });

  it('warns when the script was cut short and when Python could not be listed', () => {
    const out = parseCaptureOutput(`${osRelease}${section('python', 'Traceback: boom')}${section('pip', 'pip-exit 1')}`);
    expect(out.warnings.some((w) => w.includes('did not finish'))).toBe(true);
    expect(out.warnings.some((w) => w.includes('could not be listed') && w.includes('boom'))).toBe(true);
    expect(out.packages.python).toEqual({});
  });

  it('reads Node.js and global npm packages', () => {
    const out = parseCaptureOutput(
      `${osRelease}${section('node', 'v20.11.1\n')}${section('npm', JSON.stringify({ dependencies: { 'tty.js': { version: '0.2.13' } } }))}${section('end', '')}`,
    );
    expect(out.node).toBe('v20.11.1');
    expect(out.packages.npm).toEqual({ 'tty.js': '0.2.13' });
  });

  it('says so when there is no os-release', () => {
    const out = parseCaptureOutput(section('end', ''));
    expect(out.os.id).toBe('unknown');
    expect(out.warnings.some((w) => w.includes('os-release'))).toBe(true);
  });
});
