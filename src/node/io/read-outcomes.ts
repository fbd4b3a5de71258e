/**
 * The readers of the regression and multiclass audits. Multiclass: one `GROUP BY` over the
 * sensitive columns and the label and decision values (only counts reach JavaScript, as for the
 * binary audit). Regression: one `GROUP BY` over the sensitive columns for the checks and the
 * levels, then the rows streamed into typed arrays (y, ŷ, weight, group codes: 20–28 bytes a row),
 * because the prediction distributions compared between groups are exact.
 *
 * Every check runs before a number is computed, and its error names the file, column, option and
 * first row: missing or non-finite outcomes and predictions, negative or missing weights, no rows.
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import {
  compareLevels,
  DEFAULTS,
  encodeGroups,
  FairkitError,
  type CategoricalColumn,
  type Level,
  messages,
  type MulticlassCounts,
  SUMS_PER_CELL,
} from "fairkit/internal";
import {
  checkRowsAndGroups,
  firstRowWhere,
  groupExpression,
  levelCodeSql,
  numericExpression,
  plainText,
  ROLE_OPTIONS,
  valueExpression,
} from "./columns.js";
import { ioMessages } from "./messages.js";
import type { Progress } from "./progress-sink.js";
import { runWithProgress } from "./run.js";
import { filteredFrom, requireColumns, runChecked, type Source, sourceError, withText } from "./source.js";

/** The columns of a regression or multiclass audit. */
export interface OutcomeRoles {
  /** The observed outcome (a number for regression, a class for multiclass). */
  yTrue: string;
  /** The prediction (a number) or decided class. */
  yPred: string;
  sensitive: readonly string[];
  weight?: string;
}

/** What both readers learn besides the data. */
export interface OutcomeRead {
  rows: number;
  /** Missing values per sensitive column (they form the group "(missing)"). */
  nulls: Record<string, number>;
}

/** Regression rows as typed arrays, ready for `new RegressionFrame({ ...rows })`. */
export interface RegressionRowsRead extends OutcomeRead {
  yTrue: Float64Array;
  yPred: Float64Array;
  sampleWeight: Float64Array | undefined;
  sensitiveFeatures: Record<string, CategoricalColumn>;
}

/** Multiclass counts, ready for `MulticlassFrame.fromCounts`. */
export interface MulticlassCountsRead extends OutcomeRead {
  counts: MulticlassCounts;
}

function checkOutcomeRoles(source: Source, roles: OutcomeRoles): void {
  if (roles.sensitive.length === 0)
    throw new FairkitError("BAD_ARGUMENT", "name at least one sensitive column (--sensitive COLUMN[,COLUMN…])", {
      argument: "sensitive",
    });
  requireColumns(source, [
    { option: ROLE_OPTIONS.yTrue, column: roles.yTrue },
    { option: ROLE_OPTIONS.yPred, column: roles.yPred },
    ...(roles.weight !== undefined ? [{ option: ROLE_OPTIONS.weight, column: roles.weight }] : []),
    ...roles.sensitive.map((column) => ({ option: ROLE_OPTIONS.sensitive, column })),
  ]);
}

/** Counts per aggregated row: n, and the checks' counts when asked. */
interface Checked {
  rows: number;
  nulls: Record<string, number>;
  sensitive: (string | null)[][];
}

/**
 * The checks shared by both readers, from one aggregate query: no rows, missing or bad outcomes,
 * predictions and weights (each reported at its first row), a sensitive column with no values.
 * `flags` are SQL conditions counted per aggregate row (in order: y missing, ŷ missing, y bad, ŷ
 * bad, weight missing, weight bad), each with what to say when it occurs.
 */
async function runChecks(
  connection: DuckDBConnection,
  source: Source,
  roles: OutcomeRoles,
  result: unknown[][],
  k: number,
  nIndex: number,
  flags: {
    index: number;
    condition: string;
    value: string;
    fail: (count: number, first: Awaited<ReturnType<typeof firstRowWhere>>) => FairkitError;
  }[],
): Promise<Checked> {
  let rows = 0;
  const nulls: Record<string, number> = {};
  for (const c of roles.sensitive) nulls[c] = 0;
  const sensitive = Array.from({ length: k }, () => new Array<string | null>(result.length));
  const flagged = flags.map(() => 0);
  result.forEach((row, r) => {
    const n = Number(row[nIndex]);
    rows += n;
    for (let j = 0; j < k; j++) {
      sensitive[j][r] = plainText(row[j]);
      if (sensitive[j][r] === null) nulls[roles.sensitive[j]] += n;
    }
    flags.forEach((f, i) => {
      flagged[i] += Number(row[f.index] ?? 0);
    });
  });
  await checkRowsAndGroups(connection, source, roles.sensitive, nulls, rows);
  for (let i = 0; i < flags.length; i++) {
    if (flagged[i] > 0)
      throw flags[i].fail(flagged[i], await firstRowWhere(connection, source, flags[i].condition, flags[i].value));
  }
  return { rows, nulls, sensitive };
}

function missingError(path: string, column: string, option: string) {
  return (count: number, first: Awaited<ReturnType<typeof firstRowWhere>>) =>
    new FairkitError(
      "MISSING_LABEL",
      ioMessages.missingValues(path, column, option, count, first?.place ?? "an unknown row"),
      {
        file: path,
        argument: column,
        row: first?.row,
      },
    );
}

async function query(
  connection: DuckDBConnection,
  source: Source,
  sql: string,
  progress?: Progress,
): Promise<unknown[][]> {
  try {
    return (await runChecked(source, () => runWithProgress(connection, sql, progress))).getRows();
  } catch (error) {
    throw await sourceError(source, error);
  }
}

/** Weight expressions and their checks (the same for both readers). */
async function weightParts(connection: DuckDBConnection, source: Source, roles: OutcomeRoles) {
  if (roles.weight === undefined) return undefined;
  const w = await numericExpression(connection, source, roles.weight, ROLE_OPTIONS.weight);
  const path = source.path;
  const column = roles.weight;
  return {
    sql: w,
    sums: [
      `sum(${w}) AS sw`,
      `sum(${w} * ${w}) AS sw2`,
      `CAST(count(*) FILTER (WHERE ${w} IS NULL) AS DOUBLE) AS w_null`,
      `CAST(count(*) FILTER (WHERE ${w} < 0 OR NOT isfinite(${w})) AS DOUBLE) AS w_bad`,
    ],
    flags: (at: number) => [
      { index: at + 2, condition: `(${w}) IS NULL`, value: w, fail: missingError(path, column, ROLE_OPTIONS.weight) },
      {
        index: at + 3,
        condition: `(${w}) < 0 OR NOT isfinite(${w})`,
        value: w,
        fail: (_: number, first: Awaited<ReturnType<typeof firstRowWhere>>) =>
          new FairkitError("BAD_WEIGHT", ioMessages.negativeWeight(path, column, Number(first?.value), first?.place), {
            file: path,
            argument: column,
            row: first?.row,
          }),
      },
    ],
  };
}

function levelsOf(values: (string | null)[]): Level[] {
  return [...new Set(values.filter((v): v is string => v !== null))].sort(compareLevels);
}

/**
 * Reads a regression audit's rows: the outcome and prediction as numbers, the weight, and each
 * sensitive column as codes into its levels.
 *
 * @example
 * const rows = await readRegressionRows(con, source, { yTrue: "ZFYA", yPred: "predicted", sensitive: ["race"] });
 * new RegressionFrame({ ...rows });
 */
export async function readRegressionRows(
  connection: DuckDBConnection,
  opened: Source,
  roles: OutcomeRoles,
  options: { progress?: Progress } = {},
): Promise<RegressionRowsRead> {
  const source = withText(opened, [...roles.sensitive]);
  checkOutcomeRoles(source, roles);
  const path = source.path;
  const y = await numericExpression(connection, source, roles.yTrue, ROLE_OPTIONS.yTrue);
  const p = await numericExpression(connection, source, roles.yPred, ROLE_OPTIONS.yPred);
  const weight = await weightParts(connection, source, roles);
  const k = roles.sensitive.length;
  const keys = roles.sensitive.map((c, i) => `${groupExpression(source, c)} AS s${i}`);
  const nonFinite = (column: string, option: string, e: string) => ({
    condition: `(${e}) IS NOT NULL AND NOT isfinite(${e})`,
    value: e,
    fail: (_: number, first: Awaited<ReturnType<typeof firstRowWhere>>) =>
      new FairkitError("BAD_SCORE", ioMessages.notFinite(path, column, option, Number(first?.value), first?.place), {
        file: path,
        argument: column,
        row: first?.row,
      }),
  });
  const sums = [
    "CAST(count(*) AS DOUBLE) AS n",
    `CAST(count(*) FILTER (WHERE ${y} IS NULL) AS DOUBLE) AS y_null`,
    `CAST(count(*) FILTER (WHERE ${p} IS NULL) AS DOUBLE) AS p_null`,
    `CAST(count(*) FILTER (WHERE NOT isfinite(${y})) AS DOUBLE) AS y_bad`,
    `CAST(count(*) FILTER (WHERE NOT isfinite(${p})) AS DOUBLE) AS p_bad`,
    ...(weight?.sums ?? []),
  ];
  const groupBy = roles.sensitive.map((_, i) => `s${i}`);
  const sql = `SELECT ${[...keys.map((_, i) => `s${i}`), ...sums].join(", ")} FROM (SELECT *, ${keys.join(", ")} FROM ${filteredFrom(source)}) GROUP BY ${groupBy.join(", ")}`;
  const result = await query(connection, source, sql, options.progress);
  const checked = await runChecks(connection, source, roles, result, k, k, [
    { index: k + 1, condition: `(${y}) IS NULL`, value: y, fail: missingError(path, roles.yTrue, ROLE_OPTIONS.yTrue) },
    { index: k + 2, condition: `(${p}) IS NULL`, value: p, fail: missingError(path, roles.yPred, ROLE_OPTIONS.yPred) },
    { index: k + 3, ...nonFinite(roles.yTrue, ROLE_OPTIONS.yTrue, y) },
    { index: k + 4, ...nonFinite(roles.yPred, ROLE_OPTIONS.yPred, p) },
    ...(weight?.flags(k + 5) ?? []),
  ]);
  if (weight) {
    const total = result.reduce((s, row) => s + Number(row[k + 5] ?? 0), 0);
    if (total === 0)
      throw new FairkitError("BAD_WEIGHT", ioMessages.zeroWeight(path, roles.weight!), {
        file: path,
        argument: roles.weight,
      });
  }
  const levels = roles.sensitive.map((_, j) => levelsOf(checked.sensitive[j]));
  const columns = [
    `CAST(${y} AS DOUBLE) AS y`,
    `CAST(${p} AS DOUBLE) AS p`,
    ...(weight ? [`CAST(${weight.sql} AS DOUBLE) AS w`] : []),
    ...(await Promise.all(
      roles.sensitive.map(
        async (c, j) => `${await levelCodeSql(connection, valueExpression(source, c), levels[j])} AS c${j}`,
      ),
    )),
  ];
  const n = checked.rows;
  const yTrue = new Float64Array(n);
  const yPred = new Float64Array(n);
  const sampleWeight = weight ? new Float64Array(n) : undefined;
  const codes = roles.sensitive.map(() => new Int32Array(n));
  const targets = [yTrue, yPred, ...(sampleWeight ? [sampleWeight] : []), ...codes];
  let offset = 0;
  try {
    const stream = await connection.stream(`SELECT ${columns.join(", ")} FROM ${filteredFrom(source)}`);
    for (;;) {
      const chunk = await stream.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      const m = chunk.rowCount;
      if (offset + m > n) throw new Error(`${path} changed while it was read (more rows than counted)`);
      targets.forEach((target, c) => {
        target.set((chunk.getColumnVector(c) as unknown as { items: typeof target }).items.subarray(0, m), offset);
      });
      offset += m;
      options.progress?.update(offset / n, "reading rows");
    }
  } catch (error) {
    throw await sourceError(source, error);
  }
  if (offset !== n) throw new Error(`${path} changed while it was read (${offset} rows, counted ${n})`);
  const sensitiveFeatures: Record<string, CategoricalColumn> = {};
  roles.sensitive.forEach((c, j) => {
    sensitiveFeatures[c] = { codes: codes[j], levels: levels[j] };
  });
  return { yTrue, yPred, sampleWeight, sensitiveFeatures, rows: n, nulls: checked.nulls };
}

/**
 * Reads a multiclass audit's counts: one GROUP BY over the sensitive columns, the label and the
 * decision, with the weight sums.
 *
 * @example
 * const read = await readMulticlassCounts(con, source, { yTrue: "grade", yPred: "predicted_grade", sensitive: ["sex"] });
 * MulticlassFrame.fromCounts(read.counts);
 */
export async function readMulticlassCounts(
  connection: DuckDBConnection,
  opened: Source,
  roles: OutcomeRoles,
  options: { progress?: Progress } = {},
): Promise<MulticlassCountsRead> {
  const source = withText(opened, [...roles.sensitive, roles.yTrue, roles.yPred]);
  checkOutcomeRoles(source, roles);
  const path = source.path;
  const weight = await weightParts(connection, source, roles);
  const k = roles.sensitive.length;
  const keys = [
    ...roles.sensitive.map((c, i) => `${groupExpression(source, c)} AS s${i}`),
    `${groupExpression(source, roles.yTrue)} AS y`,
    `${groupExpression(source, roles.yPred)} AS p`,
  ];
  const names = [...roles.sensitive.map((_, i) => `s${i}`), "y", "p"];
  const sums = ["CAST(count(*) AS DOUBLE) AS n", ...(weight?.sums ?? [])];
  const sql = `SELECT ${[...names, ...sums].join(", ")} FROM (SELECT *, ${keys.join(", ")} FROM ${filteredFrom(source)}) GROUP BY ${names.join(", ")}`;
  const result = await query(connection, source, sql, options.progress);
  const ys = result.map((row) => plainText(row[k]));
  const ps = result.map((row) => plainText(row[k + 1]));
  const yNull = result.reduce((s, row, r) => s + (ys[r] === null ? Number(row[k + 2]) : 0), 0);
  const pNull = result.reduce((s, row, r) => s + (ps[r] === null ? Number(row[k + 2]) : 0), 0);
  const yValue = valueExpression(source, roles.yTrue);
  const pValue = valueExpression(source, roles.yPred);
  // The null counts ride as extra "columns" of a synthetic first row so one check path serves both readers.
  const augmented = result.map((row, r) => [...row, r === 0 ? yNull : 0, r === 0 ? pNull : 0]);
  const extra = result[0]?.length ?? 0;
  const checked = await runChecks(connection, source, roles, augmented, k, k + 2, [
    {
      index: extra,
      condition: `(${yValue}) IS NULL`,
      value: yValue,
      fail: missingError(path, roles.yTrue, ROLE_OPTIONS.yTrue),
    },
    {
      index: extra + 1,
      condition: `(${pValue}) IS NULL`,
      value: pValue,
      fail: missingError(path, roles.yPred, ROLE_OPTIONS.yPred),
    },
    ...(weight?.flags(k + 3) ?? []),
  ]);
  const classes = levelsOf([...ys, ...ps]);
  if (classes.length > DEFAULTS.maxClasses) {
    throw new FairkitError(
      "BAD_ARGUMENT",
      `${path}: columns ${JSON.stringify(roles.yTrue)} (--y-true) and ${JSON.stringify(roles.yPred)} (--y-pred): ${messages.tooManyClasses(classes.length, DEFAULTS.maxClasses)}`,
      { file: path, argument: roles.yTrue },
    );
  }
  const named: Record<string, (Level | null)[]> = {};
  roles.sensitive.forEach((c, j) => {
    named[c] = checked.sensitive[j];
  });
  const encoding = encodeGroups(named, result.length, "rows");
  const K = classes.length;
  const index = new Map(classes.map((c, i) => [String(c), i]));
  const data = new Float64Array(encoding.groups.length * K * K * SUMS_PER_CELL);
  let totalWeight = 0;
  result.forEach((row, r) => {
    const at = ((encoding.codes[r] * K + index.get(ys[r]!)!) * K + index.get(ps[r]!)!) * SUMS_PER_CELL;
    const n = Number(row[k + 2]);
    const sw = weight ? Number(row[k + 3] ?? 0) : n;
    data[at] += sw;
    data[at + 1] += weight ? Number(row[k + 4] ?? 0) : n;
    data[at + 2] += n;
    totalWeight += sw;
  });
  if (weight && totalWeight === 0)
    throw new FairkitError("BAD_WEIGHT", ioMessages.zeroWeight(path, roles.weight!), {
      file: path,
      argument: roles.weight,
    });
  return {
    counts: { columns: [...roles.sensitive], groups: encoding.groups, classes, data },
    rows: checked.rows,
    nulls: checked.nulls,
  };
}
