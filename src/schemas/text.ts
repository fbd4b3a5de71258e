/**
 * The probe document (`fairkit.probe`): representation harms of a text model measured with
 * counterfactual probes, per attribute its groups, terms, templates and pairs of groups.
 */
import type { JsonSchema } from "../core/schema.js";
import { closedObject, documentHead, INTERVAL, NUMBER_OR_NULL, ROW_COUNT, SCHEMA_BASE, TEXT, TOOL } from "./common.js";

/** Schema version of the probe document. */
export const PROBE_SCHEMA_VERSION = 1;

const NUMBER: JsonSchema = { type: "number" };
const INTERVAL_OR_NULL: JsonSchema = { anyOf: [INTERVAL, { type: "null" }] };
const P_VALUE: JsonSchema = { anyOf: [{ type: "number", minimum: 0, maximum: 1 }, { type: "null" }] };
const SHARE: JsonSchema = { type: "number", minimum: 0, maximum: 1 };
const GROUP_PAIR: JsonSchema = { type: "array", prefixItems: [TEXT, TEXT], items: false, minItems: 2 };

const PAIRED_PROPERTIES: Record<string, JsonSchema> = {
  value: { description: "Mean over families of the within-family difference.", type: "number" },
  interval: INTERVAL_OR_NULL,
  p: P_VALUE,
  families: ROW_COUNT,
};
const PAIRED: JsonSchema = { anyOf: [closedObject(PAIRED_PROPERTIES), { type: "null" }] };
const TESTED: JsonSchema = {
  anyOf: [
    closedObject({
      ...PAIRED_PROPERTIES,
      p_holm: { description: "Holm-adjusted over the groups (or terms) of the attribute.", ...P_VALUE },
      significant: { type: "boolean" },
    }),
    { type: "null" },
  ],
};
const EXTREME: JsonSchema = { anyOf: [closedObject({ value: NUMBER, groups: GROUP_PAIR }), { type: "null" }] };
const MEAN_MIN: JsonSchema = closedObject({ mean: NUMBER, min: NUMBER });

const ATTRIBUTE: JsonSchema = closedObject({
  attribute: TEXT,
  texts: ROW_COUNT,
  families: ROW_COUNT,
  groups: {
    type: "array",
    items: closedObject({
      group: TEXT,
      n: ROW_COUNT,
      mean: NUMBER,
      sd: NUMBER,
      share_above: SHARE,
      gap_to_rest: closedObject({ value: NUMBER, interval: INTERVAL_OR_NULL }),
      paired: TESTED,
    }),
  },
  terms: {
    description: "Ranked by the absolute paired effect, largest first.",
    type: "array",
    items: closedObject({ term: TEXT, group: TEXT, n: ROW_COUNT, mean: NUMBER, paired: TESTED }),
  },
  templates: {
    description: "Ranked by spread (highest minus lowest group mean), largest first.",
    type: "array",
    items: closedObject({ template: TEXT, n: ROW_COUNT, spread: NUMBER, lowest: TEXT, highest: TEXT }),
  },
  pairs: {
    type: "array",
    items: closedObject({
      groups: GROUP_PAIR,
      paired: PAIRED,
      wasserstein: { description: "Strong parity: Wasserstein-1 distance of the score distributions.", type: "number" },
      share_difference: {
        description: "Weak parity: difference of the shares at or above the threshold.",
        type: "number",
      },
    }),
  },
  largest_paired_gap: {
    anyOf: [
      closedObject({ value: NUMBER, groups: GROUP_PAIR, interval: INTERVAL_OR_NULL, p: P_VALUE }),
      { type: "null" },
    ],
  },
  strong_parity: EXTREME,
  weak_parity: EXTREME,
  similarity: {
    anyOf: [
      closedObject({
        pairs: ROW_COUNT,
        cosine: MEAN_MIN,
        rouge_l: MEAN_MIN,
        bleu: MEAN_MIN,
        by_pair: {
          type: "array",
          items: closedObject({ groups: GROUP_PAIR, pairs: ROW_COUNT, cosine: NUMBER, rouge_l: NUMBER, bleu: NUMBER }),
        },
      }),
      { type: "null" },
    ],
  },
});

/** JSON Schema of the probe document. */
export const PROBE_SCHEMA: JsonSchema = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  $id: `${SCHEMA_BASE}probe.schema.json`,
  title: "fairkit probe",
  description:
    "Representation harms of a text model: counterfactual probes that differ only in an identity term, scored, compared within families, per attribute.",
  type: "object",
  required: [
    "kind",
    "schema_version",
    "tool",
    "input",
    "scorer",
    "generator",
    "level",
    "threshold",
    "threshold_source",
    "texts",
    "attributes",
  ],
  properties: {
    ...documentHead("fairkit.probe", PROBE_SCHEMA_VERSION),
    tool: TOOL,
    input: closedObject({
      kind: { enum: ["templates", "texts", "holistic_bias"] },
      name: { type: ["string", "null"] },
      sources: ROW_COUNT,
      unaware: ROW_COUNT,
      several_groups: ROW_COUNT,
    }),
    scorer: TEXT,
    generator: { type: ["string", "null"] },
    level: { type: "number", exclusiveMinimum: 0, maximum: 1 },
    threshold: NUMBER_OR_NULL,
    threshold_source: { enum: ["given", "median"] },
    texts: ROW_COUNT,
    attributes: { type: "array", items: ATTRIBUTE },
  },
  additionalProperties: false,
};
