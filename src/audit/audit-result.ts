/**
 * The audit result: the one documented JSON object every face produces for an audit (the CLI's
 * `--format json`, the web dashboard, the reports). It is assembled here from a MetricFrame (or
 * `MetricFrame.fromCounts`) and the criteria summary, so no face computes a metric itself.
 *
 * Browser-safe: no Node built-ins. The schema is documented in docs/cli.md ("JSON output").
 */
import { type ConfusionTable, selectGroups } from "../core/confusion.js";
import { CRITERIA, type CriterionName, type CriterionSummaryName, criteriaSummary } from "../core/criteria.js";
import type { DisparityMethod } from "../core/disparity.js";
import { FairkitError, type FairkitWarning, messages } from "../core/errors.js";
import { type GroupReference, type Level, findGroup, groupTuple, singleLevelWarnings } from "../core/groups.js";
import type { Interval } from "../core/intervals.js";
import type { GapIntervalMethod, GroupResult, GroupSlice, IntervalMethod } from "../core/metric-frame.js";
import { AUDIT_SCHEMA_VERSION } from "../schemas/audit.js";
import { VERSION } from "../version.js";
import { DECISION_MEANINGS, type DecisionMeaning } from "./decision.js";
import { DEFAULTS } from "../core/defaults.js";

export { AUDIT_SCHEMA_VERSION };

/** The metrics an audit shows by default, in table order. */
export const DEFAULT_AUDIT_METRICS: readonly string[] = Object.freeze([
  "base_rate",
  "selection_rate",
  "true_positive_rate",
  "false_positive_rate",
  "false_negative_rate",
  "positive_predictive_value",
  "accuracy",
]);

/** Pass/fail tolerances: every difference must be at most `difference`, every ratio at least `ratio`. */
export interface AuditTolerances {
  /** Default 0.1. */
  difference: number;
  /** Default 0.8 (the four-fifths rule). */
  ratio: number;
}

/** Default tolerances. */
export const DEFAULT_TOLERANCES: Readonly<AuditTolerances> = Object.freeze({
  difference: DEFAULTS.maxDifference,
  ratio: DEFAULTS.minRatio,
});

/** What was audited. Columns are null when not used. */
export interface AuditInput {
  /** A file path, `"demo"`, or a description of the data given. */
  source: string;
  /** File format when read from a file, else null. */
  format: string | null;
  /** Rows audited (after `where`). */
  rows: number;
  where: string | null;
  y_true: string;
  y_pred: string | null;
  score: string | null;
  /** With `score`: positive when score ≥ threshold. */
  threshold: number | null;
  sensitive: string[];
  weight: string | null;
  pos_label: string | null;
  /** The decision column's positive value, when it is not 0/1 or true/false (null: 0/1, or the same as `pos_label`). */
  pred_pos_label: string | null;
  /** Missing values per column used (sensitive rows with a missing value form the group "(missing)"). */
  nulls: Record<string, number>;
}

/** One group (or the overall row, whose `group` is `[]` and label `"overall"`). */
export interface AuditGroup {
  /** The group's identity: its values, one per sensitive column in `input.sensitive` order (null = missing). */
  group: (Level | null)[];
  /** Display label derived from `group` (see `groupLabel`). */
  label: string;
  /** Rows (unweighted). */
  n: number;
  /** Sum of weights (equals `n` without weights). */
  weight: number;
  /** Fewer rows than `settings.min_group_size`: too small to conclude anything. */
  small: boolean;
  /** Metric name → value, null when undefined (empty denominator). */
  metrics: Record<string, number | null>;
  /** Metric name → [low, high] at `settings.level`; null ends when undefined. */
  intervals: Record<string, [number | null, number | null]>;
}

/** A criterion's check against its tolerance. */
export interface CriterionCheck {
  value: number | null;
  /** `<=` for differences, `>=` for ratios. */
  rule: "<=" | ">=";
  tolerance: number;
  /** null when the value is undefined (the check cannot be made). */
  pass: boolean | null;
}

/**
 * Which two groups set a criterion, and its interval. `groups` is `[a, b]`: a difference is a − b
 * (a the higher), a ratio a / b (a the lower). The interval is the bootstrap's (percentiles of the
 * criterion itself, recomputed per replicate) when the audit bootstraps, else Newcombe's (a
 * difference) or MOVER's (a ratio) for the named pair, which is conditional on that pair being
 * the extreme one: it does not count the choosing of the pair among many groups.
 */
export interface AuditGap {
  /** The metric compared; for equalized odds the worse part (`true_positive_rate` or `false_positive_rate`). */
  metric: string;
  /** The criterion's value, as in `criteria`. */
  value: number | null;
  groups: [(Level | null)[], (Level | null)[]] | null;
  /** At `settings.level`; null when none can be given. */
  interval: [number | null, number | null] | null;
  interval_method: GapIntervalMethod | null;
}

/** A warning as the audit JSON writes it: the group, when one is to blame, as its tuple. */
export interface AuditWarning {
  code: FairkitWarning["code"] | string;
  message: string;
  group?: (Level | null)[];
  metric?: string;
}

/** The audit JSON (`kind: "fairkit.audit"`, schema version 2). */
export interface AuditResult {
  kind: "fairkit.audit";
  schema_version: typeof AUDIT_SCHEMA_VERSION;
  tool: { name: "fairkit"; version: string };
  input: AuditInput;
  settings: {
    metrics: string[];
    intervals: IntervalMethod;
    level: number;
    min_group_size: number;
    /** How differences and ratios compare groups; `reference` is the reference group's tuple with `to_reference`. */
    disparity: { method: DisparityMethod; reference: (Level | null)[] | null };
    tolerances: AuditTolerances;
    /** Equalized odds combines its TPR and FPR parts by taking the worse. */
    equalized_odds_agg: "worst";
    /**
     * Which groups the criteria compare: `sufficient` (default) leaves out groups flagged `small`,
     * whose rates are too noisy to compare (they stay in `groups`, and `criteria_excluded` names
     * them); `all` compares every group.
     */
    criteria_groups: "sufficient" | "all";
    /**
     * What the positive decision means for the people decided about: `favourable` (a benefit) or
     * `unfavourable` (a burden). Findings take their direction from it (four-fifths, LL144).
     */
    positive_decision: DecisionMeaning;
  };
  overall: AuditGroup;
  groups: AuditGroup[];
  /** Criterion summary name (e.g. `equalized_odds_difference`) → value, null when undefined. */
  criteria: Record<CriterionSummaryName, number | null>;
  /** Criterion summary name → the two groups that set it and its interval. */
  gaps: Record<CriterionSummaryName, AuditGap>;
  /** The small groups the criteria leave out, as tuples (empty with `criteria_groups: "all"`). */
  criteria_excluded: (Level | null)[][];
  /** Each criterion against its tolerance. */
  checks: Record<CriterionSummaryName, CriterionCheck>;
  /** True when every check passes, false when one fails, null when none fails but one is undefined. */
  passed: boolean | null;
  warnings: AuditWarning[];
}

/** Options of {@link buildAuditResult}. */
export interface BuildAuditOptions {
  input: AuditInput;
  /** The settings the frame was built with (defaults: wilson, 0.95, 30). */
  intervals?: IntervalMethod;
  level?: number;
  minGroupSize?: number;
  /** Compare every group to this group (its label, e.g. `"Caucasian"` or `"Caucasian, Male"`, its values or its tuple) instead of max − min and min / max. */
  reference?: GroupReference;
  tolerances?: Partial<AuditTolerances>;
  /** Extra warnings (e.g. from reading the input), listed first. */
  warnings?: FairkitWarning[];
  /** Compare every group in the criteria, small ones too (default false: small groups are left out and named). */
  includeSmallGroups?: boolean;
  /** What the positive decision means: `favourable` (default, a benefit) or `unfavourable` (a burden). */
  positiveDecision?: DecisionMeaning;
}

function positiveDecisionOf(meaning: DecisionMeaning | undefined): DecisionMeaning {
  if (meaning === undefined) return "favourable";
  if (!DECISION_MEANINGS.includes(meaning)) {
    throw new FairkitError("BAD_ARGUMENT", messages.unknownDecisionMeaning(meaning, DECISION_MEANINGS), {
      argument: "positiveDecision",
    });
  }
  return meaning;
}

function finite(x: number): number | null {
  return Number.isNaN(x) ? null : x;
}

function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

/**
 * A criterion's gap: its metric's (for equalized odds, the worse part's) groups and interval over
 * the groups the criteria compare, with the value the criteria state.
 */
function criterionGap(
  frame: GroupSlice,
  criterion: CriterionName,
  kind: "difference" | "ratio",
  value: number | null,
  options: { method: DisparityMethod; reference: GroupResult["group"] | undefined; groups: "all" | "sufficient" },
  columns: readonly string[],
): AuditGap {
  const parts = CRITERIA[criterion].map((metric) => ({
    metric,
    detail: frame.gap(metric, {
      method: options.method,
      ...(options.reference ? { reference: options.reference } : {}),
      groups: options.groups,
    })[kind],
  }));
  // As the criteria combine them: undefined if a part is; else the larger difference, the smaller ratio.
  type Part = (typeof parts)[number];
  const worse = (a: Part, b: Part): Part =>
    (kind === "difference" ? b.detail.value > a.detail.value : b.detail.value < a.detail.value) ? b : a;
  const part = parts.find((p) => Number.isNaN(p.detail.value)) ?? parts.reduce(worse);
  const { groups, interval, intervalMethod } = part.detail;
  const defined = value !== null && groups !== null;
  return {
    metric: part.metric,
    value,
    groups: defined ? [groupTuple(groups[0].group, columns), groupTuple(groups[1].group, columns)] : null,
    interval: defined && interval ? [finiteOrNull(interval[0]), finiteOrNull(interval[1])] : null,
    interval_method: defined && interval ? intervalMethod : null,
  };
}

function groupEntry(r: GroupResult, columns: readonly string[], overall = false): AuditGroup {
  const metrics: Record<string, number | null> = {};
  for (const [name, value] of Object.entries(r.metrics)) metrics[name] = finite(value);
  const intervals: Record<string, [number | null, number | null]> = {};
  for (const [name, [lo, hi]] of Object.entries(r.intervals) as [string, Interval][])
    intervals[name] = [finite(lo), finite(hi)];
  return {
    group: overall ? [] : groupTuple(r.group, columns),
    label: r.key,
    n: r.n,
    weight: r.weight,
    small: r.small,
    metrics,
    intervals,
  };
}

/**
 * Assembles the audit JSON from a frame and its counts.
 *
 * @example
 * const mf = MetricFrame.fromCounts(counts, { metrics: DEFAULT_AUDIT_METRICS });
 * const result = buildAuditResult(mf, { input: { source: "demo", format: null, rows: 4000, where: null, y_true: "y", y_pred: null,
 *   score: "score", threshold: 0.5, sensitive: ["group"], weight: null, pos_label: null, pred_pos_label: null, nulls: {} } });
 * result.criteria.demographic_parity_ratio; // e.g. 0.52
 */
export function buildAuditResult(
  frame: GroupSlice & { counts: ConfusionTable },
  options: BuildAuditOptions,
): AuditResult {
  const tolerances: AuditTolerances = { ...DEFAULT_TOLERANCES, ...(options.tolerances ?? {}) };
  const method: DisparityMethod = options.reference === undefined ? "between_groups" : "to_reference";
  // A 2-person group's rate can be anything from 0 to 1; letting it set max − min would make every
  // criterion fail on noise. Small groups stay in the table, flagged, and are named as left out.
  const includeAll = options.includeSmallGroups === true;
  const compared = frame.byGroup.flatMap((g, i) => (includeAll || !g.small ? [i] : []));
  const excluded = includeAll ? [] : frame.byGroup.filter((g) => g.small);
  const columns = options.input.sensitive;
  // The reference, resolved once: by label, values or tuple (findGroup's message lists the groups).
  const ref =
    options.reference === undefined
      ? undefined
      : frame.byGroup[
          findGroup(
            frame.byGroup.map((g) => ({ key: g.key, values: g.group })),
            options.reference,
          )
        ];
  const extraWarnings: FairkitWarning[] = [];
  if (excluded.length > 0) {
    if (ref?.small && !includeAll) {
      throw new FairkitError(
        "BAD_ARGUMENT",
        messages.smallReference(ref.key, ref.n, options.minGroupSize ?? DEFAULTS.minGroupSize),
        { argument: "reference" },
      );
    }
    extraWarnings.push({
      code: "EXCLUDED_FROM_DISPARITY",
      message: `the criteria compare the ${compared.length} groups with at least ${options.minGroupSize ?? DEFAULTS.minGroupSize} rows; left out as too small: ${excluded
        .slice(0, 20)
        .map((g) => `${JSON.stringify(g.key)} (${g.n})`)
        .join(", ")}${excluded.length > 20 ? ` and ${excluded.length - 20} more (all in criteria_excluded)` : ""}`,
    });
  }
  const counts = excluded.length > 0 ? selectGroups(frame.counts, compared) : frame.counts;
  const summary = criteriaSummary(counts, ref ? { method, reference: ref.group } : { method });
  const criteria = {} as Record<CriterionSummaryName, number | null>;
  const gaps = {} as Record<CriterionSummaryName, AuditGap>;
  const checks = {} as Record<CriterionSummaryName, CriterionCheck>;
  const gapOptions = { method, reference: ref?.group, groups: includeAll ? ("all" as const) : ("sufficient" as const) };
  let anyFail = false;
  let anyUndefined = false;
  for (const criterion of Object.keys(CRITERIA) as CriterionName[]) {
    for (const kind of ["difference", "ratio"] as const) {
      const name: CriterionSummaryName = `${criterion}_${kind}`;
      const value = finite(summary[name]);
      criteria[name] = value;
      gaps[name] = criterionGap(frame, criterion, kind, value, gapOptions, columns);
      const tolerance = kind === "difference" ? tolerances.difference : tolerances.ratio;
      const pass = value === null ? null : kind === "difference" ? value <= tolerance : value >= tolerance;
      if (pass === false) anyFail = true;
      if (pass === null) anyUndefined = true;
      checks[name] = { value, rule: kind === "difference" ? "<=" : ">=", tolerance, pass };
    }
  }
  // Warnings name their group by its tuple in the JSON; the label is in the message.
  const byLabel = new Map(frame.byGroup.map((g) => [g.key, g]));
  const warning = (w: FairkitWarning): AuditWarning => {
    const g = w.group === undefined ? undefined : byLabel.get(w.group);
    return {
      code: w.code,
      message: w.message,
      ...(g ? { group: groupTuple(g.group, columns) } : {}),
      ...(w.metric !== undefined ? { metric: w.metric } : {}),
    };
  };
  return {
    kind: "fairkit.audit",
    schema_version: AUDIT_SCHEMA_VERSION,
    tool: { name: "fairkit", version: VERSION },
    input: { ...options.input, sensitive: [...options.input.sensitive], nulls: { ...options.input.nulls } },
    settings: {
      metrics: [...frame.metricNames],
      intervals: options.intervals ?? "wilson",
      level: options.level ?? DEFAULTS.level,
      min_group_size: options.minGroupSize ?? DEFAULTS.minGroupSize,
      disparity: { method, reference: ref ? groupTuple(ref.group, columns) : null },
      tolerances,
      equalized_odds_agg: "worst",
      criteria_groups: includeAll ? "all" : "sufficient",
      positive_decision: positiveDecisionOf(options.positiveDecision),
    },
    overall: groupEntry(frame.overall, columns, true),
    groups: frame.byGroup.map((g) => groupEntry(g, columns)),
    criteria,
    gaps,
    criteria_excluded: excluded.map((g) => groupTuple(g.group, columns)),
    checks,
    passed: anyFail ? false : anyUndefined ? null : true,
    warnings: [
      ...singleLevelWarnings({ columns, groups: frame.byGroup.map((g) => ({ key: g.key, values: g.group })) }),
      ...(options.warnings ?? []),
      ...frame.warnings,
      ...extraWarnings,
    ].map(warning),
  };
}

/** The numbers a `--fail-on` gate can name: every criterion, and `overall.<metric>`. */
export function gateValues(result: AuditResult): Record<string, number | null> {
  const out: Record<string, number | null> = { ...result.criteria };
  for (const [name, value] of Object.entries(result.overall.metrics)) out[`overall.${name}`] = value;
  return out;
}
