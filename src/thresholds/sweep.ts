/**
 * Threshold sweeps: any metric of the core metric table, per group, at every distinct threshold,
 * exactly, from the score tables' cumulative sums (O(m) per group after the O(n log n) build).
 */
import { type ConfusionTable, GROUP_STRIDE } from "../core/confusion.js";
import { FairkitError, messages } from "../core/errors.js";
import { type ZeroDivision, evaluateMetric, metricSpec } from "../core/metrics.js";
import {
  type GroupScores,
  type ScoreTable,
  cellsFromPrefix,
  decisionIndex,
  prefixSums,
  thresholdOf,
} from "./score-table.js";

/** One group's sweep: the metric at each of its m + 1 decisions (k = 0 … m). */
export interface GroupSweep {
  key: string;
  /** Canonical threshold of each decision: s_0 … s_{m−1}, then +∞ (no one positive). */
  thresholds: Float64Array;
  /** The metric at each decision (NaN where its denominator is empty). */
  values: Float64Array;
}

/**
 * Sweeps one group: the metric at every decision.
 * @example
 * const table = scoreTable({ scores: [1, 2, 2, 3], yTrue: [0, 0, 1, 1], sensitiveFeatures: ["a", "a", "a", "a"] });
 * sweepGroup(table.perGroup[0], "true_positive_rate").values; // [1, 1, 0.5, 0]
 */
export function sweepGroup(
  group: GroupScores,
  metric: string,
  zeroDivision: ZeroDivision = "nan",
): { thresholds: Float64Array; values: Float64Array } {
  const spec = metricSpec(metric);
  const prefix = prefixSums(group);
  const m = group.scores.length;
  const thresholds = new Float64Array(m + 1);
  const values = new Float64Array(m + 1);
  for (let k = 0; k <= m; k++) thresholds[k] = thresholdOf(group, k);
  if (spec.kind === "proportion") {
    // Fast path, same formula: weighted numerator cells over weighted denominator cells.
    const N = prefix[6 * m];
    const P = prefix[6 * m + 3];
    const undefinedValue = zeroDivision === "nan" ? Number.NaN : zeroDivision;
    for (let k = 0; k <= m; k++) {
      const tn = prefix[6 * k];
      const fn = prefix[6 * k + 3];
      const w = [tn, N - tn, fn, P - fn];
      let num = 0;
      let den = 0;
      for (let c = 0; c < 4; c++) {
        if (spec.numerator & (1 << c)) num += w[c];
        if (spec.denominator & (1 << c)) den += w[c];
      }
      values[k] = den === 0 ? undefinedValue : num / den;
    }
    return { thresholds, values };
  }
  const cells = new Float64Array(GROUP_STRIDE);
  for (let k = 0; k <= m; k++) values[k] = evaluateMetric(spec, cellsFromPrefix(prefix, k, cells), zeroDivision);
  return { thresholds, values };
}

/** Sweeps every group of a score table. */
export function sweepMetric(table: ScoreTable, metric: string, zeroDivision: ZeroDivision = "nan"): GroupSweep[] {
  return table.perGroup.map((group, g) => ({ key: table.groups[g].key, ...sweepGroup(group, metric, zeroDivision) }));
}

/** A threshold for every group, or one per group by key. */
export type ThresholdsInput = number | Readonly<Record<string, number>>;

/** The threshold of group `key` from a {@link ThresholdsInput}; throws if a per-group map lacks it. */
export function thresholdFor(thresholds: ThresholdsInput, key: string): number {
  if (typeof thresholds === "number") return thresholds;
  const t = thresholds[key];
  if (typeof t !== "number") {
    throw new FairkitError("UNKNOWN_GROUP", messages.noThresholdForGroup(key, Object.keys(thresholds)), {
      argument: "thresholds",
    });
  }
  return t;
}

/**
 * Confusion counts of every group at the given thresholds, as a core ConfusionTable: every
 * metric, criterion and MetricFrame function of src/core applies to it unchanged.
 * @example
 * const counts = confusionAtThresholds(table, { "African-American": 5, Caucasian: 5 });
 * criterionFromCounts(counts, "equalized_odds", "difference");
 */
export function confusionAtThresholds(table: ScoreTable, thresholds: ThresholdsInput): ConfusionTable {
  const data = new Float64Array(table.groups.length * GROUP_STRIDE);
  table.perGroup.forEach((group, g) => {
    const k = decisionIndex(group, thresholdFor(thresholds, table.groups[g].key));
    cellsFromPrefix(prefixSums(group), k, data.subarray(g * GROUP_STRIDE, (g + 1) * GROUP_STRIDE));
  });
  return { columns: [...table.columns], groups: table.groups, data };
}

/** A metric per group at the given thresholds. */
export function metricAtThresholds(
  table: ScoreTable,
  metric: string,
  thresholds: ThresholdsInput,
  zeroDivision: ZeroDivision = "nan",
): Record<string, number> {
  const spec = metricSpec(metric);
  const counts = confusionAtThresholds(table, thresholds);
  const out: Record<string, number> = {};
  table.groups.forEach((info, g) => {
    out[info.key] = evaluateMetric(spec, counts.data.subarray(g * GROUP_STRIDE, (g + 1) * GROUP_STRIDE), zeroDivision);
  });
  return out;
}
