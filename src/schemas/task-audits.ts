/**
 * The regression audit (`fairkit.regression_audit`) and the multiclass audit
 * (`fairkit.multiclass_audit`): what `fairkit audit --task regression|multiclass --format json`
 * writes; and their report (`fairkit.task_report`, `fairkit report --task … -o report.json`). They
 * reuse the binary audit's and report's pieces where the meaning is the same.
 */
import type { JsonSchema } from "../core/schema.js";
import { AUDIT_GROUP_ENTRY } from "./audit.js";
import { DATASHEET, EU_AI_ACT, LL144_RESULT, LL144_SUMMARY, MODEL_CARD, PROVENANCE } from "./report.js";
import {
  closedObject,
  COLUMNS,
  GROUP_LABEL,
  GROUP_TUPLE,
  GROUP_VALUE,
  INTERVAL,
  NUMBER_OR_NULL,
  RATE_OR_NULL,
  ROW_COUNT,
  SCHEMA_BASE,
  TOOL,
  documentHead,
} from "./common.js";

/** Schema version of the regression audit. */
export const REGRESSION_AUDIT_SCHEMA_VERSION = 1;
/** Schema version of the multiclass audit. */
export const MULTICLASS_AUDIT_SCHEMA_VERSION = 1;
/** Schema version of the task report (2: the LL144 tables name their columns as the data does, and `ll144.summary`). */
export const TASK_REPORT_SCHEMA_VERSION = 2;

const INPUT = closedObject(
  {
    source: { description: 'A file path, "demo", or a description of the data.', type: "string" },
    format: { type: ["string", "null"] },
    rows: ROW_COUNT,
    where: { type: ["string", "null"] },
    y_true: { type: "string" },
    y_pred: { type: "string" },
    sensitive: COLUMNS,
    weight: { type: ["string", "null"] },
    nulls: {
      description: 'Missing values per sensitive column (those rows form the group "(missing)").',
      type: "object",
      additionalProperties: ROW_COUNT,
    },
  },
  [],
  "What was audited.",
);

const CHECK = closedObject({
  value: NUMBER_OR_NULL,
  rule: { enum: ["<=", ">="] },
  tolerance: { type: "number" },
  pass: { description: "null when the value is undefined.", type: ["boolean", "null"] },
});

const DISPARITY = closedObject({
  method: { enum: ["between_groups", "to_reference"] },
  reference: { anyOf: [GROUP_TUPLE, { type: "null" }] },
});

const TOLERANCES = closedObject({
  difference: { type: "number", minimum: 0 },
  ratio: { type: "number", minimum: 0 },
});

const WARNINGS: JsonSchema = {
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
};

const TUPLE_OR_OVERALL: JsonSchema = {
  description: "The group's values, one per column of input.sensitive (the overall row: []).",
  type: "array",
  items: GROUP_VALUE,
};

const REGRESSION_GROUP = closedObject({
  group: TUPLE_OR_OVERALL,
  label: GROUP_LABEL,
  n: ROW_COUNT,
  weight: { type: "number", minimum: 0 },
  small: { type: "boolean" },
  metrics: {
    description: "Metric name → value; null when undefined.",
    type: "object",
    additionalProperties: NUMBER_OR_NULL,
  },
  intervals: {
    description: "Metric name → [low, high] at settings.level.",
    type: "object",
    additionalProperties: INTERVAL,
  },
  prediction_quantiles: {
    description: "p10, p25, p50, p75, p90 of the predictions (inverted CDF, weighted).",
    type: "object",
    additionalProperties: NUMBER_OR_NULL,
  },
});

const REGRESSION_CRITERION = closedObject({
  value: NUMBER_OR_NULL,
  groups: {
    description: "The groups that set it (two for a gap, one for the worst group).",
    type: "array",
    items: GROUP_TUPLE,
  },
  labels: { type: "array", items: GROUP_LABEL },
  interval: {
    description:
      "normal: the interval of the signed difference between the two groups (or of the worst group's value); bootstrap: the percentile interval of the criterion; null when there is none.",
    anyOf: [INTERVAL, { type: "null" }],
  },
  family: { enum: ["statistical parity", "residual parity", "error parity", "bounded group loss"] },
  unit: { enum: ["target", "squared", "none"] },
});

/** JSON Schema of `fairkit.regression_audit`. */
export const REGRESSION_AUDIT_SCHEMA: JsonSchema = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  $id: `${SCHEMA_BASE}regression-audit.schema.json`,
  title: "fairkit regression audit",
  description:
    "Per-group regression metrics with intervals and prediction quantiles; statistical parity (mean prediction, KS, Wasserstein-1), residual parity, error parity and bounded group loss criteria with the groups that set them.",
  ...closedObject({
    ...documentHead("fairkit.regression_audit", REGRESSION_AUDIT_SCHEMA_VERSION),
    tool: TOOL,
    task: { const: "regression" },
    input: INPUT,
    settings: closedObject({
      metrics: { type: "array", items: { type: "string" } },
      intervals: { enum: ["normal", "bootstrap", "none"] },
      level: { type: "number", exclusiveMinimum: 0, maximum: 1 },
      min_group_size: { type: "number", minimum: 0 },
      disparity: DISPARITY,
      tolerances: TOLERANCES,
      criteria_groups: { enum: ["sufficient", "all"] },
      bootstrap: { anyOf: [closedObject({ n: ROW_COUNT, seed: { type: "integer" } }), { type: "null" }] },
      residual: { const: "y_true - y_pred" },
      quantiles: { const: "inverted_cdf" },
    }),
    overall: REGRESSION_GROUP,
    groups: { type: "array", items: REGRESSION_GROUP, minItems: 1 },
    criteria: { type: "object", additionalProperties: REGRESSION_CRITERION },
    criteria_excluded: { type: "array", items: GROUP_TUPLE },
    checks: {
      description: "The unitless criteria against the tolerances.",
      type: "object",
      additionalProperties: CHECK,
    },
    passed: {
      description: "false when a check fails, null when none fails but one is undefined.",
      type: ["boolean", "null"],
    },
    warnings: WARNINGS,
  }),
};

const MULTICLASS_GROUP = closedObject(
  {
    group: TUPLE_OR_OVERALL,
    label: GROUP_LABEL,
    n: ROW_COUNT,
    weight: { type: "number", minimum: 0 },
    small: { type: "boolean" },
    accuracy: RATE_OR_NULL,
    accuracy_interval: INTERVAL,
    macro_recall: RATE_OR_NULL,
    macro_precision: RATE_OR_NULL,
    confusion: {
      description: "Weights, row = true class, column = decided class, in the order of classes.",
      type: "array",
      items: { type: "array", items: { type: "number", minimum: 0 } },
    },
  },
  ["accuracy_interval"],
);

const WORST_CLASS = closedObject({
  value: NUMBER_OR_NULL,
  class: { description: "The class (its label) that sets it; null when undefined.", type: ["string", "null"] },
});

/** JSON Schema of `fairkit.multiclass_audit`. */
export const MULTICLASS_AUDIT_SCHEMA: JsonSchema = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  $id: `${SCHEMA_BASE}multiclass-audit.schema.json`,
  title: "fairkit multiclass audit",
  description:
    "Per-group accuracy, macro recall and precision and confusion matrices; per class (one-vs-rest) the binary audit's group entries, criteria and checks; the worst class of each criterion.",
  ...closedObject({
    ...documentHead("fairkit.multiclass_audit", MULTICLASS_AUDIT_SCHEMA_VERSION),
    tool: TOOL,
    task: { const: "multiclass" },
    input: INPUT,
    settings: closedObject({
      metrics: { type: "array", items: { type: "string" } },
      intervals: { enum: ["wilson", "none"] },
      level: { type: "number", exclusiveMinimum: 0, maximum: 1 },
      min_group_size: { type: "number", minimum: 0 },
      disparity: DISPARITY,
      tolerances: TOLERANCES,
      criteria_groups: { enum: ["sufficient", "all"] },
      equalized_odds_agg: { const: "worst" },
      class_agg: { description: "Each criterion's value is that of its worst class.", const: "worst" },
    }),
    classes: { type: "array", items: GROUP_VALUE, minItems: 1 },
    overall: MULTICLASS_GROUP,
    groups: { type: "array", items: MULTICLASS_GROUP, minItems: 1 },
    per_class: {
      type: "array",
      items: closedObject({
        class: GROUP_VALUE,
        label: { type: "string" },
        overall: AUDIT_GROUP_ENTRY,
        groups: { type: "array", items: AUDIT_GROUP_ENTRY },
        criteria: { type: "object", additionalProperties: NUMBER_OR_NULL },
        checks: { type: "object", additionalProperties: CHECK },
      }),
    },
    criteria: {
      description: "Criterion → its worst class's value and that class.",
      type: "object",
      additionalProperties: WORST_CLASS,
    },
    checks: { type: "object", additionalProperties: CHECK },
    criteria_excluded: { type: "array", items: GROUP_TUPLE },
    passed: { type: ["boolean", "null"] },
    warnings: WARNINGS,
  }),
};

/** A published schema used inside another document (without its own `$id` and `$schema`). */
function embedded(schema: JsonSchema): JsonSchema {
  const { $id: _id, $schema: _schema, ...rest } = schema as Record<string, unknown>;
  return rest as JsonSchema;
}

/** JSON Schema of `fairkit.task_report`. */
export const TASK_REPORT_SCHEMA: JsonSchema = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  $id: `${SCHEMA_BASE}task-report.schema.json`,
  title: "fairkit regression or multiclass report",
  description:
    "The report of a regression or multiclass audit: the audit document, model card, datasheet, NYC LL144 scoring rates (regression), the EU AI Act test log and findings, with provenance.",
  ...closedObject({
    ...documentHead("fairkit.task_report", TASK_REPORT_SCHEMA_VERSION),
    title: { type: "string" },
    generated_at: { description: "ISO 8601 time (SOURCE_DATE_EPOCH fixes it).", type: "string" },
    tool: TOOL,
    task: { enum: ["regression", "multiclass"] },
    provenance: PROVENANCE,
    audit: {
      description: "The audit, exactly as `fairkit audit --task … --format json` writes it.",
      anyOf: [embedded(REGRESSION_AUDIT_SCHEMA), embedded(MULTICLASS_AUDIT_SCHEMA)],
    },
    model_card: MODEL_CARD,
    datasheet: DATASHEET,
    ll144: {
      description:
        "NYC LL144 impact ratios of the scoring rate (share scoring above the sample median) of a regression's predictions; null otherwise.",
      anyOf: [
        closedObject({
          scoring: LL144_RESULT,
          sex: { type: "string" },
          race_ethnicity: { type: "string" },
          summary: LL144_SUMMARY,
        }),
        { type: "null" },
      ],
    },
    eu_ai_act: EU_AI_ACT,
    findings: { type: "array", items: { type: "string" } },
  }),
};
