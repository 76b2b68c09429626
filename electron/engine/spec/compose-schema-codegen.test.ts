// The validator the build compiles ahead of time (ajv standalone code) says exactly what the one
// compiled at run time says: same verdicts, same errors, on valid and invalid documents.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Ajv2019, type ErrorObject, type ValidateFunction } from 'ajv/dist/2019.js';
import { afterAll, expect, it } from 'vitest';
import { composeValidatorModule } from './compose-schema-codegen.js';
import { AJV_OPTIONS, composeSchema } from './compose-schema.js';

// Inside the repository, so the module's imports of ajv's runtime helpers resolve.
const dir = mkdtempSync(path.join(import.meta.dirname, '.codegen-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const documents: Record<string, unknown> = {
  valid: { services: { web: { image: 'nginx', ports: ['127.0.0.1:8080:80'], depends_on: { db: { condition: 'service_healthy', restart: true } } }, db: { image: 'postgres' } } },
  'wrong types': { services: { a: { image: 'x', cap_add: 5, mem_limit: [1], healthcheck: { retries: 'three' } } } },
  'interpolated number': { services: { a: { image: 'x', cpu_count: '${CPUS}' } } },
  'unknown top-level key and bad volume': { services: { a: { image: 'x', volumes: [{ type: 'nowhere' }] } }, volumes: { v: 7 } },
};

const shape = (errors: readonly ErrorObject[] | null | undefined) => (errors ?? []).map((e) => ({ path: e.instancePath, keyword: e.keyword, params: e.params, data: e.data }));

it('the precompiled validator agrees with the one compiled at run time', async () => {
  const file = path.join(dir, 'validator.mjs');
  // ajv's runtime helpers are imported with their .js name (as the build does for ESM).
  writeFileSync(file, `import __equal from 'ajv/dist/runtime/equal.js';\n${composeValidatorModule().replace(/require\("ajv\/dist\/runtime\/equal"\)/g, '__equal')}`);
  const { precompiledValidator } = (await import(pathToFileURL(file).href)) as { precompiledValidator: ValidateFunction };
  const atRunTime = new Ajv2019(AJV_OPTIONS).compile(composeSchema());
  for (const [name, doc] of Object.entries(documents)) {
    const verdict = atRunTime(doc);
    expect(precompiledValidator(doc), name).toBe(verdict);
    expect(shape(precompiledValidator.errors), name).toEqual(shape(atRunTime.errors));
    expect(verdict, name).toBe(name === 'valid');
  }
}, 120_000);
