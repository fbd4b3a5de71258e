/**
 * Deterministic per-group thresholds that equalise a metric (selection rate, TPR, FPR, PPV, …) as
 * closely as possible while maximising accuracy or balanced accuracy, and the gap that remains.
 *
 * Exact search: both objectives are sums of per-group terms, and "every group's value within a
 * window [L, L + tolerance]" decouples the groups once L is fixed. The optimum's smallest value is
 * one of the achievable values, so trying every achievable L (with a sliding-window maximum per
 * group over its decisions sorted by value) finds it in O(M log M + M·G) for M decisions in all.
 * With tolerance 0 (the default) the smallest achievable gap is found first (deterministic
 * thresholds on tied scores can rarely equalise exactly) and the objective maximised at that gap.
 */
import { GROUP_STRIDE } from "../core/confusion.js";
import { FairkitError } from "../core/errors.js";
import { evaluateMetric, metricSpec } from "../core/metrics.js";
import { type ScoreTable, cellsFromPrefix, groupTotals, prefixSums, thresholdOf } from "./score-table.js";
import type { ThresholdObjective } from "./threshold-optimizer.js";

/** Options of {@link equalizeThresholds}. */
export interface EqualizeOptions {
  /** Default `accuracy`. */
  objective?: ThresholdObjective;
  /** Largest allowed max − min of the metric across groups; default 0 (as close as possible). */
  tolerance?: number;
}

/** Result of {@link equalizeThresholds}. */
export interface EqualizeResult {
  metric: string;
  objective: ThresholdObjective;
  /** Per group: the threshold (`score >= threshold` positive) and the metric's value there. */
  groups: { key: string; threshold: number; value: number }[];
  /** max − min of the metric across groups at these thresholds. */
  gap: number;
  /** The objective (overall, weighted) at these thresholds. */
  objectiveValue: number;
  /** The tolerance asked for; when smaller than the smallest achievable gap, the gap is used instead. */
  tolerance: number;
  /** False when the tolerance asked for could not be met. */
  withinTolerance: boolean;
}

interface Candidate {
  value: number;
  gain: number;
  k: number;
}

function candidatesOf(table: ScoreTable, metric: string, objective: ThresholdObjective): Candidate[][] {
  const spec = metricSpec(metric);
  const totals = table.perGroup.map((g) => groupTotals(g));
  const P = totals.reduce((s, t) => s + t.positives, 0);
  const N = totals.reduce((s, t) => s + t.negatives, 0);
  const cells = new Float64Array(GROUP_STRIDE);
  return table.perGroup.map((group) => {
    const prefix = prefixSums(group);
    const out: Candidate[] = [];
    for (let k = 0; k <= group.scores.length; k++) {
      cellsFromPrefix(prefix, k, cells);
      const value = evaluateMetric(spec, cells);
      if (Number.isNaN(value)) continue;
      const tn = cells[0];
      const tp = cells[9];
      const gain = objective === "accuracy" ? (tn + tp) / (P + N) : (P > 0 ? tp / (2 * P) : 0) + (N > 0 ? tn / (2 * N) : 0);
      out.push({ value, gain, k });
    }
    return out.sort((a, b) => a.value - b.value || b.k - a.k);
  });
}

/** Smallest max − min over one value from each group (classic smallest covering range). */
function smallestGap(lists: Candidate[][]): number {
  const idx = lists.map(() => 0);
  let best = Number.POSITIVE_INFINITY;
  for (;;) {
    let lo = 0;
    let hi = Number.NEGATIVE_INFINITY;
    for (let g = 0; g < lists.length; g++) {
      const v = lists[g][idx[g]].value;
      if (v < lists[lo][idx[lo]].value) lo = g;
      if (v > hi) hi = v;
    }
    best = Math.min(best, hi - lists[lo][idx[lo]].value);
    if (++idx[lo] >= lists[lo].length) return best;
  }
}

function search(lists: Candidate[][], tolerance: number): { total: number; pick: Candidate[] } | undefined {
  const G = lists.length;
  const starts = [...new Set(lists.flatMap((l) => l.map((c) => c.value)))].sort((a, b) => a - b);
  const heads = lists.map(() => 0); // next candidate to enter the window
  const deques: number[][] = lists.map(() => []);
  const dequeStart = lists.map(() => 0);
  let best: { total: number; pick: Candidate[] } | undefined;
  const slack = 1e-12;
  for (const L of starts) {
    let total = 0;
    const pick: Candidate[] = [];
    let feasible = true;
    for (let g = 0; g < G; g++) {
      const list = lists[g];
      const dq = deques[g];
      while (heads[g] < list.length && list[heads[g]].value <= L + tolerance + slack) {
        const c = heads[g]++;
        while (dq.length > dequeStart[g] && list[dq[dq.length - 1]].gain <= list[c].gain) dq.pop();
        dq.push(c);
      }
      while (dequeStart[g] < dq.length && list[dq[dequeStart[g]]].value < L) dequeStart[g]++;
      if (dequeStart[g] >= dq.length) {
        feasible = false;
        continue;
      }
      const c = list[dq[dequeStart[g]]];
      total += c.gain;
      pick.push(c);
    }
    if (feasible && (!best || total > best.total)) best = { total, pick };
  }
  return best;
}

/**
 * Deterministic thresholds per group equalising `metric` as closely as possible (or within
 * `tolerance`) while maximising the objective.
 * @example
 * const r = equalizeThresholds(table, "positive_predictive_value", { tolerance: 0.02 });
 * r.groups; // [{ key: "a", threshold: 6, value: 0.64 }, …]; r.gap ≤ 0.02 when reachable
 */
export function equalizeThresholds(table: ScoreTable, metric: string, options: EqualizeOptions = {}): EqualizeResult {
  const objective = options.objective ?? "accuracy";
  if (objective !== "accuracy" && objective !== "balanced_accuracy") {
    throw new FairkitError("BAD_ARGUMENT", `unknown objective ${JSON.stringify(objective)}; known: accuracy, balanced_accuracy`, { argument: "objective" });
  }
  const tolerance = options.tolerance ?? 0;
  if (!(tolerance >= 0)) throw new FairkitError("BAD_ARGUMENT", `tolerance must be a number >= 0; got ${options.tolerance}`, { argument: "tolerance" });
  const spec = metricSpec(metric);
  const lists = candidatesOf(table, spec.name, objective);
  lists.forEach((l, g) => {
    if (l.length === 0) throw new FairkitError("BAD_ARGUMENT", `${spec.name} is undefined at every threshold in group ${JSON.stringify(table.groups[g].key)}`, { argument: "metric" });
  });
  let used = tolerance;
  let found = search(lists, tolerance);
  if (!found) {
    used = smallestGap(lists);
    found = search(lists, used)!;
  }
  const values = found.pick.map((c) => c.value);
  return {
    metric: spec.name,
    objective,
    groups: found.pick.map((c, g) => ({ key: table.groups[g].key, threshold: thresholdOf(table.perGroup[g], c.k), value: c.value })),
    gap: Math.max(...values) - Math.min(...values),
    objectiveValue: found.total,
    tolerance,
    withinTolerance: used === tolerance,
  };
}
