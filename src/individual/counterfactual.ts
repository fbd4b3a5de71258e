/**
 * Counterfactual tests of a model: would its output change had a person's protected attribute
 * been different? Two ways to build "the same person, other attribute":
 *
 * - the **flip test** sets the attribute (and, optionally, declared proxies) to another level and
 *   leaves every other column as it is. Cheap and model-agnostic; it ignores that other features
 *   may be caused by the attribute, so a zero here is not counterfactual fairness;
 * - the **counterfactual test** asks a fitted structural causal model (scm.ts) for each row's
 *   counterfactual: the attribute's descendants are recomputed from their abducted noise.
 *
 * Both call the model on the original and the changed rows and report, per (from, to) pair of
 * levels, the distribution of the score change and the share of changed decisions, with
 * intervals. The model is any function from a table to numbers (sync or async), so built-in
 * learners, saved models, a user's `predict` and, in the CLI, an external command all fit.
 */
import { DEFAULTS } from "../core/defaults.js";
import { FairkitError, messages } from "../core/errors.js";
import { type Interval, quantile, twoSidedZ, wilsonInterval } from "../core/intervals.js";
import { createRandom } from "../core/random.js";
import { rowWeights } from "../core/validate.js";
import { type CellValue, type Table, sliceTable } from "../models/tabular.js";
import { type FittedScm, cellLevel } from "./scm.js";

/** A model as these tests call it: scores (or predictions) for each row of a table. */
export type TableModel = (table: Table) => ArrayLike<number> | Promise<ArrayLike<number>>;

/** Options shared by {@link flipTest} and {@link counterfactualTest}. */
export interface CounterfactualOptions {
  /** The rows. */
  table: Table;
  /** The protected attribute (a column of `table`). */
  attribute: string;
  /** The model's score per row. */
  predict: TableModel;
  /**
   * P(positive decision) per row, when decisions are not `score >= threshold` (randomised models:
   * the share of changed decisions is then the expected share under common random numbers,
   * mean |p′ − p|).
   */
  decide?: TableModel;
  /** Decision threshold on the score: `score >= threshold` is positive; default 0.5. */
  threshold?: number;
  /** Only these target levels (default every other level). */
  to?: readonly string[];
  /** Non-negative weight per row. */
  sampleWeight?: ArrayLike<number>;
  /** Confidence level of the intervals; default `DEFAULTS.level`. */
  level?: number;
  /** Changes smaller than this (in absolute value) count as no change of score; default 1e-9. */
  tolerance?: number;
}

/** How to change a proxy column when the attribute is flipped. */
export type ProxySpec =
  /** Swap the values of each pair (both ways), e.g. `[["Husband", "Wife"]]`. */
  | { swap: readonly (readonly [string, string])[] }
  /** Draw the proxies' values from a random row of the target group (seeded; jointly for every resampled proxy). */
  | "resample";

/** Options of {@link flipTest}. */
export interface FlipOptions extends CounterfactualOptions {
  /** Proxy columns changed with the attribute. */
  proxies?: Readonly<Record<string, ProxySpec>>;
  /** Seed of `resample`; default 0. */
  seed?: number;
}

/** The score changes of the rows of one level moved to another. */
export interface CounterfactualPair {
  from: string;
  to: string;
  /** Rows whose attribute is `from`. */
  rows: number;
  /** Weighted mean of score(counterfactual) − score(actual), with a normal interval. */
  meanChange: number;
  meanInterval: Interval;
  /** Weighted mean of |change|. */
  meanAbsChange: number;
  sd: number;
  /** Quantiles of the change (unweighted): 5%, 50%, 95%, and the extremes. */
  quantiles: { min: number; p05: number; p50: number; p95: number; max: number };
  /** Share of rows whose score changed by more than the tolerance. */
  changedScores: number;
  /** Share of changed decisions (expected, for randomised decisions), with a Wilson interval. */
  changedDecisions: number;
  changedInterval: Interval;
  /** Shares of decisions that became positive, and that became negative. */
  becamePositive: number;
  becameNegative: number;
}

/** The result of a flip or counterfactual test. */
export interface CounterfactualResult {
  kind: "flip" | "counterfactual";
  attribute: string;
  levels: string[];
  /** Rows tested. */
  rows: number;
  pairs: CounterfactualPair[];
  /** The largest |mean change| over the pairs, and the pair that has it. */
  worst: { from: string; to: string; meanChange: number } | null;
  /** The largest changed-decisions share over the pairs. */
  maxChangedDecisions: number;
  level: number;
  threshold: number;
  /** Flip test: the proxies changed with the attribute. */
  proxies?: string[];
}

async function call(model: TableModel, table: Table, rows: number, what: string): Promise<Float64Array> {
  const out = await model(table);
  if (out.length !== rows)
    throw new FairkitError("LENGTH_MISMATCH", messages.modelOutputLength(what, out.length, rows), { argument: what });
  const scores = Float64Array.from(out);
  for (let i = 0; i < rows; i++) {
    if (!Number.isFinite(scores[i]))
      throw new FairkitError("BAD_SCORE", messages.modelOutputValue(what, out[i], i), { argument: what, row: i });
  }
  return scores;
}

/** An error about row r of a subset, said about the original row index[r] (and what was changed in it). */
export function remap(error: unknown, index: readonly number[], change: string): unknown {
  if (!(error instanceof FairkitError) || error.location.row === undefined) return error;
  const r = error.location.row;
  const original = index[r];
  if (original === undefined) return error;
  return new FairkitError(error.code, error.message.replace(`index ${r}`, `index ${original}${change}`), {
    ...error.location,
    row: original,
  });
}

/** Runs `work` on a subset of rows; errors name the original rows, and `change` says what was changed in them. */
async function onRows<T>(index: readonly number[], work: () => T | Promise<T>, change = ""): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw remap(error, index, change);
  }
}

function checkCommon(options: CounterfactualOptions): {
  rows: number;
  levels: string[];
  text: string[];
  weights: Float64Array;
  level: number;
  threshold: number;
} {
  const { table, attribute } = options;
  const column = table[attribute];
  if (column === undefined)
    throw new FairkitError("MISSING_COLUMN", messages.noSuchColumn(attribute), { argument: attribute });
  const rows = column.length;
  if (rows === 0) throw new FairkitError("EMPTY_INPUT", messages.empty("table"), { argument: "table" });
  const text = Array.from(column, cellLevel);
  const missing = text.indexOf("");
  if (missing >= 0)
    throw new FairkitError("MISSING_LABEL", messages.attributeMissing(attribute, missing), {
      argument: attribute,
      row: missing,
    });
  const levels = [...new Set(text)].sort();
  if (levels.length < 2)
    throw new FairkitError("BAD_ARGUMENT", messages.singleLevelNode(attribute, levels[0]), { argument: attribute });
  for (const t of options.to ?? []) {
    if (!levels.includes(t))
      throw new FairkitError("BAD_ARGUMENT", messages.unknownLevelOf(attribute, t, levels), { argument: "to" });
  }
  const weights = rowWeights(options.sampleWeight, rows, "table");
  const level = options.level ?? DEFAULTS.level;
  if (!(level > 0 && level < 1))
    throw new FairkitError("BAD_ARGUMENT", messages.notBetweenZeroAndOne("level", level), { argument: "level" });
  const threshold = options.threshold ?? 0.5;
  if (!Number.isFinite(threshold))
    throw new FairkitError("BAD_ARGUMENT", messages.notFinite("threshold", threshold), { argument: "threshold" });
  return { rows, levels, text, weights, level, threshold };
}

/** The statistics of one (from, to) pair, from the actual and counterfactual scores and decisions. */
function comparePair(
  from: string,
  to: string,
  index: readonly number[],
  base: { scores: Float64Array; decisions: Float64Array },
  changed: { scores: Float64Array; decisions: Float64Array },
  weights: Float64Array,
  level: number,
  tolerance: number,
): CounterfactualPair {
  const n = index.length;
  const delta = new Float64Array(n);
  let sw = 0;
  let sw2 = 0;
  let mean = 0;
  let abs = 0;
  let moved = 0;
  let flips = 0;
  let up = 0;
  let down = 0;
  for (let r = 0; r < n; r++) {
    const w = weights[index[r]];
    const d = changed.scores[r] - base.scores[r];
    delta[r] = d;
    sw += w;
    sw2 += w * w;
    mean += w * d;
    abs += w * Math.abs(d);
    if (Math.abs(d) > tolerance) moved += w;
    const dd = changed.decisions[r] - base.decisions[r];
    flips += w * Math.abs(dd);
    if (dd > 0) up += w * dd;
    else down -= w * dd;
  }
  const nan = Number.NaN;
  if (!(sw > 0)) {
    return {
      from,
      to,
      rows: n,
      meanChange: nan,
      meanInterval: [nan, nan],
      meanAbsChange: nan,
      sd: nan,
      quantiles: { min: nan, p05: nan, p50: nan, p95: nan, max: nan },
      changedScores: nan,
      changedDecisions: nan,
      changedInterval: [nan, nan],
      becamePositive: nan,
      becameNegative: nan,
    };
  }
  mean /= sw;
  let ss = 0;
  for (let r = 0; r < n; r++) ss += weights[index[r]] * (delta[r] - mean) ** 2;
  const sd = Math.sqrt(ss / sw);
  // Kish's effective sample size: weights neither invent nor hide evidence.
  const nEff = (sw * sw) / sw2;
  const z = twoSidedZ(level);
  const half = nEff > 1 ? (z * sd * Math.sqrt(nEff / (nEff - 1))) / Math.sqrt(nEff) : nan;
  const sorted = Float64Array.from(delta).sort();
  const share = flips / sw;
  return {
    from,
    to,
    rows: n,
    meanChange: mean,
    meanInterval: [mean - half, mean + half],
    meanAbsChange: abs / sw,
    sd,
    quantiles: {
      min: sorted[0],
      p05: quantile(sorted, 0.05),
      p50: quantile(sorted, 0.5),
      p95: quantile(sorted, 0.95),
      max: sorted[n - 1],
    },
    changedScores: moved / sw,
    changedDecisions: share,
    changedInterval: wilsonInterval(share, nEff, level),
    becamePositive: up / sw,
    becameNegative: down / sw,
  };
}

async function runPairs(
  kind: "flip" | "counterfactual",
  options: CounterfactualOptions,
  change: (rows: Record<string, CellValue[]>, from: string, to: string, index: readonly number[]) => Table,
): Promise<CounterfactualResult> {
  const { rows, levels, text, weights, level, threshold } = checkCommon(options);
  const tolerance = options.tolerance ?? 1e-9;
  const decide = async (t: Table, scores: Float64Array, n: number, what: string) => {
    if (options.decide) {
      const p = await call(options.decide, t, n, `${what} decisions`);
      for (let i = 0; i < n; i++) {
        if (!(p[i] >= 0 && p[i] <= 1))
          throw new FairkitError("BAD_SCORE", messages.probabilityOutOfRange(i, p[i]), { argument: "decide", row: i });
      }
      return p;
    }
    return scores.map((s) => (s >= threshold ? 1 : 0));
  };
  const pairs: CounterfactualPair[] = [];
  for (const from of levels) {
    const index: number[] = [];
    for (let i = 0; i < rows; i++) if (text[i] === from) index.push(i);
    const actual = sliceTable(options.table, index);
    const base = await onRows(index, async () => {
      const scores = await call(options.predict, actual, index.length, "the model");
      return { scores, decisions: await decide(actual, scores, index.length, "the model") };
    });
    for (const to of levels) {
      if (to === from || (options.to !== undefined && !options.to.includes(to))) continue;
      const changed = await onRows(
        index,
        async () => {
          const cf = change(actual, from, to, index);
          const cfScores = await call(options.predict, cf, index.length, "the model");
          return { scores: cfScores, decisions: await decide(cf, cfScores, index.length, "the model") };
        },
        ` with ${options.attribute} set to ${JSON.stringify(to)}`,
      );
      pairs.push(comparePair(from, to, index, base, changed, weights, level, tolerance));
    }
  }
  let worst: CounterfactualResult["worst"] = null;
  for (const p of pairs) {
    if (Number.isFinite(p.meanChange) && (worst === null || Math.abs(p.meanChange) > Math.abs(worst.meanChange)))
      worst = { from: p.from, to: p.to, meanChange: p.meanChange };
  }
  const shares = pairs.map((p) => p.changedDecisions).filter(Number.isFinite);
  return {
    kind,
    attribute: options.attribute,
    levels,
    rows,
    pairs,
    worst,
    maxChangedDecisions: shares.length > 0 ? Math.max(...shares) : Number.NaN,
    level,
    threshold,
  };
}

/**
 * The flip test: each row's attribute set to each other level (proxies changed as declared),
 * every other column unchanged.
 *
 * @example
 * const result = await flipTest({ table: adult, attribute: "sex", predict: (t) => model.predictProba(prep.transform(t)),
 *   proxies: { relationship: { swap: [["Husband", "Wife"]] } } });
 * result.pairs[0].changedDecisions; // share of Female rows whose decision changes had they been Male
 */
export async function flipTest(options: FlipOptions): Promise<CounterfactualResult> {
  const proxies = Object.entries(options.proxies ?? {});
  for (const [column, spec] of proxies) {
    if (options.table[column] === undefined)
      throw new FairkitError("MISSING_COLUMN", messages.noSuchColumn(column), { argument: `proxies.${column}` });
    if (column === options.attribute)
      throw new FairkitError("BAD_ARGUMENT", messages.proxyIsAttribute(column), { argument: `proxies.${column}` });
    if (spec !== "resample" && !(typeof spec === "object" && Array.isArray(spec.swap)))
      throw new FairkitError("BAD_ARGUMENT", messages.badProxy(column), { argument: `proxies.${column}` });
  }
  // Values are written back as the table holds them (a level coded 2 stays the number 2), never as their text.
  const rawOf = (column: string) => {
    const out = new Map<string, CellValue>();
    for (const v of Array.from(options.table[column] ?? [])) if (!out.has(cellLevel(v))) out.set(cellLevel(v), v);
    return out;
  };
  const swaps = new Map<string, Map<string, CellValue>>();
  for (const [column, spec] of proxies) {
    if (spec === "resample") continue;
    const raw = rawOf(column);
    const swap = new Map<string, CellValue>();
    for (const [a, b] of spec.swap) {
      const [ta, tb] = [cellLevel(a), cellLevel(b)];
      if (ta === tb)
        throw new FairkitError("BAD_ARGUMENT", messages.swapSelf(column, ta), { argument: `proxies.${column}` });
      for (const t of [ta, tb]) {
        if (!raw.has(t))
          throw new FairkitError("BAD_ARGUMENT", messages.swapAbsent(column, t, [...raw.keys()]), {
            argument: `proxies.${column}`,
          });
      }
      swap.set(ta, raw.get(tb));
      swap.set(tb, raw.get(ta));
    }
    swaps.set(column, swap);
  }
  const attributeRaw = rawOf(options.attribute);
  const resampled = proxies.filter(([, s]) => s === "resample").map(([c]) => c);
  const text = Array.from(options.table[options.attribute] ?? [], cellLevel);
  const donors = new Map<string, number[]>();
  text.forEach((t, i) => {
    const list = donors.get(t) ?? [];
    list.push(i);
    donors.set(t, list);
  });
  const rng = createRandom(options.seed ?? 0);
  const result = await runPairs("flip", options, (rows, _from, to) => {
    const n = rows[options.attribute].length;
    const out: Record<string, CellValue[]> = { ...rows, [options.attribute]: new Array(n).fill(attributeRaw.get(to)) };
    for (const [column, swap] of swaps) {
      out[column] = rows[column].map((v) => {
        const t = cellLevel(v);
        return swap.has(t) ? (swap.get(t) as CellValue) : v;
      });
    }
    if (resampled.length > 0) {
      const pool = donors.get(to) as number[];
      const picks = Array.from({ length: n }, () => pool[rng.int(pool.length)]);
      for (const column of resampled) {
        const source = options.table[column];
        out[column] = picks.map((i) => source[i]);
      }
    }
    return out;
  });
  return { ...result, proxies: proxies.map(([c]) => c) };
}

/**
 * The counterfactual test against a fitted structural causal model: each row's counterfactual had
 * the attribute been each other level (abduction, action, prediction: scm.ts), scored by the model.
 * A counterfactually fair model (Kusner et al. 2017) shows a change of exactly 0 for every row.
 *
 * @example
 * const scm = fitScm(LAW_MODEL, train);
 * const result = await counterfactualTest({ scm, table: test, attribute: "race", to: ["White"], predict: (t) => full.predict(t) });
 * result.pairs.find((p) => p.from === "Black")?.meanChange; // about one SD of ZFYA for the full model
 */
export async function counterfactualTest(
  options: CounterfactualOptions & { scm: FittedScm },
): Promise<CounterfactualResult> {
  const { scm, attribute } = options;
  if (scm.kind(attribute) !== "categorical")
    throw new FairkitError("BAD_ARGUMENT", messages.scmNotCategorical(attribute), { argument: attribute });
  return runPairs("counterfactual", options, (rows, _from, to) => scm.counterfactual(rows, { [attribute]: to }));
}
