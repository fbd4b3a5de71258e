/**
 * The thresholds report (`fairkit.thresholds`): what `fairkit thresholds --format json` writes —
 * per-group ROC/PR summaries, the impossibility analysis at the threshold(s), and suggested
 * thresholds per criterion.
 */
import { CRITERION_NAMES } from "../core/criteria.js";
import type { JsonSchema } from "../core/schema.js";
import {
  closedObject,
  documentHead,
  GROUP_LABEL,
  GROUP_TUPLE,
  NUMBER_OR_NULL,
  SCHEMA_BASE,
  TEXT,
  TOOL,
} from "./common.js";
import { DECISION_RULE_SCHEMA } from "./policy.js";

/** Schema version of the thresholds document. */
export const THRESHOLDS_SCHEMA_VERSION = 1;

const COUNT: JsonSchema = { type: "number", minimum: 0 };
const CRITERIA = [...CRITERION_NAMES];

const THRESHOLD: JsonSchema = {
  description: "score >= threshold is positive; null: above every score (no one positive).",
  type: ["number", "null"],
};
const PER_CRITERION = (value: JsonSchema): JsonSchema =>
  closedObject(Object.fromEntries(CRITERIA.map((c) => [c, value])));

/** JSON Schema of `fairkit.thresholds`. */
export const THRESHOLDS_SCHEMA: JsonSchema = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  $id: `${SCHEMA_BASE}thresholds.schema.json`,
  title: "fairkit thresholds report",
  description:
    "Per-group curves, the impossibility analysis at a threshold, and suggested per-group thresholds per criterion.",
  ...closedObject({
    ...documentHead("fairkit.thresholds", THRESHOLDS_SCHEMA_VERSION),
    tool: TOOL,
    input: closedObject({
      source: TEXT,
      rows: COUNT,
      score: TEXT,
      y_true: TEXT,
      sensitive: { type: "array", items: TEXT, minItems: 1 },
      weight: { type: ["string", "null"] },
      pos_label: { type: ["string", "null"] },
      where: { type: ["string", "null"] },
      threshold: {
        description: "The threshold analysed; null when chosen by default (0.5 for scores in [0, 1]).",
        type: ["number", "null"],
      },
    }),
    curves: {
      type: "array",
      items: closedObject({
        group: GROUP_TUPLE,
        label: GROUP_LABEL,
        rows: COUNT,
        positives: COUNT,
        negatives: COUNT,
        distinct_scores: COUNT,
        auc: NUMBER_OR_NULL,
        average_precision: NUMBER_OR_NULL,
      }),
    },
    impossibility: closedObject({
      max_difference: {
        description: "A criterion holds when its difference is at most this; nearly holds at twice it.",
        type: "number",
      },
      objective: { enum: ["accuracy", "balanced_accuracy"] },
      min_group_size: COUNT,
      excluded: {
        description: "Small groups left out of the comparisons, as tuples.",
        type: "array",
        items: GROUP_TUPLE,
      },
      base_rate_gap: NUMBER_OR_NULL,
      groups: {
        type: "array",
        items: closedObject({
          group: GROUP_TUPLE,
          label: GROUP_LABEL,
          small: { type: "boolean" },
          threshold: THRESHOLD,
          rows: COUNT,
          weight: COUNT,
          base_rate: NUMBER_OR_NULL,
          selection_rate: NUMBER_OR_NULL,
          true_positive_rate: NUMBER_OR_NULL,
          false_positive_rate: NUMBER_OR_NULL,
          false_negative_rate: NUMBER_OR_NULL,
          positive_predictive_value: NUMBER_OR_NULL,
          accuracy: NUMBER_OR_NULL,
          chouldechova: closedObject({
            false_positive_rate: NUMBER_OR_NULL,
            from_identity: NUMBER_OR_NULL,
            holds: { type: "boolean" },
          }),
        }),
      },
      criteria: {
        type: "array",
        items: closedObject({
          name: { enum: [...CRITERIA, "calibration_parity", "calibration_within_groups"] },
          metrics: { type: "array", items: TEXT },
          difference: NUMBER_OR_NULL,
          holds: { type: "boolean" },
          status: { enum: ["holds", "nearly", "fails"] },
        }),
      },
      calibration_parity: closedObject({
        bins: {
          type: "array",
          items: closedObject({
            lower: { type: "number" },
            upper: { description: "null: no upper bound (the last bin).", type: ["number", "null"] },
            groups: {
              type: "array",
              items: closedObject({ group: GROUP_TUPLE, label: GROUP_LABEL, rate: NUMBER_OR_NULL, rows: COUNT }),
            },
          }),
        },
        weighted_gap: NUMBER_OR_NULL,
        max_gap: NUMBER_OR_NULL,
      }),
      calibration_within_groups: {
        description: "Each compared group's expected calibration error; null when the scores are not probabilities.",
        anyOf: [
          closedObject({
            value: NUMBER_OR_NULL,
            bins: COUNT,
            groups: {
              type: "array",
              items: closedObject({ group: GROUP_TUPLE, label: GROUP_LABEL, ece: NUMBER_OR_NULL, rows: COUNT }),
            },
          }),
          { type: "null" },
        ],
      },
      tradeoffs: {
        type: "array",
        items: closedObject({
          enforced: { enum: ["as_given", "unconstrained", ...CRITERIA, "false_positive_rate_parity"] },
          method: TEXT,
          accuracy: NUMBER_OR_NULL,
          accuracy_cost: NUMBER_OR_NULL,
          differences: PER_CRITERION(NUMBER_OR_NULL),
          holds: PER_CRITERION({ type: "boolean" }),
        }),
      },
      explanation: TEXT,
    }),
    suggestions: {
      type: "array",
      items: closedObject(
        {
          criterion: {
            enum: [
              "demographic_parity",
              "equal_opportunity",
              "false_positive_rate_parity",
              "equalized_odds",
              "predictive_parity",
            ],
          },
          randomized: closedObject({
            groups: {
              type: "array",
              items: closedObject({ group: GROUP_TUPLE, label: GROUP_LABEL, rule: DECISION_RULE_SCHEMA }),
            },
            accuracy: NUMBER_OR_NULL,
            balanced_accuracy: NUMBER_OR_NULL,
            difference: NUMBER_OR_NULL,
          }),
          deterministic: closedObject({
            metric: TEXT,
            objective: { enum: ["accuracy", "balanced_accuracy"] },
            groups: {
              type: "array",
              items: closedObject({
                group: GROUP_TUPLE,
                label: GROUP_LABEL,
                threshold: THRESHOLD,
                value: NUMBER_OR_NULL,
              }),
            },
            gap: NUMBER_OR_NULL,
            objective_value: NUMBER_OR_NULL,
            max_difference: { type: "number" },
            within_tolerance: { type: "boolean" },
          }),
        },
        ["randomized", "deterministic"],
      ),
    },
  }),
};
