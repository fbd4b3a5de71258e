/**
 * The counts document (`fairkit.counts`): per group, the weight, squared weight and rows of each
 * confusion cell. Every group metric is a function of these; counts merge by addition.
 */
import type { JsonSchema } from "../core/schema.js";
import { COLUMNS, GROUP_LABEL, GROUP_TUPLE, SCHEMA_BASE, TOOL, documentHead } from "./common.js";

/** Schema version of the counts document. */
export const COUNTS_SCHEMA_VERSION = 1;

const CELL: JsonSchema = {
  type: "object",
  required: ["weight", "weight_squared", "rows"],
  properties: {
    weight: { description: "Sum of the weights (the row count without weights).", type: "number", minimum: 0 },
    weight_squared: {
      description: "Sum of the squared weights (for effective sample sizes).",
      type: "number",
      minimum: 0,
    },
    rows: { description: "Rows in the cell (unweighted).", type: "integer", minimum: 0 },
  },
  additionalProperties: false,
};

/** JSON Schema of `fairkit.counts`. */
export const COUNTS_SCHEMA: JsonSchema = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  $id: `${SCHEMA_BASE}counts.schema.json`,
  title: "fairkit counts",
  description:
    "Confusion counts per group: the sufficient statistics of every group metric. Counts of disjoint row sets merge by adding cell by cell, groups matched by their value tuples.",
  type: "object",
  required: ["kind", "schema_version", "columns", "groups"],
  properties: {
    ...documentHead("fairkit.counts", COUNTS_SCHEMA_VERSION),
    tool: TOOL,
    input: { description: "Where the counts came from (free form: file, query, filter).", type: "object" },
    columns: COLUMNS,
    groups: {
      type: "array",
      items: {
        type: "object",
        required: ["group", "cells"],
        properties: {
          group: GROUP_TUPLE,
          label: GROUP_LABEL,
          cells: {
            description: "tn, fp, fn, tp: true label × decision.",
            type: "object",
            required: ["tn", "fp", "fn", "tp"],
            properties: {
              tn: { $ref: "#/$defs/cell" },
              fp: { $ref: "#/$defs/cell" },
              fn: { $ref: "#/$defs/cell" },
              tp: { $ref: "#/$defs/cell" },
            },
            additionalProperties: false,
          },
        },
        additionalProperties: false,
      },
    },
  },
  additionalProperties: false,
  $defs: { cell: CELL },
};
