/**
 * Exact confusion counts of a randomised classifier. A row decided positive with probability p
 * counts as p of a positive decision and 1 − p of a negative one, so every metric the core
 * computes from the counts is the exact expected value, not one sampled draw. The core's counts
 * are used as they are: each row enters twice, once per decision, weighted by its probability.
 */
import { type ConfusionTable, GROUP_STRIDE, SUMS_PER_CELL, countConfusion } from "../core/confusion.js";
import { FairkitError, messages } from "../core/errors.js";
import type { GroupEncoding } from "../core/groups.js";

/**
 * Confusion counts per group for decision probabilities `probability` (0/1 for a deterministic
 * classifier, which gives exactly the ordinary counts).
 *
 * @example
 * expectedConfusion(Uint8Array.of(1, 0), Float64Array.of(0.75, 0.5), encodeGroups(["a", "a"]));
 * // group a: TP 0.75, FN 0.25, FP 0.5, TN 0.5
 */
export function expectedConfusion(
  yTrue: Uint8Array,
  probability: ArrayLike<number>,
  encoding: Pick<GroupEncoding, "columns" | "groups" | "codes">,
  weights?: Float64Array,
  rows?: ArrayLike<number>,
): ConfusionTable {
  const index = rows ?? { length: yTrue.length };
  const m = index.length;
  const take = (r: number) => (rows ? rows[r] : r);
  let deterministic = true;
  for (let r = 0; r < m; r++) {
    const p = probability[take(r)];
    if (!(p >= 0 && p <= 1))
      throw new FairkitError("BAD_SCORE", messages.probabilityOutOfRange(take(r), p), {
        argument: "probability",
        row: take(r),
      });
    if (p !== 0 && p !== 1) deterministic = false;
  }
  if (deterministic) {
    const yt = new Uint8Array(m);
    const yp = new Uint8Array(m);
    const codes = new Int32Array(m);
    const w = weights ? new Float64Array(m) : undefined;
    for (let r = 0; r < m; r++) {
      const i = take(r);
      yt[r] = yTrue[i];
      yp[r] = probability[i];
      codes[r] = encoding.codes[i];
      if (w) w[r] = weights![i];
    }
    return countConfusion(yt, yp, { ...encoding, codes }, w);
  }
  const yt = new Uint8Array(2 * m);
  const yp = new Uint8Array(2 * m);
  const codes = new Int32Array(2 * m);
  const w = new Float64Array(2 * m);
  for (let r = 0; r < m; r++) {
    const i = take(r);
    const wi = weights ? weights[i] : 1;
    const p = probability[i];
    yt[2 * r] = yTrue[i];
    yt[2 * r + 1] = yTrue[i];
    yp[2 * r] = 1;
    codes[2 * r] = encoding.codes[i];
    codes[2 * r + 1] = encoding.codes[i];
    w[2 * r] = wi * p;
    w[2 * r + 1] = wi * (1 - p);
  }
  const table = countConfusion(yt, yp, { ...encoding, codes }, w);
  // Each row was counted in two cells; keep the raw row count honest (one per row, split by p).
  for (let k = 2; k < table.data.length; k += SUMS_PER_CELL) table.data[k] = 0;
  for (let r = 0; r < m; r++) {
    const i = take(r);
    const base = codes[2 * r] * GROUP_STRIDE + 2 * yTrue[i] * SUMS_PER_CELL + 2;
    table.data[base] += 1 - probability[i];
    table.data[base + SUMS_PER_CELL] += probability[i];
  }
  return table;
}
