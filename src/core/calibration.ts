/**
 * Calibration within groups: does a score of 0.7 mean a 70% chance of a positive outcome in every
 * group? Reliability tables per group on shared bins, expected calibration error (ECE) per group,
 * and the largest gap between groups in the same bin.
 */
import { FairkitError, type FairkitWarning, messages } from "./errors.js";
import { type GroupInfo, type SensitiveInput, encodeGroups } from "./groups.js";
import { type Interval, wilsonInterval } from "./intervals.js";
import { optionalWeights } from "./prepare.js";
import { type BinaryInput, type NumericInput, checkLength, checkNotEmpty, toBinary } from "./validate.js";
import { DEFAULTS } from "./defaults.js";

/** Options of {@link calibrationByGroup}. */
export interface CalibrationOptions {
  /** Number of bins (default 10). */
  bins?: number;
  /** `uniform`: equal-width bins on [0, 1] (default); `quantile`: equal-count bins of the pooled scores. */
  strategy?: "uniform" | "quantile";
  sampleWeight?: NumericInput;
  posLabel?: unknown;
  /** Confidence level of the Wilson intervals (default 0.95). */
  level?: number;
  /** Bins with fewer rows in a group are left out of the between-group gap (default 10). */
  minBinCount?: number;
}

/** One bin of one group's reliability table. */
export interface ReliabilityBin {
  lower: number;
  upper: number;
  /** Rows in the bin. */
  count: number;
  /** Weight in the bin. */
  weight: number;
  /** Weighted mean score (NaN when empty). */
  meanScore: number;
  /** Weighted share of positive outcomes (NaN when empty). */
  observedRate: number;
  /** Wilson interval of `observedRate`. */
  interval: Interval;
}

/** One group's calibration. */
export interface GroupCalibration {
  key: string;
  group: GroupInfo["values"];
  n: number;
  bins: ReliabilityBin[];
  /** Σ_bins (weight share) · |mean score − observed rate|. */
  ece: number;
}

/** Result of {@link calibrationByGroup}. */
export interface CalibrationReport {
  strategy: "uniform" | "quantile";
  edges: number[];
  overall: GroupCalibration;
  groups: GroupCalibration[];
  /** Largest ECE minus smallest. */
  eceDifference: number;
  /** Largest difference in observed rate between two groups in the same bin (bins with enough rows in both). */
  maxBinGap: { value: number; bin: number; groups: [string, string] } | null;
  warnings: FairkitWarning[];
}

function quantileEdges(scores: Float64Array, bins: number): number[] {
  const sorted = Float64Array.from(scores).sort();
  const edges = [0];
  for (let k = 1; k < bins; k++) {
    const v = sorted[Math.min(sorted.length - 1, Math.floor((k * sorted.length) / bins))];
    if (v > edges[edges.length - 1]) edges.push(v);
  }
  edges.push(1);
  return edges;
}

function binIndex(edges: number[], s: number): number {
  // Bins are [e_k, e_{k+1}); the last one also holds 1.
  let lo = 0;
  let hi = edges.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (s >= edges[mid]) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * Per-group reliability tables and calibration errors for scores in [0, 1].
 * @example
 * const report = calibrationByGroup([0.2, 0.8, 0.3, 0.9], [0, 1, 0, 1], ["a", "a", "b", "b"], { bins: 5 });
 * report.groups.map((g) => g.ece);
 */
export function calibrationByGroup(
  scores: NumericInput,
  yTrue: BinaryInput,
  sensitiveFeatures: SensitiveInput,
  options: CalibrationOptions = {},
): CalibrationReport {
  const n = scores.length;
  checkNotEmpty(n, "scores");
  checkLength(yTrue, "yTrue", n, "scores");
  const bins = options.bins ?? 10;
  if (!(Number.isInteger(bins) && bins >= 1))
    throw new FairkitError("BAD_ARGUMENT", messages.notPositiveInteger("bins", bins), { argument: "bins" });
  const s = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = scores[i];
    if (typeof v !== "number" || !(v >= 0 && v <= 1)) {
      throw new FairkitError("BAD_SCORE", messages.scoreNotProbability("scores", i, v), { argument: "scores", row: i });
    }
    s[i] = v;
  }
  const y = toBinary(yTrue, "yTrue", options.posLabel);
  const w = optionalWeights(options.sampleWeight, n, "scores");
  const encoding = encodeGroups(sensitiveFeatures, n, "scores");
  const strategy = options.strategy ?? "uniform";
  const edges = strategy === "quantile" ? quantileEdges(s, bins) : Array.from({ length: bins + 1 }, (_, k) => k / bins);
  const B = edges.length - 1;
  const G = encoding.groups.length;
  // Per (group + overall, bin): rows, weight, weight², weighted score, weighted positives.
  const acc = new Float64Array((G + 1) * B * 5);
  for (let i = 0; i < n; i++) {
    const b = binIndex(edges, s[i]);
    const wi = w ? w[i] : 1;
    for (const g of [encoding.codes[i], G]) {
      const k = (g * B + b) * 5;
      acc[k]++;
      acc[k + 1] += wi;
      acc[k + 2] += wi * wi;
      acc[k + 3] += wi * s[i];
      acc[k + 4] += wi * y[i];
    }
  }
  const level = options.level ?? DEFAULTS.level;
  const build = (g: number, key: string, group: GroupInfo["values"]): GroupCalibration => {
    let total = 0;
    let rows = 0;
    const out: ReliabilityBin[] = [];
    for (let b = 0; b < B; b++) {
      const k = (g * B + b) * 5;
      const weight = acc[k + 1];
      const meanScore = weight > 0 ? acc[k + 3] / weight : Number.NaN;
      const observedRate = weight > 0 ? acc[k + 4] / weight : Number.NaN;
      const nEff = weight > 0 ? (weight * weight) / acc[k + 2] : 0;
      out.push({
        lower: edges[b],
        upper: edges[b + 1],
        count: acc[k],
        weight,
        meanScore,
        observedRate,
        interval: wilsonInterval(observedRate, nEff, level),
      });
      total += weight;
      rows += acc[k];
    }
    let ece = 0;
    for (const bin of out) if (bin.weight > 0) ece += (bin.weight / total) * Math.abs(bin.meanScore - bin.observedRate);
    return { key, group, n: rows, bins: out, ece: total > 0 ? ece : Number.NaN };
  };
  const groups = encoding.groups.map((info, g) => build(g, info.key, info.values));
  const overall = build(G, "overall", {});
  const eces = groups.map((g) => g.ece).filter((e) => !Number.isNaN(e));
  const minBinCount = options.minBinCount ?? 10;
  let maxBinGap: CalibrationReport["maxBinGap"] = null;
  for (let b = 0; b < B; b++) {
    let lo = -1;
    let hi = -1;
    groups.forEach((grp, g) => {
      const bin = grp.bins[b];
      if (bin.count < minBinCount) return;
      if (lo < 0 || bin.observedRate < groups[lo].bins[b].observedRate) lo = g;
      if (hi < 0 || bin.observedRate > groups[hi].bins[b].observedRate) hi = g;
    });
    if (lo >= 0 && hi >= 0 && lo !== hi) {
      const gap = groups[hi].bins[b].observedRate - groups[lo].bins[b].observedRate;
      if (!maxBinGap || gap > maxBinGap.value)
        maxBinGap = { value: gap, bin: b, groups: [groups[hi].key, groups[lo].key] };
    }
  }
  const warnings: FairkitWarning[] = [];
  if (!maxBinGap && G > 1) {
    warnings.push({
      code: "SMALL_GROUP",
      message: `no bin has at least ${minBinCount} rows in two groups: the between-group calibration gap is undefined`,
    });
  }
  return {
    strategy,
    edges,
    overall,
    groups,
    eceDifference: eces.length >= 2 ? Math.max(...eces) - Math.min(...eces) : Number.NaN,
    maxBinGap,
    warnings,
  };
}
