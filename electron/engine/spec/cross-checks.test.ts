// Checks Compose leaves to the user (cross-checks.ts), through the loader: what a course team
// sees, at the line to fix.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadSpec } from './load-spec.js';
import { lineOf, load, problemsOf, spec } from './test-helpers.js';

describe('two services on one host port', () => {
  it('is an error at the second port, naming the first', () => {
    const text = spec('services:\n  a:\n    image: x\n    ports: ["8080:80"]\n  b:\n    image: y\n    ports:\n      - "127.0.0.1:8080:8000"\n');
    const [problem, ...rest] = problemsOf(text);
    expect(rest).toEqual([]);
    expect(problem).toMatchObject({ line: lineOf(text, '127.0.0.1:8080'), path: 'services.b.ports[0]' });
    expect(problem?.message).toMatch(/^host port 127\.0\.0\.1:8080\/tcp is used twice: service "a" already publishes it \(services\.a\.ports\[0\]\)/);
  });

  it('also within one service, and across short and long syntax', () => {
    const text = spec('services:\n  a:\n    image: x\n    ports:\n      - "8080:80"\n      - {target: 81, published: "8080"}\n');
    expect(problemsOf(text).map((p) => [p.path, /this service already publishes it/.test(p.message)])).toEqual([['services.a.ports[1]', true]]);
  });

  it('is fine for another protocol, another loopback address, or no host port', () => {
    const text = spec(
      'services:\n  a:\n    image: x\n    ports: ["8080:80", "8080:80/udp", "9000"]\n  b:\n    image: y\n    ports: ["127.0.0.2:8080:80", "9000"]\n',
    );
    expect(load(text).warnings).toEqual([]);
  });
});

describe('two mounts on one target', () => {
  it('is an error at the second mount (a trailing slash is the same path)', () => {
    const text = spec(
      'services:\n  a:\n    image: x\n    volumes:\n      - data:/var/lib/data\n      - type: tmpfs\n        target: /var/lib/data/\nvolumes:\n  data: {}\n',
    );
    const problems = problemsOf(text);
    expect(problems.map((p) => [p.line, p.path])).toEqual([[lineOf(text, '- type: tmpfs'), 'services.a.volumes[1]']]);
    expect(problems[0]?.message).toMatch(/^two mounts on \/var\/lib\/data \(the first is services\.a\.volumes\[0\]\): Docker refuses/);
  });

  it('is fine in two different services', () => {
    const text = spec('services:\n  a:\n    image: x\n    volumes: ["data:/d"]\n  b:\n    image: x\n    volumes: ["data:/d"]\nvolumes:\n  data:\n');
    expect(load(text).warnings).toEqual([]);
  });
});

describe('a bind of a host path that does not exist', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });
  const course = (body: string) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cd-cross-'));
    dirs.push(dir);
    const file = path.join(dir, 'compose.yml');
    return { dir, file, load: () => loadSpec(file, { env: {}, text: spec(body) }) };
  };

  it('short syntax: created, said as a warning in words', () => {
    const c = course('services:\n  a:\n    image: x\n    volumes: ["./data:/data"]\n');
    const spec = c.load();
    expect(spec.services.a?.mounts[0]).toMatchObject({ type: 'bind', createHostPath: true });
    expect(spec.warnings.map((w) => [w.path, w.message])).toEqual([
      ['services.a.volumes[0]', `${path.join(c.dir, 'data')} does not exist: it is created as an empty folder when a starts (Compose does this for the short syntax and for \`bind: {create_host_path: true}\`); if the course expects files there, they are missing`],
    ]);
    fs.mkdirSync(path.join(c.dir, 'data'));
    expect(c.load().warnings).toEqual([]);
  });

  it('long syntax: refused unless create_host_path is written', () => {
    const c = course('services:\n  a:\n    image: x\n    volumes:\n      - type: bind\n        source: ./conf\n        target: /conf\n');
    let problems: string[] = [];
    try {
      c.load();
    } catch (error) {
      problems = (error as { problems: Array<{ message: string }> }).problems.map((p) => p.message);
    }
    expect(problems).toEqual([expect.stringMatching(/conf does not exist, and a long-syntax bind mount is not created .* add `bind: \{create_host_path: true\}`/)]);
    const created = course('services:\n  a:\n    image: x\n    volumes:\n      - {type: bind, source: ./conf, target: /conf, bind: {create_host_path: true}}\n');
    expect(created.load().warnings.map((w) => w.message)).toEqual([expect.stringMatching(/does not exist: it is created as an empty folder/)]);
  });

  it('not said for a folder variable, which the engine creates itself', () => {
    const c = course('services:\n  a:\n    image: x\n    volumes: ["${NB}:/nb"]\n');
    const text = `x-coursedock:\n  title: T\n  variables:\n    NB: {kind: folder, default: ./notebooks}\nservices:\n  a:\n    image: x\n    volumes: ["\${NB}:/nb"]\n`;
    expect(loadSpec(c.file, { env: {}, text }).warnings).toEqual([]);
  });
});

describe('host addresses', () => {
  it('an empty host address (":2283:2283") is published on 127.0.0.1 with a warning naming the cause', () => {
    const loaded = load(spec('services:\n  photos:\n    image: x\n    ports: [":2283:2283"]\n'));
    expect(loaded.services.photos?.ports).toEqual([{ target: 2283, published: 2283, hostIp: '127.0.0.1', protocol: 'tcp' }]);
    expect(loaded.warnings[0]?.message).toMatch(/^an empty host address \(in Compose: every network interface\)/);
  });

  it('"0.0.0.0" and "::" likewise; loopback addresses stay as written', () => {
    const loaded = load(spec('services:\n  a:\n    image: x\n    ports: ["0.0.0.0:80:80", "[::]:81:81", "127.0.0.5:82:82", "[::1]:83:83"]\n'));
    expect(loaded.services.a?.ports.map((p) => p.hostIp)).toEqual(['127.0.0.1', '127.0.0.1', '127.0.0.5', '::1']);
    expect(loaded.warnings.map((w) => w.path)).toEqual(['services.a.ports[0]', 'services.a.ports[1]']);
  });
});
