// The Compose schema's validator compiled ahead of time, or nothing. In the sources (tsx,
// vitest) this module is this placeholder and compose-schema.ts compiles the schema when first
// needed; the build (scripts/build.mjs) replaces it with ajv's standalone code for the same
// schema and options (compose-schema-codegen.ts), so the built command line and app never
// compile it: that took most of a `coursedock status`.
import type { ValidateFunction } from 'ajv';

export const precompiledValidator: ValidateFunction | undefined = undefined;
