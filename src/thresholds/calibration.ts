/**
 * The two calibration criteria, from score tables, under one name each everywhere fairkit uses
 * them (CLI, explorer, dashboard, reports):
 *
 * - **calibration within groups** (Kleinberg, Mullainathan & Raghavan 2017): in every group, a
 *   score s means a positive outcome with probability s. Measured per group by the expected
 *   calibration error on equal-width bins of [0, 1] (ECE = Σ_bins weight share · |mean score −
 *   observed rate|, the same as `calibrationByGroup`); the criterion's value is the largest
 *   group's ECE. Only defined for scores that are probabilities.
 * - **calibration parity** (also called sufficiency, or "equally calibrated"): people with the
 *   same score have the same outcome rate whatever their group. Measured per score bin by the gap
 *   between the groups' observed rates (groups with enough rows in the bin), averaged over bins
 *   weighted by their rows. Works for any score (COMPAS deciles too).
 */
import { DEFAULTS } from "../core/defaults.js";
import { type ScoreTable, pooledScores } from "./score-table.js";

/** One group's calibration error. */
export interface GroupEce {
  key: string;
  ece: number;
  rows: number;
}

/** Result of {@link calibrationWithinGroups}. */
export interface CalibrationWithinGroups {
  /** The criterion's value: the largest group ECE (NaN when no group has rows). */
  value: number;
  groups: GroupEce[];
  bins: number;
}

/** True when every score lies in [0, 1]: the scores can be read as probabilities. */
export function scoresAreProbabilities(table: ScoreTable): boolean {
  return table.perGroup.every((g) => g.scores.length === 0 || (g.scores[0] >= 0 && g.scores[g.scores.length - 1] <= 1));
}

/**
 * Calibration within groups from score tables (scores in [0, 1]): each group's ECE on `bins`
 * equal-width bins (the last also holds 1) and the largest of them.
 *
 * @example
 * calibrationWithinGroups(scoreTable({ scores, yTrue, sensitiveFeatures: { group } })).value; // e.g. 0.02
 */
export function calibrationWithinGroups(
  table: ScoreTable,
  bins: number = DEFAULTS.calibrationBins,
): CalibrationWithinGroups {
  // The bin edges and rule of `calibrationByGroup`: [k/B, (k+1)/B), the last bin also holds 1.
  const edges = Array.from({ length: bins + 1 }, (_, k) => k / bins);
  const groups = table.perGroup.map((g, gi): GroupEce => {
    const weight = new Float64Array(bins);
    const scoreSum = new Float64Array(bins);
    const positives = new Float64Array(bins);
    let rows = 0;
    let b = 0;
    for (let k = 0; k < g.scores.length; k++) {
      const s = g.scores[k];
      while (b + 1 < bins && s >= edges[b + 1]) b++;
      const w = g.negWeight[k] + g.posWeight[k];
      weight[b] += w;
      scoreSum[b] += w * s;
      positives[b] += g.posWeight[k];
      rows += g.negRows[k] + g.posRows[k];
    }
    let total = 0;
    for (let b = 0; b < bins; b++) total += weight[b];
    let ece = 0;
    for (let b = 0; b < bins; b++)
      if (weight[b] > 0) ece += (weight[b] / total) * Math.abs(scoreSum[b] / weight[b] - positives[b] / weight[b]);
    return { key: table.groups[gi].key, ece: total > 0 ? ece : Number.NaN, rows };
  });
  const defined = groups.map((g) => g.ece).filter((e) => !Number.isNaN(e));
  return { value: defined.length > 0 ? Math.max(...defined) : Number.NaN, groups, bins };
}

/** Result of {@link calibrationParity}. */
export interface CalibrationParity {
  /** Per score bin: each group's observed positive rate (NaN where it has fewer than `minBinCount` rows) and rows. */
  bins: { lower: number; upper: number; rates: Record<string, number>; rows: Record<string, number> }[];
  /** The criterion's value: the gap between groups per bin, averaged over bins weighted by their weight. */
  weightedGap: number;
  /** The largest gap in any bin. */
  maxGap: number;
}

/**
 * Calibration parity from score tables: bins are the distinct scores when there are at most
 * `bins` of them (COMPAS deciles), else quantile bins of the pooled rows.
 */
export function calibrationParity(
  table: ScoreTable,
  bins: number = DEFAULTS.calibrationBins,
  minBinCount: number = DEFAULTS.minBinCount,
): CalibrationParity {
  const pooled = pooledScores(table);
  const all = pooled.scores;
  let edges: number[];
  if (all.length <= bins) edges = [...all];
  else {
    // Quantile edges of the pooled rows (by row count), so that bins hold similar numbers of people.
    let total = 0;
    for (let k = 0; k < all.length; k++) total += pooled.negRows[k] + pooled.posRows[k];
    edges = [all[0]];
    let seen = 0;
    for (let k = 0; k < all.length; k++) {
      if (seen >= (edges.length * total) / bins && all[k] > edges[edges.length - 1]) edges.push(all[k]);
      seen += pooled.negRows[k] + pooled.posRows[k];
    }
  }
  const out: CalibrationParity["bins"] = edges.map((lower, b) => ({
    lower,
    upper: b + 1 < edges.length ? edges[b + 1] : Number.POSITIVE_INFINITY,
    rates: {},
    rows: {},
  }));
  let gapSum = 0;
  let weightSum = 0;
  let maxGap = 0;
  const pos = out.map(() => table.groups.map(() => 0));
  const wt = out.map(() => table.groups.map(() => 0));
  const rows = out.map(() => table.groups.map(() => 0));
  table.perGroup.forEach((g, gi) => {
    let b = 0;
    g.scores.forEach((s, k) => {
      while (b + 1 < edges.length && s >= edges[b + 1]) b++;
      pos[b][gi] += g.posWeight[k];
      wt[b][gi] += g.posWeight[k] + g.negWeight[k];
      rows[b][gi] += g.posRows[k] + g.negRows[k];
    });
  });
  out.forEach((bin, b) => {
    const rates: number[] = [];
    let binWeight = 0;
    table.groups.forEach((info, gi) => {
      const ok = rows[b][gi] >= minBinCount && wt[b][gi] > 0;
      bin.rates[info.key] = ok ? pos[b][gi] / wt[b][gi] : Number.NaN;
      bin.rows[info.key] = rows[b][gi];
      if (ok) rates.push(pos[b][gi] / wt[b][gi]);
      binWeight += wt[b][gi];
    });
    if (rates.length >= 2) {
      const gap = Math.max(...rates) - Math.min(...rates);
      gapSum += gap * binWeight;
      weightSum += binWeight;
      maxGap = Math.max(maxGap, gap);
    }
  });
  return {
    bins: out,
    weightedGap: weightSum > 0 ? gapSum / weightSum : Number.NaN,
    maxGap: weightSum > 0 ? maxGap : Number.NaN,
  };
}
