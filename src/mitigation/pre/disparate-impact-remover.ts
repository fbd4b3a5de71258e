/**
 * Disparate impact remover (Feldman et al. 2015): repairs each feature so that its distribution
 * is (nearly) the same in every group, while keeping the order of values within each group.
 *
 * A value x of group g sits at quantile q = F_g(x) of its group. The "median distribution" takes,
 * at every quantile, the median over groups of the groups' quantile values; full repair moves x to
 * that median distribution's value at q. The repair level λ ∈ [0, 1] blends:
 * x' = (1 − λ) · x + λ · median_q. λ = 0 changes nothing; λ = 1 makes the repaired feature carry
 * no information about the group (up to ties), so no classifier can use it to infer the group.
 *
 * Distributions are stored as quantile grids (`gridSize` points per group and feature), so the
 * fitted remover is small JSON and applies to new rows of known groups.
 */
import { FairkitError, messages } from "../../core/errors.js";
import {
  type GroupInfo,
  type Level,
  type SensitiveInput,
  encodeGroups,
  groupLabel,
  groupTuple,
  matchKnownGroups,
} from "../../core/groups.js";
import { checkSchema } from "../../core/schema.js";
import { DISPARATE_IMPACT_REMOVER_SCHEMA, MODEL_SCHEMA_VERSION } from "../../schemas/models.js";
import { type Matrix, checkFinite } from "../../models/matrix.js";

/** Options of {@link DisparateImpactRemover}. */
export interface DisparateImpactRemoverOptions {
  /** λ in [0, 1]; default 1 (full repair). */
  repairLevel?: number;
  /** Columns of X to repair; default every column. One-hot columns are better left alone. */
  columns?: readonly number[];
  /** Quantile grid points per group and column; default 1001. */
  gridSize?: number;
}

/** A fitted remover as JSON. */
export interface DisparateImpactRemoverJSON {
  kind: "fairkit.disparate_impact_remover";
  schema_version: typeof MODEL_SCHEMA_VERSION;
  repair_level: number;
  columns: number[];
  sensitive_columns: string[];
  /** The groups fitted, as value tuples (one value per sensitive column). */
  groups: (Level | null)[][];
  /** [column][group] → the group's quantile values at the grid points. */
  quantiles: number[][][];
  /** [column] → the median distribution's values at the grid points. */
  median: number[][];
}

function quantileAt(sorted: Float64Array, q: number): number {
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
}

/** Where x sits in a group's quantile grid: the middle of a run of ties, else interpolated. */
function quantileOf(grid: ArrayLike<number>, x: number): number {
  const K = grid.length;
  let lo = 0;
  let hi = K;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (grid[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  const first = lo; // first grid value >= x
  lo = 0;
  hi = K;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (grid[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  const last = lo - 1; // last grid value <= x
  if (first <= last) return (first + last) / 2 / (K - 1);
  if (first >= K) return 1;
  if (last < 0) return 0;
  const t = (x - grid[last]) / (grid[first] - grid[last]);
  return (last + t) / (K - 1);
}

function interpolate(grid: ArrayLike<number>, q: number): number {
  const pos = q * (grid.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, grid.length - 1);
  return grid[lo] + (pos - lo) * (grid[hi] - grid[lo]);
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * @example
 * const dir = new DisparateImpactRemover({ repairLevel: 1 });
 * const repaired = dir.fitTransform(X, { sex });
 */
export class DisparateImpactRemover {
  readonly repairLevel: number;
  readonly gridSize: number;
  columns: number[] = [];
  /** The sensitive columns and groups fitted (groups are matched by their values). */
  sensitiveColumns: string[] = [];
  groups: GroupInfo[] = [];
  quantiles: Float64Array[][] = [];
  median: Float64Array[] = [];
  readonly #requested: readonly number[] | undefined;

  constructor(options: DisparateImpactRemoverOptions = {}) {
    const repairLevel = options.repairLevel ?? 1;
    if (!(repairLevel >= 0 && repairLevel <= 1))
      throw new FairkitError("BAD_ARGUMENT", messages.notInRange("repairLevel", "[0, 1]", repairLevel), {
        argument: "repairLevel",
      });
    const gridSize = options.gridSize ?? 1001;
    if (!(Number.isInteger(gridSize) && gridSize >= 2))
      throw new FairkitError("BAD_ARGUMENT", messages.badGridSize(gridSize), { argument: "gridSize" });
    this.repairLevel = repairLevel;
    this.gridSize = gridSize;
    this.#requested = options.columns;
  }

  fit(X: Matrix, sensitiveFeatures: SensitiveInput): this {
    checkFinite(X);
    const encoding = encodeGroups(sensitiveFeatures, X.rows, "X");
    const G = encoding.groups.length;
    this.columns = [...(this.#requested ?? Array.from({ length: X.cols }, (_, j) => j))];
    for (const c of this.columns) {
      if (!(Number.isInteger(c) && c >= 0 && c < X.cols))
        throw new FairkitError("BAD_ARGUMENT", messages.notAColumnOfX(c, X.cols), { argument: "columns" });
    }
    this.sensitiveColumns = [...encoding.columns];
    this.groups = encoding.groups;
    const counts = new Int32Array(G);
    for (let i = 0; i < X.rows; i++) counts[encoding.codes[i]]++;
    const K = this.gridSize;
    this.quantiles = [];
    this.median = [];
    for (const c of this.columns) {
      const byGroup = Array.from({ length: G }, (_, g) => new Float64Array(counts[g]));
      const fill = new Int32Array(G);
      for (let i = 0; i < X.rows; i++) {
        const g = encoding.codes[i];
        byGroup[g][fill[g]++] = X.data[i * X.cols + c];
      }
      const grids = byGroup.map((values) => {
        values.sort();
        const grid = new Float64Array(K);
        for (let k = 0; k < K; k++) grid[k] = quantileAt(values, k / (K - 1));
        return grid;
      });
      const med = new Float64Array(K);
      for (let k = 0; k < K; k++) med[k] = median(grids.map((grid) => grid[k]));
      this.quantiles.push(grids);
      this.median.push(med);
    }
    return this;
  }

  /** Repairs the chosen columns of X; rows must belong to groups seen when fitting. */
  transform(X: Matrix, sensitiveFeatures: SensitiveInput): Matrix {
    if (this.quantiles.length === 0 && this.columns.length === 0)
      throw new FairkitError("BAD_ARGUMENT", messages.notFitted("the disparate impact remover"), { argument: "X" });
    const encoding = encodeGroups(sensitiveFeatures, X.rows, "X");
    const local = matchKnownGroups(
      { columns: this.sensitiveColumns, groups: this.groups },
      encoding,
      "disparate impact remover",
    );
    const out = new Float64Array(X.data);
    const lambda = this.repairLevel;
    this.columns.forEach((c, k) => {
      for (let i = 0; i < X.rows; i++) {
        const x = X.data[i * X.cols + c];
        const q = quantileOf(this.quantiles[k][local[encoding.codes[i]]], x);
        out[i * X.cols + c] = (1 - lambda) * x + lambda * interpolate(this.median[k], q);
      }
    });
    return { rows: X.rows, cols: X.cols, data: out };
  }

  fitTransform(X: Matrix, sensitiveFeatures: SensitiveInput): Matrix {
    return this.fit(X, sensitiveFeatures).transform(X, sensitiveFeatures);
  }

  toJSON(): DisparateImpactRemoverJSON {
    return {
      kind: "fairkit.disparate_impact_remover",
      schema_version: MODEL_SCHEMA_VERSION,
      repair_level: this.repairLevel,
      columns: [...this.columns],
      sensitive_columns: [...this.sensitiveColumns],
      groups: this.groups.map((g) => groupTuple(g.values, this.sensitiveColumns)),
      quantiles: this.quantiles.map((grids) => grids.map((g) => Array.from(g))),
      median: this.median.map((m) => Array.from(m)),
    };
  }

  /** A saved remover, checked against its schema (and its sizes against each other). */
  static fromJSON(json: unknown, what = "disparate impact remover"): DisparateImpactRemover {
    checkSchema(json, DISPARATE_IMPACT_REMOVER_SCHEMA, what);
    const doc = json as DisparateImpactRemoverJSON;
    const grid = doc.median[0]?.length ?? 2;
    const fail = (why: string): never => {
      throw new FairkitError("BAD_ARGUMENT", messages.badRemover(what, why), { argument: what });
    };
    if (doc.median.length !== doc.columns.length || doc.quantiles.length !== doc.columns.length)
      fail(messages.removerGridCount(doc.columns.length, doc.median.length, doc.quantiles.length));
    doc.quantiles.forEach((grids, k) => {
      if (grids.length !== doc.groups.length) fail(messages.removerGroupGrids(k, grids.length, doc.groups.length));
      for (const g of [...grids, doc.median[k]]) if (g.length !== grid) fail(messages.removerGridPoints(grid));
    });
    const dir = new DisparateImpactRemover({ repairLevel: doc.repair_level, columns: doc.columns, gridSize: grid });
    dir.columns = [...doc.columns];
    dir.sensitiveColumns = [...doc.sensitive_columns];
    dir.groups = doc.groups.map((tuple, i) => {
      if (tuple.length !== doc.sensitive_columns.length)
        fail(messages.removerGroupArity(i, tuple.length, doc.sensitive_columns.length));
      return { key: groupLabel(tuple), values: Object.fromEntries(doc.sensitive_columns.map((c, j) => [c, tuple[j]])) };
    });
    dir.quantiles = doc.quantiles.map((grids) => grids.map((g) => Float64Array.from(g)));
    dir.median = doc.median.map((m) => Float64Array.from(m));
    return dir;
  }
}
