/**
 * Column roles and type checks for the readers. Label and decision columns must be binary, scores
 * and weights numeric; each column is turned into a SQL expression DuckDB evaluates in place.
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import { FairkitError } from "../core/errors.js";
import { ioMessages, rowPlace } from "./messages.js";
import { type Source, columnType, filteredFrom, requireColumns } from "./source.js";
import { sqlIdentifier, sqlLiteral } from "./sql.js";

/** Which column plays which part. Give `yPred`, or `score` with `threshold` (positive when score ≥ threshold). */
export interface ColumnRoles {
  yTrue: string;
  yPred?: string;
  score?: string;
  threshold?: number;
  /** One or more sensitive columns; several give their intersections. */
  sensitive: readonly string[];
  weight?: string;
  /** The value of a text label or decision column that means positive. */
  posLabel?: string;
}

/** A value as DuckDB returns it for the column types fairkit groups by. */
export type RawValue = string | number | bigint | boolean;

/** The option each role is given with on the command line (used in messages). */
export const ROLE_OPTIONS = {
  yTrue: "--y-true",
  yPred: "--y-pred",
  score: "--score",
  weight: "--weight",
  sensitive: "--sensitive",
} as const;

const INTEGER_TYPES = new Set(["TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "UHUGEINT"]);

/** True for DuckDB's numeric types. */
export function isNumericType(type: string): boolean {
  return INTEGER_TYPES.has(type) || type === "FLOAT" || type === "DOUBLE" || type.startsWith("DECIMAL");
}

/**
 * The expression a label, decision or sensitive column is grouped by: text trimmed of surrounding
 * spaces (so `" >50K"` and `">50K"` are one value), integers, doubles and booleans as they are,
 * decimals as doubles, anything else (dates, …) as text.
 */
export function valueExpression(source: Source, column: string): string {
  const type = columnType(source, column);
  const id = sqlIdentifier(column);
  if (type === "VARCHAR") return `trim(${id})`;
  if (type === "BOOLEAN" || INTEGER_TYPES.has(type) || type === "DOUBLE" || type === "FLOAT") return id;
  if (type.startsWith("DECIMAL")) return `CAST(${id} AS DOUBLE)`;
  return `CAST(${id} AS VARCHAR)`;
}

/**
 * The expression the counts are grouped by: as {@link valueExpression} but text is left as it is
 * (trimming every row costs more than trimming the few distinct values afterwards, in JS).
 */
export function groupExpression(source: Source, column: string): string {
  return columnType(source, column) === "VARCHAR" ? sqlIdentifier(column) : valueExpression(source, column);
}

/** Checks that every named column exists (MISSING_COLUMN naming the option and listing the columns). */
export function checkRoles(source: Source, roles: ColumnRoles): void {
  const named: { option: string; column: string }[] = [{ option: ROLE_OPTIONS.yTrue, column: roles.yTrue }];
  if (roles.yPred !== undefined) named.push({ option: ROLE_OPTIONS.yPred, column: roles.yPred });
  if (roles.score !== undefined) named.push({ option: ROLE_OPTIONS.score, column: roles.score });
  if (roles.weight !== undefined) named.push({ option: ROLE_OPTIONS.weight, column: roles.weight });
  for (const s of roles.sensitive) named.push({ option: ROLE_OPTIONS.sensitive, column: s });
  if ((roles.yPred === undefined) === (roles.score === undefined)) {
    throw new FairkitError("BAD_ARGUMENT", "give the decisions as --y-pred COLUMN, or a score as --score COLUMN with --threshold T (not both)", { argument: "yPred" });
  }
  if (roles.score !== undefined && !(typeof roles.threshold === "number" && Number.isFinite(roles.threshold))) {
    throw new FairkitError("BAD_ARGUMENT", "--score needs --threshold T (a row is positive when its score is >= T)", { argument: "threshold" });
  }
  if (roles.sensitive.length === 0) throw new FairkitError("BAD_ARGUMENT", "name at least one sensitive column (--sensitive COLUMN[,COLUMN…])", { argument: "sensitive" });
  requireColumns(source, named);
}

/**
 * The first row (1-based, in file order, among rows passing `where`) where `condition` holds, and
 * the column's value there; undefined when there is none. Only used to explain an error, so it
 * may be slow: it reads the file single-threaded to number the rows in file order.
 */
export async function firstRowWhere(
  connection: DuckDBConnection,
  source: Source,
  condition: string,
  valueSql: string,
): Promise<{ row: number; value: unknown; place: string } | undefined> {
  await connection.run("SET threads = 1");
  let rows: unknown[][];
  try {
    const reader = await connection.runAndReadAll(
      `SELECT __fairkit_row, __fairkit_value FROM (SELECT row_number() OVER () AS __fairkit_row, ${valueSql} AS __fairkit_value, * FROM ${source.relation}) WHERE ${source.where ? `(${source.where}) AND ` : ""}(${condition}) ORDER BY __fairkit_row LIMIT 1`,
    );
    rows = reader.getRows();
  } finally {
    await connection.run("RESET threads");
  }
  if (rows.length === 0) return undefined;
  const row = Number(rows[0][0]);
  const textFile = source.format === "csv" || source.format === "tsv";
  return { row, value: rows[0][1], place: rowPlace(row, source.headerLines, textFile) };
}

/** How a binary column's values map to 0/1. */
export interface BinaryMapping {
  column: string;
  /** Distinct non-missing values, as grouped (text trimmed). */
  values: RawValue[];
  /** The values that mean positive. */
  positives: RawValue[];
  /** How the mapping was chosen. */
  rule: "0/1" | "pos_label";
}

function naturalBit(v: RawValue): 0 | 1 | undefined {
  if (v === true || v === 1 || v === 1n) return 1;
  if (v === false || v === 0 || v === 0n) return 0;
  if (typeof v === "string") {
    const s = v.toLowerCase();
    if (s === "1" || s === "true") return 1;
    if (s === "0" || s === "false") return 0;
  }
  return undefined;
}

/**
 * Decides how a label or decision column maps to 0/1 from its distinct values: 0/1 and
 * true/false map as they read; with `posLabel`, a column holding it (and at most one other value)
 * is positive where it equals `posLabel`. Returns a reason when neither fits.
 */
export function binaryMapping(
  column: string,
  values: readonly RawValue[],
  posLabel: string | undefined,
): BinaryMapping | { error: "not_binary" | "pos_label_absent" } {
  if (posLabel !== undefined && values.some((v) => String(v) === posLabel)) {
    if (values.length > 2) return { error: "not_binary" };
    return { column, values: [...values], positives: values.filter((v) => String(v) === posLabel), rule: "pos_label" };
  }
  if (values.every((v) => naturalBit(v) !== undefined)) {
    return { column, values: [...values], positives: values.filter((v) => naturalBit(v) === 1), rule: "0/1" };
  }
  if (posLabel !== undefined && values.length <= 2) return { error: "pos_label_absent" };
  return { error: "not_binary" };
}

/** SQL: 1 where the column's value is positive, else 0, as UTINYINT. */
export function binarySql(valueSql: string, mapping: BinaryMapping): string {
  if (mapping.positives.length === 0) return "CAST(0 AS UTINYINT)";
  return `CAST(CASE WHEN ${valueSql} IN (${mapping.positives.map(sqlLiteral).join(", ")}) THEN 1 ELSE 0 END AS UTINYINT)`;
}

/**
 * A numeric column (score or weight) as a DOUBLE expression. Text columns are accepted only when
 * every value reads as a number; otherwise the error names the first value that does not.
 */
export async function numericExpression(connection: DuckDBConnection, source: Source, column: string, option: string): Promise<string> {
  const type = columnType(source, column);
  const id = sqlIdentifier(column);
  if (isNumericType(type)) return `CAST(${id} AS DOUBLE)`;
  const asText = `CAST(${id} AS VARCHAR)`;
  const bad = await firstRowWhere(connection, source, `${asText} IS NOT NULL AND TRY_CAST(trim(${asText}) AS DOUBLE) IS NULL`, asText);
  if (bad) {
    throw new FairkitError("BAD_SCORE", ioMessages.notNumeric(source.path, column, option, String(bad.value), bad.place), { file: source.path, argument: column, row: bad.row });
  }
  return `TRY_CAST(trim(${asText}) AS DOUBLE)`;
}

/** `FROM` clause of the filtered rows (re-exported for readers). */
export { filteredFrom };
