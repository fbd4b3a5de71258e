/**
 * Score tables: per group, the sorted distinct scores with the weighted positives and negatives
 * at each. They are the sufficient statistics of everything that depends on a threshold (sweeps,
 * ROC and PR curves, per-group thresholds, the ThresholdOptimizer), built in one pass plus a sort
 * and mergeable by merging sorted keys.
 *
 * Threshold semantics (used by every function in src/thresholds): a row is predicted positive
 * when `score >= t`. A group with distinct scores s_0 < s_1 < … < s_{m−1} has m + 1 different
 * decisions, indexed k = 0 … m: decision k predicts positive exactly the rows with score ≥ s_k
 * (k = 0: everyone positive; k = m: no one). Any threshold t between s_{k−1} (exclusive) and s_k
 * (inclusive) gives decision k, so t = −∞ is decision 0 and t = +∞ decision m. The canonical
 * threshold of decision k is s_k, and +∞ for k = m.
 */
import { GROUP_STRIDE, SUMS_PER_CELL } from "../core/confusion.js";
import { FairkitError, messages } from "../core/errors.js";
import { type GroupEncoding, type GroupInfo, type SensitiveInput, encodeGroups, unionGroups } from "../core/groups.js";
import { optionalWeights, rowsByGroup } from "../core/prepare.js";
import { sortFloat64 } from "./radix-sort.js";
import {
  type BinaryInput,
  type NumericInput,
  checkLength,
  checkNotEmpty,
  toBinary,
  toScores,
} from "../core/validate.js";

/**
 * One group's scores. Per distinct score (ascending): weight, squared weight and rows of the
 * negatives and of the positives. Without weights the three arrays of a class are one and the
 * same array (weight = weight² = rows when every weight is 1), which halves the memory.
 */
export interface GroupScores {
  /** Distinct scores, strictly ascending. */
  scores: Float64Array;
  negWeight: Float64Array;
  negWeight2: Float64Array;
  negRows: Float64Array;
  posWeight: Float64Array;
  posWeight2: Float64Array;
  posRows: Float64Array;
}

/** Score tables of every group of an encoding. */
export interface ScoreTable {
  /** Sensitive column names. */
  columns: string[];
  /** Groups, index = group code. */
  groups: GroupInfo[];
  /** One per group, same order. */
  perGroup: GroupScores[];
}

/** Rows as the threshold functions take them: a score, a label and the groups per row. */
export interface ScoredRowsInput {
  scores: NumericInput;
  yTrue: BinaryInput;
  sensitiveFeatures: SensitiveInput;
  /** Non-negative weight per row; omitted means 1 each. */
  sampleWeight?: NumericInput;
  /** The value of `yTrue` that means positive, when it is not 0/1 or booleans. */
  posLabel?: unknown;
}

/** Checked scored rows. */
export interface PreparedScoredRows {
  scores: Float64Array;
  yTrue: Uint8Array;
  weights: Float64Array | undefined;
  encoding: GroupEncoding;
  n: number;
}

/** Validates and encodes scored rows with the core validator (same errors as everywhere). */
export function prepareScoredRows(input: ScoredRowsInput): PreparedScoredRows {
  const n = input.scores.length;
  checkNotEmpty(n, "scores");
  checkLength(input.yTrue, "yTrue", n, "scores");
  const scores = toScores(input.scores, "scores");
  const yTrue = toBinary(input.yTrue, "yTrue", input.posLabel);
  const weights = optionalWeights(input.sampleWeight, n, "scores");
  const encoding = encodeGroups(input.sensitiveFeatures, n, "scores");
  return { scores, yTrue, weights, encoding, n };
}

function lowerBound(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function distinctSorted(values: Float64Array): Float64Array {
  sortFloat64(values);
  let m = 0;
  for (let i = 0; i < values.length; i++) if (i === 0 || values[i] !== values[m - 1]) values[m++] = values[i];
  return values.slice(0, m);
}

function groupScoresFrom(
  scores: Float64Array,
  yTrue: Uint8Array,
  weights: Float64Array | undefined,
  rows: Int32Array,
): GroupScores {
  const r = rows.length;
  if (weights === undefined) {
    // Unweighted: sort positives and negatives separately (native typed-array sorts) and merge
    // the two runs, counting ties; no per-row search needed.
    let nPos = 0;
    for (let j = 0; j < r; j++) nPos += yTrue[rows[j]];
    const pos = new Float64Array(nPos);
    const neg = new Float64Array(r - nPos);
    let a = 0;
    let b = 0;
    for (let j = 0; j < r; j++) {
      const i = rows[j];
      if (yTrue[i]) pos[a++] = scores[i];
      else neg[b++] = scores[i];
    }
    sortFloat64(pos);
    sortFloat64(neg);
    const keys = new Float64Array(r);
    const pc = new Float64Array(r);
    const nc = new Float64Array(r);
    let m = 0;
    let i = 0;
    let j = 0;
    while (i < pos.length || j < neg.length) {
      const s = j >= neg.length || (i < pos.length && pos[i] < neg[j]) ? pos[i] : neg[j];
      let p = 0;
      let q = 0;
      while (i < pos.length && pos[i] === s) {
        p++;
        i++;
      }
      while (j < neg.length && neg[j] === s) {
        q++;
        j++;
      }
      keys[m] = s;
      pc[m] = p;
      nc[m] = q;
      m++;
    }
    const posWeight = pc.slice(0, m);
    const negWeight = nc.slice(0, m);
    return {
      scores: keys.slice(0, m),
      negWeight,
      negWeight2: negWeight,
      negRows: negWeight,
      posWeight,
      posWeight2: posWeight,
      posRows: posWeight,
    };
  }
  const gathered = new Float64Array(r);
  for (let j = 0; j < r; j++) gathered[j] = scores[rows[j]];
  const keys = distinctSorted(gathered);
  const t = emptyGroupScores(keys);
  for (let j = 0; j < r; j++) {
    const i = rows[j];
    const k = lowerBound(keys, scores[i]);
    const w = weights[i];
    if (yTrue[i]) {
      t.posWeight[k] += w;
      t.posWeight2[k] += w * w;
      t.posRows[k]++;
    } else {
      t.negWeight[k] += w;
      t.negWeight2[k] += w * w;
      t.negRows[k]++;
    }
  }
  return t;
}

function emptyGroupScores(keys: Float64Array): GroupScores {
  const m = keys.length;
  return {
    scores: keys,
    negWeight: new Float64Array(m),
    negWeight2: new Float64Array(m),
    negRows: new Float64Array(m),
    posWeight: new Float64Array(m),
    posWeight2: new Float64Array(m),
    posRows: new Float64Array(m),
  };
}

/**
 * Builds score tables from checked arrays (one pass per group plus a sort: O(n log n)).
 *
 * @example
 * const enc = encodeGroups(["a", "a", "b"]);
 * const table = buildScoreTable(Float64Array.of(0.2, 0.7, 0.7), Uint8Array.of(0, 1, 1), enc);
 * table.perGroup[0].scores; // [0.2, 0.7]
 */
export function buildScoreTable(
  scores: Float64Array,
  yTrue: Uint8Array,
  encoding: { columns: string[]; groups: GroupInfo[]; codes: Int32Array },
  weights?: Float64Array,
): ScoreTable {
  const G = encoding.groups.length;
  const { order, offsets } = rowsByGroup(encoding.codes, G);
  const perGroup: GroupScores[] = [];
  for (let g = 0; g < G; g++)
    perGroup.push(groupScoresFrom(scores, yTrue, weights, order.subarray(offsets[g], offsets[g + 1])));
  const table = { columns: [...encoding.columns], groups: encoding.groups, perGroup };
  if (weights !== undefined) checkFiniteScoreSums(table);
  return table;
}

/**
 * Score tables straight from user columns (validated like every other entry point).
 *
 * @example
 * const table = scoreTable({ scores: [0.1, 0.9, 0.4, 0.8], yTrue: [0, 1, 0, 1], sensitiveFeatures: ["a", "a", "b", "b"] });
 */
export function scoreTable(input: ScoredRowsInput): ScoreTable {
  const rows = prepareScoredRows(input);
  return buildScoreTable(rows.scores, rows.yTrue, rows.encoding, rows.weights);
}

function mergeGroupScores(a: GroupScores, b: GroupScores): GroupScores {
  const keys = new Float64Array(a.scores.length + b.scores.length);
  let m = 0;
  let i = 0;
  let j = 0;
  while (i < a.scores.length || j < b.scores.length) {
    const s = j >= b.scores.length || (i < a.scores.length && a.scores[i] <= b.scores[j]) ? a.scores[i] : b.scores[j];
    if (i < a.scores.length && a.scores[i] === s) i++;
    if (j < b.scores.length && b.scores[j] === s) j++;
    keys[m++] = s;
  }
  const out = emptyGroupScores(keys.slice(0, m));
  for (const src of [a, b]) {
    let k = 0;
    for (let q = 0; q < src.scores.length; q++) {
      while (out.scores[k] !== src.scores[q]) k++;
      out.negWeight[k] += src.negWeight[q];
      out.negWeight2[k] += src.negWeight2[q];
      out.negRows[k] += src.negRows[q];
      out.posWeight[k] += src.posWeight[q];
      out.posWeight2[k] += src.posWeight2[q];
      out.posRows[k] += src.posRows[q];
    }
  }
  return out;
}

/**
 * Adds two score tables over the same sensitive columns (e.g. from two chunks of a file). Groups
 * are matched by identity (their typed values), a group in only one table is kept, and when the
 * two lists differ the result is in level order, as {@link mergeConfusion} does.
 */
export function mergeScoreTables(a: ScoreTable, b: ScoreTable): ScoreTable {
  if (a.columns.join("\u0000") !== b.columns.join("\u0000")) {
    throw new FairkitError("BAD_ARGUMENT", messages.mergeColumns("score tables", a.columns, b.columns));
  }
  const { groups, fromA, fromB } = unionGroups(a.groups, b.groups, a.columns);
  const perGroup: (GroupScores | undefined)[] = new Array(groups.length).fill(undefined);
  for (const [table, into] of [
    [a, fromA],
    [b, fromB],
  ] as const) {
    table.perGroup.forEach((scores, g) => {
      const existing = perGroup[into[g]];
      perGroup[into[g]] = existing ? mergeGroupScores(existing, scores) : scores;
    });
  }
  const merged = { columns: [...a.columns], groups, perGroup: perGroup as GroupScores[] };
  checkFiniteScoreSums(merged);
  return merged;
}

/** Throws when a weight sum is not finite (weights too large to add up in double precision). */
export function checkFiniteScoreSums(table: ScoreTable): void {
  table.perGroup.forEach((g, i) => {
    const totals = groupTotals(g);
    let squares = 0;
    for (let k = 0; k < g.scores.length; k++) squares += g.negWeight2[k] + g.posWeight2[k];
    if (!Number.isFinite(totals.positives + totals.negatives) || !Number.isFinite(squares)) {
      throw new FairkitError(
        "BAD_WEIGHT",
        messages.scoreWeightsOverflow(table.groups[i].key, totals.positives + totals.negatives, squares),
        { argument: "sampleWeight" },
      );
    }
  });
}

/** The score tables of some groups only (in the order given), e.g. those large enough to compare. */
export function selectScoreGroups(table: ScoreTable, indexes: readonly number[]): ScoreTable {
  for (const g of indexes) {
    if (!(g >= 0 && g < table.groups.length))
      throw new FairkitError("BAD_ARGUMENT", messages.noSuchGroup(g, table.groups.length));
  }
  return {
    columns: [...table.columns],
    groups: indexes.map((g) => table.groups[g]),
    perGroup: indexes.map((g) => table.perGroup[g]),
  };
}

/** All groups pooled into one (e.g. for bins on the pooled scores). */
export function pooledScores(table: ScoreTable): GroupScores {
  if (table.perGroup.length === 0) return emptyGroupScores(new Float64Array(0));
  return table.perGroup.reduce((a, b) => mergeGroupScores(a, b));
}

/** Number of decisions of a group: distinct scores + 1. */
export function decisionCount(group: GroupScores): number {
  return group.scores.length + 1;
}

/** The decision index k of threshold t: the number of distinct scores below t (see the module notes). */
export function decisionIndex(group: GroupScores, threshold: number): number {
  if (Number.isNaN(threshold))
    throw new FairkitError("BAD_ARGUMENT", messages.thresholdNaN(), { argument: "threshold" });
  return lowerBound(group.scores, threshold);
}

/** The canonical threshold of decision k: s_k, or +∞ for k = m. */
export function thresholdOf(group: GroupScores, k: number): number {
  return k >= group.scores.length ? Number.POSITIVE_INFINITY : group.scores[k];
}

/**
 * Prefix sums of a group: `prefix[6·k + c]` is the sum of column c over distinct scores below
 * index k (columns: negWeight, negWeight2, negRows, posWeight, posWeight2, posRows). With it the
 * confusion counts of any decision are O(1).
 */
export function prefixSums(group: GroupScores): Float64Array {
  const m = group.scores.length;
  const cols = [group.negWeight, group.negWeight2, group.negRows, group.posWeight, group.posWeight2, group.posRows];
  const out = new Float64Array(6 * (m + 1));
  for (let k = 0; k < m; k++) {
    for (let c = 0; c < 6; c++) out[6 * (k + 1) + c] = out[6 * k + c] + cols[c][k];
  }
  return out;
}

/**
 * Writes the 12 confusion sums (the layout of src/core/confusion.ts: `[w, w², rows]` for TN, FP,
 * FN, TP) of decision k into `out`, from a group's {@link prefixSums}. Every metric of the core
 * metric table can then be evaluated at that threshold with `evaluateMetric`.
 */
export function cellsFromPrefix(
  prefix: Float64Array,
  k: number,
  out: Float64Array = new Float64Array(GROUP_STRIDE),
): Float64Array {
  const m = prefix.length / 6 - 1;
  const lo = 6 * k;
  const hi = 6 * m;
  for (let s = 0; s < 3; s++) {
    const negBelow = prefix[lo + s];
    const posBelow = prefix[lo + 3 + s];
    out[0 * SUMS_PER_CELL + s] = negBelow; // TN: negatives below the threshold
    out[1 * SUMS_PER_CELL + s] = prefix[hi + s] - negBelow; // FP
    out[2 * SUMS_PER_CELL + s] = posBelow; // FN
    out[3 * SUMS_PER_CELL + s] = prefix[hi + 3 + s] - posBelow; // TP
  }
  return out;
}

/** The 12 confusion sums of one group at threshold t (`score >= t` is positive). */
export function cellsAtThreshold(group: GroupScores, threshold: number): Float64Array {
  return cellsFromPrefix(prefixSums(group), decisionIndex(group, threshold));
}

/** Total weights of a group: negatives, positives and rows. */
export function groupTotals(group: GroupScores): { negatives: number; positives: number; rows: number } {
  let negatives = 0;
  let positives = 0;
  let rows = 0;
  for (let k = 0; k < group.scores.length; k++) {
    negatives += group.negWeight[k];
    positives += group.posWeight[k];
    rows += group.negRows[k] + group.posRows[k];
  }
  return { negatives, positives, rows };
}
