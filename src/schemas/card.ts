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
    ll144: object({
      exclusion_justification: TEXT,
      exclusion_share: { type: "number", exclusiveMinimum: 0, maximum: 0.02 },
      unknown_values: { type: "array", items: TEXT },
    }),
  },
  additionalProperties: false,
};
