import { describe, expect, it } from 'vitest';
import { formatBytes, maskUrl, percent } from './format.js';
import { connectionSnippets } from './snippets.js';
import { operationText, statusView, summary } from './status.js';

describe('status words', () => {
  it('names operations with their phase', () => {
    expect(operationText({ kind: 'reinstall', phase: 'building the image', startedAt: 0 })).toBe('Reinstalling — building the image');
    expect(operationText({ kind: 'reset', phase: 'working', startedAt: 0 })).toBe('Resetting…');
  });

  it('sums up the course', () => {
    const s = (status: string, extra = {}) => ({ service: status, status, ports: [], ...extra }) as never;
    expect(summary([s('healthy'), s('running'), s('error', { unavailable: true })])).toEqual({ text: '2 of 3 running · 1 not available', tone: 'ok' });
    expect(summary([s('healthy'), s('exited')]).tone).toBe('error');
    expect(summary([s('stopped')])).toEqual({ text: '0 of 1 running', tone: 'idle' });
  });

  it('has a view for every status', () => {
    for (const status of ['missing', 'pulling', 'building', 'creating', 'starting', 'running', 'healthy', 'unhealthy', 'stopping', 'stopped', 'exited', 'error'] as const) {
      expect(statusView({ status }).label).not.toBe('Unknown');
    }
  });
});

describe('format', () => {
  it('formats sizes', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 kB');
    expect(formatBytes(48 * 1024 * 1024)).toBe('48 MB');
    expect(formatBytes(undefined)).toBe('');
  });
  it('computes percentages', () => {
    expect(percent(1, 3)).toBe(33);
    expect(percent(5, 0)).toBeUndefined();
    expect(percent(20, 10)).toBe(100);
  });
  it('masks tokens and passwords in URLs', () => {
    expect(maskUrl('http://127.0.0.1:8351/tree?token=abc123')).toBe('http://127.0.0.1:8351/tree?token=••••••••');
    expect(maskUrl('postgresql://testuser:testpass@127.0.0.1:5432/testdb')).toBe('postgresql://testuser:••••••••@127.0.0.1:5432/testdb');
    expect(maskUrl('http://127.0.0.1:8351/lab?x=1&password=p')).toBe('http://127.0.0.1:8351/lab?x=1&password=••••••••');
  });
});

describe('snippets', () => {
  const pg = { kind: 'postgres' as const, port: 5432, user: 'testuser', database: 'testdb', hasPassword: true };
  it('encodes special characters of a password in URLs, not in keyword arguments', () => {
    const [psy, sqla, url] = connectionSnippets(pg, { host: 'postgres', port: 5432 }, 'p@ss/"w');
    expect(psy!.code).toContain('password="p@ss/\\"w"');
    expect(sqla!.code).toContain('postgresql+psycopg2://testuser:p%40ss%2F%22w@postgres:5432/testdb');
    expect(url!.code).toBe('postgresql://testuser:p%40ss%2F%22w@postgres:5432/testdb');
  });
  it('leaves out what the connection does not have', () => {
    const [py] = connectionSnippets({ kind: 'mongodb', port: 27017, hasPassword: false }, { host: '127.0.0.1', port: 27018 }, undefined);
    expect(py!.code).toBe('from pymongo import MongoClient\n\nclient = MongoClient("mongodb://127.0.0.1:27018/")');
  });
});
