// The probes' parsing, and the probe programs themselves run on this machine (Python and sh,
// as they run in a container) against local servers: no Docker needed.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatCheckReport } from './format.js';
import {
  CONNECT_PROBE,
  PYTHON_MODULES_PROBE,
  WRITABLE_PROBE,
  firstValue,
  formatBytes,
  lastJson,
  connectProbeResult,
  pythonModulesResult,
  lastLine,
  parseDf,
  type ConnectProbeResult,
} from './probes.js';
import type { CheckReport } from './types.js';
import { runOnlyIf } from '../testing/skip-reason.js';

const hasPython = spawnSync('python3', ['-c', 'pass']).status === 0;

describe('parsing probe output', () => {
  it('reads df -Pk, also when a long device name wraps', () => {
    const out = 'Filesystem     1024-blocks      Used Available Capacity Mounted on\noverlay          263174212 180000000  83174212      69% /\n';
    expect(parseDf(out)).toEqual({ freeBytes: 83174212 * 1024, totalBytes: 263174212 * 1024, mount: '/' });
    const wrapped = 'Filesystem 1024-blocks Used Available Capacity Mounted on\n/dev/mapper/very-long-volume-name\n 1000 400 600 40% /\n';
    expect(parseDf(wrapped)).toEqual({ freeBytes: 600 * 1024, totalBytes: 1000 * 1024, mount: '/' });
    expect(parseDf('df: /: No such file')).toBeUndefined();
  });

  it('takes the last JSON line, ignoring noise before it', () => {
    expect(lastJson('warning: x\n{"missing": {}}\n', pythonModulesResult)).toEqual({ missing: {} });
    expect(lastJson('{"missing": 3}', pythonModulesResult)).toBeUndefined();
    expect(lastJson('nothing', pythonModulesResult)).toBeUndefined();
    expect(lastJson('{broken', pythonModulesResult)).toBeUndefined();
  });

  it('reads the first value of psql -tA output', () => {
    expect(firstValue('44\n')).toBe('44');
    expect(firstValue('\nI|10|8.04\n')).toBe('I');
    expect(firstValue('')).toBeUndefined();
  });

  it('formats sizes and last lines', () => {
    expect(formatBytes(2 * 1024 ** 3)).toBe('2.0 GB');
    expect(formatBytes(77 * 1024 ** 3)).toBe('77 GB');
    expect(formatBytes(300 * 1024 ** 2)).toBe('300 MB');
    expect(lastLine('a\nb\n\n')).toBe('b');
    expect(lastLine('x'.repeat(400)).length).toBe(301);
  });
});

describe('the Python probes, run here', runOnlyIf(hasPython, 'python3 is not installed on this machine (in use the probes run in the notebook container, which has it)'), () => {
  let server: net.Server;
  let port: number;
  let closedPort: number;

  beforeAll(async () => {
    server = net.createServer((s) => s.end());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    port = (server.address() as net.AddressInfo).port;
    const probe = net.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', () => r()));
    closedPort = (probe.address() as net.AddressInfo).port;
    await new Promise((r) => probe.close(r));
  });
  afterAll(() => server.close());

  const connect = (host: string, p: number, login = '', urlEnv = ''): ConnectProbeResult =>
    connectProbeResult.parse(JSON.parse(execFileSync('python3', ['-c', CONNECT_PROBE, host, String(p), login, urlEnv], { encoding: 'utf8' })));

  it('connect: reached, refused, and a name that does not resolve', () => {
    expect(connect('127.0.0.1', port)).toEqual({ ok: true, stage: 'done', detail: `reached 127.0.0.1:${port}` });
    const refused = connect('127.0.0.1', closedPort);
    expect(refused).toMatchObject({ ok: false, stage: 'connect' });
    expect(refused.detail).toMatch(new RegExp(`^127\\.0\\.0\\.1:${closedPort} \\(127\\.0\\.0\\.1\\) does not accept connections \\(.*refused`, 'i'));
    const unknown = connect('no-such-service.invalid', 5432);
    expect(unknown).toMatchObject({ ok: false, stage: 'resolve' });
    expect(unknown.detail).toMatch(/^the name no-such-service\.invalid does not resolve/);
  });

  it('python-modules: lists what does not import, with the error', () => {
    const out = execFileSync('python3', ['-c', PYTHON_MODULES_PROBE, 'json', 'no_such_module_xyz', 'os.path'], { encoding: 'utf8' });
    expect(lastJson(out, pythonModulesResult)).toEqual({ missing: { no_such_module_xyz: "ModuleNotFoundError: No module named 'no_such_module_xyz'" } });
  });
});

describe('the writable probe, run here', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cd-writable-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('creates and removes a file, and says as whom', () => {
    const out = execFileSync('sh', ['-c', WRITABLE_PROBE, 'probe', dir], { encoding: 'utf8' });
    expect(out.trim()).toMatch(new RegExp(`^ok\\|.+ \\(uid ${os.userInfo().uid}\\)\\|\\d+:\\d+ d`));
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a missing folder is a failure in words', () => {
    const r = spawnSync('sh', ['-c', WRITABLE_PROBE, 'probe', path.join(dir, 'nope')], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stdout).toMatch(/nope is not a folder in the container/);
  });
});

describe('formatCheckReport', () => {
  it('prints ✓ / ✗ / – lines, hints under failures and skipped checks, and a summary', () => {
    const report: CheckReport = {
      project: 'p',
      title: 'Course',
      startedAt: '2020-01-01T00:00:00.000Z',
      durationMs: 2100,
      ok: false,
      counts: { pass: 1, fail: 1, skipped: 1, warn: 0 },
      results: [
        { id: 'a', title: 'Modules import', kind: 'python-modules', status: 'pass', ok: true, detail: 'All 2 modules import.', durationMs: 1 },
        { id: 'b', title: 'Reaches PostgreSQL', kind: 'connect', status: 'fail', ok: false, detail: 'The name postgres does not resolve.', hint: 'Start PostgreSQL.', durationMs: 1 },
        { id: 'c', title: 'Reaches MongoDB', kind: 'connect', status: 'skipped', ok: true, detail: 'MongoDB is not available on this computer.', hint: 'Start it online.', durationMs: 1 },
      ],
    };
    expect(formatCheckReport(report)).toBe(
      [
        '✓ Modules import',
        '    All 2 modules import.',
        '✗ Reaches PostgreSQL',
        '    The name postgres does not resolve.',
        '    → Start PostgreSQL.',
        '– Reaches MongoDB (skipped)',
        '    MongoDB is not available on this computer.',
        '    → Start it online.',
        '',
        '1 passed, 1 failed, 1 skipped (not available on this computer) in 2.1 s.',
      ].join('\n'),
    );
  });
});
