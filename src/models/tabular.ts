/**
 * Tabular preparation: named columns of mixed types become a numeric feature matrix. Categorical
 * columns are one-hot encoded (every level, missing as a level of its own), numeric columns are
 * standardised with the mean and standard deviation of the data the transform was fitted on. The
 * fitted transform is plain JSON, so a model trained today can be applied to tomorrow's file.
 */
import { FairkitError, messages } from "../core/errors.js";
import { MISSING_LABEL } from "../core/groups.js";
import { checkSchema } from "../core/schema.js";
import { MODEL_SCHEMA_VERSION, TABULAR_TRANSFORM_SCHEMA } from "../schemas/models.js";
import type { Matrix } from "./matrix.js";

/** A value of a table cell. */
export type CellValue = string | number | boolean | null | undefined;

/** Named columns, all of the same length. */
export type Table = Readonly<Record<string, ArrayLike<CellValue>>>;

/** Options of {@link fitTabular}. */
export interface TabularOptions {
  /** Columns to use, in this order; default every column of the table except `exclude`. */
  columns?: readonly string[];
  /** Columns to leave out (the label, the sensitive features, ids). */
  exclude?: readonly string[];
  /** Force these columns to be one-hot encoded even when their values look numeric. */
  categorical?: readonly string[];
  /** Force these columns to be numeric (an error if a value does not parse). */
  numeric?: readonly string[];
  /**
   * Text values that mean "missing" (besides null, undefined and NaN). Default `["", "?",
   * "MissingValue"]`: the UCI files write `?`, the copy used here `MissingValue`.
   */
  missingValues?: readonly string[];
  /** Standardise numeric columns (subtract mean, divide by standard deviation); default true. */
  standardize?: boolean;
}

/** How one input column becomes features. */
export type ColumnEncoding =
  | { name: string; kind: "numeric"; mean: number; scale: number }
  | { name: string; kind: "categorical"; levels: string[] };

/** A fitted {@link TabularTransform} as JSON (`schemas/tabular-transform.schema.json`). */
export interface TabularTransformJSON {
  kind: "fairkit.tabular_transform";
  schema_version: typeof MODEL_SCHEMA_VERSION;
  missing_values: string[];
  encodings: ColumnEncoding[];
}

const DEFAULT_MISSING = ["", "?", "MissingValue"];

function isMissingValue(v: CellValue, missing: ReadonlySet<string>): boolean {
  if (v === null || v === undefined) return true;
  if (typeof v === "number") return Number.isNaN(v);
  if (typeof v === "string") return missing.has(v.trim());
  return false;
}

function asNumber(v: CellValue): number {
  if (typeof v === "number") return v;
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v === "string" && v.trim() !== "") return Number(v);
  return Number.NaN;
}

function levelOf(v: CellValue, missing: ReadonlySet<string>): string {
  return isMissingValue(v, missing) ? MISSING_LABEL : typeof v === "string" ? v.trim() : String(v);
}

/**
 * The fitted transform: applies the same encoding to any table with the same columns. Levels not
 * seen when fitting get all-zero indicator columns; missing numeric values get the fitted mean.
 */
export class TabularTransform {
  readonly encodings: readonly ColumnEncoding[];
  readonly missingValues: readonly string[];
  /** One name per output column: `age`, `workclass=Private`, … */
  readonly featureNames: readonly string[];
  readonly #missing: ReadonlySet<string>;

  constructor(encodings: readonly ColumnEncoding[], missingValues: readonly string[] = DEFAULT_MISSING) {
    this.encodings = encodings;
    this.missingValues = missingValues;
    this.#missing = new Set(missingValues);
    this.featureNames = encodings.flatMap((e) =>
      e.kind === "numeric" ? [e.name] : e.levels.map((l) => `${e.name}=${l}`),
    );
  }

  /** Encodes a table to a feature matrix. */
  transform(table: Table): Matrix {
    const n = tableRows(
      table,
      this.encodings.map((e) => e.name),
    );
    const cols = this.featureNames.length;
    const data = new Float64Array(n * cols);
    let offset = 0;
    for (const e of this.encodings) {
      const values = table[e.name];
      if (e.kind === "numeric") {
        for (let i = 0; i < n; i++) {
          const v = values[i];
          let x = isMissingValue(v, this.#missing) ? e.mean : asNumber(v);
          if (Number.isNaN(x))
            throw new FairkitError("BAD_ARGUMENT", messages.notNumeric(e.name, v, i), { argument: e.name, row: i });
          x = (x - e.mean) / e.scale;
          data[i * cols + offset] = x;
        }
        offset++;
      } else {
        const index = new Map(e.levels.map((l, k) => [l, k]));
        for (let i = 0; i < n; i++) {
          const k = index.get(levelOf(values[i], this.#missing));
          if (k !== undefined) data[i * cols + offset + k] = 1;
        }
        offset += e.levels.length;
      }
    }
    return { rows: n, cols, data };
  }

  toJSON(): TabularTransformJSON {
    return {
      kind: "fairkit.tabular_transform",
      schema_version: MODEL_SCHEMA_VERSION,
      missing_values: [...this.missingValues],
      encodings: this.encodings.map((e) => ({ ...e })),
    };
  }

  /** A saved transform, checked against its schema. */
  static fromJSON(json: unknown, what = "tabular transform"): TabularTransform {
    checkSchema(json, TABULAR_TRANSFORM_SCHEMA, what);
    const doc = json as TabularTransformJSON;
    return new TabularTransform(doc.encodings, doc.missing_values);
  }
}

/**
 * The rows at `index` (in that order) of the named columns of a table (default every column):
 * a train or test part, or the rows of one group.
 * @example
 * sliceTable({ age: [30, 40, 50], job: ["a", "b", "c"] }, [2, 0]); // { age: [50, 30], job: ["c", "a"] }
 */
export function sliceTable(
  table: Table,
  index: ArrayLike<number>,
  columns: readonly string[] = Object.keys(table),
): Record<string, CellValue[]> {
  const out: Record<string, CellValue[]> = {};
  for (const c of columns) {
    const values = table[c];
    const picked = new Array<CellValue>(index.length);
    for (let r = 0; r < index.length; r++) picked[r] = values[index[r]];
    out[c] = picked;
  }
  return out;
}

function tableRows(table: Table, names: readonly string[]): number {
  let n = -1;
  for (const name of names) {
    const values = table[name];
    if (values === undefined) throw new FairkitError("BAD_ARGUMENT", messages.noSuchColumn(name), { argument: name });
    if (n < 0) n = values.length;
    else if (values.length !== n)
      throw new FairkitError("LENGTH_MISMATCH", messages.columnLengths(name, values.length, names[0], n), {
        argument: name,
      });
  }
  return Math.max(n, 0);
}

/**
 * Fits one-hot encoding and standardisation on a table (fit on the training rows only).
 *
 * A column is numeric when every present value is a number or numeric text, unless listed in
 * `categorical`; everything else is categorical. Levels are sorted, so the same data always gives
 * the same columns.
 *
 * @example
 * const prep = fitTabular({ age: [30, 40], job: ["a", "b"], y: [0, 1] }, { exclude: ["y"] });
 * prep.featureNames; // ["age", "job=a", "job=b"]
 * prep.transform({ age: [35], job: ["b"] }); // data [0, 0, 1]
 */
export function fitTabular(table: Table, options: TabularOptions = {}): TabularTransform {
  const missingValues = [...(options.missingValues ?? DEFAULT_MISSING)];
  const missing = new Set(missingValues);
  const exclude = new Set(options.exclude ?? []);
  const names = (options.columns ?? Object.keys(table)).filter((c) => !exclude.has(c));
  if (names.length === 0) throw new FairkitError("BAD_ARGUMENT", messages.noFeatures(), { argument: "columns" });
  const n = tableRows(table, names);
  const forcedCategorical = new Set(options.categorical ?? []);
  const forcedNumeric = new Set(options.numeric ?? []);
  const standardize = options.standardize ?? true;
  const encodings: ColumnEncoding[] = names.map((name) => {
    const values = table[name];
    let numeric = !forcedCategorical.has(name);
    if (numeric && !forcedNumeric.has(name)) {
      let present = 0;
      for (let i = 0; i < n && numeric; i++) {
        const v = values[i];
        if (isMissingValue(v, missing)) continue;
        present++;
        if (!Number.isFinite(asNumber(v))) numeric = false;
      }
      if (present === 0) numeric = false;
    }
    if (numeric) {
      let sum = 0;
      let count = 0;
      for (let i = 0; i < n; i++) {
        const v = values[i];
        if (isMissingValue(v, missing)) continue;
        const x = asNumber(v);
        if (!Number.isFinite(x))
          throw new FairkitError("BAD_ARGUMENT", messages.notNumeric(name, v, i), { argument: name, row: i });
        sum += x;
        count++;
      }
      const mean = count > 0 ? sum / count : 0;
      let ss = 0;
      for (let i = 0; i < n; i++) {
        const v = values[i];
        if (!isMissingValue(v, missing)) ss += (asNumber(v) - mean) ** 2;
      }
      const sd = count > 0 ? Math.sqrt(ss / count) : 0;
      return standardize
        ? { name, kind: "numeric", mean, scale: sd > 0 ? sd : 1 }
        : { name, kind: "numeric", mean: 0, scale: 1 };
    }
    const levels = new Set<string>();
    for (let i = 0; i < n; i++) levels.add(levelOf(values[i], missing));
    return { name, kind: "categorical", levels: [...levels].sort() };
  });
  return new TabularTransform(encodings, missingValues);
}
