/**
 * The regression audit document (`fairkit.regression_audit`): a RegressionFrame written as JSON —
 * per group and overall the metrics with intervals and the prediction quantiles, the criteria
 * with the groups that set them, and the checks of the unitless criteria. What `fairkit audit
 * --task regression --format json` writes; the text and Markdown renderers read only this.
 */
import { FairkitError, type FairkitWarning, messages } from "../core/errors.js";
import { groupTuple, type Level } from "../core/groups.js";
import { REGRESSION_CRITERIA, REGRESSION_METRICS, type RegressionCriterionName } from "../regression/metrics.js";
import type {
  RegressionFrame,
  RegressionGroupResult,
  RegressionIntervalMethod,
} from "../regression/regression-frame.js";
import { REGRESSION_AUDIT_SCHEMA_VERSION } from "../schemas/task-audits.js";
import { VERSION } from "../version.js";
import type { AuditWarning } from "./audit-result.js";

export { REGRESSION_AUDIT_SCHEMA_VERSION };

/** What a regression audit read. */
export interface RegressionAuditInput {
  source: string;
  format: string | null;
  rows: number;
  where: string | null;
  y_true: string;
  y_pred: string;
  sensitive: string[];
  weight: string | null;
  /** Missing values per sensitive column (those rows form the group "(missing)"). */
  nulls: Record<string, number>;
}

/** One group's entry (or the overall row, `group: []`). */
export interface RegressionAuditGroup {
  group: (Level | null)[];
  label: string;
  n: number;
  weight: number;
  small: boolean;
  metrics: Record<string, number | null>;
  intervals: Record<string, [number | null, number | null]>;
  prediction_quantiles: Record<string, number | null>;
}

/** One criterion. */
export interface RegressionAuditCriterion {
  value: number | null;
  /** The groups that set it, as tuples (two for a gap, one for the worst group; none when undefined). */
  groups: (Level | null)[][];
  /** The same groups' labels. */
  labels: string[];
  interval: [number | null, number | null] | null;
  family: string;
  /** Units: `target` (of y), `squared` (of y²) or `none`. */
  unit: "target" | "squared" | "none";
}

/** The regression audit JSON. */
export interface RegressionAuditResult {
  kind: "fairkit.regression_audit";
  schema_version: typeof REGRESSION_AUDIT_SCHEMA_VERSION;
  tool: { name: "fairkit"; version: string };
  task: "regression";
  input: RegressionAuditInput;
  settings: {
    metrics: string[];
    intervals: RegressionIntervalMethod;
    level: number;
    min_group_size: number;
    disparity: { method: "between_groups" | "to_reference"; reference: (Level | null)[] | null };
    tolerances: { difference: number; ratio: number };
    criteria_groups: "sufficient" | "all";
    bootstrap: { n: number; seed: number } | null;
    residual: "y_true - y_pred";
    quantiles: "inverted_cdf";
  };
  overall: RegressionAuditGroup;
  groups: RegressionAuditGroup[];
  criteria: Record<RegressionCriterionName, RegressionAuditCriterion>;
  criteria_excluded: (Level | null)[][];
  /** The unitless criteria (ratios, KS) against the tolerances. */
  checks: Partial<
    Record<
      RegressionCriterionName,
      { value: number | null; rule: "<=" | ">="; tolerance: number; pass: boolean | null }
    >
  >;
  passed: boolean | null;
  warnings: AuditWarning[];
}

function finite(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

function entry(r: RegressionGroupResult, columns: readonly string[], overall: boolean): RegressionAuditGroup {
  const metrics: Record<string, number | null> = {};
  for (const m of REGRESSION_METRICS) metrics[m.name] = finite(r.metrics[m.name]);
  const intervals: Record<string, [number | null, number | null]> = {};
  for (const [name, [lo, hi]] of Object.entries(r.intervals)) intervals[name] = [finite(lo), finite(hi)];
  const prediction_quantiles: Record<string, number | null> = {};
  for (const [q, v] of Object.entries(r.predictionQuantiles)) prediction_quantiles[q] = finite(v);
  return {
    group: overall ? [] : groupTuple(r.group, columns),
    label: r.key,
    n: r.n,
    weight: r.weight,
    small: r.small,
    metrics,
    intervals,
    prediction_quantiles,
  };
}

/**
 * Writes a RegressionFrame as the regression audit document.
 *
 * @example
 * const doc = buildRegressionAudit(new RegressionFrame({ yTrue, yPred, sensitiveFeatures: { race } }), { input });
 * doc.criteria.mean_residual_difference.value;
 */
export function buildRegressionAudit(
  frame: RegressionFrame,
  options: { input: RegressionAuditInput; warnings?: FairkitWarning[] },
): RegressionAuditResult {
  const columns = options.input.sensitive;
  if (columns.join("\u0000") !== frame.columns.join("\u0000")) {
    throw new FairkitError("BAD_ARGUMENT", messages.sensitiveColumnsDiffer(columns, frame.columns), {
      argument: "input.sensitive",
    });
  }
  const byKey = new Map(frame.byGroup.map((g) => [g.key, g]));
  const tuple = (key: string) => groupTuple(byKey.get(key)!.group, columns);
  const criteria = {} as Record<RegressionCriterionName, RegressionAuditCriterion>;
  const checks: RegressionAuditResult["checks"] = {};
  let anyFail = false;
  let anyUndefined = false;
  for (const spec of REGRESSION_CRITERIA) {
    const name = spec.name as RegressionCriterionName;
    const c = frame.criteria[name];
    const metric = spec.metric ? REGRESSION_METRICS.find((m) => m.name === spec.metric) : undefined;
    criteria[name] = {
      value: finite(c.value),
      groups: c.groups.map(tuple),
      labels: [...c.groups],
      interval: c.interval ? [finite(c.interval[0]), finite(c.interval[1])] : null,
      family: spec.family,
      unit: spec.kind === "ks" ? "none" : spec.kind === "ratio" ? "none" : (metric?.unit ?? "target"),
    };
    if (c.check) {
      checks[name] = { value: finite(c.value), ...c.check };
      if (c.check.pass === false) anyFail = true;
      if (c.check.pass === null) anyUndefined = true;
    }
  }
  const s = frame.settings;
  const warning = (w: FairkitWarning): AuditWarning => ({
    code: w.code,
    message: w.message,
    ...(w.group !== undefined && byKey.has(w.group) ? { group: tuple(w.group) } : {}),
    ...(w.metric !== undefined ? { metric: w.metric } : {}),
  });
  return {
    kind: "fairkit.regression_audit",
    schema_version: REGRESSION_AUDIT_SCHEMA_VERSION,
    tool: { name: "fairkit", version: VERSION },
    task: "regression",
    input: { ...options.input, sensitive: [...columns], nulls: { ...options.input.nulls } },
    settings: {
      metrics: REGRESSION_METRICS.map((m) => m.name),
      intervals: s.intervals,
      level: s.level,
      min_group_size: s.minGroupSize,
      disparity: {
        method: s.reference === null ? "between_groups" : "to_reference",
        reference: s.reference === null ? null : tuple(s.reference),
      },
      tolerances: { ...s.tolerances },
      criteria_groups: s.includeSmallGroups ? "all" : "sufficient",
      bootstrap: s.bootstrap ? { ...s.bootstrap } : null,
      residual: "y_true - y_pred",
      quantiles: "inverted_cdf",
    },
    overall: entry(frame.overall, columns, true),
    groups: frame.byGroup.map((g) => entry(g, columns, false)),
    criteria,
    criteria_excluded: frame.excluded.map(tuple),
    checks,
    passed: anyFail ? false : anyUndefined ? null : true,
    warnings: [...(options.warnings ?? []), ...frame.warnings].map(warning),
  };
}

/** The numbers a `--fail-on` gate can name in a regression audit: every criterion and `overall.<metric>`. */
export function regressionGateValues(result: RegressionAuditResult): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const [name, c] of Object.entries(result.criteria)) out[name] = c.value;
  for (const [name, value] of Object.entries(result.overall.metrics)) out[`overall.${name}`] = value;
  return out;
}
