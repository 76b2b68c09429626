// The test copies make "MongoDB cannot be had here" themselves: its image is moved to a
// registry on a closed loopback port, whatever this machine's network or image cache holds.
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { copyCourse, UNREACHABLE_REGISTRY, unreachableImage, withQuickHealthchecks, withUnreachableDownloads } from './course-copy.js';

const images = (file: string) =>
  Object.fromEntries(Object.entries((parse(readFileSync(file, 'utf8')) as { services: Record<string, { image: string }> }).services).map(([n, s]) => [n, s.image]));

describe('course copies for tests', () => {
  it('move download-only images to the unreachable registry and keep built ones', () => {
    const copy = copyCourse('tm351', 'cdunit');
    try {
      expect(images(copy.file)).toEqual({
        notebook: '${COURSE_REGISTRY:-coursedock}/tm351-notebook:1',
        postgres: '${COURSE_REGISTRY:-coursedock}/tm351-postgres:1',
        mongo: `${UNREACHABLE_REGISTRY}/mongo:7`,
        // The replica-set activity's (profile replica-set): every service naming mongo:7.
        ...Object.fromEntries(['mongo-rs1', 'mongo-rs2', 'mongo-rs3', 'mongo-rs-init'].map((n) => [n, `${UNREACHABLE_REGISTRY}/mongo:7`])),
      });
    } finally {
      copy.cleanup();
    }
  });

  it('keep the course images as they are when asked', () => {
    const copy = copyCourse('tm351', 'cdunit', { keepDownloads: true });
    try {
      expect(images(copy.file).mongo).toBe('mongo:7');
    } finally {
      copy.cleanup();
    }
  });

  it('rewrite only the image line, quoted or not, with or without a registry host', () => {
    const text = 'services:\n  a:\n    image: "docker.io/library/mongo:7"\n\n  b:\n    image: local/b:1\n    build: ./b\n';
    expect(withUnreachableDownloads(text)).toBe(
      `services:\n  a:\n    image: "${UNREACHABLE_REGISTRY}/library/mongo:7"\n\n  b:\n    image: local/b:1\n    build: ./b\n`,
    );
    expect(unreachableImage('localhost:5000/x/y:2')).toBe(`${UNREACHABLE_REGISTRY}/x/y:2`);
  });

  it('point at a port that refuses connections', async () => {
    const [host, port] = UNREACHABLE_REGISTRY.split('/')[0]!.split(':');
    const outcome = await new Promise<string>((resolve) => {
      const socket = net.connect({ host: host!, port: Number(port) });
      socket.once('connect', () => {
        socket.destroy();
        resolve('connected');
      });
      socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? String(err)));
    });
    expect(outcome).toBe('ECONNREFUSED');
  });

  it('leave OpenRefine out unless asked for, with its metadata and its only volume', () => {
    const plain = copyCourse('tm351', 'cdunit');
    const withIt = copyCourse('tm351', 'cdunit', { withSlow: ['openrefine'] });
    try {
      const doc = (file: string) =>
        parse(readFileSync(file, 'utf8')) as { services: object; volumes: object; 'x-coursedock': { services: object; 'student-data': string[] } };
      const a = doc(plain.file);
      expect(Object.keys(a.services)).not.toContain('openrefine');
      expect(Object.keys(a['x-coursedock'].services)).not.toContain('openrefine');
      expect(Object.keys(a.volumes)).not.toContain('openrefinedata');
      expect(a['x-coursedock']['student-data']).toEqual(['NOTEBOOKS_DIR', 'pgdata', 'mongodata']);
      expect(Object.keys(a.volumes)).toContain('pgdata');
      const b = doc(withIt.file);
      expect(Object.keys(b.services)).toContain('openrefine');
      expect(b['x-coursedock']['student-data']).toContain('openrefinedata');
    } finally {
      plain.cleanup();
      withIt.cleanup();
    }
  });

  it('quicken healthchecks only where there is one, keeping their commands and retries', () => {
    const text = 'services:\n  a:\n    image: a\n    healthcheck:\n      test: ["CMD", "probe"]\n      interval: 30s\n      retries: 2\n  b:\n    image: b\n';
    const out = parse(withQuickHealthchecks(text)) as { services: Record<string, { healthcheck?: Record<string, unknown> }> };
    expect(out.services.a!.healthcheck).toEqual({ test: ['CMD', 'probe'], interval: '2s', retries: 2, start_period: '10s' });
    expect(out.services.b!.healthcheck).toBeUndefined();
  });
});
