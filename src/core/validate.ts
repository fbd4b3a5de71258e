/**
 * The one input validator. Every entry point (functions, MetricFrame, thresholds, mitigations)
 * turns user columns into checked typed arrays here, so a mistake gets the same clear error
 * wherever it is made.
 */
import { FairkitError, messages } from "./errors.js";

/** A label or decision column: 0/1, booleans, or any values with a `posLabel`. */
export type BinaryInput = ArrayLike<number | boolean | string | bigint | null | undefined>;
/** A numeric column (weights, scores). */
export type NumericInput = ArrayLike<number | null | undefined>;

function isMissing(v: unknown): boolean {
  return v === null || v === undefined || (typeof v === "number" && Number.isNaN(v));
}

/** Throws unless the input has at least one row. */
export function checkNotEmpty(length: number, argument: string): void {
  if (length === 0) throw new FairkitError("EMPTY_INPUT", messages.empty(argument), { argument });
}

/** Throws unless `values` has `expected` rows. */
export function checkLength(
  values: ArrayLike<unknown>,
  argument: string,
  expected: number,
  expectedArgument: string,
): void {
  if (values.length !== expected) {
    throw new FairkitError(
      "LENGTH_MISMATCH",
      messages.lengthMismatch(argument, values.length, expectedArgument, expected),
      { argument },
    );
  }
}

/**
 * The bit a value means without a positive value named: 0/1, booleans, 0n/1n, and the texts
 * `0`/`1` (also `0.0`/`1.0`, as tools that store labels as floats write them) and `true`/`false`
 * in any case. Nothing else — `yes`/`no`, `t`/`f`, `Y`/`N` need a positive value named, because
 * the data does not say which is good news. Undefined when the value is none of these.
 */
export function naturalBit(v: unknown): 0 | 1 | undefined {
  if (v === true || v === 1 || v === 1n) return 1;
  if (v === false || v === 0 || v === 0n) return 0;
  if (typeof v === "string") {
    const s = v.trim().toLowerCase();
    if (s === "true" || /^\+?0*1(\.0*)?$/.test(s)) return 1;
    if (s === "false" || /^[+-]?0+(\.0*)?$|^[+-]?\.0+$/.test(s)) return 0;
  }
  return undefined;
}

/** True when every value is 0/1, a boolean or 0n/1n, so the column needs no positive value named. */
export function isNaturalBinary(values: BinaryInput): boolean {
  if (values instanceof Uint8Array) {
    for (let i = 0; i < values.length; i++) if (values[i] > 1) return false;
    return true;
  }
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!(v === 0 || v === 1 || v === true || v === false || v === 0n || v === 1n || isMissing(v))) return false;
  }
  return true;
}

/**
 * Converts a label or decision column to 0/1 bytes.
 *
 * Without `posLabel` the values must be 0/1 or true/false. With `posLabel`, a row is positive
 * when its value equals `posLabel` (compared as text too, so `"1"` matches `1`), and every other
 * present value is negative; a `posLabel` that occurs on no row is an error (a typo would
 * otherwise make everyone negative). Missing values (null, undefined, NaN) are always an error: a
 * label cannot be guessed.
 */
export function toBinary(
  values: BinaryInput,
  argument: string,
  posLabel?: unknown,
  posArgument = "posLabel",
): Uint8Array {
  const n = values.length;
  const out = new Uint8Array(n);
  if (posLabel === undefined || posLabel === null) {
    if (values instanceof Uint8Array) {
      for (let i = 0; i < n; i++) if (values[i] > 1) notBinary(values, argument, i);
      out.set(values);
      return out;
    }
    for (let i = 0; i < n; i++) {
      const v = values[i];
      if (v === 1 || v === true) out[i] = 1;
      else if (v === 0 || v === false) out[i] = 0;
      else if (isMissing(v))
        throw new FairkitError("MISSING_LABEL", messages.missingLabel(argument, i, v), { argument, row: i });
      else if (typeof v === "bigint" && (v === 0n || v === 1n)) out[i] = Number(v);
      else notBinary(values, argument, i);
    }
    return out;
  }
  const pos = String(posLabel);
  let positives = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (isMissing(v))
      throw new FairkitError("MISSING_LABEL", messages.missingLabel(argument, i, v), { argument, row: i });
    const p = v === posLabel || String(v) === pos ? 1 : 0;
    out[i] = p;
    positives += p;
  }
  if (positives === 0 && n > 0) {
    const distinct = new Set<unknown>();
    for (let i = 0; i < n && distinct.size < 6; i++) distinct.add(values[i]);
    throw new FairkitError("NOT_BINARY", messages.posLabelAbsent(argument, posArgument, posLabel, [...distinct]), {
      argument: posArgument,
    });
  }
  return out;
}

/**
 * Decisions to 0/1 bytes, with their own encoding: 0/1 or booleans are read as they are; any other
 * values need the positive value, `predPosLabel`, which defaults to the labels' `posLabel` (so
 * `"yes"`/`"no"` labels and decisions need one setting, while text labels and 0/1 decisions need
 * none).
 */
export function toDecisions(
  values: BinaryInput,
  argument: string,
  posLabel?: unknown,
  predPosLabel?: unknown,
): Uint8Array {
  if (predPosLabel !== undefined && predPosLabel !== null)
    return toBinary(values, argument, predPosLabel, "predPosLabel");
  if (isNaturalBinary(values)) return toBinary(values, argument);
  return toBinary(values, argument, posLabel, "posLabel");
}

function notBinary(values: BinaryInput, argument: string, row: number): never {
  const distinct = new Set<unknown>();
  for (let i = 0; i < values.length && distinct.size < 6; i++) if (!isMissing(values[i])) distinct.add(values[i]);
  throw new FairkitError("NOT_BINARY", messages.notBinary(argument, [...distinct], row), { argument, row });
}

/**
 * Checks sample weights: finite and >= 0. Returns them as Float64Array. Weights that are all zero
 * are allowed (a chunk may carry none); every metric of such rows is then undefined and reported.
 */
export function toWeights(values: NumericInput, argument = "sampleWeight"): Float64Array {
  const n = values.length;
  const out = values instanceof Float64Array ? values : new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (typeof v !== "number" || !Number.isFinite(v) || v < 0) {
      throw new FairkitError("BAD_WEIGHT", messages.badWeight(argument, i, v), { argument, row: i });
    }
    out[i] = v;
  }
  return out;
}

/**
 * The weight of each of `rows` rows: `sampleWeight` checked (one per row, finite, >= 0) and copied,
 * or 1 each when it is omitted. `against` names what gives the row count, for the message.
 */
export function rowWeights(sampleWeight: ArrayLike<number> | undefined, rows: number, against: string): Float64Array {
  if (sampleWeight === undefined) return new Float64Array(rows).fill(1);
  if (sampleWeight.length !== rows)
    throw new FairkitError("LENGTH_MISMATCH", messages.rowsDiffer("sampleWeight", sampleWeight.length, against, rows), {
      argument: "sampleWeight",
    });
  return toWeights(Float64Array.from(sampleWeight));
}

/** Checks scores: every value a finite number. Returns them as Float64Array. */
export function toScores(values: NumericInput, argument = "scores"): Float64Array {
  const n = values.length;
  const out = values instanceof Float64Array ? values : new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (typeof v !== "number" || !Number.isFinite(v)) {
      throw new FairkitError("BAD_SCORE", messages.badScore(argument, i, v), { argument, row: i });
    }
    out[i] = v;
  }
  return out;
}
