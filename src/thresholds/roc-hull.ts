/**
 * The ROC convex hull of a group: the upper hull of its ROC points with (0, 0) and (1, 1). Every
 * point on it is reachable by randomising between the two thresholds of the adjacent vertices,
 * and no threshold rule, deterministic or randomised, does better (Hardt, Price & Srebro 2016).
 * Points below it, down to its point-reflection through (½, ½), are reachable too, by also
 * mixing in a constant coin flip.
 */
import { FairkitError, messages } from "../core/errors.js";
import { type DecisionRule, constantRule, invertRule, mixRules, simplifyRule, thresholdRule } from "./decision-rule.js";
import { type GroupScores, groupTotals, thresholdOf } from "./score-table.js";

/** Mixing probabilities this close to 0 or 1 are snapped to it. */
const SNAP = 1e-12;

/** A vertex of the hull: its rates and the threshold rule that reaches it. */
export interface HullVertex {
  fpr: number;
  tpr: number;
  /** `score >= threshold` is positive (−∞ for everyone); with `inverted`, `score < threshold` is. */
  threshold: number;
  /** True for a flipped rule (only with the `flip` option). */
  inverted?: boolean;
}

/** The rule of a hull vertex. */
export function vertexRule(v: HullVertex): DecisionRule {
  const rule = thresholdRule(v.threshold);
  return v.inverted ? invertRule(rule) : rule;
}

/**
 * Upper ROC hull from (0, 0) to (1, 1), vertices only (collinear points dropped). With `flip`, the
 * flipped rules (`score < t` positive, the point reflection of each ROC point) are candidates too,
 * which helps only where a score ranks a group backwards. Throws when the group lacks positives or
 * negatives: its ROC curve is then undefined.
 */
export function rocHull(group: GroupScores, key = "group", flip = false): HullVertex[] {
  const { negatives, positives } = groupTotals(group);
  if (!(negatives > 0 && positives > 0)) {
    throw new FairkitError("BAD_ARGUMENT", messages.oneClassGroup(key, positives > 0), {
      argument: "yTrue",
    });
  }
  const m = group.scores.length;
  // Candidate points in typed arrays (decision k ↦ index m − k; flipped ones after), the hull as
  // a stack of indexes: no object per point, which matters for millions of distinct scores.
  const total = flip ? 2 * (m + 1) : m + 1;
  const fx = new Float64Array(total);
  const ty = new Float64Array(total);
  let fp = 0;
  let tp = 0;
  for (let j = 1; j <= m; j++) {
    const k = m - j;
    fp += group.negWeight[k];
    tp += group.posWeight[k];
    fx[j] = k === 0 ? 1 : fp / negatives;
    ty[j] = k === 0 ? 1 : tp / positives;
  }
  let order: Int32Array | undefined;
  if (flip) {
    for (let j = 0; j <= m; j++) {
      fx[m + 1 + j] = 1 - fx[j];
      ty[m + 1 + j] = 1 - ty[j];
    }
    order = Int32Array.from({ length: total }, (_, i) => i).sort((p, q) => fx[p] - fx[q] || ty[p] - ty[q]);
  }
  const stack = new Int32Array(total);
  let h = 0;
  for (let r = 0; r < total; r++) {
    const p = order ? order[r] : r;
    while (h >= 2) {
      const o = stack[h - 2];
      const a = stack[h - 1];
      const cross = (fx[a] - fx[o]) * (ty[p] - ty[o]) - (ty[a] - ty[o]) * (fx[p] - fx[o]);
      if (cross >= 0) h--;
      else break;
    }
    stack[h++] = p;
  }
  const hull: HullVertex[] = [];
  for (let i = 0; i < h; i++) {
    const p = stack[i];
    const j = p <= m ? p : p - (m + 1);
    const k = m - j;
    const threshold = k === m ? Number.POSITIVE_INFINITY : k === 0 ? Number.NEGATIVE_INFINITY : thresholdOf(group, k);
    hull.push(p <= m ? { fpr: fx[p], tpr: ty[p], threshold } : { fpr: fx[p], tpr: ty[p], threshold, inverted: true });
  }
  return hull;
}

/** A point on a hull: between vertex `index` and `index + 1`, a share `lambda` of the way. */
export interface HullPoint {
  fpr: number;
  tpr: number;
  index: number;
  lambda: number;
}

/** The rule reaching a hull point: the two adjacent thresholds mixed with probability `lambda`. */
export function hullPointRule(hull: HullVertex[], point: HullPoint): DecisionRule {
  // Mixing probabilities within 1e-12 of 0 or 1 are rounding noise from the solvers: snap them,
  // so a policy never carries a 2e-13 coin flip (the rates move by at most 1e-12).
  const a = vertexRule(hull[point.index]);
  if (point.lambda <= SNAP || point.index + 1 >= hull.length) return simplifyRule(a);
  if (point.lambda >= 1 - SNAP) return simplifyRule(vertexRule(hull[point.index + 1]));
  return mixRules(a, vertexRule(hull[point.index + 1]), point.lambda);
}

function interpolate(hull: HullVertex[], i: number, lambda: number): HullPoint {
  if (lambda <= 0 || i + 1 >= hull.length) return { fpr: hull[i].fpr, tpr: hull[i].tpr, index: i, lambda: 0 };
  const a = hull[i];
  const b = hull[i + 1];
  return { fpr: a.fpr + lambda * (b.fpr - a.fpr), tpr: a.tpr + lambda * (b.tpr - a.tpr), index: i, lambda };
}

/**
 * The best hull point whose rate `alpha · TPR + beta · FPR` equals r (alpha, beta ≥ 0: the rate is
 * non-decreasing along the hull), best by `value(fpr, tpr)` where several points share the rate.
 */
export function hullPointAtRate(
  hull: HullVertex[],
  alpha: number,
  beta: number,
  r: number,
  value: (fpr: number, tpr: number) => number,
): HullPoint {
  const rate = (v: HullVertex) => alpha * v.tpr + beta * v.fpr;
  const h = hull.length;
  let lo = 0;
  let hi = h;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (rate(hull[mid]) < r) lo = mid + 1;
    else hi = mid;
  }
  if (lo >= h) return interpolate(hull, h - 1, 0);
  if (rate(hull[lo]) === r || lo === 0) {
    let best = lo;
    for (let j = lo + 1; j < h && rate(hull[j]) === rate(hull[lo]); j++)
      if (value(hull[j].fpr, hull[j].tpr) > value(hull[best].fpr, hull[best].tpr)) best = j;
    return interpolate(hull, best, 0);
  }
  const r0 = rate(hull[lo - 1]);
  const r1 = rate(hull[lo]);
  return interpolate(hull, lo - 1, (r - r0) / (r1 - r0));
}

/** Highest hull TPR at a given FPR (the top of a vertical edge when there is one). */
export function hullTprAt(hull: HullVertex[], fpr: number): HullPoint {
  return hullPointAtRate(hull, 0, 1, fpr, (_f, t) => t);
}

/**
 * A rule reaching any point (fpr, tpr) of the group's achievable region (between the upper hull
 * and its reflection). Above the diagonal: mix the hull point at the same FPR with a coin flip of
 * probability fpr (a point on the diagonal); below it: the inverse of the reflected point's rule.
 */
export function ruleForPoint(hull: HullVertex[], fpr: number, tpr: number): DecisionRule {
  if (tpr < fpr) return invertRule(ruleForPoint(hull, 1 - fpr, 1 - tpr));
  const top = hullTprAt(hull, fpr);
  const onHull = hullPointRule(hull, top);
  const gap = top.tpr - fpr;
  if (gap <= 1e-12) return onHull;
  const q = Math.min(1, Math.max(0, (top.tpr - tpr) / gap));
  if (q <= SNAP) return onHull;
  return mixRules(onHull, constantRule(fpr), q);
}

/**
 * The achievable region of a group as a convex polygon, counter-clockwise: the lower boundary
 * (the hull reflected through (½, ½)) from (0, 0) to (1, 1), then the upper hull back.
 */
export function achievableRegion(hull: HullVertex[]): [number, number][] {
  const upper = hull.map((v) => [v.fpr, v.tpr] as [number, number]);
  const lower = upper.slice(1, -1).map(([f, t]) => [1 - f, 1 - t] as [number, number]);
  // lower (reflected) runs from near (1, 1) to near (0, 0); counter-clockwise wants (0,0) → lower → (1,1) → upper reversed.
  return [[0, 0], ...lower.reverse(), [1, 1], ...upper.slice(1, -1).reverse()];
}
