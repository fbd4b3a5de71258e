/**
 * Per-group thresholds that reach a target value of a metric (e.g. TPR 0.8 in every group), found
 * exactly on the score tables.
 *
 * Semantics. A group has m + 1 decisions (see score-table.ts); the metric is evaluated at each.
 * - `at_least` (default): the decision whose value is the smallest one ≥ target;
 * - `at_most`: the largest value ≤ target;
 * - `closest`: the value nearest the target.
 * Ties between decisions with the same value go to the highest threshold (fewest positive
 * decisions). Ties in scores cannot be split by a deterministic threshold, so the value reached
 * may differ from the target; `achieved` says by how much. With `randomize`, metrics whose
 * denominator does not depend on the decisions (selection rate, TPR, FPR, FNR, TNR, accuracy,
 * error rate) are hit exactly by mixing the two adjacent thresholds (the rule is returned).
 * Weights count as everywhere: every value is a weighted proportion.
 */
import { FairkitError, type FairkitWarning, messages } from "../core/errors.js";
import { type ZeroDivision, metricSpec } from "../core/metrics.js";
import { type DecisionRule, mixRules, thresholdRule } from "./decision-rule.js";
import type { ScoreTable } from "./score-table.js";
import { sweepGroup } from "./sweep.js";

/** Options of {@link perGroupThreshold}. */
export interface PerGroupThresholdOptions {
  /** Default `at_least`. */
  mode?: "at_least" | "at_most" | "closest";
  /** Mix two adjacent thresholds to hit the target exactly where the metric allows it. */
  randomize?: boolean;
  zeroDivision?: ZeroDivision;
}

/** One group's threshold. */
export interface GroupThreshold {
  key: string;
  /** `score >= threshold` is positive (+∞: no one). NaN when no decision qualifies. */
  threshold: number;
  /** The metric's value at that threshold (or of the randomised rule). */
  achieved: number;
  /** False when no decision satisfied the mode (e.g. no value ≥ target); the closest is returned. */
  met: boolean;
  /** With `randomize`: the rule reaching the target exactly (absent when the threshold already does). */
  rule?: DecisionRule;
}

/** True when a proportion's denominator is the same whatever the decisions (so it is linear in them). */
function linearInDecisions(metric: string): boolean {
  const spec = metricSpec(metric);
  if (spec.kind !== "proportion") return false;
  const d = spec.denominator;
  const has = (bit: number) => (d & (1 << bit)) !== 0;
  return has(0) === has(1) && has(2) === has(3);
}

/**
 * Thresholds per group reaching `target` for `metric`.
 * @example
 * perGroupThreshold(table, "true_positive_rate", 0.8); // [{ key: "a", threshold: 0.61, achieved: 0.82, met: true }, …]
 */
export function perGroupThreshold(
  table: ScoreTable,
  metric: string,
  target: number,
  options: PerGroupThresholdOptions = {},
): { groups: GroupThreshold[]; warnings: FairkitWarning[] } {
  if (!Number.isFinite(target))
    throw new FairkitError("BAD_ARGUMENT", messages.notFinite("target", target), { argument: "target" });
  const mode = options.mode ?? "at_least";
  if (!["at_least", "at_most", "closest"].includes(mode))
    throw new FairkitError("BAD_ARGUMENT", messages.unknownMode(mode), { argument: "mode" });
  const spec = metricSpec(metric);
  const warnings: FairkitWarning[] = [];
  const groups = table.perGroup.map((group, g): GroupThreshold => {
    const key = table.groups[g].key;
    const { thresholds, values } = sweepGroup(group, spec.name, options.zeroDivision ?? "nan");
    const pick = (ok: (v: number) => boolean): number => {
      let best = -1;
      // From the highest threshold down, so that equal values keep the highest threshold.
      for (let k = values.length - 1; k >= 0; k--) {
        const v = values[k];
        if (Number.isNaN(v) || !ok(v)) continue;
        if (best < 0 || Math.abs(v - target) < Math.abs(values[best] - target)) best = k;
      }
      return best;
    };
    let k = pick(mode === "at_least" ? (v) => v >= target : mode === "at_most" ? (v) => v <= target : () => true);
    let met = k >= 0;
    if (k < 0) {
      k = pick(() => true);
      met = false;
    }
    if (k < 0) {
      warnings.push({
        code: "UNDEFINED_METRIC",
        message: `${spec.name} is undefined at every threshold in group ${JSON.stringify(key)}`,
        group: key,
        metric: spec.name,
      });
      return { key, threshold: Number.NaN, achieved: Number.NaN, met: false };
    }
    if (!met)
      warnings.push({
        code: "UNDEFINED_METRIC",
        message: `no threshold reaches ${spec.name} ${mode === "at_least" ? ">=" : "<="} ${target} in group ${JSON.stringify(key)}; the closest gives ${values[k]}`,
        group: key,
        metric: spec.name,
      });
    const out: GroupThreshold = { key, threshold: thresholds[k], achieved: values[k], met };
    if (options.randomize && values[k] !== target && linearInDecisions(spec.name)) {
      // The adjacent decision on the other side of the target, if any: mix the two.
      for (const j of [k - 1, k + 1]) {
        if (j < 0 || j >= values.length) continue;
        const vj = values[j];
        if ((vj - target) * (values[k] - target) < 0) {
          const lambda = (target - values[k]) / (vj - values[k]);
          out.rule = mixRules(
            thresholdRule(k === 0 ? Number.NEGATIVE_INFINITY : thresholds[k]),
            thresholdRule(j === 0 ? Number.NEGATIVE_INFINITY : thresholds[j]),
            lambda,
          );
          out.achieved = target;
          out.met = true;
          break;
        }
      }
    }
    return out;
  });
  return { groups, warnings };
}
