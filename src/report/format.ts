/** Number and text formatting shared by the HTML and Markdown renderers, so both show the same digits. */

/** A rate or ratio to 3 decimals; undefined values (NaN, null) as an em dash. */
export function num(value: number | null | undefined, digits = 3): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "—";
  return value.toFixed(digits);
}

/** A share as a percentage to one decimal. */
export function pct(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "—";
  return `${(100 * value).toFixed(1)}%`;
}

/** A confidence level as people write it: 0.95 → "95%", 0.9 → "90%", 0.995 → "99.5%". */
export function levelText(level: number): string {
  return `${Number((100 * level).toFixed(3))}%`;
}

/** A p-value: 3 significant digits, or "< 1e-12". */
export function pValue(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return "—";
  if (value < 1e-12) return "< 1e-12";
  return value < 0.001 ? value.toExponential(2) : value.toFixed(3);
}

/** An interval `[low, high]`. */
export function interval(iv: readonly (number | null)[] | undefined): string {
  if (!iv || iv[0] === null || iv[1] === null || !Number.isFinite(iv[0]) || !Number.isFinite(iv[1])) return "—";
  const [lo, hi] = iv as [number, number];
  // An en dash between negative numbers reads as a minus sign: use "to" when either end is negative.
  return lo < 0 || hi < 0 ? `${lo.toFixed(3)} to ${hi.toFixed(3)}` : `${lo.toFixed(3)}–${hi.toFixed(3)}`;
}

/** A whole count with thousands separators. */
export function count(value: number): string {
  return Number.isInteger(value) ? value.toLocaleString("en-US") : value.toFixed(2);
}

/** The statuses of the four-fifths rule in words. */
export const FOUR_FIFTHS_WORDS: Record<string, string> = {
  highest: "highest rate (comparison group)",
  adverse_impact: "below 0.8 and significant: adverse impact indicated",
  below_threshold_not_significant:
    "below 0.8, not significant: too few people here or in the comparison group to tell it from chance",
  significant_above_threshold: "at or above 0.8, but the difference is significant",
  no_adverse_impact: "no adverse impact indicated",
  undefined: "undefined (no rows or nobody selected)",
  too_small: "too few people to rate (not used for comparison)",
};
