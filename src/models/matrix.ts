/**
 * Feature matrices: dense, row-major Float64Array with their shape. Every learner and mitigation
 * takes this one form, so data moves between them without copies or conversions.
 */
import { FairkitError, messages } from "../core/errors.js";

/** A dense row-major matrix: entry (i, j) is `data[i * cols + j]`. */
export interface Matrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
}

/** What the learners accept as features: a {@link Matrix} or an array of numeric rows. */
export type MatrixInput = Matrix | readonly (readonly number[])[];

/** True when `x` is a {@link Matrix}. */
export function isMatrix(x: unknown): x is Matrix {
  return (
    typeof x === "object" &&
    x !== null &&
    "data" in x &&
    (x as Matrix).data instanceof Float64Array &&
    "rows" in x &&
    "cols" in x
  );
}

/** An all-zero matrix. */
export function zeros(rows: number, cols: number): Matrix {
  return { rows, cols, data: new Float64Array(rows * cols) };
}

/**
 * Converts rows of numbers (or a Matrix, returned as it is) to a {@link Matrix}, checking that
 * every row has the same length and every value is finite.
 * @example
 * toMatrix([[1, 2], [3, 4]]); // { rows: 2, cols: 2, data: Float64Array [1, 2, 3, 4] }
 */
export function toMatrix(x: MatrixInput, argument = "X"): Matrix {
  if (isMatrix(x)) {
    if (x.data.length !== x.rows * x.cols) {
      throw new FairkitError("BAD_ARGUMENT", messages.matrixShape(argument, x.data.length, x.rows, x.cols), {
        argument,
      });
    }
    return x;
  }
  const rows = x.length;
  const cols = rows > 0 ? x[0].length : 0;
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    const row = x[i];
    if (row.length !== cols) {
      throw new FairkitError("LENGTH_MISMATCH", messages.raggedRow(argument, i, row.length, cols), {
        argument,
        row: i,
      });
    }
    for (let j = 0; j < cols; j++) data[i * cols + j] = row[j];
  }
  return { rows, cols, data };
}

/** Throws unless every value is a finite number (learners cannot use NaN features). */
export function checkFinite(x: Matrix, argument = "X"): void {
  const { data, cols } = x;
  for (let k = 0; k < data.length; k++) {
    if (!Number.isFinite(data[k])) {
      const row = Math.floor(k / cols);
      throw new FairkitError("BAD_ARGUMENT", messages.nonFiniteFeature(argument, data[k], row, k % cols), {
        argument,
        row,
      });
    }
  }
}

/** The matrix as an array of rows (for printing and JSON). */
export function matrixToRows(x: Matrix): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < x.rows; i++) out.push(Array.from(x.data.subarray(i * x.cols, (i + 1) * x.cols)));
  return out;
}

/** The rows at `index`, in that order (repeats allowed: resampling uses this). */
export function takeRows(x: Matrix, index: ArrayLike<number>): Matrix {
  const { cols } = x;
  const data = new Float64Array(index.length * cols);
  for (let r = 0; r < index.length; r++) data.set(x.data.subarray(index[r] * cols, (index[r] + 1) * cols), r * cols);
  return { rows: index.length, cols, data };
}

/** The columns at `index`, in that order. */
export function takeColumns(x: Matrix, index: readonly number[]): Matrix {
  const { rows, cols } = x;
  const m = index.length;
  const data = new Float64Array(rows * m);
  for (let i = 0; i < rows; i++) for (let j = 0; j < m; j++) data[i * m + j] = x.data[i * cols + index[j]];
  return { rows, cols: m, data };
}

/** Values of one column. */
export function column(x: Matrix, j: number): Float64Array {
  const out = new Float64Array(x.rows);
  for (let i = 0; i < x.rows; i++) out[i] = x.data[i * x.cols + j];
  return out;
}

/** Picks the values of a per-row array at `index`. */
export function takeValues<T extends ArrayLike<unknown>>(
  values: T,
  index: ArrayLike<number>,
): T extends Float64Array
  ? Float64Array
  : T extends Uint8Array
    ? Uint8Array
    : T extends Int32Array
      ? Int32Array
      : unknown[] {
  const n = index.length;
  let out: { [k: number]: unknown; length: number };
  if (values instanceof Float64Array) out = new Float64Array(n);
  else if (values instanceof Uint8Array) out = new Uint8Array(n);
  else if (values instanceof Int32Array) out = new Int32Array(n);
  else out = new Array(n);
  for (let r = 0; r < n; r++) out[r] = values[index[r]];
  return out as never;
}

/** The columns of `a` then those of `b`, row by row (same row count). */
export function appendColumns(a: Matrix, b: Matrix): Matrix {
  const cols = a.cols + b.cols;
  const data = new Float64Array(a.rows * cols);
  for (let i = 0; i < a.rows; i++) {
    data.set(a.data.subarray(i * a.cols, (i + 1) * a.cols), i * cols);
    data.set(b.data.subarray(i * b.cols, (i + 1) * b.cols), i * cols + a.cols);
  }
  return { rows: a.rows, cols, data };
}
