/**
 * JSON Schemas of individual and counterfactual fairness: `fairkit.counterfactual` (a flip test or
 * a counterfactual test of one model, `fairkit flip --format json`), `fairkit.counterfactual_study`
 * (the structural causal model, its path effects and the predictors compared, `fairkit
 * counterfactual --format json`) and `fairkit.individual` (consistency and the Lipschitz audit,
 * `fairkit individual --format json`).
 */
import type { JsonSchema } from "../core/schema.js";
import {
  GROUP_LABEL,
  INTERVAL,
  ROW_COUNT,
  GROUP_TUPLE,
  NUMBER_OR_NULL,
  RATE_OR_NULL,
  SCHEMA_BASE,
  TEXT,
  TOOL,
  closedObject,
  documentHead,
} from "./common.js";

/** Version of the three documents. */
export const INDIVIDUAL_SCHEMA_VERSION = 1;

const COUNT = ROW_COUNT;
const RATE_INTERVAL: JsonSchema = { ...INTERVAL, prefixItems: [RATE_OR_NULL, RATE_OR_NULL] };

const PAIR: JsonSchema = closedObject({
  from: { description: "The rows' actual level of the attribute.", ...TEXT },
  to: { description: "The level they are moved to.", ...TEXT },
  rows: COUNT,
  mean_change: { description: "Weighted mean of score(counterfactual) − score(actual).", ...NUMBER_OR_NULL },
  mean_interval: INTERVAL,
  mean_abs_change: NUMBER_OR_NULL,
  sd: NUMBER_OR_NULL,
  quantiles: closedObject({
    min: NUMBER_OR_NULL,
    p05: NUMBER_OR_NULL,
    p50: NUMBER_OR_NULL,
    p95: NUMBER_OR_NULL,
    max: NUMBER_OR_NULL,
  }),
  changed_scores: { description: "Share of rows whose score moved by more than the tolerance.", ...RATE_OR_NULL },
  changed_decisions: {
    description: "Share of changed decisions (expected, under common random numbers, for randomised decisions).",
    ...RATE_OR_NULL,
  },
  changed_interval: RATE_INTERVAL,
  became_positive: RATE_OR_NULL,
  became_negative: RATE_OR_NULL,
});

/** One flip or counterfactual test (the object inside both documents). */
const TEST: JsonSchema = closedObject(
  {
    test: { enum: ["flip", "counterfactual"] },
    attribute: TEXT,
    levels: { type: "array", items: TEXT },
    rows: COUNT,
    proxies: { description: "Flip test: proxy columns changed with the attribute.", type: "array", items: TEXT },
    threshold: {
      description: "score >= threshold is a positive decision (unless the model gives its own).",
      type: "number",
    },
    level: { type: "number", exclusiveMinimum: 0, maximum: 1 },
    pairs: { type: "array", items: PAIR },
    max_abs_mean_change: NUMBER_OR_NULL,
    max_changed_decisions: RATE_OR_NULL,
  },
  ["proxies"],
);

/** JSON Schema of `fairkit.counterfactual`. */
export const COUNTERFACTUAL_SCHEMA: JsonSchema = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  $id: `${SCHEMA_BASE}counterfactual.schema.json`,
  title: "fairkit counterfactual test",
  description:
    "A model called on each row and on the same row with the protected attribute changed: by a flip (other columns as they are, declared proxies changed) or by a structural causal model's counterfactual.",
  ...closedObject({
    ...documentHead("fairkit.counterfactual", INDIVIDUAL_SCHEMA_VERSION),
    tool: TOOL,
    source: TEXT,
    model: { description: "What was tested: a saved model's file or a command.", ...TEXT },
    result: TEST,
  }),
};

const EQUATION: JsonSchema = closedObject({
  node: TEXT,
  parents: { type: "array", items: TEXT },
  terms: { type: "array", items: TEXT },
  coef: { type: "array", items: NUMBER_OR_NULL },
  intercept: NUMBER_OR_NULL,
  loadings: { type: "object", additionalProperties: NUMBER_OR_NULL },
  sd: NUMBER_OR_NULL,
  r_squared: NUMBER_OR_NULL,
});

/** JSON Schema of `fairkit.counterfactual_study`. */
export const COUNTERFACTUAL_STUDY_SCHEMA: JsonSchema = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  $id: `${SCHEMA_BASE}counterfactual-study.schema.json`,
  title: "fairkit counterfactual study",
  description:
    "A linear structural causal model fitted on training rows, its path-specific effects on the target, and each predictor's test error and counterfactual changes (Kusner et al. 2017).",
  ...closedObject({
    ...documentHead("fairkit.counterfactual_study", INDIVIDUAL_SCHEMA_VERSION),
    tool: TOOL,
    source: TEXT,
    model: { description: "The declaration, in the text syntax.", ...TEXT },
    target: TEXT,
    sensitive: { type: "array", items: TEXT, minItems: 1 },
    split: closedObject({ train_rows: COUNT, test_rows: COUNT, test_fraction: { type: "number" }, seed: COUNT }),
    target_sd: {
      description: "SD of the target on the test rows: the unit of a counterfactual gap.",
      ...NUMBER_OR_NULL,
    },
    em_iterations: COUNT,
    equations: { type: "array", items: EQUATION },
    path_effects: {
      type: "array",
      items: closedObject({
        from: TEXT,
        to: TEXT,
        level: TEXT,
        reference: TEXT,
        total: NUMBER_OR_NULL,
        paths: {
          type: "array",
          items: closedObject({ path: { type: "array", items: TEXT }, effect: NUMBER_OR_NULL }),
        },
      }),
    },
    predictors: {
      type: "array",
      items: closedObject(
        {
          name: TEXT,
          terms: { type: "array", items: TEXT },
          coef: { type: "array", items: NUMBER_OR_NULL },
          intercept: NUMBER_OR_NULL,
          removed_paths: {
            type: "array",
            items: closedObject({ path: { type: "array", items: TEXT }, reference: TEXT }),
          },
          rmse: {
            description: "Test RMSE against the target; null for a model that does not predict it.",
            ...NUMBER_OR_NULL,
          },
          max_abs_mean_change: NUMBER_OR_NULL,
          counterfactual: { type: "array", items: TEST },
        },
        ["terms", "coef", "intercept", "removed_paths"],
      ),
    },
  }),
};

const INDEX: JsonSchema = { description: "A row, counted from 0 over the rows audited (after --where).", ...COUNT };
const RATIO: JsonSchema = {
  description: "|Δf| / d; null is Infinity: a pair at distance 0 whose outputs differ.",
  ...NUMBER_OR_NULL,
};
const PAIR_SUMMARY: Record<string, JsonSchema> = {
  pairs: COUNT,
  quantiles: closedObject({ q50: RATIO, q90: RATIO, q99: RATIO, max: RATIO }),
  lipschitz_constant: { description: "The largest finite |Δf| / d (null without pairs).", ...NUMBER_OR_NULL },
  identical: { description: "Pairs at distance 0.", ...COUNT },
  identical_treated_differently: { description: "Pairs at distance 0 whose outputs differ.", ...COUNT },
  violations: closedObject({ violations: COUNT, rate: RATE_OR_NULL, interval: RATE_INTERVAL }),
};
const SUMMARY: JsonSchema = closedObject(PAIR_SUMMARY, ["violations"]);

/** The body of `fairkit.individual`: also the report's `individual` section. */
export const INDIVIDUAL_SECTIONS: Record<string, JsonSchema> = {
  features: { description: "The input columns the distance reads.", type: "array", items: TEXT },
  encoded_features: { description: "Columns after one-hot encoding and standardising.", ...COUNT },
  rows: COUNT,
  columns: { description: "The sensitive columns of the breakdowns.", type: "array", items: TEXT },
  consistency: closedObject(
    {
      value: { description: "1 − mean |ŷ − mean ŷ of the k nearest neighbours|.", ...NUMBER_OR_NULL },
      k: COUNT,
      include_self: { type: "boolean" },
      metric: { enum: ["euclidean", "manhattan"] },
      prediction: { description: "The column of decisions (or scores in [0, 1]).", ...TEXT },
      groups: {
        type: "array",
        items: closedObject({
          group: GROUP_TUPLE,
          label: GROUP_LABEL,
          rows: COUNT,
          consistency: NUMBER_OR_NULL,
          inconsistency: NUMBER_OR_NULL,
          interval: { ...INTERVAL, description: "Seeded bootstrap interval of the inconsistency." },
        }),
      },
      worst: {
        type: "array",
        items: closedObject({
          index: INDEX,
          inconsistency: NUMBER_OR_NULL,
          prediction: NUMBER_OR_NULL,
          neighbors: { type: "array", items: INDEX },
        }),
      },
    },
    ["groups"],
  ),
  lipschitz: closedObject(
    {
      metric: { enum: ["l1", "l2", "fair"] },
      output: { description: "The column whose changes are audited.", ...TEXT },
      k: COUNT,
      L: NUMBER_OR_NULL,
      directions: { description: "fair metric: sensitive directions projected out.", ...COUNT },
      distinct_rows: {
        description: "fair metric: distinct rows before and after the projection.",
        ...closedObject({ before: COUNT, after: COUNT }),
      },
      warnings: { description: "What to know before trusting the numbers.", type: "array", items: TEXT },
      ...PAIR_SUMMARY,
      crossing: closedObject({ same: SUMMARY, different: SUMMARY }),
      groups: {
        type: "array",
        items: closedObject({ group: GROUP_TUPLE, label: GROUP_LABEL, ...PAIR_SUMMARY }, ["violations"]),
      },
      worst: {
        type: "array",
        items: closedObject(
          {
            a: INDEX,
            b: INDEX,
            distance: NUMBER_OR_NULL,
            delta: NUMBER_OR_NULL,
            ratio: RATIO,
            values: {
              description: "The two rows' feature values, as in the input.",
              type: "object",
              additionalProperties: { type: "array", minItems: 2, maxItems: 2 },
            },
          },
          ["values"],
        ),
      },
    },
    ["violations", "crossing", "groups", "directions", "distinct_rows"],
  ),
};

/** JSON Schema of `fairkit.individual`. */
export const INDIVIDUAL_SCHEMA: JsonSchema = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  $id: `${SCHEMA_BASE}individual.schema.json`,
  title: "fairkit individual fairness",
  description:
    "Consistency of decisions with those of each row's nearest neighbours (Zemel et al. 2013), and a Lipschitz audit of the scores over neighbour pairs (Dwork et al. 2012), on standardised features.",
  ...closedObject(
    {
      ...documentHead("fairkit.individual", INDIVIDUAL_SCHEMA_VERSION),
      tool: TOOL,
      source: TEXT,
      ...INDIVIDUAL_SECTIONS,
    },
    ["columns"],
  ),
};
