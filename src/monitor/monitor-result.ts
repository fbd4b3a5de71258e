/**
 * The monitor document (`fairkit.monitor`, schema version 1): per time window, per group, the
 * label-free numbers (size, share of the window, selection rate, score drift) for every window
 * and the label-based ones (base rate, error rates, the criteria other than demographic parity)
 * where the window has labelled rows, each compared with the reference; then the alerts the rules
 * fire. Every metric, interval and criterion comes from the engine (`MetricFrame.fromCounts`,
 * `buildAuditResult`, `GroupSlice.gap`, Newcombe's interval); this file only arranges them by
 * window and takes differences to the reference.
 *
 * Browser-safe: no Node built-ins.
 */
import { type AuditInput, buildAuditResult, DEFAULT_AUDIT_METRICS, DEFAULT_TOLERANCES } from "../audit/audit-result.js";
import type { AuditTolerances } from "../audit/audit-result.js";
import { type ConfusionTable, groupCells } from "../core/confusion.js";
import { CRITERIA, type CriterionName, type CriterionSummaryName } from "../core/criteria.js";
import { DEFAULTS } from "../core/defaults.js";
import { FairkitError, messages } from "../core/errors.js";
import { type Level, groupTuple } from "../core/groups.js";
import { newcombeInterval, proportionOfCells, type Proportion } from "../core/intervals.js";
import { MetricFrame } from "../core/metric-frame.js";
import { metricSpec } from "../core/metrics.js";
import { MONITOR_SCHEMA_VERSION } from "../schemas/monitor.js";
import { VERSION } from "../version.js";
import { scoreDrift } from "./drift.js";
import { type AlertEvent, type AlertRule, evaluateRules } from "./rules.js";
import { mergeWindowCounts, type ReferenceSpec, type WindowCounts, type WindowSpec } from "./windows.js";

export { MONITOR_SCHEMA_VERSION };

/** Metrics computed from every row (no label needed). */
export const LABEL_FREE_METRICS: readonly string[] = Object.freeze(["selection_rate"]);

type Pair = [number | null, number | null];

/** A change from the reference: window − reference, with Newcombe's interval at `settings.level`. */
export interface MonitorChange {
  value: number | null;
  interval: Pair | null;
}

/** One group in one window (or in the reference). */
export interface MonitorGroup {
  group: (Level | null)[];
  label: string;
  /** Rows, and rows with a label. */
  n: number;
  labelled_n: number;
  /** Fewer rows than `settings.min_group_size` (labelled rows for label-based metrics: see `labelled_small`). */
  small: boolean;
  labelled_small: boolean;
  /** The group's share of the window's rows (weighted). */
  share: number | null;
  /** Metric → value; `selection_rate` from every row, the others from the labelled rows (null without). */
  metrics: Record<string, number | null>;
  intervals: Record<string, Pair>;
  /** Measure (`share` and each proportion metric) → change from the reference; absent in the reference itself. */
  changes?: Record<string, MonitorChange>;
  /** Score drift from the group's reference scores; null without a score or without rows on either side. */
  drift?: { psi: number | null; js: number | null; ks: number | null } | null;
}

/** One criterion in one window. */
export interface MonitorCriterion {
  value: number | null;
  /** The gap's interval (Newcombe for a difference, MOVER for a ratio, of the two groups that set it). */
  interval: Pair | null;
  groups: [(Level | null)[], (Level | null)[]] | null;
  /** What it was computed on: `all` rows (demographic parity) or the `labelled` rows. */
  rows: "all" | "labelled";
  /** Against `settings.tolerances`; null when undefined. */
  pass: boolean | null;
  /** value − the reference's value; absent in the reference itself. */
  change?: number | null;
}

/** One window (or the reference). */
export interface MonitorWindow {
  /** ISO 8601, UTC; the window is [start, end). */
  start: string;
  end: string;
  rows: number;
  labelled_rows: number;
  in_reference: boolean;
  groups: MonitorGroup[];
  criteria: Record<CriterionSummaryName, MonitorCriterion>;
  warnings: string[];
}

/** The monitor document. */
export interface MonitorResult {
  kind: "fairkit.monitor";
  schema_version: typeof MONITOR_SCHEMA_VERSION;
  tool: { name: "fairkit"; version: string };
  input: Omit<AuditInput, "nulls" | "pred_pos_label"> & { time: string };
  settings: {
    window: string;
    reference: { kind: "first" } | { kind: "period"; start: string; end: string };
    metrics: string[];
    level: number;
    min_group_size: number;
    tolerances: AuditTolerances;
    /** Score bins: edges fixed from the reference (`rule`); null without a score. */
    bins: { rule: string; edges: number[] } | null;
    rules: AlertRule[];
  };
  reference: Omit<MonitorWindow, "in_reference"> & { windows: number };
  windows: MonitorWindow[];
  alerts: AlertEvent[];
}

/** Options of {@link buildMonitorResult}. */
export interface MonitorOptions {
  input: MonitorResult["input"];
  window: WindowSpec;
  reference: ReferenceSpec;
  /** Default: the audit's. Label-based proportion metrics besides `selection_rate`. */
  metrics?: readonly string[];
  level?: number;
  minGroupSize?: number;
  tolerances?: Partial<AuditTolerances>;
  bins?: { rule: string; edges: number[] } | null;
  rules?: readonly AlertRule[];
}

const iso = (ms: number) => new Date(ms).toISOString();
const num = (x: number) => (Number.isFinite(x) ? x : null);
const pairOf = (i: readonly [number, number] | null): Pair | null => (i ? [num(i[0]), num(i[1])] : null);

function weightOf(table: ConfusionTable): { weight: number; weight2: number } {
  let weight = 0;
  let weight2 = 0;
  for (let k = 0; k < table.data.length; k += 3) {
    weight += table.data[k];
    weight2 += table.data[k + 1];
  }
  return { weight, weight2 };
}

function rowsOf(table: ConfusionTable, g?: number): number {
  const data = g === undefined ? table.data : groupCells(table, g);
  let rows = 0;
  for (let k = 2; k < data.length; k += 3) rows += data[k];
  return rows;
}

/** A group's share of the table as a proportion on the table's effective rows. */
function shareOf(table: ConfusionTable, key: string): Proportion {
  const total = weightOf(table);
  if (total.weight === 0) return { p: Number.NaN, n: 0 };
  const g = table.groups.findIndex((x) => x.key === key);
  let w = 0;
  if (g >= 0) for (let k = 0; k < 12; k += 3) w += groupCells(table, g)[k];
  return { p: w / total.weight, n: (total.weight * total.weight) / total.weight2 };
}

function metricProportion(table: ConfusionTable, key: string, metric: string): Proportion {
  const spec = metricSpec(metric);
  const g = table.groups.findIndex((x) => x.key === key);
  if (g < 0 || spec.kind !== "proportion") return { p: Number.NaN, n: 0 };
  return proportionOfCells(spec, groupCells(table, g));
}

function change(a: Proportion, b: Proportion, level: number): MonitorChange {
  if (!(a.n > 0 && b.n > 0) || Number.isNaN(a.p) || Number.isNaN(b.p)) return { value: null, interval: null };
  return { value: num(a.p - b.p), interval: pairOf(newcombeInterval(a, b, level)) };
}

interface Settings {
  metrics: string[];
  level: number;
  minGroupSize: number;
  tolerances: AuditTolerances;
  input: MonitorResult["input"];
}

/** The numbers of one window (or of the reference, when `ref` is undefined). */
function windowEntry(
  w: WindowCounts,
  end: number,
  groupOrder: { key: string; tuple: (Level | null)[] }[],
  s: Settings,
  ref?: WindowCounts,
): Omit<MonitorWindow, "in_reference"> {
  const common = { level: s.level, minGroupSize: s.minGroupSize };
  const decisionFrame =
    w.decisions.groups.length > 0
      ? MetricFrame.fromCounts(w.decisions, { metrics: LABEL_FREE_METRICS, ...common })
      : null;
  const labelledRows = rowsOf(w.labelled);
  const labelFrame =
    labelledRows > 0 ? MetricFrame.fromCounts(w.labelled, { metrics: s.metrics, ...common }) : undefined;
  const audit = labelFrame
    ? buildAuditResult(labelFrame, {
        input: { ...s.input, rows: labelledRows, nulls: {}, pred_pos_label: null },
        level: s.level,
        minGroupSize: s.minGroupSize,
        tolerances: s.tolerances,
      })
    : undefined;
  const groups: MonitorGroup[] = [];
  for (const { key, tuple } of groupOrder) {
    const d = decisionFrame?.byGroup.find((g) => g.key === key);
    const l = labelFrame?.byGroup.find((g) => g.key === key);
    const inRef = ref?.decisions.groups.some((g) => g.key === key) ?? false;
    if (!d && !l && !inRef) continue;
    const metrics: Record<string, number | null> = {};
    const intervals: Record<string, Pair> = {};
    for (const m of [...LABEL_FREE_METRICS, ...s.metrics.filter((m) => !LABEL_FREE_METRICS.includes(m))]) {
      const from = LABEL_FREE_METRICS.includes(m) ? d : l;
      metrics[m] = from ? num(from.metrics[m]) : null;
      const interval = from?.intervals[m];
      if (interval) intervals[m] = [num(interval[0]), num(interval[1])];
    }
    const entry: MonitorGroup = {
      group: tuple,
      label: key,
      n: d?.n ?? 0,
      labelled_n: l?.n ?? 0,
      small: (d?.n ?? 0) < s.minGroupSize,
      labelled_small: (l?.n ?? 0) < s.minGroupSize,
      share: num(shareOf(w.decisions, key).p),
      metrics,
      intervals,
    };
    if (ref) {
      const changes: Record<string, MonitorChange> = {
        share: change(shareOf(w.decisions, key), shareOf(ref.decisions, key), s.level),
      };
      for (const m of Object.keys(metrics)) {
        if (metricSpec(m).kind !== "proportion") continue;
        const table = LABEL_FREE_METRICS.includes(m) ? "decisions" : "labelled";
        changes[m] = change(metricProportion(w[table], key, m), metricProportion(ref[table], key, m), s.level);
      }
      entry.changes = changes;
      const a = ref.scores?.[key];
      const b = w.scores?.[key];
      if (w.scores === undefined) entry.drift = null;
      else if (a && b) {
        const drift = scoreDrift(a, b);
        entry.drift = Number.isNaN(drift.psi) ? null : { psi: num(drift.psi), js: num(drift.js), ks: num(drift.ks) };
      } else entry.drift = null;
    }
    groups.push(entry);
  }
  const criteria = {} as Record<CriterionSummaryName, MonitorCriterion>;
  for (const criterion of Object.keys(CRITERIA) as CriterionName[]) {
    for (const kind of ["difference", "ratio"] as const) {
      const name: CriterionSummaryName = `${criterion}_${kind}`;
      const tolerance = kind === "difference" ? s.tolerances.difference : s.tolerances.ratio;
      const passOf = (v: number | null) =>
        v === null ? null : kind === "difference" ? v <= tolerance : v >= tolerance;
      if (criterion === "demographic_parity") {
        const detail = decisionFrame?.gap("selection_rate", { groups: "sufficient" })[kind];
        const value = detail ? num(detail.value) : null;
        criteria[name] = {
          value,
          interval: value === null ? null : pairOf(detail?.interval ?? null),
          groups:
            value === null || !detail?.groups
              ? null
              : [
                  groupTuple(detail.groups[0].group, w.decisions.columns),
                  groupTuple(detail.groups[1].group, w.decisions.columns),
                ],
          rows: "all",
          pass: passOf(value),
        };
      } else {
        const gap = audit?.gaps[name];
        const value = gap?.value ?? null;
        criteria[name] = {
          value,
          interval: gap?.interval ?? null,
          groups: gap?.groups ?? null,
          rows: "labelled",
          pass: passOf(value),
        };
      }
    }
  }
  return {
    start: iso(w.start),
    end: iso(end),
    rows: rowsOf(w.decisions),
    labelled_rows: labelledRows,
    groups,
    criteria,
    warnings: audit ? audit.warnings.map((x) => x.message) : [],
  };
}

/** The input block, field by field (a caller's object may carry more, e.g. an audit's input). */
function inputOf(i: MonitorResult["input"]): MonitorResult["input"] {
  return {
    source: i.source,
    format: i.format,
    rows: i.rows,
    where: i.where,
    time: i.time,
    y_true: i.y_true,
    y_pred: i.y_pred,
    score: i.score,
    threshold: i.threshold,
    sensitive: [...i.sensitive],
    weight: i.weight,
    pos_label: i.pos_label,
  };
}

/**
 * The monitor document from per-window counts (in any order; each window once).
 *
 * @example
 * const result = buildMonitorResult(windows, { input, window: parseWindow("day"), reference: { kind: "first" } });
 * result.windows.map((w) => w.criteria.demographic_parity_ratio.value);
 */
export function buildMonitorResult(windows: readonly WindowCounts[], options: MonitorOptions): MonitorResult {
  if (windows.length === 0) throw new FairkitError("BAD_ARGUMENT", messages.noWindows(), { argument: "windows" });
  const sorted = [...windows].sort((a, b) => a.start - b.start);
  for (let i = 1; i < sorted.length; i++)
    if (sorted[i].start === sorted[i - 1].start)
      throw new FairkitError("BAD_ARGUMENT", messages.repeatedWindow(iso(sorted[i].start)), { argument: "windows" });
  const inReference = (w: WindowCounts) =>
    options.reference.kind === "first"
      ? w === sorted[0]
      : w.start >= options.reference.start && w.start < options.reference.end;
  const refWindows = sorted.filter(inReference);
  if (refWindows.length === 0) {
    const r = options.reference as { start: number; end: number };
    throw new FairkitError(
      "BAD_ARGUMENT",
      messages.emptyReference(iso(r.start), iso(r.end), iso(sorted[0].start), iso(sorted[sorted.length - 1].start)),
      { argument: "reference" },
    );
  }
  const ref = refWindows.reduce((a, b) => mergeWindowCounts(a, b));
  const metrics = [...(options.metrics ?? DEFAULT_AUDIT_METRICS)];
  for (const m of metrics) metricSpec(m);
  const settings: Settings = {
    metrics,
    level: options.level ?? DEFAULTS.level,
    minGroupSize: options.minGroupSize ?? DEFAULTS.minGroupSize,
    tolerances: { ...DEFAULT_TOLERANCES, ...(options.tolerances ?? {}) },
    input: options.input,
  };
  // Every group seen in any window, in the order of the merged counts (level order).
  const all = sorted.reduce((a, b) => mergeWindowCounts(a, b));
  const groupOrder = all.decisions.groups.map((g) => ({
    key: g.key,
    tuple: groupTuple(g.values, all.decisions.columns),
  }));
  const width = options.window.width;
  const refEnd = refWindows[refWindows.length - 1].start + width;
  const reference = { ...windowEntry(ref, refEnd, groupOrder, settings), windows: refWindows.length };
  const entries: MonitorWindow[] = sorted.map((w) => ({
    ...windowEntry(w, w.start + width, groupOrder, settings, ref),
    in_reference: inReference(w),
  }));
  for (const entry of entries) {
    for (const [name, c] of Object.entries(entry.criteria) as [CriterionSummaryName, MonitorCriterion][]) {
      const r = reference.criteria[name].value;
      c.change = c.value === null || r === null ? null : c.value - r;
    }
  }
  const rules = [...(options.rules ?? [])];
  const result: MonitorResult = {
    kind: "fairkit.monitor",
    schema_version: MONITOR_SCHEMA_VERSION,
    tool: { name: "fairkit", version: VERSION },
    input: inputOf(options.input),
    settings: {
      window: options.window.name,
      reference:
        options.reference.kind === "first"
          ? { kind: "first" }
          : { kind: "period", start: iso(options.reference.start), end: iso(options.reference.end) },
      metrics,
      level: settings.level,
      min_group_size: settings.minGroupSize,
      tolerances: settings.tolerances,
      bins: options.bins ?? null,
      rules,
    },
    reference,
    windows: entries,
    alerts: [],
  };
  result.alerts = evaluateRules(result, rules);
  return result;
}
