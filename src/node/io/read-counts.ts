/**
 * Confusion counts straight from a file: one `GROUP BY` in DuckDB over the sensitive columns and
 * the label and decision values, returning the weight, squared weight and row count of each
 * cell of each group: exactly the 12 sums per group of src/core/confusion.ts. Nothing row-sized
 * ever reaches JavaScript, so the file can be far larger than memory.
 *
 * The same pass counts missing values per column and collects each label and decision column's
 * distinct values; every check runs on those (in src/node/io/cells.ts, shared with the database
 * readers) before any metric is computed.
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import { FairkitError } from "fairkit/internal";
import { type CellChecks, type CellProblem, type CountsRead, cellRowsOf, countsFromCells } from "./cells.js";
import {
  checkRowsAndGroups,
  type ColumnRoles,
  ROLE_OPTIONS,
  checkRoles,
  firstRowWhere,
  groupExpression,
  numericExpression,
  textColumnsOf,
  valueExpression,
} from "./columns.js";
import type { Progress } from "./progress-sink.js";
import { runWithProgress } from "./run.js";
import { type Source, filteredFrom, runChecked, sourceError, withText } from "./source.js";
import { sqlIdentifier, sqlLiteral } from "./sql.js";

export type { CountsRead } from "./cells.js";

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
  const ex = await roleExpressions(connection, source, roles);
  const sql = fileCellsSql(source, roles, ex);
  let result: unknown[][];
  try {
    result = (await runChecked(source, () => runWithProgress(connection, sql, options.progress))).getRows();
  } catch (error) {
    throw withOption(await sourceError(source, error), roles);
  }
  const cells = cellRowsOf(result, roles);
  return countsFromCells(cells, roles, fileChecks(connection, source, roles, ex));
}

/**
 * The cells query of a file: one GROUP BY over the sensitive columns' text, the label's, the
 * decision (a column's text, or 0/1/2/NULL from the score), with the row count and, with a
 * weight, its sums and the counts of missing and bad weights — in the column order
 * {@link cellRowsOf} reads. `leading` puts more keys first (`fairkit monitor`: the window and the
 * score bin), and `from` replaces the filtered source.
 */
export function fileCellsSql(
  source: Source,
  roles: ColumnRoles,
  ex: RoleExpressions,
  options: { leading?: readonly { sql: string; alias: string }[]; from?: string } = {},
): string {
  const leading = options.leading ?? [];
  const inner = [
    ...leading.map((l) => `${l.sql} AS ${l.alias}`),
    ...roles.sensitive.map((c, i) => `${groupExpression(source, c)} AS s${i}`),
    `${groupExpression(source, roles.yTrue)} AS y`,
    `${roles.yPred !== undefined ? groupExpression(source, roles.yPred) : ex.yPred} AS p`,
    ...(ex.weight ? [`${ex.weight} AS w`] : []),
  ].join(", ");
  const keys = [...leading.map((l) => l.alias), ...roles.sensitive.map((_, i) => `s${i}`), "y", "p"];
  const sums = ex.weight
    ? [
        "CAST(count(*) AS DOUBLE) AS n",
        "sum(w) AS sw",
        "sum(w * w) AS sw2",
        "CAST(count(*) FILTER (WHERE w IS NULL) AS DOUBLE) AS w_null",
        "CAST(count(*) FILTER (WHERE w < 0 OR NOT isfinite(w)) AS DOUBLE) AS w_bad",
      ]
    : ["CAST(count(*) AS DOUBLE) AS n"];
  return `SELECT ${keys.join(", ")}, ${sums.join(", ")} FROM (SELECT ${inner} FROM ${options.from ?? filteredFrom(source)}) GROUP BY ${keys.join(", ")}`;
}

/** The checks' view of a file: its rows are numbered, so each problem names a row and line. */
export function fileChecks(
  connection: DuckDBConnection,
  source: Source,
  roles: ColumnRoles,
  ex: RoleExpressions,
): CellChecks {
  const conditions = (problem: CellProblem): { condition: string; value: string } => {
    switch (problem.kind) {
      case "missing": {
        const expression =
          problem.column === roles.yTrue ? ex.yTrue : problem.column === roles.weight ? ex.weight! : ex.yPred;
        return { condition: `(${expression}) IS NULL`, value: "NULL" };
      }
      case "not_finite":
        return { condition: `(${ex.yPred}) = 2`, value: sqlIdentifier(problem.column) };
      case "bad_weight":
        return { condition: `(${ex.weight}) < 0 OR NOT isfinite(${ex.weight})`, value: ex.weight! };
      case "not_binary": {
        const valueSql = problem.column === roles.yTrue ? ex.yTrue : ex.yPred;
        return {
          condition:
            problem.allowed.length === 0
              ? `${valueSql} IS NOT NULL`
              : `${valueSql} IS NOT NULL AND ${valueSql} NOT IN (${problem.allowed.map(sqlLiteral).join(", ")})`,
          value: valueSql,
        };
      }
    }
  };
  return {
    name: source.path,
    file: source.path,
    first: (problem) => {
      const { condition, value } = conditions(problem);
      return firstRowWhere(connection, source, condition, value);
    },
    noRows: async () => {
      await checkRowsAndGroups(connection, source, [], {}, 0);
      throw new Error("unreachable: checkRowsAndGroups throws on zero rows");
    },
  };
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
