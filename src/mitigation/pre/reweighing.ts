/**
 * Reweighing (Kamiran & Calders 2012): weights that make the label statistically independent of
 * the sensitive features in the training data. A row in group a with label y gets
 *
 *     w(a, y) = P(a) · P(y) / P(a, y)
 *
 * the count the cell would have under independence over the count it has. The data and the labels
 * are untouched; any learner that takes `sampleWeight` trains on the reweighed data.
 */
import { encodeGroups, type GroupInfo, type SensitiveInput } from "../../core/groups.js";
import {
  type BinaryInput,
  type NumericInput,
  checkLength,
  checkNotEmpty,
  toBinary,
  toWeights,
} from "../../core/validate.js";

/** Options of {@link reweighing}. */
export interface ReweighingOptions {
  /** Existing row weights: probabilities are weighted by them and the result multiplies them. */
  sampleWeight?: NumericInput;
  /** The value of `y` that means positive, when it is not 0/1 or boolean. */
  posLabel?: unknown;
}

/** One (group, label) cell of the reweighing table. */
export interface ReweighingCell {
  group: string;
  values: GroupInfo["values"];
  label: 0 | 1;
  /** Rows in the cell (unweighted). */
  rows: number;
  /** P(a) · P(y): the cell's share under independence. */
  expected: number;
  /** P(a, y): the cell's share in the data. */
  observed: number;
  /** expected / observed (NaN for an empty cell, which no row uses). */
  weight: number;
}

/** The result of {@link reweighing}. */
export interface ReweighingResult {
  /** The new weight of every row (times its input weight, if any). */
  sampleWeight: Float64Array;
  /** The table behind them: one entry per group and label, groups in group order, label 0 first. */
  cells: ReweighingCell[];
}

/**
 * Kamiran & Calders' reweighing.
 *
 * @example
 * const { sampleWeight, cells } = reweighing([1, 1, 0, 0, 0, 1], { sex: ["F", "M", "F", "F", "M", "M"] });
 * // F has 1 positive of 3, M 2 of 3: positives in F weigh (1/2 · 1/2) / (1/6) = 1.5
 */
export function reweighing(
  y: BinaryInput,
  sensitiveFeatures: SensitiveInput,
  options: ReweighingOptions = {},
): ReweighingResult {
  const n = y.length;
  checkNotEmpty(n, "y");
  const labels = toBinary(y, "y", options.posLabel);
  let weights: Float64Array | undefined;
  if (options.sampleWeight !== undefined) {
    checkLength(options.sampleWeight, "sampleWeight", n, "y");
    weights = toWeights(Float64Array.from(options.sampleWeight as ArrayLike<number>));
  }
  const encoding = encodeGroups(sensitiveFeatures, n, "y");
  const G = encoding.groups.length;
  const cellWeight = new Float64Array(2 * G);
  const cellRows = new Float64Array(2 * G);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const w = weights ? weights[i] : 1;
    const k = 2 * encoding.codes[i] + labels[i];
    cellWeight[k] += w;
    cellRows[k]++;
    total += w;
  }
  const labelWeight = [0, 0];
  for (let g = 0; g < G; g++) {
    labelWeight[0] += cellWeight[2 * g];
    labelWeight[1] += cellWeight[2 * g + 1];
  }
  const factor = new Float64Array(2 * G);
  const cells: ReweighingCell[] = [];
  for (let g = 0; g < G; g++) {
    const groupShare = (cellWeight[2 * g] + cellWeight[2 * g + 1]) / total;
    for (const label of [0, 1] as const) {
      const k = 2 * g + label;
      const expected = (groupShare * labelWeight[label]) / total;
      const observed = cellWeight[k] / total;
      factor[k] = observed > 0 ? expected / observed : Number.NaN;
      const info = encoding.groups[g];
      cells.push({
        group: info.key,
        values: info.values,
        label,
        rows: cellRows[k],
        expected,
        observed,
        weight: factor[k],
      });
    }
  }
  const sampleWeight = new Float64Array(n);
  for (let i = 0; i < n; i++) sampleWeight[i] = factor[2 * encoding.codes[i] + labels[i]] * (weights ? weights[i] : 1);
  return { sampleWeight, cells };
}
