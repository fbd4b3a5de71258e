/**
 * Checking a JSON document against one of fairkit's published JSON Schemas (src/schemas, shipped
 * as schemas/*.schema.json), in the browser-safe core. The schemas use a small subset of JSON
 * Schema 2020-12 — type, properties, required, additionalProperties, items, prefixItems, minItems,
 * maxItems, enum, const, minimum, maximum, exclusiveMinimum, anyOf, $ref to $defs — and this
 * checker implements exactly that subset, so the library validates what it reads (policies,
 * counts, saved models, card files) without a runtime dependency. The tests validate the same
 * schemas with Ajv and check that both agree.
 *
 * Messages name the field by its path (`policy.groups[2].rule.cuts`) and say what was expected;
 * their wording is in errors.ts (`messages.schema…`).
 */
import { FairkitError, messages } from "./errors.js";

/** The JSON Schema subset fairkit's schemas are written in. */
export interface JsonSchema {
  $schema?: string;
  $id?: string;
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
  title?: string;
  description?: string;
  type?: JsonType | readonly JsonType[];
  properties?: Record<string, JsonSchema>;
  required?: readonly string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema | false;
  prefixItems?: readonly JsonSchema[];
  minItems?: number;
  maxItems?: number;
  enum?: readonly unknown[];
  const?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minLength?: number;
  anyOf?: readonly JsonSchema[];
}

/** A JSON type name. */
export type JsonType = "object" | "array" | "string" | "number" | "integer" | "boolean" | "null";

function typeOf(value: unknown): JsonType | "undefined" | "other" {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  if (typeof value === "string" || typeof value === "boolean" || typeof value === "object")
    return typeof value as JsonType;
  return value === undefined ? "undefined" : "other";
}

function matchesType(value: unknown, type: JsonType): boolean {
  const t = typeOf(value);
  if (type === "number") return (t === "number" || t === "integer") && Number.isFinite(value as number);
  return t === type;
}

function resolve(schema: JsonSchema, root: JsonSchema): JsonSchema {
  let s = schema;
  for (let depth = 0; s.$ref !== undefined; depth++) {
    const m = /^#\/\$defs\/(.+)$/.exec(s.$ref);
    const target = m ? root.$defs?.[m[1]] : undefined;
    if (!target || depth > 32) throw new Error(`internal: unresolved schema reference ${s.$ref}`);
    s = target;
  }
  return s;
}

/** The first problem found, or undefined when `value` matches. */
function firstProblem(value: unknown, schema: JsonSchema, root: JsonSchema, path: string): string | undefined {
  const s = resolve(schema, root);
  if (s.anyOf) {
    const problems = s.anyOf.map((alt) => firstProblem(value, alt, root, path));
    if (problems.some((p) => p === undefined)) return undefined;
    // When no alternative even has the value's type, say which types would do.
    const types = s.anyOf.map((alt) => resolve(alt, root).type);
    if (problems.every((p) => p!.startsWith(`${path}: must be `)) && types.every((t) => t !== undefined)) {
      const names = [...new Set(types.flatMap((t) => (typeof t === "string" ? [t] : [...t!])))];
      if (!names.some((t) => matchesType(value, t))) return messages.schemaType(path, names, value);
    }
    // Otherwise the alternative whose problem lies deepest is the one the writer most likely meant.
    return problems.reduce((a, b) => ((b ?? "").length > (a ?? "").length ? b : a));
  }
  if (s.type !== undefined) {
    const types = typeof s.type === "string" ? [s.type] : s.type;
    if (!types.some((t) => matchesType(value, t))) return messages.schemaType(path, types, value);
  }
  if (s.const !== undefined && value !== s.const) return messages.schemaConst(path, s.const, value);
  if (s.enum !== undefined && !s.enum.includes(value)) return messages.schemaEnum(path, s.enum, value);
  if (typeof value === "number") {
    if (s.minimum !== undefined && !(value >= s.minimum)) return messages.schemaMinimum(path, s.minimum, value);
    if (s.exclusiveMinimum !== undefined && !(value > s.exclusiveMinimum))
      return messages.schemaExclusiveMinimum(path, s.exclusiveMinimum, value);
    if (s.maximum !== undefined && !(value <= s.maximum)) return messages.schemaMaximum(path, s.maximum, value);
  }
  if (typeof value === "string" && s.minLength !== undefined && value.length < s.minLength) {
    return messages.schemaMinLength(path, s.minLength, value);
  }
  if (Array.isArray(value)) {
    if (s.minItems !== undefined && value.length < s.minItems)
      return messages.schemaMinItems(path, s.minItems, value.length);
    if (s.maxItems !== undefined && value.length > s.maxItems)
      return messages.schemaMaxItems(path, s.maxItems, value.length);
    const prefix = s.prefixItems ?? [];
    for (let i = 0; i < value.length; i++) {
      const itemSchema = i < prefix.length ? prefix[i] : s.items;
      if (itemSchema === undefined) continue;
      if (itemSchema === false) return messages.schemaMaxItems(path, prefix.length, value.length);
      const p = firstProblem(value[i], itemSchema, root, `${path}[${i}]`);
      if (p) return p;
    }
  } else if (value !== null && typeof value === "object") {
    const record = value as Record<string, unknown>;
    const fieldPath = (name: string) =>
      /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? `${path}.${name}` : `${path}[${JSON.stringify(name)}]`;
    // Fields in the schema's order (the document's kind first), each checked when present or
    // reported when required and missing; then the fields the schema does not know.
    const required = new Set(s.required ?? []);
    for (const name of [
      ...Object.keys(s.properties ?? {}),
      ...(s.required ?? []).filter((r) => !(r in (s.properties ?? {}))),
    ]) {
      const present = name in record && record[name] !== undefined;
      if (!present) {
        if (required.has(name)) return messages.schemaMissingField(path, name);
        continue;
      }
      const known = s.properties?.[name];
      if (known) {
        const p = firstProblem(record[name], known, root, fieldPath(name));
        if (p) return p;
      }
    }
    for (const [name, v] of Object.entries(record)) {
      if (s.properties?.[name]) continue;
      if (s.additionalProperties === false) {
        return messages.schemaUnknownField(path, name, Object.keys(s.properties ?? {}));
      } else if (typeof s.additionalProperties === "object") {
        const p = firstProblem(v, s.additionalProperties, root, fieldPath(name));
        if (p) return p;
      }
    }
  }
  return undefined;
}

/** True when `value` matches `schema`. */
export function matchesSchema(value: unknown, schema: JsonSchema): boolean {
  return firstProblem(value, schema, schema, "$") === undefined;
}

/**
 * Throws a FairkitError (`BAD_ARGUMENT`, or `code`) naming the first field of `value` that does not
 * match `schema`; `what` names the document in the message (`policy`, `counts`, a file name).
 *
 * @example
 * checkSchema(JSON.parse(text), POLICY_SCHEMA, "policy.json");
 * // policy.json: groups[1].rule.probabilities: must be an array; got "0.5"
 */
export function checkSchema(
  value: unknown,
  schema: JsonSchema,
  what: string,
  code: "BAD_ARGUMENT" | "BAD_FILE" = "BAD_ARGUMENT",
): void {
  const problem = firstProblem(value, schema, schema, "$");
  if (problem === undefined) return;
  throw new FairkitError(code, messages.schemaProblem(what, problem), { argument: what });
}
