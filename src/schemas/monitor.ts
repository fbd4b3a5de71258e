/**
 * The monitor document (`fairkit.monitor`) and the alert rules file (`fairkit.monitor_rules`):
 * per time window and group the label-free and label-based numbers, their changes from the
 * reference, score drift, the criteria, and the alerts the rules fired.
 */
import type { JsonSchema } from "../core/schema.js";
import {
  closedObject,
  documentHead,
  GROUP_LABEL,
  GROUP_TUPLE,
  INTERVAL,
  NUMBER_OR_NULL,
  RATE_OR_NULL,
  ROW_COUNT,
  SCHEMA_BASE,
  TEXT,
  TOOL,
} from "./common.js";

/** Schema version of the monitor document. */
export const MONITOR_SCHEMA_VERSION = 1;

const INTERVAL_OR_NULL: JsonSchema = { anyOf: [INTERVAL, { type: "null" }] };
const TEXT_OR_NULL: JsonSchema = { type: ["string", "null"] };
const TIME: JsonSchema = { description: "ISO 8601, UTC.", type: "string" };
const PAIR_OR_NULL: JsonSchema = {
  anyOf: [{ type: "array", prefixItems: [GROUP_TUPLE, GROUP_TUPLE], items: false, minItems: 2 }, { type: "null" }],
};

const PERSISTENCE = closedObject(
  { k: { type: "integer", minimum: 1 }, m: { type: "integer", minimum: 1 } },
  [],
  "Fires when k of the last m windows (this one included) breach; this window must breach.",
);

const RULE_PROPERTIES: Record<string, JsonSchema> = {
  name: {
    description: "Names the rule in alerts and messages (default: measure#position).",
    type: "string",
    minLength: 1,
  },
  measure: {
    description:
      "A criterion (demographic_parity_ratio, …), a change from the reference (share, selection_rate, base_rate or another proportion metric) or a drift measure (psi, js, ks).",
    type: "string",
  },
  tolerance: { description: "How far the measure may go (see docs/monitoring.md).", type: "number", minimum: 0 },
  min_count: { description: "The fewest rows the numbers rest on (default 30).", type: "integer", minimum: 1 },
  persistence: PERSISTENCE,
};

/** JSON Schema of the alert rules file (YAML or JSON). */
export const MONITOR_RULES_SCHEMA: JsonSchema = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  $id: `${SCHEMA_BASE}monitor-rules.schema.json`,
  title: "fairkit monitor rules",
  description:
    "What fairkit monitor alerts on: a list of rules, each a measure, a tolerance, a minimum count and a persistence.",
  type: "object",
  required: ["rules"],
  properties: {
    kind: { const: "fairkit.monitor_rules" },
    schema_version: { const: 1 },
    rules: { type: "array", minItems: 1, items: closedObject(RULE_PROPERTIES, ["name", "min_count", "persistence"]) },
  },
  additionalProperties: false,
};

const CHANGE = closedObject(
  { value: NUMBER_OR_NULL, interval: INTERVAL_OR_NULL },
  [],
  "Window − reference, with Newcombe's interval; null where either side is undefined.",
);

const GROUP = closedObject(
  {
    group: GROUP_TUPLE,
    label: GROUP_LABEL,
    n: ROW_COUNT,
    labelled_n: ROW_COUNT,
    small: { type: "boolean" },
    labelled_small: { type: "boolean" },
    share: RATE_OR_NULL,
    metrics: { type: "object", additionalProperties: NUMBER_OR_NULL },
    intervals: { type: "object", additionalProperties: INTERVAL },
    changes: { type: "object", additionalProperties: CHANGE },
    drift: {
      anyOf: [
        closedObject(
          { psi: NUMBER_OR_NULL, js: RATE_OR_NULL, ks: RATE_OR_NULL },
          [],
          "PSI (≥ 0), Jensen–Shannon in bits ([0, 1]), KS ([0, 1]).",
        ),
        { type: "null" },
      ],
    },
  },
  ["changes", "drift"],
);

const CRITERION = closedObject(
  {
    value: NUMBER_OR_NULL,
    interval: INTERVAL_OR_NULL,
    groups: PAIR_OR_NULL,
    rows: { enum: ["all", "labelled"] },
    pass: { type: ["boolean", "null"] },
    change: NUMBER_OR_NULL,
  },
  ["change"],
);

const WINDOW_PROPERTIES: Record<string, JsonSchema> = {
  start: TIME,
  end: TIME,
  rows: ROW_COUNT,
  labelled_rows: ROW_COUNT,
  groups: { type: "array", items: GROUP },
  criteria: { type: "object", additionalProperties: CRITERION },
  warnings: { type: "array", items: TEXT },
};

const ALERT = closedObject({
  rule: TEXT,
  measure: TEXT,
  window: TIME,
  group: { anyOf: [GROUP_TUPLE, { type: "null" }] },
  label: TEXT_OR_NULL,
  value: NUMBER_OR_NULL,
  interval: INTERVAL_OR_NULL,
  tolerance: { type: "number" },
  breaches: ROW_COUNT,
  of: { type: "integer", minimum: 1 },
  new: { type: "boolean" },
});

/** JSON Schema of `fairkit.monitor`. */
export const MONITOR_SCHEMA: JsonSchema = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  $id: `${SCHEMA_BASE}monitor.schema.json`,
  title: "fairkit monitor",
  description:
    "Fairness over time: per window and group, label-free numbers for every window and label-based ones where labels are present, their changes from the reference, score drift, the criteria and the alerts.",
  type: "object",
  required: ["kind", "schema_version", "tool", "input", "settings", "reference", "windows", "alerts"],
  properties: {
    ...documentHead("fairkit.monitor", MONITOR_SCHEMA_VERSION),
    tool: TOOL,
    input: closedObject({
      source: TEXT,
      format: TEXT_OR_NULL,
      rows: ROW_COUNT,
      where: TEXT_OR_NULL,
      time: TEXT,
      y_true: TEXT,
      y_pred: TEXT_OR_NULL,
      score: TEXT_OR_NULL,
      threshold: NUMBER_OR_NULL,
      sensitive: { type: "array", items: TEXT, minItems: 1 },
      weight: TEXT_OR_NULL,
      pos_label: TEXT_OR_NULL,
    }),
    settings: closedObject({
      window: TEXT,
      reference: {
        anyOf: [
          closedObject({ kind: { const: "first" } }),
          closedObject({ kind: { const: "period" }, start: TIME, end: TIME }),
        ],
      },
      metrics: { type: "array", items: TEXT },
      level: { type: "number", exclusiveMinimum: 0, maximum: 1 },
      min_group_size: ROW_COUNT,
      tolerances: closedObject({ difference: { type: "number" }, ratio: { type: "number" } }),
      bins: {
        anyOf: [closedObject({ rule: TEXT, edges: { type: "array", items: { type: "number" } } }), { type: "null" }],
      },
      rules: { type: "array", items: closedObject(RULE_PROPERTIES) },
    }),
    reference: closedObject({ ...WINDOW_PROPERTIES, windows: { type: "integer", minimum: 1 } }),
    windows: { type: "array", items: closedObject({ ...WINDOW_PROPERTIES, in_reference: { type: "boolean" } }) },
    alerts: { type: "array", items: ALERT },
  },
  additionalProperties: false,
};
