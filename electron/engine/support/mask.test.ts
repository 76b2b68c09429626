// Masking for the support bundle: known secrets anywhere, secret shapes everywhere, the spec's
// YAML kept readable (comments, references) with its secrets gone.
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadSpec } from '../spec/index.js';
import { REPO_ROOT } from '../testing/course-copy.js';
import { MASK, Masker, secretsOf, urlPasswords } from './mask.js';

const TOKEN = 'f3a9c0ffee5eed1234567890abcdef0123456789abcdef01';
const SPEC_FILE = path.join(REPO_ROOT, 'compose-specs/tm351/compose.yml');
const variables = {
  NOTEBOOK_TOKEN: TOKEN,
  NOTEBOOKS_DIR: '/home/me/notebooks',
  NOTEBOOK_UID: '1000',
  MONGO_PASSWORD: '0123456789abcdef0123456789abcdef0123456789abcdef',
  MONGO_ADMIN_PASSWORD: 'fedcba9876543210fedcba9876543210fedcba9876543210',
};
const spec = loadSpec(SPEC_FILE, { env: variables });

describe('secretsOf', () => {
  it("collects tm351's token, passwords and the password inside DATABASE_URL", () => {
    const secrets = secretsOf(spec, variables);
    expect(secrets).toContain(TOKEN);
    expect(secrets).toContain('testpass');
    expect(new Set(secrets)).not.toContain('testuser');
    expect(new Set(secrets)).not.toContain('/home/me/notebooks');
  });

  it('finds passwords inside URLs, percent-encoded too', () => {
    expect(urlPasswords('postgresql://u:p%40ss@h/db and mongodb://x:y@m/')).toEqual(['p%40ss', 'p@ss', 'y']);
  });
});

describe('Masker', () => {
  const masker = new Masker([TOKEN, 'testpass', 'abc']);

  it('replaces known secrets in any text, and secret shapes', () => {
    const log = [
      `http://127.0.0.1:8888/p/x/notebook/?token=${TOKEN}`,
      'DATABASE_URL=postgresql://testuser:testpass@postgres:5432/testdb',
      'connect mongodb://admin:s3cr3t-unknown@mongo:27017/',
      'PGPASSWORD=whatever-it-is ok',
      'JUPYTER_TOKEN=another',
      'GET /api?access_token=zzz&x=1',
      'the abc of it', // too short to search for: left alone
    ].join('\n');
    expect(masker.text(log)).toBe(
      [
        `http://127.0.0.1:8888/p/x/notebook/?token=${MASK}`,
        `DATABASE_URL=postgresql://testuser:${MASK}@postgres:5432/testdb`,
        `connect mongodb://admin:${MASK}@mongo:27017/`,
        `PGPASSWORD=${MASK} ok`,
        `JUPYTER_TOKEN=${MASK}`,
        `GET /api?access_token=${MASK}&x=1`,
        'the abc of it',
      ].join('\n'),
    );
  });

  it('masks values under secret keys deeply, keeps references and the rest', () => {
    expect(
      masker.value({
        password: 'x',
        POSTGRES_PASSWORD: 1234,
        JUPYTER_TOKEN: '${NOTEBOOK_TOKEN}',
        hasPassword: true,
        DB_PASS: 'p',
        counts: { pass: 8, fail: 0 },
        user: 'testuser',
        env: ['PGPASSWORD=plain', 'PGUSER=testuser'],
        nested: { api_key: 'k', url: `x?token=${TOKEN}` },
      }),
    ).toEqual({
      password: MASK,
      POSTGRES_PASSWORD: MASK,
      JUPYTER_TOKEN: '${NOTEBOOK_TOKEN}',
      hasPassword: true,
      DB_PASS: MASK,
      counts: { pass: 8, fail: 0 },
      user: 'testuser',
      env: [`PGPASSWORD=${MASK}`, 'PGUSER=testuser'],
      nested: { api_key: MASK, url: `x?token=${MASK}` },
    });
  });

  it("masks the tm351 spec's YAML and keeps its comments and references", () => {
    const out = new Masker(secretsOf(spec, variables)).yaml(readFileSync(SPEC_FILE, 'utf8'));
    expect(out).not.toContain('testpass');
    expect(out).toContain('# TM351 Data management and analysis: the course environment.');
    expect(out).toContain('JUPYTER_TOKEN: ${NOTEBOOK_TOKEN}');
    expect(out).toMatch(/PGPASSWORD: "?\*\*\*"?/);
    expect(out).toMatch(/POSTGRES_PASSWORD: "?\*\*\*"?/);
    expect(out).toContain('DATABASE_URL: postgresql://testuser:***@postgres:5432/testdb');
    expect(out).toMatch(/password: "?\*\*\*"?/);
    expect(out).toContain('user: testuser');
  });
});
