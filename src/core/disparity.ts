/**
 * Differences and ratios of a metric across groups. Every output states its method:
 *
 * - `between_groups`: difference = max − min over groups; ratio = min / max.
 * - `to_overall`: difference = max over groups of |value − overall|; ratio = min over groups of
 *   min(value / overall, overall / value).
 * - `to_reference`: as `to_overall`, against a named reference group instead of the overall value.
 *
 * So differences are ≥ 0 and ratios of non-negative metrics lie in [0, 1]; 1 and 0 mean parity.
 * Groups whose value is undefined (NaN) are left out and reported; with fewer than two defined
 * values (one, for the comparisons to a fixed value) the result is NaN.
 */
import { FairkitError, messages } from "./errors.js";
import type { GroupReference } from "./groups.js";

/** How groups are compared. */
export type DisparityMethod = "between_groups" | "to_overall" | "to_reference";

/** Options of every difference/ratio. */
export interface DisparityOptions {
  /** Default `between_groups`. */
  method?: DisparityMethod;
  /** With `to_reference`: the reference group's label (`"Caucasian"`), its values by column, or its tuple. */
  reference?: GroupReference;
}

/** A difference or ratio with what it left out. */
export interface Disparity {
  value: number;
  /** Indexes of groups left out because their value is undefined. */
  excluded: number[];
}

function target(values: ArrayLike<number>, overall: number, method: DisparityMethod, referenceIndex: number): number {
  if (method === "to_overall") return overall;
  if (method === "to_reference") return values[referenceIndex];
  throw new FairkitError("BAD_ARGUMENT", messages.unknownDisparityMethod(method), { argument: "method" });
}

function defined(values: ArrayLike<number>): { kept: number[]; excluded: number[] } {
  const kept: number[] = [];
  const excluded: number[] = [];
  for (let g = 0; g < values.length; g++) (Number.isNaN(values[g]) ? excluded : kept).push(g);
  return { kept, excluded };
}

/**
 * The difference of per-group `values`.
 * @param overall the metric on all rows (used by `to_overall`)
 * @param referenceIndex the reference group's index (used by `to_reference`)
 */
export function disparityDifference(
  values: ArrayLike<number>,
  overall: number,
  method: DisparityMethod = "between_groups",
  referenceIndex = -1,
): Disparity {
  const { kept, excluded } = defined(values);
  if (method === "between_groups") {
    if (kept.length < 2) return { value: Number.NaN, excluded };
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    for (const g of kept) {
      min = Math.min(min, values[g]);
      max = Math.max(max, values[g]);
    }
    return { value: max - min, excluded };
  }
  const t = target(values, overall, method, referenceIndex);
  if (kept.length === 0 || Number.isNaN(t)) return { value: Number.NaN, excluded };
  let worst = 0;
  for (const g of kept) worst = Math.max(worst, Math.abs(values[g] - t));
  return { value: worst, excluded };
}

/** The ratio of per-group `values`; see the module notes for each method. */
export function disparityRatio(
  values: ArrayLike<number>,
  overall: number,
  method: DisparityMethod = "between_groups",
  referenceIndex = -1,
): Disparity {
  const { kept, excluded } = defined(values);
  if (method === "between_groups") {
    if (kept.length < 2) return { value: Number.NaN, excluded };
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    for (const g of kept) {
      min = Math.min(min, values[g]);
      max = Math.max(max, values[g]);
    }
    return { value: min / max, excluded };
  }
  const t = target(values, overall, method, referenceIndex);
  if (kept.length === 0 || Number.isNaN(t)) return { value: Number.NaN, excluded };
  let worst = Number.POSITIVE_INFINITY;
  for (const g of kept) {
    const r = values[g] / t;
    worst = Math.min(worst, r, 1 / r);
  }
  return { value: worst, excluded };
}

/**
 * The two groups that set a difference or ratio, as `[a, b]` indexes into `values` (-1 stands for
 * the overall value, with `to_overall`): for a difference the value is a − b, a the higher; for a
 * ratio it is a / b, a the lower. Between groups that is [max, min] and [min, max]; compared to the
 * overall value or to the reference, the worst group and the overall value or the reference, in
 * that order or the other. Ties go to the first group in order; the reference is never paired
 * with itself. Null when no pair sets a defined value (fewer than two defined values, the
 * reference's value undefined, or no other group defined).
 *
 * @example
 * disparityGroups([0.2, 0.5, 0.3], Number.NaN, "between_groups", -1, "difference"); // [1, 0]
 */
export function disparityGroups(
  values: ArrayLike<number>,
  overall: number,
  method: DisparityMethod = "between_groups",
  referenceIndex = -1,
  kind: "difference" | "ratio" = "difference",
): [number, number] | null {
  const { kept } = defined(values);
  if (method === "between_groups") {
    if (kept.length < 2) return null;
    let min = kept[0];
    let max = kept[0];
    for (const g of kept) {
      if (values[g] < values[min]) min = g;
      if (values[g] > values[max]) max = g;
    }
    // All equal: the first two groups, so that a pair is still named.
    if (min === max) max = kept[1];
    return kind === "difference" ? [max, min] : [min, max];
  }
  const t = target(values, overall, method, referenceIndex);
  const other = method === "to_overall" ? -1 : referenceIndex;
  if (Number.isNaN(t)) return null;
  let worst = -1;
  let worstScore = Number.NaN;
  for (const g of kept) {
    if (g === other) continue;
    const v = values[g];
    const score = kind === "difference" ? Math.abs(v - t) : -Math.min(v / t, t / v);
    if (worst < 0 || score > worstScore) {
      worst = g;
      worstScore = score;
    }
  }
  if (worst < 0) return null;
  const higher = values[worst] >= t;
  if (kind === "difference") return higher ? [worst, other] : [other, worst];
  return higher ? [other, worst] : [worst, other];
}
