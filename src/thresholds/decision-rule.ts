/**
 * Decision rules: the probability of a positive decision as a step function of the score. A
 * plain threshold, a randomised mix of two thresholds (Hardt et al. 2016), a mix with a constant
 * coin flip and an inverted rule are all step functions, so one small, explicit, JSON-friendly
 * form covers every policy the threshold solvers produce.
 */
import { GROUP_STRIDE, SUMS_PER_CELL } from "../core/confusion.js";
import { FairkitError, messages } from "../core/errors.js";
import type { GroupScores } from "./score-table.js";

/**
 * `P(positive | score s) = probabilities[j]`, where j is the number of `cuts` that are ≤ s.
 * `cuts` are finite and strictly ascending; `probabilities` has one more entry than `cuts`.
 *
 * @example
 * // score ≥ 7: positive; 5 ≤ score < 7: positive with probability 0.25; below 5: negative
 * const rule: DecisionRule = { cuts: [5, 7], probabilities: [0, 0.25, 1] };
 */
export interface DecisionRule {
  cuts: number[];
  probabilities: number[];
}

/** `score >= t` is positive (t = −∞: everyone; t = +∞: no one). */
export function thresholdRule(t: number): DecisionRule {
  if (t === Number.NEGATIVE_INFINITY) return { cuts: [], probabilities: [1] };
  if (t === Number.POSITIVE_INFINITY) return { cuts: [], probabilities: [0] };
  return { cuts: [t], probabilities: [0, 1] };
}

/** Everyone positive with probability p, whatever the score. */
export function constantRule(p: number): DecisionRule {
  return { cuts: [], probabilities: [p] };
}

/** The probability of a positive decision for score s. */
export function ruleProbability(rule: DecisionRule, s: number): number {
  const { cuts } = rule;
  let j = 0;
  if (cuts.length <= 8) {
    while (j < cuts.length && cuts[j] <= s) j++;
  } else {
    let hi = cuts.length;
    while (j < hi) {
      const mid = (j + hi) >>> 1;
      if (cuts[mid] <= s) j = mid + 1;
      else hi = mid;
    }
  }
  return rule.probabilities[j];
}

/** Drops cuts that change nothing (equal probabilities on both sides). */
export function simplifyRule(rule: DecisionRule): DecisionRule {
  const cuts: number[] = [];
  const probabilities = [rule.probabilities[0]];
  rule.cuts.forEach((c, j) => {
    const p = rule.probabilities[j + 1];
    if (p !== probabilities[probabilities.length - 1]) {
      cuts.push(c);
      probabilities.push(p);
    }
  });
  return { cuts, probabilities };
}

/** `(1 − weightB) · a + weightB · b`, pointwise: randomising between two rules. */
export function mixRules(a: DecisionRule, b: DecisionRule, weightB: number): DecisionRule {
  if (weightB <= 0) return simplifyRule(a);
  if (weightB >= 1) return simplifyRule(b);
  const cuts = [...new Set([...a.cuts, ...b.cuts])].sort((x, y) => x - y);
  const probabilities = [(1 - weightB) * a.probabilities[0] + weightB * b.probabilities[0]];
  for (const c of cuts) probabilities.push((1 - weightB) * ruleProbability(a, c) + weightB * ruleProbability(b, c));
  return simplifyRule({ cuts, probabilities });
}

/** The opposite decision: `1 − p` everywhere. */
export function invertRule(rule: DecisionRule): DecisionRule {
  return { cuts: [...rule.cuts], probabilities: rule.probabilities.map((p) => 1 - p) };
}

/** Throws unless a rule is well formed (used when reading a saved policy). */
export function checkRule(rule: DecisionRule, where: string): void {
  const fail = (why: string): never => {
    throw new FairkitError("BAD_ARGUMENT", messages.badRule(where, why), { argument: "policy" });
  };
  if (rule === null || typeof rule !== "object" || !Array.isArray(rule.cuts) || !Array.isArray(rule.probabilities))
    fail(messages.ruleNotObject());
  if (rule.probabilities.length !== rule.cuts.length + 1) {
    fail(messages.ruleLengths(rule.cuts.length, rule.probabilities.length));
  }
  rule.cuts.forEach((c, j) => {
    if (typeof c !== "number" || !Number.isFinite(c)) fail(messages.ruleCutNotFinite(j, c));
    if (j > 0 && !(c > rule.cuts[j - 1])) fail(messages.ruleCutsNotAscending(j, c, rule.cuts[j - 1]));
  });
  rule.probabilities.forEach((p, j) => {
    if (typeof p !== "number" || !(p >= 0 && p <= 1)) fail(messages.ruleProbabilityOutOfRange(j, p));
  });
}

/**
 * Exact expected confusion sums (the core's 12-number layout) of a rule on one group: each
 * distinct score's weights split by the rule's probability. Not sampled.
 */
export function expectedCells(
  rule: DecisionRule,
  group: GroupScores,
  out: Float64Array = new Float64Array(GROUP_STRIDE),
): Float64Array {
  out.fill(0);
  const neg = [group.negWeight, group.negWeight2, group.negRows];
  const pos = [group.posWeight, group.posWeight2, group.posRows];
  let j = 0;
  const { cuts, probabilities } = rule;
  for (let k = 0; k < group.scores.length; k++) {
    const s = group.scores[k];
    while (j < cuts.length && cuts[j] <= s) j++;
    const p = probabilities[j];
    for (let c = 0; c < 3; c++) {
      out[0 * SUMS_PER_CELL + c] += (1 - p) * neg[c][k]; // TN
      out[1 * SUMS_PER_CELL + c] += p * neg[c][k]; // FP
      out[2 * SUMS_PER_CELL + c] += (1 - p) * pos[c][k]; // FN
      out[3 * SUMS_PER_CELL + c] += p * pos[c][k]; // TP
    }
  }
  return out;
}

/** Rule with ±∞ written as strings, for JSON. */
export function ruleToJSON(rule: DecisionRule): DecisionRule {
  return { cuts: [...rule.cuts], probabilities: [...rule.probabilities] };
}
