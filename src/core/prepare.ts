/**
 * From user columns to checked arrays, group codes and confusion counts: the shared first step of
 * MetricFrame, the criteria functions and calibration.
 */
import { type ConfusionTable, countConfusion } from "./confusion.js";
import { type GroupEncoding, type SensitiveInput, encodeGroups } from "./groups.js";
import {
  type BinaryInput,
  type NumericInput,
  checkLength,
  checkNotEmpty,
  toBinary,
  toDecisions,
  toWeights,
} from "./validate.js";

/** Labels, decisions, groups and weights, as every group computation takes them. */
export interface RowsInput {
  yTrue: BinaryInput;
  yPred: BinaryInput;
  sensitiveFeatures: SensitiveInput;
  /** Non-negative weight per row; omitted means 1 each. */
  sampleWeight?: NumericInput;
  /** The value of `yTrue` that means positive, when the labels are not 0/1 or booleans. */
  posLabel?: unknown;
  /**
   * The value of `yPred` that means positive, when the decisions are not 0/1 or booleans; default
   * `posLabel`. Decisions that are 0/1 or booleans are read as they are.
   */
  predPosLabel?: unknown;
}

/** Checked rows. */
export interface PreparedRows {
  yTrue: Uint8Array;
  yPred: Uint8Array;
  weights: Float64Array | undefined;
  encoding: GroupEncoding;
  n: number;
}

/** Labels, decisions and weights without groups (see {@link RowsInput}). */
export type LabelsInput = Omit<RowsInput, "sensitiveFeatures">;

/** Validates labels, decisions and weights: the first step of every function over rows. */
export function prepareLabels(input: LabelsInput): Omit<PreparedRows, "encoding"> {
  const n = input.yTrue.length;
  checkNotEmpty(n, "yTrue");
  checkLength(input.yPred, "yPred", n, "yTrue");
  const yTrue = toBinary(input.yTrue, "yTrue", input.posLabel);
  const yPred = toDecisions(input.yPred, "yPred", input.posLabel, input.predPosLabel);
  return { yTrue, yPred, weights: optionalWeights(input.sampleWeight, n, "yTrue"), n };
}

/** Checks optional sample weights against the row count of `expectedArgument`. */
export function optionalWeights(
  sampleWeight: NumericInput | undefined,
  n: number,
  expectedArgument: string,
): Float64Array | undefined {
  if (sampleWeight === undefined) return undefined;
  checkLength(sampleWeight, "sampleWeight", n, expectedArgument);
  return toWeights(sampleWeight);
}

/** Validates and encodes rows (see {@link RowsInput}). */
export function prepareRows(input: RowsInput): PreparedRows {
  const labels = prepareLabels(input);
  return { ...labels, encoding: encodeGroups(input.sensitiveFeatures, labels.n) };
}

/** Confusion counts per group straight from user columns. */
export function confusionFromRows(input: RowsInput): ConfusionTable {
  const rows = prepareRows(input);
  return countConfusion(rows.yTrue, rows.yPred, rows.encoding, rows.weights);
}

/**
 * Row indexes grouped by code (a counting sort): rows of group g are
 * `order.subarray(offsets[g], offsets[g + 1])`.
 */
export function rowsByGroup(codes: Int32Array, nGroups: number): { order: Int32Array; offsets: Int32Array } {
  const offsets = new Int32Array(nGroups + 1);
  for (let i = 0; i < codes.length; i++) offsets[codes[i] + 1]++;
  for (let g = 0; g < nGroups; g++) offsets[g + 1] += offsets[g];
  const cursor = offsets.slice(0, nGroups);
  const order = new Int32Array(codes.length);
  for (let i = 0; i < codes.length; i++) order[cursor[codes[i]]++] = i;
  return { order, offsets };
}
