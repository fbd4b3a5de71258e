/**
 * The threshold policy (`fairkit.threshold_policy`): per group, a decision rule — the probability
 * of a positive decision as a step function of the score — fitted by one of the post-processors
 * (`method`: the ThresholdOptimizer, reject-option classification or calibrated equalized odds)
 * and read back by `policyFromJSON` and `fairkit apply`. The rules are the whole decision; the
 * method's own fields (`constraint` … `flip` for the ThresholdOptimizer, `settings` for the
 * others) say how they were found.
 */
import type { JsonSchema } from "../core/schema.js";
import { COLUMNS, GROUP_LABEL, GROUP_TUPLE, NUMBER_OR_NULL, SCHEMA_BASE, TOOL, documentHead } from "./common.js";

/**
 * Schema version of the policy document (1 was fairkit 0.1's `fairkit.threshold_optimizer`; 2 had
 * no `method`: every version-2 document is a ThresholdOptimizer policy, and is still read).
 */
export const POLICY_SCHEMA_VERSION = 3;

/** The post-processors a policy can come from. */
export const POLICY_METHODS = [
  "threshold_optimizer",
  "reject_option_classification",
  "calibrated_equalized_odds",
] as const;
/** A policy's method. */
export type PolicyMethod = (typeof POLICY_METHODS)[number];

const ROC_SETTINGS: JsonSchema = {
  description:
    "Reject-option classification (Kamiran, Karim & Zhang 2012): inside the critical region around the classification threshold the unprivileged groups get the favourable decision and the privileged ones the unfavourable one.",
  type: "object",
  required: [
    "metric",
    "lower_bound",
    "upper_bound",
    "comparison",
    "favorable_decision",
    "privileged",
    "search",
    "raised_cut",
    "lowered_cut",
  ],
  properties: {
    metric: {
      description: "The constrained metric, unprivileged minus privileged, as AIF360 names it.",
      enum: ["statistical_parity_difference", "average_odds_difference", "equal_opportunity_difference"],
    },
    lower_bound: { type: "number" },
    upper_bound: { type: "number" },
    comparison: {
      description:
        "each_pair: every unprivileged group against every privileged group; pooled: the unprivileged groups pooled against the privileged ones pooled (AIF360).",
      enum: ["each_pair", "pooled"],
    },
    favorable_decision: { description: "The decision that is favourable to the person: 1 or 0.", enum: [0, 1] },
    privileged: { type: "array", minItems: 1, items: GROUP_TUPLE },
    search: { description: "exact: every pair of candidate cuts; grid: AIF360's grid.", enum: ["exact", "grid"] },
    grid: {
      description: "AIF360's grid (search grid only): thresholds in [low, high], margins up to min(t, 1 − t).",
      anyOf: [
        {
          type: "object",
          required: ["low", "high", "thresholds", "margins"],
          properties: {
            low: { type: "number" },
            high: { type: "number" },
            thresholds: { type: "integer", minimum: 1 },
            margins: { type: "integer", minimum: 1 },
          },
          additionalProperties: false,
        },
        { type: "null" },
      ],
    },
    classification_threshold: {
      description: "The classification threshold (the middle of the critical region); null when infinite.",
      ...NUMBER_OR_NULL,
    },
    margin: { description: "Half the width of the critical region; null when infinite.", ...NUMBER_OR_NULL },
    raised_cut: {
      description:
        "The groups that get the positive decision in the region decide positive from this score on (null: no one).",
      ...NUMBER_OR_NULL,
    },
    lowered_cut: {
      description:
        "The groups that get the negative decision in the region decide positive from this score on (null: no one).",
      ...NUMBER_OR_NULL,
    },
    metric_value: { description: "The metric on the training data.", ...NUMBER_OR_NULL },
    candidates: { description: "How many (threshold, margin) candidates were compared.", type: "integer", minimum: 0 },
  },
  additionalProperties: false,
};

const CEO_SETTINGS: JsonSchema = {
  description:
    "Calibrated equalized odds (Pleiss et al. 2017): with probability mix_rate a group's score is replaced by its base rate, then thresholded.",
  type: "object",
  required: ["cost_constraint", "threshold", "groups"],
  properties: {
    cost_constraint: { enum: ["fpr", "fnr", "weighted"] },
    threshold: { description: "A (possibly replaced) score >= threshold is positive.", type: "number" },
    on_infeasible: {
      description:
        "error: infeasible fits fail; cap: a group that cannot reach the worst cost is fully mixed (AIF360).",
      enum: ["error", "cap"],
    },
    cost: { description: "The common generalized cost after mixing.", ...NUMBER_OR_NULL },
    groups: {
      type: "array",
      items: {
        type: "object",
        required: ["group", "base_rate", "mix_rate", "cost", "trivial_cost"],
        properties: {
          group: GROUP_TUPLE,
          label: GROUP_LABEL,
          base_rate: { type: "number", minimum: 0, maximum: 1 },
          mix_rate: { type: "number", minimum: 0, maximum: 1 },
          cost: { description: "Generalized cost of the scores as they are.", ...NUMBER_OR_NULL },
          trivial_cost: { description: "Generalized cost of the base rate for everyone.", ...NUMBER_OR_NULL },
          cost_after: { description: "Generalized cost after mixing.", ...NUMBER_OR_NULL },
        },
        additionalProperties: false,
      },
    },
  },
  additionalProperties: false,
};

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
    "Per-group, possibly randomised decision rules of a score with their explicit probabilities, fitted by the ThresholdOptimizer (Hardt, Price & Srebro 2016), reject-option classification (Kamiran et al. 2012) or calibrated equalized odds (Pleiss et al. 2017).",
  type: "object",
  required: ["kind", "schema_version", "method", "columns", "groups", "training"],
  properties: {
    ...documentHead("fairkit.threshold_policy", POLICY_SCHEMA_VERSION),
    tool: TOOL,
    method: { description: "The post-processor that fitted the rules.", enum: POLICY_METHODS },
    constraint: {
      description: "threshold_optimizer only (required there), as are objective, tolerance and flip.",
      enum: ["demographic_parity", "equalized_odds", "true_positive_rate_parity", "false_positive_rate_parity"],
    },
    objective: { enum: ["accuracy", "balanced_accuracy"] },
    tolerance: { type: "number", minimum: 0 },
    flip: { type: "boolean" },
    settings: {
      description: "The method's settings and findings (reject_option_classification, calibrated_equalized_odds).",
      anyOf: [ROC_SETTINGS, CEO_SETTINGS],
    },
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
      description:
        "Exact expected values on the training data; null where undefined. objective: the method's objective (reject-option: balanced accuracy; calibrated equalized odds: null); constraint_difference: the constrained quantity (ThresholdOptimizer: max − min of the constrained rate; reject-option: the metric; calibrated equalized odds: max − min of the generalized costs).",
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
