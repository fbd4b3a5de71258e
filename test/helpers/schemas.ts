/**
 * Validating the documents fairkit writes against their published JSON Schemas, with Ajv (an
 * independent validator): `assertValid(JSON.parse(stdout), "audit")` in any test that reads one.
 */
import assert from "node:assert/strict";
import { Ajv2020 } from "ajv/dist/2020.js";
import { SCHEMAS } from "../../src/schemas/index.js";

const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
const validators = new Map(Object.entries(SCHEMAS).map(([name, schema]) => [name, ajv.compile(schema)]));

/** Throws (an assertion) unless `doc` is valid by the schema `name` (a file name under schemas/, without `.schema.json`). */
export function assertValid<T>(doc: T, name: keyof typeof SCHEMAS | string): T {
  const validate = validators.get(name);
  assert.ok(validate, `no schema named ${name}`);
  assert.ok(validate(doc), `${name}: ${ajv.errorsText(validate.errors, { separator: "\n" })}`);
  return doc;
}
