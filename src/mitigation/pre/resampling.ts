/**
 * Resampling (Kamiran & Calders 2012): instead of weights, change how many rows each (group,
 * label) cell has, so that the label becomes independent of the group. Each cell is brought to its
 * expected size round(n · P(a) · P(y)).
 *
 * - `uniform`: rows to drop or duplicate are drawn at random (seeded).
 * - `preferential`: a ranker's scores choose the rows closest to the decision boundary: positives
 *   with the lowest scores and negatives with the highest are duplicated first (in cells that are
 *   too small) or dropped first (in cells that are too large). Deterministic given the scores.
 */
import { FairkitError, messages } from "../../core/errors.js";
import { encodeGroups, type GroupInfo, type SensitiveInput } from "../../core/groups.js";
import { createRandom } from "../../core/random.js";
import { type BinaryInput, checkLength, checkNotEmpty, toBinary, toScores } from "../../core/validate.js";

/** Options of {@link resample}. */
export interface ResampleOptions {
  /** `uniform` (default) or `preferential`. */
  method?: "uniform" | "preferential";
  /** Seed of the uniform draws; default 0. */
  seed?: number;
  /** For `preferential`: a ranker's score per row (higher = more likely positive). */
  scores?: ArrayLike<number>;
  posLabel?: unknown;
}

/** The result of {@link resample}: which rows to train on, with repeats. */
export interface ResampleResult {
  /** Row indexes of the resampled data, ascending. */
  index: Int32Array;
  /** Per cell: group key, label, rows before and after. */
  cells: { group: string; values: GroupInfo["values"]; label: 0 | 1; before: number; after: number }[];
}

/**
 * Uniform or preferential resampling.
 *
 * @example
 * const { index } = resample(y, { sex }, { method: "uniform", seed: 1 });
 * const Xr = takeRows(X, index); // train on these rows
 */
export function resample(
  y: BinaryInput,
  sensitiveFeatures: SensitiveInput,
  options: ResampleOptions = {},
): ResampleResult {
  const n = y.length;
  checkNotEmpty(n, "y");
  const method = options.method ?? "uniform";
  if (method !== "uniform" && method !== "preferential") {
    throw new FairkitError("BAD_ARGUMENT", messages.unknownResamplingMethod(method), { argument: "method" });
  }
  const labels = toBinary(y, "y", options.posLabel);
  const encoding = encodeGroups(sensitiveFeatures, n, "y");
  let scores: Float64Array | undefined;
  if (method === "preferential") {
    if (options.scores === undefined) {
      throw new FairkitError("BAD_ARGUMENT", messages.preferentialNeedsScores(), { argument: "scores" });
    }
    checkLength(options.scores, "scores", n, "y");
    scores = toScores(Float64Array.from(options.scores));
  }
  const G = encoding.groups.length;
  const members: number[][] = Array.from({ length: 2 * G }, () => []);
  for (let i = 0; i < n; i++) members[2 * encoding.codes[i] + labels[i]].push(i);
  const labelCount = [0, 0];
  for (let i = 0; i < n; i++) labelCount[labels[i]]++;
  const rng = createRandom(options.seed ?? 0);
  const out: number[] = [];
  const cells: ResampleResult["cells"] = [];
  for (let g = 0; g < G; g++) {
    const groupCount = members[2 * g].length + members[2 * g + 1].length;
    for (const label of [0, 1] as const) {
      const rows = members[2 * g + label];
      const target = rows.length === 0 ? 0 : Math.round((groupCount * labelCount[label]) / n);
      let chosen: number[];
      if (scores) {
        // Nearest the boundary first: low-scored positives, high-scored negatives; ties by row.
        const s = scores;
        const order = [...rows].sort((a, b) => (label === 1 ? s[a] - s[b] : s[b] - s[a]) || a - b);
        if (target <= rows.length) chosen = order.slice(rows.length - target);
        else {
          chosen = [...rows];
          for (let k = 0; k < target - rows.length; k++) chosen.push(order[k % order.length]);
        }
      } else if (target <= rows.length) {
        // Partial Fisher–Yates: a uniform subset of `target` rows.
        const pool = [...rows];
        for (let k = 0; k < target; k++) {
          const j = k + rng.int(pool.length - k);
          const t = pool[k];
          pool[k] = pool[j];
          pool[j] = t;
        }
        chosen = pool.slice(0, target);
      } else {
        chosen = [...rows];
        for (let k = 0; k < target - rows.length; k++) chosen.push(rows[rng.int(rows.length)]);
      }
      out.push(...chosen);
      cells.push({
        group: encoding.groups[g].key,
        values: encoding.groups[g].values,
        label,
        before: rows.length,
        after: chosen.length,
      });
    }
  }
  return { index: Int32Array.from(out).sort(), cells };
}
