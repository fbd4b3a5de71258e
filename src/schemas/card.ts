/**
 * The card file (`fairkit report --card card.yaml`): what only the people who built and deploy
 * the model know, for the model card (Mitchell et al. 2019; Model Card Toolkit field names where
 * it has them), the datasheet (Gebru et al.) and the regulatory tables. Every field is optional;
 * an unknown field is an error (a typo would otherwise vanish silently).
 */
import type { JsonSchema } from "../core/schema.js";
import { SCHEMA_BASE } from "./common.js";

const TEXT: JsonSchema = { type: "string" };
const TEXT_LIST: JsonSchema = {
  description: "Free text, or a list of texts or { description | name, mitigation_strategy } items.",
  anyOf: [
    { type: "string" },
    {
      type: "array",
      items: {
        anyOf: [
          { type: "string" },
          {
            type: "object",
            properties: { description: TEXT, name: TEXT, mitigation_strategy: TEXT },
            additionalProperties: false,
          },
        ],
      },
    },
  ],
};

function object(properties: Record<string, JsonSchema>, description?: string): JsonSchema {
  return { ...(description ? { description } : {}), type: "object", properties, additionalProperties: false };
}

/** The EEO-1 Component 1 sex categories: the "categories" of 6 RCNY §5-300 for sex. */
export const EEO1_SEX_CATEGORIES = ["Male", "Female"] as const;

/** The EEO-1 Component 1 race/ethnicity categories, in the EEO-1 report's order. */
export const EEO1_RACE_ETHNICITY_CATEGORIES = [
  "Hispanic or Latino",
  "White (Not Hispanic or Latino)",
  "Black or African American (Not Hispanic or Latino)",
  "Native Hawaiian or Other Pacific Islander (Not Hispanic or Latino)",
  "Asian (Not Hispanic or Latino)",
  "American Indian or Alaska Native (Not Hispanic or Latino)",
  "Two or More Races (Not Hispanic or Latino)",
] as const;

/** What a value maps to in `ll144.eeo1_mapping` when its category is not known. */
export const EEO1_UNKNOWN = "unknown";

const DATE: JsonSchema = { description: "A calendar date, YYYY-MM-DD.", type: "string" };

/** `ll144.eeo1_mapping.<dimension>`: each value of the data's column → its EEO-1 category (or unknown). */
function eeo1Mapping(categories: readonly string[], dimension: string): JsonSchema {
  return {
    description: `The ${dimension} column's values (as written in the data) and the EEO-1 Component 1 category each counts in, or "${EEO1_UNKNOWN}".`,
    type: "object",
    additionalProperties: { enum: [...categories, EEO1_UNKNOWN] },
  };
}

/** JSON Schema of the card file (YAML or JSON). */
export const CARD_FILE_SCHEMA: JsonSchema = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  $id: `${SCHEMA_BASE}card-file.schema.json`,
  title: "fairkit card file",
  description:
    "The facts a report cannot compute: model details, intended use, factors, data, caveats, monitoring, datasheet answers, reference population shares and LL144 settings.",
  type: "object",
  properties: {
    model_details: object({
      name: TEXT,
      overview: TEXT,
      documentation: TEXT,
      owners: { type: "array", items: object({ name: TEXT, contact: TEXT }) },
      version: object({ name: TEXT, date: TEXT, diff: TEXT }),
      licenses: { type: "array", items: { anyOf: [TEXT, object({ identifier: TEXT, custom_text: TEXT })] } },
      references: {
        type: "array",
        items: {
          anyOf: [
            TEXT,
            { type: "object", required: ["reference"], properties: { reference: TEXT }, additionalProperties: false },
          ],
        },
      },
      citations: {
        type: "array",
        items: {
          anyOf: [
            TEXT,
            {
              type: "object",
              required: ["citation"],
              properties: { style: TEXT, citation: TEXT },
              additionalProperties: false,
            },
          ],
        },
      },
    }),
    model_parameters: object({
      model_architecture: TEXT,
      input_format: TEXT,
      output_format: TEXT,
      data: {
        type: "array",
        items: object({
          name: TEXT,
          link: TEXT,
          description: TEXT,
          sensitive: object({ sensitive_data: { type: "array", items: TEXT } }),
        }),
      },
    }),
    considerations: object({
      users: TEXT_LIST,
      use_cases: TEXT_LIST,
      out_of_scope_uses: TEXT_LIST,
      limitations: TEXT_LIST,
      tradeoffs: TEXT_LIST,
      ethical_considerations: TEXT_LIST,
    }),
    factors: TEXT_LIST,
    metrics_rationale: TEXT,
    evaluation_data: TEXT,
    training_data: TEXT,
    caveats_and_recommendations: TEXT_LIST,
    monitoring: TEXT,
    responsible_persons: { type: "array", items: TEXT },
    datasheet: {
      description: "Datasheet answers: section → answer text, or section → { question → answer }.",
      type: "object",
      additionalProperties: { anyOf: [TEXT, { type: "object", additionalProperties: TEXT }] },
    },
    reference_shares: {
      description: "Reference population shares per sensitive column and level, each between 0 and 1.",
      type: "object",
      additionalProperties: { type: "object", additionalProperties: { type: "number", minimum: 0, maximum: 1 } },
    },
    ll144: object(
      {
        exclusion_justification: TEXT,
        exclusion_share: { type: "number", exclusiveMinimum: 0, maximum: 0.02 },
        unknown_values: { type: "array", items: TEXT },
        audit_date: { ...DATE, description: "The date of the bias audit (6 RCNY §5-303(a)(1)), YYYY-MM-DD." },
        distribution_date: {
          ...DATE,
          description: "The distribution date of the tool (6 RCNY §5-303(a)(2)), YYYY-MM-DD.",
        },
        data_source: {
          description: "The source and explanation of the data the audit used (6 RCNY §5-303(a)(1)).",
          type: "string",
        },
        data_kind: {
          description: "historical (the tool's own use) or test data (6 RCNY §5-302).",
          enum: ["historical", "test"],
        },
        test_data_reason: {
          description:
            "With test data: why historical data was not used, and how the test data were generated and obtained (6 RCNY §5-302(b)).",
          type: "string",
        },
        auditor: object(
          { name: TEXT, independent: { type: "boolean" }, statement: TEXT },
          "The auditor; independent as 6 RCNY §5-300 defines it, and the auditor's statement of it.",
        ),
        eeo1_mapping: object(
          {
            sex: eeo1Mapping(EEO1_SEX_CATEGORIES, "sex"),
            race_ethnicity: eeo1Mapping(EEO1_RACE_ETHNICITY_CATEGORIES, "race/ethnicity"),
          },
          'The data\'s category values and the EEO-1 Component 1 categories they count in (6 RCNY §5-300, "category").',
        ),
      },
      "NYC Local Law 144: the exclusion of categories under 2%, the values meaning unknown, and the facts of the summary of results only you know.",
    ),
  },
  additionalProperties: false,
};
