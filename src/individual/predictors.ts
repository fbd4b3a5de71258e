/**
 * Predictors of a numeric target built on a fitted structural causal model (Kusner et al. 2017):
 *
 * - `full`: least squares on every observed feature, the protected attributes included;
 * - `unaware`: the same without the protected attributes ("fairness through unawareness");
 * - `fair-add`: least squares on the abducted residuals of the features that descend from a
 *   protected attribute, and on the other features as they are. The residuals are what a
 *   counterfactual keeps fixed, so the prediction cannot change when the attribute does;
 * - `latent`: least squares on the posterior mean of the latent roots given the non-target
 *   children (the paper's "Fair K" with a linear-Gaussian model in place of its Poisson one);
 * - `paths`: the target's own equation with the effects along the declared unfair paths removed
 *   (each row as if the attribute had been at the reference level along those paths only).
 *
 * Every predictor is plain data (terms, coefficients) with `predict(table)`.
 */
import { FairkitError, messages } from "../core/errors.js";
import { LinearRegression } from "../models/linear-regression.js";
import type { Matrix } from "../models/matrix.js";
import type { Table } from "../models/tabular.js";
import { pathEffect } from "./paths.js";
import { type FittedScm, cellLevel } from "./scm.js";

/** The predictors of this file. */
export const PREDICTOR_KINDS = ["full", "unaware", "fair-add", "latent", "paths"] as const;
/** One of {@link PREDICTOR_KINDS}. */
export type PredictorKind = (typeof PREDICTOR_KINDS)[number];

/** Options of {@link fitPredictor}. */
export interface PredictorOptions {
  kind: PredictorKind;
  /** The node to predict (numeric, observed). */
  target: string;
  /** The protected attributes (categorical roots of the model). */
  sensitive: readonly string[];
  /** Features to use; default every observed node but the target (and, but for `full`, the protected ones). */
  features?: readonly string[];
  /** `paths`: the unfair paths, each a list of nodes from a protected attribute to the target. */
  unfairPaths?: readonly (readonly string[])[];
  /** `paths`: the level each protected attribute is set to along the unfair paths; default its most frequent level. */
  reference?: Readonly<Record<string, string>>;
  /** Non-negative weight per row. */
  sampleWeight?: ArrayLike<number>;
}

/** A fitted predictor. */
export interface FairPredictor {
  kind: PredictorKind;
  target: string;
  /** What the regression reads: feature names, `resid(LSAT)` for residuals, `E[K]` for latents. */
  terms: string[];
  coef: number[];
  intercept: number;
  /** `paths`: the removed paths and the reference levels. */
  removed?: { path: string[]; reference: string }[];
  predict(table: Table): Float64Array;
}

function matrixOf(columns: readonly Float64Array[], rows: number): Matrix {
  const d = columns.length;
  const data = new Float64Array(rows * d);
  for (let j = 0; j < d; j++) for (let i = 0; i < rows; i++) data[i * d + j] = columns[j][i];
  return { rows, cols: d, data };
}

/** The level (as text) most rows hold; ties go to the level first in code-point order. */
export function mostFrequentLevel(values: ArrayLike<unknown>): string {
  const counts = new Map<string, number>();
  for (let i = 0; i < values.length; i++) {
    const t = cellLevel(values[i] as never);
    counts.set(t, (counts.get(t) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0][0];
}

/**
 * Fits one predictor of `target` on `table` (the training rows) with the fitted model `scm`.
 *
 * @example
 * const scm = fitScm(LAW_MODEL, train);
 * const fair = fitPredictor(scm, train, { kind: "fair-add", target: "ZFYA", sensitive: ["race", "sex"] });
 * fair.predict(test); // ZFYA predicted from the LSAT and UGPA residuals
 */
export function fitPredictor(scm: FittedScm, table: Table, options: PredictorOptions): FairPredictor {
  const { kind, target, sensitive } = options;
  if (!(PREDICTOR_KINDS as readonly string[]).includes(kind))
    throw new FairkitError("BAD_ARGUMENT", messages.unknownPredictor(kind, PREDICTOR_KINDS), { argument: "kind" });
  if (scm.kind(target) !== "numeric")
    throw new FairkitError("BAD_ARGUMENT", messages.scmTargetNotNumeric(target), { argument: "target" });
  for (const s of sensitive) {
    if (scm.kind(s) !== "categorical")
      throw new FairkitError("BAD_ARGUMENT", messages.scmNotCategorical(s), { argument: s });
  }
  const targetFamily = new Set([target, ...scm.descendants(target)]);
  const defaults = scm.observed.filter((n) => !targetFamily.has(n) && (kind === "full" || !sensitive.includes(n)));
  const features = [...(options.features ?? defaults)];
  for (const f of features) {
    scm.kind(f);
    if (targetFamily.has(f))
      throw new FairkitError("BAD_ARGUMENT", messages.scmFeatureAfterTarget(f, target), { argument: f });
    if (kind !== "full" && kind !== "paths" && sensitive.includes(f))
      throw new FairkitError("BAD_ARGUMENT", messages.scmSensitiveFeature(f, kind), { argument: f });
  }
  const y = scm.readColumns(table, [target]).values.get(target) as Float64Array;
  const fit = (X: Matrix) => new LinearRegression().fit(X, y, { sampleWeight: options.sampleWeight });
  const plain = (terms: string[], lm: LinearRegression, make: (t: Table) => Matrix): FairPredictor => ({
    kind,
    target,
    terms,
    coef: Array.from(lm.coef),
    intercept: lm.intercept,
    predict: (t) => lm.predict(make(t)),
  });

  if (kind === "full" || kind === "unaware") {
    const make = (t: Table) => scm.designOf(t, features).X;
    return plain(scm.designOf(table, features).terms, fit(make(table)), make);
  }

  if (kind === "fair-add") {
    const affected = new Set(sensitive.flatMap((s) => [...scm.descendants(s)]));
    const residualOf = features.filter((f) => affected.has(f));
    const asIs = features.filter((f) => !affected.has(f));
    const make = (t: Table) => {
      const r = scm.residuals(t, residualOf);
      const own = asIs.length > 0 ? scm.designOf(t, asIs).X : undefined;
      const rows =
        own?.rows ?? (r.values().next().value as Float64Array | undefined)?.length ?? Object.values(t)[0]?.length ?? 0;
      const columns = residualOf.map((f) => r.get(f) as Float64Array);
      if (own)
        for (let j = 0; j < own.cols; j++) {
          const c = new Float64Array(rows);
          for (let i = 0; i < rows; i++) c[i] = own.data[i * own.cols + j];
          columns.push(c);
        }
      return matrixOf(columns, rows);
    };
    const terms = [
      ...residualOf.map((f) => `resid(${f})`),
      ...(asIs.length > 0 ? scm.designOf(table, asIs).terms : []),
    ];
    return plain(terms, fit(make(table)), make);
  }

  if (kind === "latent") {
    const latents = scm.declaration.nodes.filter((n) => n.kind === "latent").map((n) => n.name);
    if (latents.length === 0) throw new FairkitError("BAD_ARGUMENT", messages.scmNoLatent(), { argument: "model" });
    const using = scm.declaration.nodes
      .filter((n) => n.parents.some((p) => latents.includes(p)) && !targetFamily.has(n.name))
      .map((n) => n.name);
    if (using.length === 0)
      throw new FairkitError("BAD_ARGUMENT", messages.scmLatentUnseen(target), { argument: "target" });
    const make = (t: Table) => {
      const post = scm.latentPosterior(t, using);
      const columns = latents.map((l) => post.get(l) as Float64Array);
      return matrixOf(columns, columns[0].length);
    };
    return plain(
      latents.map((l) => `E[${l}]`),
      fit(make(table)),
      make,
    );
  }

  // paths: the target's equation, minus the unfair paths' effects relative to the reference levels.
  const eq = scm.equations.get(target);
  if (!eq) throw new FairkitError("BAD_ARGUMENT", messages.scmNoEquation(target), { argument: "target" });
  if (eq.parents.some((p) => scm.kind(p) === "latent"))
    throw new FairkitError("BAD_ARGUMENT", messages.scmTargetHasLatent(target), { argument: "target" });
  const unfair = (options.unfairPaths ?? []).map((p) => [...p]);
  if (unfair.length === 0)
    throw new FairkitError("BAD_ARGUMENT", messages.scmNoUnfairPaths(), { argument: "unfairPaths" });
  const seen = new Set<string>();
  for (const path of unfair) {
    const key = path.join("->");
    if (seen.has(key)) throw new FairkitError("BAD_ARGUMENT", messages.duplicatePath(key), { argument: "unfairPaths" });
    seen.add(key);
  }
  const reference: Record<string, string> = {};
  for (const path of unfair) {
    const start = path[0];
    if (!sensitive.includes(start) || path[path.length - 1] !== target)
      throw new FairkitError("BAD_ARGUMENT", messages.scmPathEnds(path.join("->"), sensitive, target), {
        argument: "unfairPaths",
      });
    if (reference[start] === undefined) {
      const given = options.reference?.[start];
      reference[start] = given ?? mostFrequentLevel(table[start] ?? []);
    }
    pathEffect(scm, path, reference[start], reference[start]);
  }
  // Per attribute and level: the summed effect of that level (vs the reference) along its unfair paths.
  const shift = new Map<string, Map<string, number>>();
  for (const start of Object.keys(reference)) {
    const byLevel = new Map<string, number>();
    for (const level of scm.levels(start)) {
      let s = 0;
      for (const path of unfair) if (path[0] === start) s += pathEffect(scm, path, level, reference[start]);
      byLevel.set(level, s);
    }
    shift.set(start, byLevel);
  }
  // What the prediction reads: the target's observed parents and the attributes the removed paths start at.
  const reads = scm.observed.filter(
    (n) => (eq.parents.includes(n) && scm.kind(n) !== "latent") || Object.hasOwn(reference, n),
  );
  return {
    kind,
    target,
    terms: eq.terms,
    coef: [...eq.coef],
    intercept: eq.intercept,
    removed: unfair.map((path) => ({ path, reference: reference[path[0]] })),
    predict: (t) => {
      const { values, rows } = scm.readColumns(t, reads);
      const out = scm.mean(target, values, rows);
      for (const [start, byLevel] of shift) {
        const text = values.get(start) as string[];
        for (let i = 0; i < rows; i++) out[i] -= byLevel.get(text[i]) as number;
      }
      return out;
    },
  };
}

/** Root mean squared error of predictions against a numeric column. */
export function rmse(predicted: ArrayLike<number>, actual: ArrayLike<number>): number {
  if (predicted.length !== actual.length)
    throw new FairkitError(
      "LENGTH_MISMATCH",
      messages.rowsDiffer("predicted", predicted.length, "actual", actual.length),
      {
        argument: "predicted",
      },
    );
  let s = 0;
  for (let i = 0; i < actual.length; i++) s += (predicted[i] - actual[i]) ** 2;
  return Math.sqrt(s / actual.length);
}
