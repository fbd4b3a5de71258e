/**
 * The report (`fairkit.report`): what `fairkit report -o report.json` writes — the audit, the
 * model card (its `model_card` part in Model Card Toolkit v0.0.2 form), the datasheet, the NYC
 * LL144 and EEOC four-fifths tables, the EU AI Act test log, the sources of bias, the subgroup
 * search, ROC curves and the findings, with provenance.
 */
import type { JsonSchema } from "../core/schema.js";
import { INDIVIDUAL_SECTIONS } from "./individual.js";
import { AUDIT_GROUP_ENTRY, AUDIT_SCHEMA } from "./audit.js";
import {
  closedObject,
  documentHead,
  GROUP_LABEL,
  GROUP_TUPLE,
  GROUP_VALUE,
  NUMBER_OR_NULL,
  SCHEMA_BASE,
  TEXT,
  TOOL,
  INTERVAL,
} from "./common.js";

/**
 * Schema version of the report document (1 was fairkit 0.1's, with `report_version`; 2 was 0.2's and
 * 0.3's; 3 names the LL144 tables' columns as the data does and adds `ll144.summary`).
 */
export const REPORT_SCHEMA_VERSION = 3;

const TEXTS: JsonSchema = { type: "array", items: TEXT };
const COUNT: JsonSchema = { type: "number", minimum: 0 };
const COLUMNS: JsonSchema = { type: "array", items: TEXT };
const TUPLES: JsonSchema = { type: "array", items: GROUP_TUPLE };

const DATA: JsonSchema = closedObject({ name: TEXT, sha256: { type: ["string", "null"] }, rows: COUNT, bytes: COUNT }, [
  "bytes",
]);

const REPRESENTATION: JsonSchema = {
  type: "array",
  items: closedObject({
    columns: COLUMNS,
    groups: {
      type: "array",
      items: closedObject({
        group: GROUP_TUPLE,
        label: GROUP_LABEL,
        rows: COUNT,
        share: NUMBER_OR_NULL,
        reference_share: NUMBER_OR_NULL,
        gap: NUMBER_OR_NULL,
        ratio: NUMBER_OR_NULL,
      }),
    },
  }),
};

const BASE_RATES: JsonSchema = {
  type: "array",
  items: closedObject({
    columns: COLUMNS,
    groups: {
      type: "array",
      items: closedObject({
        group: GROUP_TUPLE,
        label: GROUP_LABEL,
        rows: COUNT,
        base_rate: NUMBER_OR_NULL,
        interval: INTERVAL,
      }),
    },
    difference: NUMBER_OR_NULL,
    ratio: NUMBER_OR_NULL,
    left_out: TUPLES,
  }),
};

export const LL144_RESULT: JsonSchema = closedObject({
  kind: { enum: ["selection", "scoring"] },
  rate_name: { enum: ["selection_rate", "scoring_rate"] },
  total: COUNT,
  median: NUMBER_OR_NULL,
  tables: {
    type: "array",
    items: closedObject({
      dimension: { description: "The rules' name of the table.", enum: ["sex", "race_ethnicity", "intersectional"] },
      columns: { description: "The columns the table reads, named as in the data.", ...COLUMNS },
      rows: {
        type: "array",
        items: closedObject({
          category: TEXT,
          values: {
            description:
              "The category's value in each column (keyed by the column's name): the EEO-1 category under a mapping.",
            type: "object",
            additionalProperties: GROUP_VALUE,
          },
          count: COUNT,
          positives: COUNT,
          rate: NUMBER_OR_NULL,
          interval: INTERVAL,
          impact_ratio: NUMBER_OR_NULL,
          share: NUMBER_OR_NULL,
          excluded: { type: "boolean" },
        }),
      },
      unknown_count: COUNT,
      highest: { type: ["string", "null"] },
      highest_rate: NUMBER_OR_NULL,
    }),
  },
  exclusion: { anyOf: [closedObject({ share: { type: "number" }, justification: TEXT }), { type: "null" }] },
  basis: TEXT,
  outcome: { description: "What the rates count: the favourable outcome.", type: "string" },
});

const TEXT_OR_NULL: JsonSchema = { type: ["string", "null"] };

/** The LL144 summary of results (6 RCNY §5-303): the card file's facts, the counts, the categories. */
export const LL144_SUMMARY: JsonSchema = closedObject({
  basis: TEXT,
  tool: closedObject({ name: TEXT_OR_NULL, version: TEXT_OR_NULL }),
  audit_date: { description: "YYYY-MM-DD, from the card file; null when not given.", ...TEXT_OR_NULL },
  distribution_date: { description: "YYYY-MM-DD, from the card file; null when not given.", ...TEXT_OR_NULL },
  report_date: { description: "When the report was generated.", type: "string" },
  positive_decision: {
    description:
      "What a positive decision (a high score) means for the person; the rates are of the favourable outcome.",
    enum: ["favourable", "unfavourable"],
  },
  data: closedObject({
    source: TEXT_OR_NULL,
    kind: { enum: ["historical", "test", null] },
    test_data_reason: TEXT_OR_NULL,
    files: {
      type: "array",
      items: closedObject({ name: TEXT, sha256: TEXT_OR_NULL, rows: COUNT }),
    },
  }),
  auditor: closedObject({ name: TEXT_OR_NULL, independent: { type: ["boolean", "null"] }, statement: TEXT_OR_NULL }),
  totals: {
    description: "Per table: everyone assessed = those in a category + those in an unknown category.",
    type: "array",
    items: closedObject({
      dimension: { enum: ["sex", "race_ethnicity", "intersectional"] },
      columns: COLUMNS,
      assessed: COUNT,
      in_categories: COUNT,
      unknown: COUNT,
    }),
  },
  categories: {
    description: "Each LL144 column's distinct values, their rows, and the category each counts in.",
    type: "array",
    items: closedObject({
      dimension: { enum: ["sex", "race_ethnicity"] },
      column: TEXT,
      mapped: { description: "True when ll144.eeo1_mapping maps the values to EEO-1 categories.", type: "boolean" },
      values: {
        type: "array",
        items: closedObject({
          value: GROUP_VALUE,
          rows: COUNT,
          category: { description: "The category it counts in; null when unknown.", ...TEXT_OR_NULL },
          unknown: {
            description:
              "Why it is unknown: a missing value, a value of ll144.unknown_values, or mapped to unknown; null when known.",
            enum: ["missing", "unknown_value", "mapped_unknown", null],
          },
        }),
      },
      empty_categories: { description: "EEO-1 categories no value maps to.", ...TEXTS },
    }),
  },
  missing: {
    description: "Facts the card file does not give, with the rule that asks for each (null: none does).",
    type: "array",
    items: closedObject({ field: TEXT, what: TEXT, rule: TEXT_OR_NULL }),
  },
  warnings: TEXTS,
});

const SUBGROUP: JsonSchema = closedObject(
  {
    description: TEXT,
    conditions: { type: "object", additionalProperties: GROUP_VALUE },
    depth: { type: "integer", minimum: 1 },
    size: COUNT,
    support: COUNT,
    rest_support: COUNT,
    value: NUMBER_OR_NULL,
    interval: INTERVAL,
    rest_value: NUMBER_OR_NULL,
    rest_interval: INTERVAL,
    gap: NUMBER_OR_NULL,
    gap_interval: INTERVAL,
    p_value: NUMBER_OR_NULL,
    adjusted_p: NUMBER_OR_NULL,
    significant: { type: "boolean" },
    explained_by: TEXT,
  },
  ["explained_by"],
);

/** Where a report's numbers came from: the data (with SHA-256), the configuration and its hash, the card file. */
export const PROVENANCE: JsonSchema = closedObject(
  {
    generated_at: TEXT,
    data: { type: "array", items: DATA },
    config: {
      description: "The configuration (columns and options), as hashed into config_sha256.",
      type: "object",
    },
    config_sha256: { type: ["string", "null"] },
    card_file: { anyOf: [closedObject({ name: TEXT, sha256: TEXT }), { type: "null" }] },
  },
  ["card_file"],
);

/** A model card: Model Card Toolkit v0.0.2 fields, Mitchell et al.'s other sections, and the fields left empty. */
export const MODEL_CARD: JsonSchema = closedObject({
  model_card: {
    description: "Model Card Toolkit schema v0.0.2 fields (that schema describes them in full).",
    type: "object",
    required: ["schema_version", "model_details", "model_parameters", "quantitative_analysis", "considerations"],
    properties: {
      schema_version: { const: "0.0.2" },
      model_details: { type: "object" },
      model_parameters: { type: "object" },
      quantitative_analysis: { type: "object" },
      considerations: { type: "object" },
    },
  },
  sections: { description: "The sections of Mitchell et al. the toolkit has no field for.", type: "object" },
  missing: { description: "Card fields left empty.", ...TEXTS },
});

/** Datasheet facts: rows, column profiles, representation, base rates and the card file's answers. */
export const DATASHEET: JsonSchema = closedObject({
  rows: COUNT,
  columns: {
    type: "array",
    items: closedObject({
      name: TEXT,
      type: TEXT,
      missing: COUNT,
      missing_share: NUMBER_OR_NULL,
      distinct: { type: ["number", "null"] },
    }),
  },
  representation: REPRESENTATION,
  base_rates: BASE_RATES,
  answers: {
    type: "array",
    items: closedObject({ section: TEXT, question: { type: ["string", "null"] }, answer: TEXT }),
  },
  unanswered: TEXTS,
});

/** The EU AI Act Annex IV 2(g) test log. */
export const EU_AI_ACT: JsonSchema = closedObject({
  basis: TEXT,
  date: TEXT,
  tool: TEXT,
  data: { type: "array", items: DATA },
  config_sha256: { type: ["string", "null"] },
  metrics: { type: "array", items: closedObject({ name: TEXT, formula: TEXT, meaning: TEXT }) },
  tests: { type: "array", items: closedObject({ name: TEXT, result: TEXT }) },
  responsible_persons: TEXTS,
  signature: TEXT,
});

/** JSON Schema of `fairkit.report`. */
export const REPORT_SCHEMA: JsonSchema = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  $id: `${SCHEMA_BASE}report.schema.json`,
  title: "fairkit report",
  description:
    "An audit report: the audit, model card, datasheet, regulatory tables, test log, sources of bias, subgroups and findings, with provenance.",
  type: "object",
  required: [
    "kind",
    "schema_version",
    "title",
    "generated_at",
    "tool",
    "provenance",
    "audit",
    "unitary",
    "model_card",
    "datasheet",
    "ll144",
    "four_fifths",
    "eu_ai_act",
    "bias_sources",
    "subgroups",
    "curves",
    "findings",
  ],
  properties: {
    ...documentHead("fairkit.report", REPORT_SCHEMA_VERSION),
    title: TEXT,
    generated_at: { description: "ISO 8601 time (SOURCE_DATE_EPOCH fixes it).", type: "string" },
    tool: TOOL,
    provenance: PROVENANCE,
    audit: {
      description: "The audit, exactly as `fairkit audit --format json` writes it (schemas/audit.schema.json).",
      ...withoutId(AUDIT_SCHEMA),
    },
    unitary: {
      description: "Each sensitive column alone.",
      type: "array",
      items: closedObject({ column: TEXT, groups: { type: "array", items: AUDIT_GROUP_ENTRY } }),
    },
    model_card: MODEL_CARD,
    datasheet: DATASHEET,
    ll144: {
      anyOf: [
        closedObject({
          selection: LL144_RESULT,
          scoring: { anyOf: [LL144_RESULT, { type: "null" }] },
          sex: { description: "The column read as sex.", ...TEXT },
          race_ethnicity: { description: "The column read as race/ethnicity.", ...TEXT },
          summary: LL144_SUMMARY,
        }),
        { type: "null" },
      ],
    },
    four_fifths: {
      type: "array",
      items: closedObject({
        columns: COLUMNS,
        threshold: { type: "number" },
        alpha: { type: "number" },
        highest: { anyOf: [GROUP_TUPLE, { type: "null" }] },
        rows: {
          type: "array",
          items: closedObject({
            group: GROUP_TUPLE,
            label: GROUP_LABEL,
            count: COUNT,
            selected: { description: "People receiving the favourable outcome (see outcome).", ...COUNT },
            rate: NUMBER_OR_NULL,
            interval: INTERVAL,
            impact_ratio: NUMBER_OR_NULL,
            flagged: { type: "boolean" },
            fisher_p: NUMBER_OR_NULL,
            z_p: NUMBER_OR_NULL,
            z: NUMBER_OR_NULL,
            significant: { type: "boolean" },
            status: {
              enum: [
                "highest",
                "adverse_impact",
                "below_threshold_not_significant",
                "significant_above_threshold",
                "no_adverse_impact",
                "undefined",
                "too_small",
              ],
            },
          }),
        },
        flagged: TUPLES,
        min_count: COUNT,
        outcome: TEXT,
        basis: TEXT,
      }),
    },
    eu_ai_act: EU_AI_ACT,
    bias_sources: closedObject({
      representation: REPRESENTATION,
      historical: BASE_RATES,
      coverage: closedObject({
        columns: COLUMNS,
        min_rows: COUNT,
        max_interval_width: { type: "number" },
        groups: {
          type: "array",
          items: closedObject({
            group: GROUP_TUPLE,
            label: GROUP_LABEL,
            rows: COUNT,
            cells: {
              type: "array",
              items: closedObject({
                metric: TEXT,
                rows: COUNT,
                value: NUMBER_OR_NULL,
                interval: INTERVAL,
                width: NUMBER_OR_NULL,
                status: { enum: ["ok", "few_rows", "wide", "undefined"] },
              }),
            },
          }),
        },
        flagged: COUNT,
      }),
      aggregation: closedObject({
        available: { type: "boolean" },
        note: TEXT,
        groups: {
          type: "array",
          items: closedObject({
            group: GROUP_TUPLE,
            label: GROUP_LABEL,
            rows: COUNT,
            auc: NUMBER_OR_NULL,
            ece: NUMBER_OR_NULL,
          }),
        },
        auc_difference: NUMBER_OR_NULL,
        ece_difference: NUMBER_OR_NULL,
        left_out: TUPLES,
      }),
      findings: TEXTS,
    }),
    subgroups: closedObject({
      metric: TEXT,
      max_depth: { type: "integer", minimum: 1 },
      min_support: { type: "number", minimum: 0 },
      alpha: { type: "number" },
      correction: { enum: ["holm", "bonferroni"] },
      tested: COUNT,
      skipped: COUNT,
      top: { type: "array", items: SUBGROUP },
      significant_count: COUNT,
      explained_count: COUNT,
      largest_gaps: { type: "array", items: SUBGROUP },
      method: TEXT,
    }),
    curves: {
      description: "ROC curve per group of the finest grouping (with a score), at most 200 points.",
      type: "array",
      items: closedObject({
        group: GROUP_TUPLE,
        label: GROUP_LABEL,
        auc: NUMBER_OR_NULL,
        points: {
          type: "array",
          items: { type: "array", prefixItems: [{ type: "number" }, { type: "number" }], items: false, minItems: 2 },
        },
      }),
    },
    findings: { description: "One-line findings, most consequential first.", ...TEXTS },
    individual: {
      description:
        "Individual fairness (with `--individual-features`): consistency with the nearest neighbours and the Lipschitz audit, as in `fairkit.individual`; null without it.",
      anyOf: [{ type: "null" }, closedObject(INDIVIDUAL_SECTIONS, ["columns"])],
    },
  },
  additionalProperties: false,
};

/** A schema embedded in another document: the same rules, without its own identity. */
function withoutId(schema: JsonSchema): JsonSchema {
  const { $id: _id, $schema: _schema, title: _title, ...rest } = schema;
  return rest;
}
