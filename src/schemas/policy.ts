/**
 * The threshold policy (`fairkit.threshold_policy`): per group, a decision rule — the probability
 * of a positive decision as a step function of the score — fitted by the ThresholdOptimizer and
 * read back by `ThresholdOptimizer.fromJSON` and `fairkit apply`.
 */
import type { JsonSchema } from "../core/schema.js";
import { COLUMNS, GROUP_LABEL, GROUP_TUPLE, NUMBER_OR_NULL, SCHEMA_BASE, TOOL, documentHead } from "./common.js";

/** Schema version of the policy document (1 was fairkit 0.1's `fairkit.threshold_optimizer`). */
export const POLICY_SCHEMA_VERSION = 2;

/** A decision rule: `P(positive | s) = probabilities[j]`, j = the number of cuts ≤ s. */
export const DECISION_RULE_SCHEMA: JsonSchema = {
  description:
    "P(positive | score s) = probabilities[j], where j is the number of cuts that are <= s. Cuts are finite and strictly ascending; there is one more probability than cuts.",
  type: "object",
  required: ["cuts", "probabilities"],
  properties: {
    cuts: { type: "array", items: { type: "number" } },
    probabilities: { type: "array", items: { type: "number", minimum: 0, maximum: 1 }, minItems: 1 },
  },
  additionalProperties: false,
};

/** JSON Schema of `fairkit.threshold_policy`. */
export const POLICY_SCHEMA: JsonSchema = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  $id: `${SCHEMA_BASE}threshold-policy.schema.json`,
  title: "fairkit threshold policy",
  description:
    "Per-group, possibly randomised thresholds (Hardt, Price & Srebro 2016) with their explicit mixing probabilities.",
  type: "object",
  required: ["kind", "schema_version", "constraint", "objective", "tolerance", "flip", "columns", "groups", "training"],
  properties: {
    ...documentHead("fairkit.threshold_policy", POLICY_SCHEMA_VERSION),
    tool: TOOL,
    constraint: {
      enum: ["demographic_parity", "equalized_odds", "true_positive_rate_parity", "false_positive_rate_parity"],
    },
    objective: { enum: ["accuracy", "balanced_accuracy"] },
    tolerance: { type: "number", minimum: 0 },
    flip: { type: "boolean" },
    columns: COLUMNS,
    groups: {
      type: "array",
      minItems: 1,
      items: {
        type: "object",
        required: ["group", "rule"],
        properties: {
          group: GROUP_TUPLE,
          label: GROUP_LABEL,
          rule: DECISION_RULE_SCHEMA,
          fpr: {
            description: "False positive rate of the chosen operating point on the training data.",
            ...NUMBER_OR_NULL,
          },
          tpr: {
            description: "True positive rate of the chosen operating point on the training data.",
            ...NUMBER_OR_NULL,
          },
        },
        additionalProperties: false,
      },
    },
    training: {
      description: "Exact expected values on the training data; null where undefined.",
      type: "object",
      required: ["objective", "accuracy", "balanced_accuracy", "constraint_difference"],
      properties: {
        objective: NUMBER_OR_NULL,
        accuracy: NUMBER_OR_NULL,
        balanced_accuracy: NUMBER_OR_NULL,
        constraint_difference: NUMBER_OR_NULL,
      },
      additionalProperties: false,
    },
    input: {
      description:
        "What the policy was fitted on (written by `fairkit postprocess`): `fairkit apply` reads the score and sensitive columns from here and warns when it runs without the same filter.",
      type: "object",
      required: ["score", "sensitive"],
      properties: {
        source: { type: "string" },
        rows: { type: "integer", minimum: 0 },
        score: { type: "string" },
        sensitive: COLUMNS,
        where: { type: ["string", "null"] },
      },
      additionalProperties: false,
    },
  },
  additionalProperties: false,
};
