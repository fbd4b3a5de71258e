/**
 * The audit result (`fairkit.audit`): what `fairkit audit --format json` writes, the dashboard
 * exports and every report embeds — per group and overall, the metrics with intervals; the
 * criteria with their checks, and the groups that set each with its interval; what was read and how.
 */
import type { JsonSchema } from "../core/schema.js";
import { GROUP_LABEL, GROUP_TUPLE, GROUP_VALUE, NUMBER_OR_NULL, SCHEMA_BASE, TOOL, documentHead } from "./common.js";

/** Schema version of the audit document (1 was fairkit 0.1's); bumped only for changes that break readers. */
export const AUDIT_SCHEMA_VERSION = 2;

const INTERVAL: JsonSchema = {
  description: "[low, high] at settings.level; an end is null when undefined.",
  type: "array",
  prefixItems: [NUMBER_OR_NULL, NUMBER_OR_NULL],
  items: false,
  minItems: 2,
};

/** One group's entry (or the overall row). */
export const AUDIT_GROUP_ENTRY: JsonSchema = {
  type: "object",
  required: ["group", "label", "n", "weight", "small", "metrics", "intervals"],
  properties: {
    group: {
      description: "The group's values, one per column of input.sensitive (the overall row: []).",
      type: "array",
      items: GROUP_VALUE,
    },
    label: GROUP_LABEL,
    n: { description: "Rows (unweighted).", type: "number", minimum: 0 },
    weight: { description: "Sum of the weights (n without weights).", type: "number", minimum: 0 },
    small: { description: "Fewer rows than settings.min_group_size: too small to conclude anything.", type: "boolean" },
    metrics: {
      description: "Metric name → value; null when undefined (an empty denominator).",
      type: "object",
      additionalProperties: NUMBER_OR_NULL,
    },
    intervals: { description: "Metric name → interval.", type: "object", additionalProperties: INTERVAL },
  },
  additionalProperties: false,
};

const CRITERION_NAMES = [
  "demographic_parity_difference",
  "demographic_parity_ratio",
  "equal_opportunity_difference",
  "equal_opportunity_ratio",
  "equalized_odds_difference",
  "equalized_odds_ratio",
  "predictive_parity_difference",
  "predictive_parity_ratio",
];

/** Which two groups set a criterion, and its interval (`gaps`). */
export const AUDIT_GAP: JsonSchema = {
  type: "object",
  required: ["metric", "value", "groups", "interval", "interval_method"],
  properties: {
    metric: {
      description:
        "The metric whose gap this is: for equalized odds the worse of true_positive_rate and false_positive_rate (the one undefined when the criterion is).",
      type: "string",
    },
    value: { description: "The criterion's value (as in criteria); null when undefined.", ...NUMBER_OR_NULL },
    groups: {
      description:
        "The two groups that set it, [a, b], as tuples: a difference is a − b (a the higher), a ratio a / b (a the lower); with a reference, one of them is the reference. null when the value is undefined.",
      anyOf: [{ type: "array", prefixItems: [GROUP_TUPLE, GROUP_TUPLE], items: false, minItems: 2 }, { type: "null" }],
    },
    interval: {
      description:
        "The interval at settings.level (see interval_method); null when none can be given (intervals none, an undefined value, or a metric without a closed form and no bootstrap).",
      anyOf: [INTERVAL, { type: "null" }],
    },
    interval_method: {
      description:
        "bootstrap: percentiles of the criterion recomputed per replicate over the compared groups; newcombe (a difference) or mover (a ratio): the closed-form interval of the named pair, from their Wilson intervals, conditional on that pair being the extreme one.",
      enum: ["bootstrap", "newcombe", "mover", null],
    },
  },
  additionalProperties: false,
};

const CHECK: JsonSchema = {
  type: "object",
  required: ["value", "rule", "tolerance", "pass"],
  properties: {
    value: NUMBER_OR_NULL,
    rule: { enum: ["<=", ">="] },
    tolerance: { type: "number" },
    pass: { description: "null when the value is undefined.", type: ["boolean", "null"] },
  },
  additionalProperties: false,
};

/** JSON Schema of `fairkit.audit`. */
export const AUDIT_SCHEMA: JsonSchema = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  $id: `${SCHEMA_BASE}audit.schema.json`,
  title: "fairkit audit result",
  description: "Per-group metrics with intervals, the fairness criteria and their checks against the tolerances.",
  type: "object",
  required: [
    "kind",
    "schema_version",
    "tool",
    "input",
    "settings",
    "overall",
    "groups",
    "criteria",
    "criteria_excluded",
    "checks",
    "passed",
    "warnings",
  ],
  properties: {
    ...documentHead("fairkit.audit", AUDIT_SCHEMA_VERSION),
    tool: TOOL,
    input: {
      description: "What was audited; columns not used are null.",
      type: "object",
      required: [
        "source",
        "format",
        "rows",
        "where",
        "y_true",
        "y_pred",
        "score",
        "threshold",
        "sensitive",
        "weight",
        "pos_label",
        "pred_pos_label",
        "nulls",
      ],
      properties: {
        source: { description: 'A file path, "demo", or a description of the data.', type: "string" },
        format: { type: ["string", "null"] },
        rows: { description: "Rows audited (after where).", type: "integer", minimum: 0 },
        where: { type: ["string", "null"] },
        y_true: { type: "string" },
        y_pred: { type: ["string", "null"] },
        score: { type: ["string", "null"] },
        threshold: { description: "With score: positive when score >= threshold.", type: ["number", "null"] },
        sensitive: { type: "array", items: { type: "string" }, minItems: 1 },
        weight: { type: ["string", "null"] },
        pos_label: { type: ["string", "null"] },
        pred_pos_label: { type: ["string", "null"] },
        nulls: {
          description: "Missing values per column used.",
          type: "object",
          additionalProperties: { type: "number", minimum: 0 },
        },
      },
      additionalProperties: false,
    },
    settings: {
      type: "object",
      required: [
        "metrics",
        "intervals",
        "level",
        "min_group_size",
        "disparity",
        "tolerances",
        "equalized_odds_agg",
        "criteria_groups",
        "positive_decision",
      ],
      properties: {
        metrics: { type: "array", items: { type: "string" } },
        intervals: { enum: ["wilson", "bootstrap", "none"] },
        level: { type: "number", exclusiveMinimum: 0, maximum: 1 },
        min_group_size: { type: "number", minimum: 0 },
        disparity: {
          type: "object",
          required: ["method", "reference"],
          properties: {
            method: { enum: ["between_groups", "to_overall", "to_reference"] },
            reference: {
              description: "The reference group's tuple, with to_reference.",
              anyOf: [GROUP_TUPLE, { type: "null" }],
            },
          },
          additionalProperties: false,
        },
        tolerances: {
          type: "object",
          required: ["difference", "ratio"],
          properties: { difference: { type: "number" }, ratio: { type: "number" } },
          additionalProperties: false,
        },
        equalized_odds_agg: { const: "worst" },
        criteria_groups: {
          description: "sufficient: the criteria leave out groups flagged small; all: every group.",
          enum: ["sufficient", "all"],
        },
        positive_decision: {
          description: "What the positive decision means for the people decided about.",
          enum: ["favourable", "unfavourable"],
        },
      },
      additionalProperties: false,
    },
    overall: AUDIT_GROUP_ENTRY,
    groups: { type: "array", items: AUDIT_GROUP_ENTRY },
    criteria: {
      description: "Criterion → value; null when undefined.",
      type: "object",
      required: CRITERION_NAMES,
      properties: Object.fromEntries(CRITERION_NAMES.map((n) => [n, NUMBER_OR_NULL])),
      additionalProperties: false,
    },
    gaps: {
      description:
        "Criterion → which two groups set it and its interval. Added within version 2: absent from documents written by fairkit 0.3.0 and earlier.",
      type: "object",
      required: CRITERION_NAMES,
      properties: Object.fromEntries(CRITERION_NAMES.map((n) => [n, AUDIT_GAP])),
      additionalProperties: false,
    },
    criteria_excluded: {
      description: "The small groups the criteria leave out, as tuples.",
      type: "array",
      items: GROUP_TUPLE,
    },
    checks: {
      type: "object",
      required: CRITERION_NAMES,
      properties: Object.fromEntries(CRITERION_NAMES.map((n) => [n, CHECK])),
      additionalProperties: false,
    },
    passed: {
      description: "true: every check passes; false: one fails; null: none fails but one is undefined.",
      type: ["boolean", "null"],
    },
    warnings: {
      type: "array",
      items: {
        type: "object",
        required: ["code", "message"],
        properties: {
          code: { type: "string" },
          message: { type: "string" },
          group: GROUP_TUPLE,
          metric: { type: "string" },
        },
        additionalProperties: false,
      },
    },
  },
  additionalProperties: false,
};
