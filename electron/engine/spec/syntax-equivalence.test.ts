// Short and long Compose syntaxes must normalize to the same thing.
import { describe, expect, it } from 'vitest';
import { load, spec } from './test-helpers.js';
import type { ServiceSpec } from './types.js';

function service(body: string, env: Record<string, string> = {}): ServiceSpec {
  const text = spec(`services:\n  s:\n    image: x\n${body}  db:\n    image: y\nvolumes:\n  data:\n`);
  const loaded = load(text, { env: { HOME: '/home/me', ...env } });
  const s = loaded.services.s;
  if (!s) throw new Error('no service');
  return s;
}

describe('ports', () => {
  it.each([
    ['"8351:8888"', '{target: 8888, published: 8351}'],
    ['"127.0.0.1:8351:8888"', '{target: 8888, published: "8351", host_ip: 127.0.0.1, protocol: tcp}'],
    ['"8888"', '{target: 8888}'],
    ['8888', '{target: "8888"}'],
    ['"8351:8888/udp"', '{target: 8888, published: 8351, protocol: udp}'],
    ['"127.0.0.1::8888"', '{target: 8888, host_ip: 127.0.0.1}'],
    ['"[::1]:8351:8888"', '{target: 8888, published: 8351, host_ip: "::1"}'],
    ['"localhost:8351:8888"', '{target: 8888, published: 8351, host_ip: 127.0.0.1}'],
  ])('%s equals %s', (short, long) => {
    const a = service(`    ports:\n      - ${short}\n`).ports;
    const b = service(`    ports:\n      - ${long}\n`).ports;
    expect(a).toEqual(b);
    expect(a).toHaveLength(1);
    expect(a[0]?.hostIp).toMatch(/^(127\.0\.0\.1|::1)$/);
  });

  it('defaults: 127.0.0.1, tcp, no published port', () => {
    expect(service('    ports: ["8888"]\n').ports).toEqual([{ target: 8888, hostIp: '127.0.0.1', protocol: 'tcp' }]);
  });
});

describe('volumes', () => {
  it.each([
    ['data:/d', '{type: volume, source: data, target: /d}'],
    ['data:/d:ro', '{type: volume, source: data, target: /d, read_only: true}'],
    ['/anon', '{type: volume, target: /anon}'],
    ['./rel:/r', '{type: bind, source: ./rel, target: /r, bind: {create_host_path: true}}'],
    ['~/nb:/n:rw', '{type: bind, source: ~/nb, target: /n, read_only: false, bind: {create_host_path: true}}'],
    ['/abs:/a:ro', '{type: bind, source: /abs, target: /a, read_only: "true", bind: {create_host_path: true}}'],
  ])('%s equals %s', (short, long) => {
    const a = service(`    volumes:\n      - ${short}\n`).mounts;
    const b = service(`    volumes:\n      - ${long}\n`).mounts;
    expect(a).toEqual(b);
    expect(a).toHaveLength(1);
  });

  it('long syntax only: tmpfs, and bind without create_host_path', () => {
    expect(service('    volumes:\n      - {type: tmpfs, target: /t}\n      - {type: bind, source: /tmp, target: /b}\n').mounts).toEqual([
      { type: 'tmpfs', target: '/t' },
      { type: 'bind', source: '/tmp', target: '/b', readOnly: false, createHostPath: false },
    ]);
  });
});

describe('environment', () => {
  it('map and list forms are the same, values stringified, bare keys from env', () => {
    const env = { FROM_ENV: 'e' };
    const map = service('    environment:\n      A: 1\n      B: true\n      C: "x=y"\n      D: ""\n      FROM_ENV:\n      UNSET:\n', env);
    const list = service('    environment:\n      - A=1\n      - B=true\n      - C=x=y\n      - D=\n      - FROM_ENV\n      - UNSET\n', env);
    expect(map.environment).toEqual({ A: '1', B: 'true', C: 'x=y', D: '', FROM_ENV: 'e' });
    expect(list.environment).toEqual(map.environment);
  });

  it('labels: map and list forms are the same', () => {
    const map = service('    labels:\n      a.b: "1"\n      c: ""\n');
    const list = service('    labels: ["a.b=1", c]\n');
    expect(list.labels).toEqual({ 'a.b': '1', c: '' });
    expect(map.labels).toEqual(list.labels);
  });
});

describe('depends_on', () => {
  it('list equals map with service_started', () => {
    const list = service('    depends_on: [db]\n');
    const map = service('    depends_on:\n      db:\n        condition: service_started\n        restart: true\n        required: true\n');
    const bare = service('    depends_on:\n      db:\n');
    expect(list.dependsOn).toEqual({ db: 'service_started' });
    expect(map.dependsOn).toEqual(list.dependsOn);
    expect(bare.dependsOn).toEqual(list.dependsOn);
  });

  it('keeps the other conditions', () => {
    expect(service('    depends_on:\n      db: {condition: service_completed_successfully}\n').dependsOn).toEqual({
      db: 'service_completed_successfully',
    });
  });
});

describe('command and healthcheck', () => {
  it('a command string equals its list', () => {
    expect(service('    command: echo "a b" c\n').command).toEqual(service('    command: [echo, a b, c]\n').command);
  });

  it('a healthcheck test string equals CMD-SHELL', () => {
    expect(service('    healthcheck:\n      test: pg_isready\n').healthcheck).toEqual(
      service('    healthcheck:\n      test: [CMD-SHELL, pg_isready]\n').healthcheck,
    );
  });
});
