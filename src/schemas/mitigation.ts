/**
 * The documents of `fairkit mitigate`: the comparison (`fairkit.mitigation_comparison`, what
 * `--format json` prints and `-o DIR` saves as comparison.json) and one file per method
 * (`fairkit.mitigation_model`, `-o DIR/METHOD.json`): the feature transform, the method's
 * pre-processor or weights, and the fitted model, each in its own saved-model schema.
 */
import type { JsonSchema } from "../core/schema.js";
import {
  closedObject,
  COLUMNS,
  documentHead,
  GROUP_LABEL,
  GROUP_TUPLE,
  NUMBER_OR_NULL,
  RATE_OR_NULL,
  SCHEMA_BASE,
  TEXT,
  TOOL,
  ROW_COUNT,
} from "./common.js";
import {
  CONSTANT_ESTIMATOR_SCHEMA,
  CORRELATION_REMOVER_SCHEMA,
  DISPARATE_IMPACT_REMOVER_SCHEMA,
  EXPONENTIATED_GRADIENT_SCHEMA,
  GRID_SEARCH_SCHEMA,
  LFR_SCHEMA,
  LOGISTIC_REGRESSION_SCHEMA,
  TABULAR_TRANSFORM_SCHEMA,
} from "./models.js";
import { POLICY_SCHEMA } from "./policy.js";

/** Schema version of both mitigation documents. */
export const MITIGATION_SCHEMA_VERSION = 1;

const COUNT = ROW_COUNT;
const STAGE: JsonSchema = {
  description:
    "What the method changes: nothing (the baseline), the weights, the data, the model, or the decisions (a post-processor on the baseline's scores).",
  enum: ["none", "weights", "data", "model", "decisions"],
};

/** A published schema used inside another document (without its own `$id`). */
function embedded(schema: JsonSchema): JsonSchema {
  const { $schema: _s, $id: _i, title: _t, ...rest } = schema;
  return rest;
}

const ESTIMATE: JsonSchema = closedObject({
  value: NUMBER_OR_NULL,
  interval: {
    description: "Lower and upper bound; nulls when no interval was computed (--bootstrap 0).",
    type: "array",
    prefixItems: [NUMBER_OR_NULL, NUMBER_OR_NULL],
    items: false,
    minItems: 2,
  },
});

const INPUT: JsonSchema = closedObject({
  source: TEXT,
  y_true: { description: "The label column.", type: "string" },
  pos_label: {
    description: "The label values meaning positive; null: the label is 0/1 or true/false.",
    anyOf: [{ type: "array", items: TEXT, minItems: 1 }, { type: "null" }],
  },
  sensitive: COLUMNS,
  features: {
    description: "The feature columns; null: every column but the label and the sensitive ones.",
    anyOf: [{ type: "array", items: TEXT }, { type: "null" }],
  },
  where: { type: ["string", "null"] },
});

/** JSON Schema of `fairkit.mitigation_comparison`. */
export const MITIGATION_COMPARISON_SCHEMA: JsonSchema = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  $id: `${SCHEMA_BASE}mitigation-comparison.schema.json`,
  title: "fairkit mitigation comparison",
  description:
    "The baseline and each mitigation trained on one split, measured on the test rows: expected accuracy and every criterion, with intervals.",
  ...closedObject({
    ...documentHead("fairkit.mitigation_comparison", MITIGATION_SCHEMA_VERSION),
    tool: TOOL,
    input: INPUT,
    settings: closedObject({
      test_fraction: { type: "number", minimum: 0, maximum: 1 },
      shuffle: { type: "boolean" },
      seed: COUNT,
      eps: { type: "number", minimum: 0 },
      bootstrap: COUNT,
      level: { type: "number", exclusiveMinimum: 0, maximum: 1 },
      min_group_size: COUNT,
    }),
    split: closedObject({ train_rows: COUNT, test_rows: COUNT }),
    features: { description: "Columns of the model's input after one-hot encoding.", ...COUNT },
    columns: COLUMNS,
    groups: {
      description: "The groups of the test rows.",
      type: "array",
      items: closedObject({ group: GROUP_TUPLE, label: GROUP_LABEL, test_rows: COUNT, small: { type: "boolean" } }),
    },
    results: {
      type: "array",
      items: closedObject({
        method: TEXT,
        stage: STAGE,
        description: TEXT,
        fit_ms: {
          description: "Wall time to fit, including the method's own pre-processing.",
          type: "number",
          minimum: 0,
        },
        accuracy: ESTIMATE,
        selection_rate: {
          type: "array",
          items: closedObject({ group: GROUP_TUPLE, label: GROUP_LABEL, value: RATE_OR_NULL }),
        },
        criteria: {
          description: "Each criterion's difference (max − min) and ratio (min / max) between groups.",
          type: "object",
          additionalProperties: ESTIMATE,
        },
        notes: {
          description: "Method facts: iterations, inner fits, …",
          type: "object",
          additionalProperties: { type: ["number", "string"] },
        },
      }),
    },
    pareto: {
      description: "Per criterion difference, the methods no other beats on both accuracy and that difference.",
      type: "object",
      additionalProperties: { type: "array", items: TEXT },
    },
    warnings: { type: "array", items: TEXT },
  }),
};

const REWEIGHING_CELL: JsonSchema = closedObject({
  group: GROUP_TUPLE,
  label: GROUP_LABEL,
  y: { enum: [0, 1] },
  rows: COUNT,
  expected: { description: "P(group) · P(y).", type: "number" },
  observed: { description: "P(group, y).", type: "number" },
  weight: { description: "expected / observed; null for an empty cell (no row uses it).", ...NUMBER_OR_NULL },
});
const RESAMPLE_CELL: JsonSchema = closedObject({
  group: GROUP_TUPLE,
  label: GROUP_LABEL,
  y: { enum: [0, 1] },
  before: COUNT,
  after: COUNT,
});

/** JSON Schema of `fairkit.mitigation_model`. */
export const MITIGATION_MODEL_SCHEMA: JsonSchema = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  $id: `${SCHEMA_BASE}mitigation-model.schema.json`,
  title: "fairkit mitigation model",
  description:
    "One method of `fairkit mitigate`, fitted: the features' transform, then the pre-processor (when the method has one), then the model.",
  ...closedObject(
    {
      ...documentHead("fairkit.mitigation_model", MITIGATION_SCHEMA_VERSION),
      tool: TOOL,
      method: TEXT,
      stage: STAGE,
      description: TEXT,
      input: INPUT,
      transform: embedded(TABULAR_TRANSFORM_SCHEMA),
      preprocessor: {
        description: "What the method does to the transformed features before the model sees them.",
        anyOf: [
          closedObject({
            kind: { const: "fairkit.correlation_remover_with_groups" },
            sensitive_transform: embedded(TABULAR_TRANSFORM_SCHEMA),
            correlation_remover: embedded(CORRELATION_REMOVER_SCHEMA),
          }),
          embedded(DISPARATE_IMPACT_REMOVER_SCHEMA),
          embedded(LFR_SCHEMA),
        ],
      },
      weights: {
        description: "Reweighing: the weight of each (group, label) cell.",
        type: "array",
        items: REWEIGHING_CELL,
      },
      resampled: {
        description: "Resampling: rows of each (group, label) cell before and after.",
        type: "array",
        items: RESAMPLE_CELL,
      },
      policy: {
        description:
          "Post-processors: the policy (fairkit.threshold_policy) applied to the model's scores; the model is the baseline's.",
        ...embedded(POLICY_SCHEMA),
      },
      model: {
        anyOf: [
          LOGISTIC_REGRESSION_SCHEMA,
          CONSTANT_ESTIMATOR_SCHEMA,
          EXPONENTIATED_GRADIENT_SCHEMA,
          GRID_SEARCH_SCHEMA,
        ].map(embedded),
      },
    },
    ["preprocessor", "weights", "resampled", "policy"],
  ),
};
