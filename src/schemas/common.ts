/**
 * Pieces shared by fairkit's JSON Schemas: how a group is written (the tuple of its values, with
 * its display label beside it), the tool stamp, and the rule for numbers that are not finite
 * (written as null; each field that may be null says what null means).
 */
import type { JsonSchema } from "../core/schema.js";

/** Base URI of the published schemas (`$id`s); the files ship in the package under `schemas/`. */
export const SCHEMA_BASE = "https://fairkit.dev/schemas/";

/** One sensitive value: text, a number or a boolean; null is a missing value. */
export const GROUP_VALUE: JsonSchema = {
  description:
    "One sensitive column's value: text, a number or a boolean (files are read as text); null is a missing value.",
  type: ["string", "number", "boolean", "null"],
};

/** The tuple of a group's values, one per sensitive column, in the order of `columns`. */
export const GROUP_TUPLE: JsonSchema = {
  description: "The group's identity: one value per sensitive column, in the order of `columns`.",
  type: "array",
  items: GROUP_VALUE,
  minItems: 1,
};

/** The sensitive column names. */
export const COLUMNS: JsonSchema = {
  description: "The sensitive columns; a group is the tuple of their values.",
  type: "array",
  items: { type: "string" },
  minItems: 1,
};

/** The display label of a group: derived from `group`, ignored when read. */
export const GROUP_LABEL: JsonSchema = {
  description:
    'Display label derived from `group` (values joined by ", ", quoted where they could be misread); ignored when read.',
  type: "string",
};

/** `{ name: "fairkit", version }`. */
export const TOOL: JsonSchema = {
  description: "The program that wrote the document.",
  type: "object",
  required: ["name", "version"],
  properties: { name: { const: "fairkit" }, version: { type: "string" } },
  additionalProperties: false,
};

/** A finite number, or null where the value is undefined (an empty denominator). */
export const NUMBER_OR_NULL: JsonSchema = { type: ["number", "null"] };

/** A proportion in [0, 1], or null where undefined. */
export const RATE_OR_NULL: JsonSchema = { anyOf: [{ type: "number", minimum: 0, maximum: 1 }, { type: "null" }] };

/** The head every document starts with: its kind and schema version. */
export function documentHead(kind: string, version: number): Record<string, JsonSchema> {
  return {
    kind: { description: "What the document is.", const: kind },
    schema_version: { description: "Bumped for every change that breaks readers.", const: version },
  };
}

/** Text. */
export const TEXT: JsonSchema = { type: "string" };

/** A number of rows (or pairs): a whole number >= 0. */
export const ROW_COUNT: JsonSchema = { type: "integer", minimum: 0 };

/** An interval `[low, high]`; an end is null where undefined. */
export const INTERVAL: JsonSchema = {
  type: "array",
  prefixItems: [NUMBER_OR_NULL, NUMBER_OR_NULL],
  items: false,
  minItems: 2,
};

/**
 * A closed object: exactly these properties (no others), every one required but those named in
 * `optional`.
 */
export function closedObject(
  properties: Record<string, JsonSchema>,
  optional: readonly string[] = [],
  description?: string,
): JsonSchema {
  return {
    ...(description ? { description } : {}),
    type: "object",
    required: Object.keys(properties).filter((k) => !optional.includes(k)),
    properties,
    additionalProperties: false,
  };
}
