/**
 * GridSearch (Agarwal et al. 2018, as in Fairlearn): fits the base learner once for each λ on a
 * grid of Lagrange multipliers and keeps the single model with the best trade-off
 *
 *     loss = (1 − constraintWeight) · error + constraintWeight · max_k γ_k
 *
 * on the training data. Unlike ExponentiatedGradient the result is one deterministic model, which
 * is easier to deploy and explain; the price is a coarser trade-off (and many fits when there are
 * many groups: the grid has one dimension per (event, group) beyond each event's first group).
 * The search itself (runGridSearch, gridPoints) serves classification and loss moments alike;
 * GridSearchRegressor runs it with bounded group loss.
 */
import { FairkitError, messages } from "../../core/errors.js";
import { checkSchema } from "../../core/schema.js";
import { GRID_SEARCH_SCHEMA, MODEL_SCHEMA_VERSION } from "../../schemas/models.js";
import type { BinaryInput } from "../../core/validate.js";
import type { Estimator, EstimatorSource } from "../../models/estimator.js";
import type { Matrix } from "../../models/matrix.js";
import { estimatorFromJSON } from "../../models/saved-estimator.js";
import { type ReductionFitOptions, reductionData } from "./fit-data.js";
import { Lagrangian, classificationOracle } from "./lagrangian.js";
import { type FairnessConstraint, type LoadedConstraint, errorRateObjective } from "./moments.js";

/** Options of {@link GridSearch}. */
export interface GridSearchOptions {
  /** Grid points (λ vectors); default 10. */
  gridSize?: number;
  /** Largest |λ| coordinate; default 2. */
  gridLimit?: number;
  /** Weight of the constraint violation in the selection loss; default 0.5. */
  constraintWeight?: number;
  /** Start each inner fit from the previous solution when the learner supports it; default true. */
  warmStart?: boolean;
}

/** A saved GridSearch: the grid's numbers and the best model. */
export interface GridSearchJSON {
  kind: "fairkit.grid_search";
  schema_version: typeof MODEL_SCHEMA_VERSION;
  constraint: string;
  best_index: number;
  points: { coordinates: number[]; error: number; max_gamma: number; loss: number }[];
  best: unknown;
}

/** One grid point's result. */
export interface GridPoint {
  /** λ⁺ − λ⁻ per free coordinate. */
  coordinates: number[];
  error: number;
  maxGamma: number;
  loss: number;
}

/**
 * Integer points of the L1 ball of radius `radius` in `dim` dimensions, smallest L1 norm first
 * (ties in lexicographic order, coordinates from −radius up).
 */
function l1Ball(dim: number, radius: number): number[][] {
  const out: number[][] = [];
  const entry = new Array<number>(dim).fill(0);
  const visit = (j: number, left: number) => {
    if (j === dim) {
      out.push([...entry]);
      return;
    }
    for (let v = -left; v <= left; v++) {
      entry[j] = v;
      visit(j + 1, left - Math.abs(v));
    }
    entry[j] = 0;
  };
  visit(0, radius);
  const norm = (p: number[]) => p.reduce((s, v) => s + Math.abs(v), 0);
  return out
    .map((p, i) => ({ p, i, n: norm(p) }))
    .sort((a, b) => a.n - b.n || a.i - b.i)
    .map((x) => x.p);
}

/** The grid of Fairlearn's `_GridGenerator` (every coordinate may be negative): `size` points, scaled to `limit`. */
export function lambdaGrid(dim: number, size: number, limit: number): number[][] {
  if (dim === 0) return [[]];
  let units = Math.max(0, Math.floor((size / 2 ** dim) ** (1 / dim) - 1));
  let points = l1Ball(dim, units);
  while (points.length < size) points = l1Ball(dim, ++units);
  return points.slice(0, size).map((p) => p.map((v) => (units === 0 ? 0 : (v * limit) / units)));
}

/**
 * The grid of λ vectors for a loaded constraint, with each point's coordinates.
 * Classification moments: {@link lambdaGrid} over the free (event, group) coordinates, each split
 * into λ⁺ (positive part) and λ⁻ (negative part); the objective is added to every fit.
 * Loss moments (Fairlearn's bounded group loss, whose λ spans the objective): one non-negative
 * coordinate per group with L1 norm exactly `limit` (λ = limit·(k₁, …, k_G)/u for integers k
 * summing to u, earlier groups' k rising first), and no separate objective.
 */
export function gridPoints(
  constraint: Pick<LoadedConstraint<unknown>, "kind" | "basis" | "events" | "groups">,
  size: number,
  limit: number,
): { coordinates: number[]; lambda: Float64Array }[] {
  const G = constraint.groups;
  if (constraint.kind === "loss")
    return simplexGrid(G, size, limit).map((c) => ({ coordinates: c, lambda: Float64Array.from(c) }));
  const { basis } = constraint;
  const EG = constraint.events * G;
  return lambdaGrid(basis.length, size, limit).map((coordinates) => {
    const lambda = new Float64Array(2 * EG);
    basis.forEach(({ event, group }, j) => {
      const k = event * G + group;
      if (coordinates[j] > 0) lambda[k] = coordinates[j];
      else lambda[EG + k] = -coordinates[j];
    });
    return { coordinates, lambda };
  });
}

/**
 * Fairlearn's `_GridGenerator` with no negative coordinates and the L1 norm forced to `limit`
 * (the last coordinate takes what the others leave): the first `size` points in recursion order,
 * with u = ⌊size^(1/(dim−1)) − 1⌋ units, raised until there are enough. Unlike Fairlearn, which
 * divides by zero there, one group gives the single point [limit] and u is at least 1.
 */
export function simplexGrid(dim: number, size: number, limit: number): number[][] {
  if (dim <= 1) return [new Array(dim).fill(limit)];
  let units = Math.max(1, Math.floor(size ** (1 / (dim - 1)) - 1));
  const build = (u: number): number[][] => {
    const out: number[][] = [];
    const entry = new Array<number>(dim).fill(0);
    const visit = (j: number, left: number) => {
      if (j === dim - 1) {
        entry[j] = left;
        out.push([...entry]);
        return;
      }
      for (let v = 0; v <= left; v++) {
        entry[j] = v;
        visit(j + 1, left - v);
      }
    };
    visit(0, u);
    return out;
  };
  let points = build(units);
  while (points.length < size) points = build(++units);
  return points.slice(0, size).map((p) => p.map((v) => (v * limit) / units));
}

/** What {@link runGridSearch} found. */
export interface GridSearchRun<M> {
  predictors: M[];
  points: GridPoint[];
  bestIndex: number;
}

/**
 * The grid search on a Lagrangian of any moment kind: the one engine behind {@link GridSearch}
 * and GridSearchRegressor. One fit per grid point; the best point minimises
 * (1 − constraintWeight) · objective + constraintWeight · max_k γ_k (the first among ties).
 */
export function runGridSearch<M, P>(
  lagrangian: Lagrangian<M, P>,
  options: { gridSize: number; gridLimit: number; constraintWeight: number },
): GridSearchRun<M> {
  const constraint = lagrangian.constraint;
  const withObjective = constraint.kind !== "loss";
  const cw = options.constraintWeight;
  const predictors: M[] = [];
  const points: GridPoint[] = [];
  for (const { coordinates, lambda } of gridPoints(constraint, options.gridSize, options.gridLimit)) {
    const h = lagrangian.callOracle(lambda, withObjective);
    let maxGamma = Number.NEGATIVE_INFINITY;
    for (const g of h.gamma) maxGamma = Math.max(maxGamma, g);
    predictors.push(h.estimator);
    points.push({ coordinates, error: h.error, maxGamma, loss: (1 - cw) * h.error + cw * maxGamma });
  }
  let best = 0;
  points.forEach((p, i) => {
    if (p.loss < points[best].loss) best = i;
  });
  return { predictors, points, bestIndex: best };
}

/**
 * @example
 * const gs = new GridSearch(() => new LogisticRegression(), new DemographicParity(), { gridSize: 20 });
 * gs.fit(X, y, { sensitiveFeatures: { sex } });
 * gs.predict(Xtest); // the best grid model's decisions
 */
export class GridSearch {
  readonly constraint: FairnessConstraint;
  readonly options: Required<GridSearchOptions>;
  /** The model with the smallest selection loss. */
  best: Estimator | undefined;
  bestIndex = -1;
  /** Every grid point's model and numbers, in grid order. */
  predictors: Estimator[] = [];
  points: GridPoint[] = [];
  readonly #source: EstimatorSource;

  constructor(estimator: EstimatorSource, constraint: FairnessConstraint, options: GridSearchOptions = {}) {
    this.#source = estimator;
    this.constraint = constraint;
    this.options = { ...gridSearchSettings(options), warmStart: options.warmStart ?? true };
  }

  fit(X: Matrix, y: BinaryInput, options: ReductionFitOptions): this {
    const data = reductionData(X, y, options);
    const constraint = this.constraint.load(data);
    const objective = errorRateObjective(data);
    const oracle = classificationOracle(X, this.#source, this.options.warmStart);
    const run = runGridSearch(new Lagrangian(oracle, constraint, objective, 1), this.options);
    this.predictors = run.predictors;
    this.points = run.points;
    this.bestIndex = run.bestIndex;
    this.best = this.predictors[run.bestIndex];
    return this;
  }

  #model(): Estimator {
    if (!this.best) throw new FairkitError("BAD_ARGUMENT", messages.notFitted("GridSearch"), { argument: "X" });
    return this.best;
  }

  predict(X: Matrix): Uint8Array {
    return this.#model().predict(X);
  }

  predictProba(X: Matrix): Float64Array {
    return this.#model().predictProba(X);
  }

  /** A saved GridSearch, ready to predict with its best model (built-in estimators; pass `decode` for your own). */
  static fromJSON(
    json: unknown,
    decode: (saved: unknown, what: string) => Estimator = estimatorFromJSON,
    what = "GridSearch",
  ): GridSearch {
    checkSchema(json, GRID_SEARCH_SCHEMA, what);
    const doc = json as GridSearchJSON;
    if (doc.points.length > 0 && doc.best_index >= doc.points.length) {
      throw new FairkitError("BAD_ARGUMENT", messages.bestIndexOutOfRange(what, doc.best_index, doc.points.length), {
        argument: what,
      });
    }
    const placeholder = {
      name: doc.constraint,
      load: () => {
        throw new FairkitError("BAD_ARGUMENT", messages.notRefittable("GridSearch"), { argument: "json" });
      },
    };
    const best = decode(doc.best, `${what}: best`);
    const gs = new GridSearch(() => best, placeholder);
    gs.best = best;
    gs.bestIndex = doc.best_index;
    gs.points = doc.points.map((p) => ({
      coordinates: [...p.coordinates],
      error: p.error,
      maxGamma: p.max_gamma,
      loss: p.loss,
    }));
    return gs;
  }

  toJSON(): GridSearchJSON {
    const model = this.#model() as { toJSON?: () => unknown };
    if (typeof model.toJSON !== "function")
      throw new FairkitError("BAD_ARGUMENT", messages.bestNotSaveable(), { argument: "estimator" });
    return {
      kind: "fairkit.grid_search",
      schema_version: MODEL_SCHEMA_VERSION,
      constraint: this.constraint.name,
      best_index: this.bestIndex,
      points: this.points.map((p) => ({
        coordinates: [...p.coordinates],
        error: p.error,
        max_gamma: p.maxGamma,
        loss: p.loss,
      })),
      best: model.toJSON(),
    };
  }
}

/**
 * The grid's settings with their defaults, checked (gridSize a positive integer, constraintWeight
 * in [0, 1]): one home for the classifier's and the regressor's front ends.
 */
export function gridSearchSettings(options: Omit<GridSearchOptions, "warmStart">): {
  gridSize: number;
  gridLimit: number;
  constraintWeight: number;
} {
  const gridSize = options.gridSize ?? 10;
  if (!(Number.isInteger(gridSize) && gridSize > 0))
    throw new FairkitError("BAD_ARGUMENT", messages.notPositiveInteger("gridSize", gridSize), {
      argument: "gridSize",
    });
  const constraintWeight = options.constraintWeight ?? 0.5;
  if (!(constraintWeight >= 0 && constraintWeight <= 1)) {
    throw new FairkitError("BAD_ARGUMENT", messages.notInRange("constraintWeight", "[0, 1]", constraintWeight), {
      argument: "constraintWeight",
    });
  }
  return { gridSize, gridLimit: options.gridLimit ?? 2, constraintWeight };
}
