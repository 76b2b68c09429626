// Build-time only: the Compose schema's validator as an ES module of ajv standalone code, with
// the schema and options compose-schema.ts checks with. scripts/build.mjs puts it in place of
// compose-schema-precompiled.ts in the built bundles.
import { Ajv2019 } from 'ajv/dist/2019.js';
import standaloneCodeModule from 'ajv/dist/standalone/index.js';
import { AJV_OPTIONS, composeSchema } from './compose-schema.js';

type StandaloneCode = (ajv: Ajv2019, validate: unknown) => string;
const standaloneCode = ((standaloneCodeModule as unknown as { default?: StandaloneCode }).default ?? standaloneCodeModule) as unknown as StandaloneCode;

export function composeValidatorModule(): string {
  const ajv = new Ajv2019({ ...AJV_OPTIONS, code: { source: true, esm: true } });
  const code = standaloneCode(ajv, ajv.compile(composeSchema()));
  return `${code}\nexport const precompiledValidator = validate;\n`;
}
