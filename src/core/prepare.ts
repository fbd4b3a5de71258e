/**
 * From user columns to checked arrays, group codes and confusion counts: the shared first step of
 * MetricFrame, the criteria functions and calibration.
 */
import { type ConfusionTable, GROUP_STRIDE, SUMS_PER_CELL, countConfusion } from "./confusion.js";
import {
  type Column,
  type GroupEncoding,
  type IntegerColumnPlan,
  type SensitiveInput,
  TABLE_LIMIT,
  encodeGroups,
  groupsOfRadixCodes,
  integerColumnPlan,
} from "./groups.js";
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

/** Checked rows. The arrays may be the caller's own (the fused path does not copy): read them, never write. */
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
  return rowsAndCounts(input).table;
}

/** Checked rows and their confusion counts: the fused fast path for typed inputs, else the general one. */
export function rowsAndCounts(input: RowsInput): { rows: PreparedRows; table: ConfusionTable } {
  const fast = fastRowsAndCounts(input);
  if (fast) return fast;
  const rows = prepareRows(input);
  return { rows, table: countConfusion(rows.yTrue, rows.yPred, rows.encoding, rows.weights) };
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

/**
 * The fast path of {@link prepareRows} followed by `countConfusion`, for the typed inputs of large
 * in-memory data: 0/1 labels and decisions in Uint8Arrays, no weights, and sensitive columns that
 * are integer typed arrays. Each column's levels come from a table over its value range (two passes
 * over the column), then one fused pass computes every row's group code, checks the labels and
 * counts the cells; no per-row allocation. The result equals the general path's, field for field
 * (a property test holds them equal). Sensitive columns may also be categorical with Int32Array
 * codes (their levels known, only each code's range is checked). Undefined when the inputs are of
 * another kind, or when a label, decision or code is out of range (the general path then says which row).
 */
export function fastRowsAndCounts(input: RowsInput): { rows: PreparedRows; table: ConfusionTable } | undefined {
  const { yTrue, yPred } = input;
  if (!(yTrue instanceof Uint8Array && yPred instanceof Uint8Array)) return undefined;
  if (input.sampleWeight !== undefined || input.posLabel !== undefined || input.predPosLabel !== undefined)
    return undefined;
  const n = yTrue.length;
  if (n === 0 || yPred.length !== n || !isColumnRecord(input.sensitiveFeatures)) return undefined;
  const named = Object.entries(input.sensitiveFeatures as Record<string, Column>);
  if (named.length === 0 || named.length > 3) return undefined;
  const plans: IntegerColumnPlan[] = [];
  for (const [name, column] of named) {
    const plan = integerColumnPlan(column, n, name);
    if (!plan) return undefined;
    plans.push(plan);
  }
  // A categorical column's codes must each name a level: (code >>> 0) >= m catches the negative
  // (missing) and the too large alike, and sends the rows to the general path, which says which.
  const limit = plans.map((p) => (p.categorical ? p.levels.length : 0x7fffffff));
  const radix = plans.map((p) => p.levels.length);
  const strides: number[] = new Array(radix.length);
  let space = 1;
  for (let c = radix.length - 1; c >= 0; c--) {
    strides[c] = space;
    space *= radix[c];
  }
  if (space > TABLE_LIMIT) return undefined;
  const codes = new Int32Array(n);
  const cells = new Float64Array(space * 4);
  let bad = 0;
  // One loop per column count, so that the hot loop has no inner loop over columns.
  const [a, b, c] = plans;
  if (plans.length === 1) {
    const va = a.values;
    const sa = a.slot;
    const ma = a.min;
    const [la] = limit;
    for (let i = 0; i < n; i++) {
      const y = yTrue[i];
      const p = yPred[i];
      const ia = va[i] - ma;
      bad |= y | p | (ia >>> 0 >= la ? 2 : 0);
      const code = sa[ia];
      codes[i] = code;
      cells[code * 4 + 2 * y + p]++;
    }
  } else if (plans.length === 2 && isIdentity(a) && isIdentity(b)) {
    // Codes that are already level indexes (categorical codes, or integers 0…m−1 all present): no table.
    const [va, vb] = [a.values, b.values];
    const ka = strides[0];
    const [la, lb] = [a.levels.length, b.levels.length];
    for (let i = 0; i < n; i++) {
      const y = yTrue[i];
      const p = yPred[i];
      const ia = va[i];
      const ib = vb[i];
      bad |= y | p | (ia >>> 0 >= la || ib >>> 0 >= lb ? 2 : 0);
      const code = ia * ka + ib;
      codes[i] = code;
      cells[code * 4 + 2 * y + p]++;
    }
  } else if (plans.length === 2) {
    const [va, vb] = [a.values, b.values];
    const [sa, sb] = [a.slot, b.slot];
    const [ma, mb] = [a.min, b.min];
    const ka = strides[0];
    const [la, lb] = limit;
    for (let i = 0; i < n; i++) {
      const y = yTrue[i];
      const p = yPred[i];
      const ia = va[i] - ma;
      const ib = vb[i] - mb;
      bad |= y | p | (ia >>> 0 >= la || ib >>> 0 >= lb ? 2 : 0);
      const code = sa[ia] * ka + sb[ib];
      codes[i] = code;
      cells[code * 4 + 2 * y + p]++;
    }
  } else {
    const [va, vb, vc] = [a.values, b.values, c.values];
    const [sa, sb, sc] = [a.slot, b.slot, c.slot];
    const [ma, mb, mc] = [a.min, b.min, c.min];
    const [ka, kb] = [strides[0], strides[1]];
    const [la, lb, lc] = limit;
    for (let i = 0; i < n; i++) {
      const y = yTrue[i];
      const p = yPred[i];
      const ia = va[i] - ma;
      const ib = vb[i] - mb;
      const ic = vc[i] - mc;
      bad |= y | p | (ia >>> 0 >= la || ib >>> 0 >= lb || ic >>> 0 >= lc ? 2 : 0);
      const code = sa[ia] * ka + sb[ib] * kb + sc[ic];
      codes[i] = code;
      cells[code * 4 + 2 * y + p]++;
    }
  }
  // A label or decision that is not 0/1, or a code that names no level: the general path says which row.
  if (bad > 1) return undefined;
  // The combinations that occur, in code order (the order of the levels), and dense codes for them.
  const present: number[] = [];
  const dense = new Int32Array(space).fill(-1);
  for (let k = 0; k < space; k++) {
    if (cells[4 * k] + cells[4 * k + 1] + cells[4 * k + 2] + cells[4 * k + 3] > 0) dense[k] = present.push(k) - 1;
  }
  if (present.length < space) for (let i = 0; i < n; i++) codes[i] = dense[codes[i]];
  const columns = named.map(([name]) => name);
  const groups = groupsOfRadixCodes(
    present,
    columns,
    plans.map((p) => p.levels),
    strides,
    radix,
  );
  const data = new Float64Array(present.length * GROUP_STRIDE);
  present.forEach((k, g) => {
    for (let cell = 0; cell < 4; cell++) {
      const count = cells[4 * k + cell];
      const base = g * GROUP_STRIDE + cell * SUMS_PER_CELL;
      data[base] = count;
      data[base + 1] = count;
      data[base + 2] = count;
    }
  });
  const missing: Record<string, number> = {};
  for (const name of columns) missing[name] = 0;
  const encoding: GroupEncoding = { columns, codes, groups, missing };
  return {
    // The inputs themselves, not copies: prepared rows are read only while the frame is built.
    rows: { yTrue, yPred, weights: undefined, encoding, n },
    table: { columns: [...columns], groups, data },
  };
}

/** True when a column's table maps each value to itself (values are level indexes 0…m−1). */
function isIdentity(plan: IntegerColumnPlan): boolean {
  if (plan.min !== 0) return false;
  for (let k = 0; k < plan.slot.length; k++) if (plan.slot[k] !== k) return false;
  return true;
}

/** True for a record of named columns (not a single column). */
function isColumnRecord(input: SensitiveInput): boolean {
  return (
    input !== null &&
    typeof input === "object" &&
    !ArrayBuffer.isView(input) &&
    !Array.isArray(input) &&
    !("codes" in (input as object) && "levels" in (input as object))
  );
}
