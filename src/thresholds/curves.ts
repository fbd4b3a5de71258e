/**
 * Per-group ROC and precision-recall curves with their areas, exact under ties: a tie block of
 * scores moves the curve in one straight step, so the ROC area is the Mann–Whitney probability
 * with ties counted one half.
 */
import type { GroupScores, ScoreTable } from "./score-table.js";
import { groupTotals, thresholdOf } from "./score-table.js";

/** A ROC curve from (0, 0) (threshold +∞) to (1, 1) (lowest threshold). */
export interface RocCurve {
  thresholds: Float64Array;
  fpr: Float64Array;
  tpr: Float64Array;
  /** Area under the curve (trapezoids); NaN when a class is absent. */
  auc: number;
}

/** A precision-recall curve, from the highest threshold down. */
export interface PrCurve {
  thresholds: Float64Array;
  recall: Float64Array;
  /** NaN at +∞ (no positive decision). */
  precision: Float64Array;
  /** Σ (R_k − R_{k−1}) · P_k over the decisions (scikit-learn's step-wise average precision). */
  averagePrecision: number;
}

/**
 * The ROC curve of one group: one point per decision, ordered from threshold +∞ down.
 * @example
 * const table = scoreTable({ scores: [0.1, 0.4, 0.35, 0.8], yTrue: [0, 0, 1, 1], sensitiveFeatures: ["g", "g", "g", "g"] });
 * rocCurve(table.perGroup[0]).auc; // 0.75
 */
export function rocCurve(group: GroupScores): RocCurve {
  const m = group.scores.length;
  const { negatives, positives } = groupTotals(group);
  const thresholds = new Float64Array(m + 1);
  const fpr = new Float64Array(m + 1);
  const tpr = new Float64Array(m + 1);
  thresholds[0] = Number.POSITIVE_INFINITY;
  let fp = 0;
  let tp = 0;
  let auc = 0;
  for (let j = 1; j <= m; j++) {
    const k = m - j;
    const fp0 = fp;
    const tp0 = tp;
    fp += group.negWeight[k];
    tp += group.posWeight[k];
    thresholds[j] = thresholdOf(group, k);
    fpr[j] = negatives > 0 ? fp / negatives : Number.NaN;
    tpr[j] = positives > 0 ? tp / positives : Number.NaN;
    auc += (fp - fp0) * (tp + tp0) * 0.5;
  }
  return { thresholds, fpr, tpr, auc: negatives > 0 && positives > 0 ? auc / (negatives * positives) : Number.NaN };
}

/** The precision-recall curve of one group, ordered from threshold +∞ down. */
export function prCurve(group: GroupScores): PrCurve {
  const m = group.scores.length;
  const { positives } = groupTotals(group);
  const thresholds = new Float64Array(m + 1);
  const recall = new Float64Array(m + 1);
  const precision = new Float64Array(m + 1);
  thresholds[0] = Number.POSITIVE_INFINITY;
  precision[0] = Number.NaN;
  let fp = 0;
  let tp = 0;
  let ap = 0;
  for (let j = 1; j <= m; j++) {
    const k = m - j;
    fp += group.negWeight[k];
    tp += group.posWeight[k];
    thresholds[j] = thresholdOf(group, k);
    recall[j] = positives > 0 ? tp / positives : Number.NaN;
    precision[j] = tp + fp > 0 ? tp / (tp + fp) : Number.NaN;
    if (positives > 0 && group.posWeight[k] > 0) ap += (group.posWeight[k] / positives) * precision[j];
  }
  return { thresholds, recall, precision, averagePrecision: positives > 0 ? ap : Number.NaN };
}

/** One group's curve summary. */
export interface CurveSummary {
  key: string;
  rows: number;
  positives: number;
  negatives: number;
  /** Distinct scores. */
  distinctScores: number;
  auc: number;
  averagePrecision: number;
}

/** AUC and average precision of every group (weighted). */
export function curveSummary(table: ScoreTable): CurveSummary[] {
  return table.perGroup.map((group, g) => {
    const totals = groupTotals(group);
    return {
      key: table.groups[g].key,
      rows: totals.rows,
      positives: totals.positives,
      negatives: totals.negatives,
      distinctScores: group.scores.length,
      auc: rocCurve(group).auc,
      averagePrecision: prCurve(group).averagePrecision,
    };
  });
}
