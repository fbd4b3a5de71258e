/**
 * Every JSON Schema fairkit publishes, by file name (written to `schemas/NAME.schema.json` by
 * `npm run schemas`; a test checks the files are up to date and that Ajv agrees with the core's
 * own checker on every document the tests produce).
 */
import type { JsonSchema } from "../core/schema.js";
import { AUDIT_SCHEMA } from "./audit.js";
import { CARD_FILE_SCHEMA } from "./card.js";
import { COUNTERFACTUAL_SCHEMA, COUNTERFACTUAL_STUDY_SCHEMA, INDIVIDUAL_SCHEMA } from "./individual.js";
import { COUNTS_SCHEMA } from "./counts.js";
import {
  CONSTANT_ESTIMATOR_SCHEMA,
  CORRELATION_REMOVER_SCHEMA,
  DISPARATE_IMPACT_REMOVER_SCHEMA,
  EXPONENTIATED_GRADIENT_REGRESSOR_SCHEMA,
  EXPONENTIATED_GRADIENT_SCHEMA,
  GRID_SEARCH_REGRESSOR_SCHEMA,
  GRID_SEARCH_SCHEMA,
  LFR_SCHEMA,
  LINEAR_REGRESSION_SCHEMA,
  LOGISTIC_REGRESSION_SCHEMA,
  TABULAR_TRANSFORM_SCHEMA,
} from "./models.js";
import { MONITOR_RULES_SCHEMA, MONITOR_SCHEMA } from "./monitor.js";
import { MITIGATION_COMPARISON_SCHEMA, MITIGATION_MODEL_SCHEMA } from "./mitigation.js";
import { POLICY_SCHEMA } from "./policy.js";
import { REPORT_SCHEMA } from "./report.js";
import { MULTICLASS_AUDIT_SCHEMA, REGRESSION_AUDIT_SCHEMA, TASK_REPORT_SCHEMA } from "./task-audits.js";
import { THRESHOLDS_SCHEMA } from "./thresholds.js";
import { PROBE_SCHEMA } from "./text.js";

/** File name (without `.schema.json`) → schema. */
export const SCHEMAS: Readonly<Record<string, JsonSchema>> = Object.freeze({
  audit: AUDIT_SCHEMA,
  "regression-audit": REGRESSION_AUDIT_SCHEMA,
  "multiclass-audit": MULTICLASS_AUDIT_SCHEMA,
  counts: COUNTS_SCHEMA,
  monitor: MONITOR_SCHEMA,
  "monitor-rules": MONITOR_RULES_SCHEMA,
  probe: PROBE_SCHEMA,
  "threshold-policy": POLICY_SCHEMA,
  report: REPORT_SCHEMA,
  "task-report": TASK_REPORT_SCHEMA,
  thresholds: THRESHOLDS_SCHEMA,
  "mitigation-comparison": MITIGATION_COMPARISON_SCHEMA,
  "mitigation-model": MITIGATION_MODEL_SCHEMA,
  "card-file": CARD_FILE_SCHEMA,
  counterfactual: COUNTERFACTUAL_SCHEMA,
  "counterfactual-study": COUNTERFACTUAL_STUDY_SCHEMA,
  individual: INDIVIDUAL_SCHEMA,
  "logistic-regression": LOGISTIC_REGRESSION_SCHEMA,
  "constant-estimator": CONSTANT_ESTIMATOR_SCHEMA,
  "tabular-transform": TABULAR_TRANSFORM_SCHEMA,
  "correlation-remover": CORRELATION_REMOVER_SCHEMA,
  "disparate-impact-remover": DISPARATE_IMPACT_REMOVER_SCHEMA,
  "learned-fair-representations": LFR_SCHEMA,
  "exponentiated-gradient": EXPONENTIATED_GRADIENT_SCHEMA,
  "grid-search": GRID_SEARCH_SCHEMA,
  "linear-regression": LINEAR_REGRESSION_SCHEMA,
  "exponentiated-gradient-regressor": EXPONENTIATED_GRADIENT_REGRESSOR_SCHEMA,
  "grid-search-regressor": GRID_SEARCH_REGRESSOR_SCHEMA,
});
