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
import { FairkitError, messages } from "../core/errors.js";
import { metricSpec } from "../core/metrics.js";
import { sortFloat64 } from "./radix-sort.js";
import { type ScoreTable, groupTotals, prefixSums, thresholdOf } from "./score-table.js";
import { sweepGroup } from "./sweep.js";
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

/** One group's defined decisions, sorted by the metric's value (ties: higher threshold first). */
interface Candidates {
  value: Float64Array;
  gain: Float64Array;
  k: Int32Array;
  length: number;
}

function candidatesOf(table: ScoreTable, metric: string, objective: ThresholdObjective): Candidates[] {
  const spec = metricSpec(metric);
  const totals = table.perGroup.map((g) => groupTotals(g));
  const P = totals.reduce((s, t) => s + t.positives, 0);
  const N = totals.reduce((s, t) => s + t.negatives, 0);
  return table.perGroup.map((group) => {
    const { values } = sweepGroup(group, spec.name);
    const prefix = prefixSums(group);
    const m = group.scores.length;
    const ks: number[] = [];
    for (let k = m; k >= 0; k--) if (!Number.isNaN(values[k])) ks.push(k);
    // Rates fall as k grows, so from k = m down they usually arrive sorted already.
    let sorted = true;
    for (let j = 1; j < ks.length && sorted; j++) if (values[ks[j]] < values[ks[j - 1]]) sorted = false;
    const order = Int32Array.from(ks);
    if (!sorted) order.sort((a, b) => values[a] - values[b] || b - a);
    const n = order.length;
    const out: Candidates = { value: new Float64Array(n), gain: new Float64Array(n), k: order, length: n };
    for (let j = 0; j < n; j++) {
      const k = order[j];
      const tn = prefix[6 * k];
      const tp = prefix[6 * m + 3] - prefix[6 * k + 3];
      out.value[j] = values[k];
      out.gain[j] =
        objective === "accuracy" ? (tn + tp) / (P + N) : (P > 0 ? tp / (2 * P) : 0) + (N > 0 ? tn / (2 * N) : 0);
    }
    return out;
  });
}

/** Smallest max − min over one value from each group (classic smallest covering range). */
function smallestGap(lists: Candidates[]): number {
  const idx = lists.map(() => 0);
  let best = Number.POSITIVE_INFINITY;
  for (;;) {
    let lo = 0;
    let hi = Number.NEGATIVE_INFINITY;
    for (let g = 0; g < lists.length; g++) {
      const v = lists[g].value[idx[g]];
      if (v < lists[lo].value[idx[lo]]) lo = g;
      if (v > hi) hi = v;
    }
    best = Math.min(best, hi - lists[lo].value[idx[lo]]);
    if (++idx[lo] >= lists[lo].length) return best;
  }
}

function search(lists: Candidates[], tolerance: number): { total: number; pick: number[] } | undefined {
  const G = lists.length;
  let all = new Float64Array(lists.reduce((s, l) => s + l.length, 0));
  let offset = 0;
  for (const l of lists) {
    all.set(l.value, offset);
    offset += l.length;
  }
  sortFloat64(all);
  let u = 0;
  for (let i = 0; i < all.length; i++) if (i === 0 || all[i] !== all[u - 1]) all[u++] = all[i];
  all = all.subarray(0, u);
  const heads = new Int32Array(G); // next candidate to enter the window
  const deques = lists.map((l) => new Int32Array(l.length));
  const front = new Int32Array(G);
  const back = new Int32Array(G);
  let best: { total: number; pick: number[] } | undefined;
  const slack = 1e-12;
  const pick = new Array<number>(G);
  for (let a = 0; a < all.length; a++) {
    const L = all[a];
    let total = 0;
    let feasible = true;
    for (let g = 0; g < G; g++) {
      const l = lists[g];
      const dq = deques[g];
      while (heads[g] < l.length && l.value[heads[g]] <= L + tolerance + slack) {
        const c = heads[g]++;
        while (back[g] > front[g] && l.gain[dq[back[g] - 1]] <= l.gain[c]) back[g]--;
        dq[back[g]++] = c;
      }
      while (front[g] < back[g] && l.value[dq[front[g]]] < L) front[g]++;
      if (front[g] >= back[g]) {
        feasible = false;
        continue;
      }
      const c = dq[front[g]];
      total += l.gain[c];
      pick[g] = c;
    }
    if (feasible && (!best || total > best.total)) best = { total, pick: [...pick] };
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
    throw new FairkitError("BAD_ARGUMENT", messages.unknownObjective(objective), { argument: "objective" });
  }
  const tolerance = options.tolerance ?? 0;
  if (!(tolerance >= 0))
    throw new FairkitError("BAD_ARGUMENT", messages.badTolerance(options.tolerance), { argument: "tolerance" });
  const spec = metricSpec(metric);
  const lists = candidatesOf(table, spec.name, objective);
  lists.forEach((l, g) => {
    if (l.length === 0)
      throw new FairkitError("BAD_ARGUMENT", messages.undefinedAtEveryThreshold(spec.name, table.groups[g].key), {
        argument: "metric",
      });
  });
  let used = tolerance;
  let found = search(lists, tolerance);
  if (!found) {
    used = smallestGap(lists);
    found = search(lists, used)!;
  }
  const values = found.pick.map((c, g) => lists[g].value[c]);
  return {
    metric: spec.name,
    objective,
    groups: found.pick.map((c, g) => ({
      key: table.groups[g].key,
      threshold: thresholdOf(table.perGroup[g], lists[g].k[c]),
      value: lists[g].value[c],
    })),
    gap: Math.max(...values) - Math.min(...values),
    objectiveValue: found.total,
    tolerance,
    withinTolerance: used === tolerance,
  };
}
