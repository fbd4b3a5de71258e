/**
 * Confusion counts straight from a file: one `GROUP BY` in DuckDB over the sensitive columns and
 * the label and decision values, returning the weight, squared weight and row count of each
 * cell of each group: exactly the 12 sums per group of src/core/confusion.ts. Nothing row-sized
 * ever reaches JavaScript, so the file can be far larger than memory.
 *
 * The same pass counts missing values per column and collects each label and decision column's
 * distinct values; every check runs on those before any metric is computed.
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import {
  checkFiniteSums,
  compareLevels,
  type ConfusionTable,
  encodeGroups,
  FairkitError,
  GROUP_STRIDE,
  type Level,
  SUMS_PER_CELL,
} from "fairkit/internal";
import {
  checkRowsAndGroups,
  type BinaryMapping,
  type ColumnRoles,
  type RawValue,
  ROLE_OPTIONS,
  binaryMapping,
  checkRoles,
  decisionMapping,
  firstRowWhere,
  groupExpression,
  naturalBit,
  numericExpression,
  plainText,
  textColumnsOf,
  valueExpression,
} from "./columns.js";
import { ioMessages } from "./messages.js";
import type { Progress } from "./progress-sink.js";
import { runWithProgress } from "./run.js";
import { type Source, filteredFrom, runChecked, sourceError, withText } from "./source.js";
import { sqlIdentifier, sqlLiteral } from "./sql.js";

/** What {@link readCounts} returns: the counts and what was learnt about the columns. */
export interface CountsRead {
  table: ConfusionTable;
  /** Rows read (after the `where` filter). */
  rows: number;
  /** Missing values per column used (after the filter). */
  nulls: Record<string, number>;
  yTrue: BinaryMapping;
  /** Absent when decisions come from a score and threshold. */
  yPred: BinaryMapping | undefined;
  /** Each sensitive column's present values, in group order. */
  levels: Record<string, Level[]>;
  /** True when every weight is 1 (no weight column). */
  unweighted: boolean;
}

/** The SQL pieces shared by the counts and the rows readers. */
export interface RoleExpressions {
  sensitive: string[];
  yTrue: string;
  /** The decision: a column's value, or 0/1 (NULL when the score is missing, 2 when it is not finite) from score ≥ threshold. */
  yPred: string;
  weight: string | undefined;
}

/**
 * Builds the expressions for each role (after checking the columns exist and are numeric where
 * needed), on a source whose label, decision and sensitive columns are text (see `withText`).
 */
export async function roleExpressions(
  connection: DuckDBConnection,
  source: Source,
  roles: ColumnRoles,
): Promise<RoleExpressions> {
  checkRoles(source, roles);
  let yPred: string;
  if (roles.score !== undefined) {
    const s = await numericExpression(connection, source, roles.score, ROLE_OPTIONS.score);
    yPred = `CASE WHEN ${s} IS NULL THEN NULL WHEN NOT isfinite(${s}) THEN 2 WHEN ${s} >= ${roles.threshold} THEN 1 ELSE 0 END`;
  } else yPred = valueExpression(source, roles.yPred!);
  return {
    sensitive: roles.sensitive.map((c) => valueExpression(source, c)),
    yTrue: valueExpression(source, roles.yTrue),
    yPred,
    weight:
      roles.weight === undefined
        ? undefined
        : await numericExpression(connection, source, roles.weight, ROLE_OPTIONS.weight),
  };
}

/**
 * Reads confusion counts per group from an opened source in one DuckDB pass.
 *
 * @example
 * const con = await openDuckDB();
 * const source = await openSource(con, "predictions.csv");
 * const counts = await readCounts(con, source, { yTrue: "label", score: "score", threshold: 0.5, sensitive: ["race"] });
 * MetricFrame.fromCounts(counts.table, { metrics: ["selection_rate"] });
 */
export async function readCounts(
  connection: DuckDBConnection,
  opened: Source,
  roles: ColumnRoles,
  options: { progress?: Progress } = {},
): Promise<CountsRead> {
  const source = withText(opened, textColumnsOf(roles));
  const path = source.path;
  const ex = await roleExpressions(connection, source, roles);
  const k = ex.sensitive.length;
  const inner = [
    ...roles.sensitive.map((c, i) => `${groupExpression(source, c)} AS s${i}`),
    `${groupExpression(source, roles.yTrue)} AS y`,
    `${roles.yPred !== undefined ? groupExpression(source, roles.yPred) : ex.yPred} AS p`,
    ...(ex.weight ? [`${ex.weight} AS w`] : []),
  ].join(", ");
  const keys = [...ex.sensitive.map((_, i) => `s${i}`), "y", "p"];
  const sums = ex.weight
    ? [
        "CAST(count(*) AS DOUBLE) AS n",
        "sum(w) AS sw",
        "sum(w * w) AS sw2",
        "CAST(count(*) FILTER (WHERE w IS NULL) AS DOUBLE) AS w_null",
        "CAST(count(*) FILTER (WHERE w < 0 OR NOT isfinite(w)) AS DOUBLE) AS w_bad",
      ]
    : ["CAST(count(*) AS DOUBLE) AS n"];
  const sql = `SELECT ${keys.join(", ")}, ${sums.join(", ")} FROM (SELECT ${inner} FROM ${filteredFrom(source)}) GROUP BY ${keys.join(", ")}`;
  let result: unknown[][];
  try {
    result = (await runChecked(source, () => runWithProgress(connection, sql, options.progress))).getRows();
  } catch (error) {
    throw withOption(await sourceError(source, error), roles);
  }
  const R = result.length;
  const sensitiveValues = Array.from({ length: k }, () => new Array<RawValue | null>(R));
  const ys = new Array<RawValue | null>(R);
  const ps = new Array<RawValue | null>(R);
  const n = new Float64Array(R);
  const sw = new Float64Array(R);
  const sw2 = new Float64Array(R);
  let rows = 0;
  let wNull = 0;
  let wBad = 0;
  let totalWeight = 0;
  const nulls: Record<string, number> = {};
  for (const c of [
    ...roles.sensitive,
    roles.yTrue,
    roles.yPred ?? roles.score!,
    ...(roles.weight ? [roles.weight] : []),
  ])
    nulls[c] = 0;
  for (let r = 0; r < R; r++) {
    const row = result[r];
    for (let j = 0; j < k; j++) {
      sensitiveValues[j][r] = plainText(row[j]);
      if (sensitiveValues[j][r] === null) nulls[roles.sensitive[j]] += Number(row[k + 2]);
    }
    ys[r] = plainText(row[k]);
    ps[r] = roles.yPred !== undefined ? plainText(row[k + 1]) : row[k + 1] === null ? null : Number(row[k + 1]);
    n[r] = Number(row[k + 2]);
    rows += n[r];
    if (ys[r] === null) nulls[roles.yTrue] += n[r];
    if (ps[r] === null) nulls[roles.yPred ?? roles.score!] += n[r];
    if (ex.weight) {
      sw[r] = Number(row[k + 3] ?? 0);
      sw2[r] = Number(row[k + 4] ?? 0);
      wNull += Number(row[k + 5]);
      wBad += Number(row[k + 6]);
      if (roles.weight) nulls[roles.weight] = wNull;
    } else {
      sw[r] = n[r];
      sw2[r] = n[r];
    }
    totalWeight += sw[r];
  }

  // The checks, in the order a user would fix them.
  await checkRowsAndGroups(connection, source, roles.sensitive, nulls, rows);
  const missing = async (column: string, option: string, condition: string, count: number): Promise<never> => {
    const first = await firstRowWhere(connection, source, condition, "NULL");
    throw new FairkitError(
      "MISSING_LABEL",
      ioMessages.missingValues(path, column, option, count, first?.place ?? "an unknown row"),
      {
        file: path,
        argument: column,
        row: first?.row,
      },
    );
  };
  if (nulls[roles.yTrue] > 0)
    await missing(roles.yTrue, ROLE_OPTIONS.yTrue, `(${ex.yTrue}) IS NULL`, nulls[roles.yTrue]);
  const yTrue = await checkBinary(
    connection,
    source,
    roles.yTrue,
    ROLE_OPTIONS.yTrue,
    ex.yTrue,
    distinct(ys),
    roles.posLabel,
    "--pos-label",
    (values) => binaryMapping(roles.yTrue, values, roles.posLabel),
  );
  let yPred: BinaryMapping | undefined;
  if (roles.yPred !== undefined) {
    const column = roles.yPred;
    if (nulls[column] > 0) await missing(column, ROLE_OPTIONS.yPred, `(${ex.yPred}) IS NULL`, nulls[column]);
    const option = roles.predPosLabel !== undefined ? "--pred-pos-label" : "--pos-label";
    yPred = await checkBinary(
      connection,
      source,
      column,
      ROLE_OPTIONS.yPred,
      ex.yPred,
      distinct(ps as (RawValue | null)[]),
      roles.predPosLabel ?? roles.posLabel,
      option,
      (values) => decisionMapping(column, values, roles.posLabel, roles.predPosLabel),
    );
  } else {
    const score = roles.score!;
    if (nulls[score] > 0) await missing(score, ROLE_OPTIONS.score, `(${ex.yPred}) IS NULL`, nulls[score]);
    if (ps.some((p) => p === 2)) {
      const first = await firstRowWhere(connection, source, `(${ex.yPred}) = 2`, sqlIdentifier(score));
      throw new FairkitError(
        "BAD_SCORE",
        ioMessages.notFinite(path, score, ROLE_OPTIONS.score, Number(first?.value), first?.place),
        { file: path, argument: score, row: first?.row },
      );
    }
  }
  if (roles.weight !== undefined && ex.weight) {
    if (wNull > 0) await missing(roles.weight, ROLE_OPTIONS.weight, `(${ex.weight}) IS NULL`, wNull);
    if (wBad > 0) {
      const first = await firstRowWhere(
        connection,
        source,
        `(${ex.weight}) < 0 OR NOT isfinite(${ex.weight})`,
        ex.weight,
      );
      throw new FairkitError(
        "BAD_WEIGHT",
        ioMessages.negativeWeight(path, roles.weight, Number(first?.value), first?.place),
        { file: path, argument: roles.weight, row: first?.row },
      );
    }
    if (totalWeight === 0)
      throw new FairkitError("BAD_WEIGHT", ioMessages.zeroWeight(path, roles.weight), {
        file: path,
        argument: roles.weight,
      });
  }

  // The counts: group codes from the core's own encoding of the (few) aggregated rows.
  const named: Record<string, (Level | null)[]> = {};
  roles.sensitive.forEach((c, j) => {
    named[c] = sensitiveValues[j] as (Level | null)[];
  });
  const encoding = encodeGroups(named, R, "rows");
  const G = encoding.groups.length;
  const data = new Float64Array(G * GROUP_STRIDE);
  const yPos = keySet(yTrue.positives);
  const pPos = yPred ? keySet(yPred.positives) : undefined;
  for (let r = 0; r < R; r++) {
    const y = yPos.has(String(ys[r])) ? 1 : 0;
    const p = pPos ? (pPos.has(String(ps[r])) ? 1 : 0) : Number(ps[r]);
    const base = encoding.codes[r] * GROUP_STRIDE + (2 * y + p) * SUMS_PER_CELL;
    data[base] += sw[r];
    data[base + 1] += sw2[r];
    data[base + 2] += n[r];
  }
  const levels: Record<string, Level[]> = {};
  for (const c of roles.sensitive) {
    const seen = new Set<Level>();
    for (const g of encoding.groups) {
      const v = g.values[c];
      if (v !== null) seen.add(v);
    }
    levels[c] = [...seen].sort(compareLevels);
  }
  const table = { columns: [...roles.sensitive], groups: encoding.groups, data };
  checkFiniteSums(
    table,
    `${path}: weight column ${JSON.stringify(roles.weight ?? "")} (--weight)`,
    "rescale the column (e.g. divide it by its maximum)",
  );
  return { table, rows, nulls, yTrue, yPred, levels, unweighted: roles.weight === undefined };
}

/** Names the option a column was given with in a DuckDB conversion error (`column "s" (--score) holds …`). */
function withOption(error: FairkitError, roles: ColumnRoles): FairkitError {
  const column = error.location.argument;
  if (column === undefined) return error;
  const option =
    column === roles.score
      ? ROLE_OPTIONS.score
      : column === roles.weight
        ? ROLE_OPTIONS.weight
        : column === roles.yTrue
          ? ROLE_OPTIONS.yTrue
          : column === roles.yPred
            ? ROLE_OPTIONS.yPred
            : undefined;
  const quoted = `column ${JSON.stringify(column)} holds`;
  if (option === undefined || !error.message.includes(quoted)) return error;
  return new FairkitError(
    error.code,
    error.message.replace(quoted, `column ${JSON.stringify(column)} (${option}) holds`),
    error.location,
  );
}

function keySet(values: readonly RawValue[]): Set<string> {
  return new Set(values.map((v) => String(v)));
}

function distinct(values: readonly (RawValue | null)[]): RawValue[] {
  const seen = new Map<string, RawValue>();
  for (const v of values) if (v !== null && !seen.has(String(v))) seen.set(String(v), v);
  return [...seen.values()];
}

async function checkBinary(
  connection: DuckDBConnection,
  source: Source,
  column: string,
  option: string,
  valueSql: string,
  values: RawValue[],
  posLabel: string | undefined,
  posOption: string,
  map: (values: readonly RawValue[]) => BinaryMapping | { error: "not_binary" | "pos_label_absent" },
): Promise<BinaryMapping> {
  const mapping = map(values);
  if (!("error" in mapping)) return mapping;
  const path = source.path;
  if (mapping.error === "pos_label_absent") {
    throw new FairkitError(
      "NOT_BINARY",
      ioMessages.posLabelAbsent(path, column, option, posOption, posLabel!, values),
      { file: path, argument: column },
    );
  }
  // Without --pos-label the first row that is not 0/1 or true/false is to blame; with it, no one row is.
  let first: Awaited<ReturnType<typeof firstRowWhere>>;
  if (posLabel === undefined) {
    const allowed = values.filter((v) => naturalBit(v) !== undefined);
    const condition =
      allowed.length === 0
        ? `${valueSql} IS NOT NULL`
        : `${valueSql} IS NOT NULL AND ${valueSql} NOT IN (${allowed.map(sqlLiteral).join(", ")})`;
    first = await firstRowWhere(connection, source, condition, valueSql);
  }
  throw new FairkitError("NOT_BINARY", ioMessages.notBinary(path, column, option, values, first?.place), {
    file: path,
    argument: column,
    row: first?.row,
  });
}
