/**
 * Column roles and type checks for the readers. Label and decision columns must be binary, scores
 * and weights numeric; each column is turned into a SQL expression DuckDB evaluates in place.
 */
import type { DuckDBConnection } from "@duckdb/node-api";
import { FairkitError, type Level, naturalBit } from "fairkit/internal";
import { ioMessages, rowPlace } from "./messages.js";
import { type Source, columnType, filteredFrom, requireColumns } from "./source.js";
import { sqlIdentifier, sqlLiteral, sqlString } from "./sql.js";

/** Which column plays which part. Give `yPred`, or `score` with `threshold` (positive when score ≥ threshold). */
export interface ColumnRoles {
  yTrue: string;
  yPred?: string;
  score?: string;
  threshold?: number;
  /** One or more sensitive columns; several give their intersections. */
  sensitive: readonly string[];
  weight?: string;
  /** The value of the label column that means positive (labels that are not 0/1 or true/false). */
  posLabel?: string;
  /** The value of the decision column that means positive (decisions that are not 0/1 or true/false); default `posLabel`. */
  predPosLabel?: string;
}

/** The columns of these roles whose values are read as text: labels, decisions and sensitive columns. */
export function textColumnsOf(roles: Pick<ColumnRoles, "yTrue" | "yPred" | "sensitive">): string[] {
  return [roles.yTrue, ...(roles.yPred !== undefined ? [roles.yPred] : []), ...roles.sensitive];
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

const INTEGER_TYPES = new Set([
  "TINYINT",
  "SMALLINT",
  "INTEGER",
  "BIGINT",
  "HUGEINT",
  "UTINYINT",
  "USMALLINT",
  "UINTEGER",
  "UBIGINT",
  "UHUGEINT",
]);

/** True for DuckDB's numeric types. */
export function isNumericType(type: string): boolean {
  return INTEGER_TYPES.has(type) || type === "FLOAT" || type === "DOUBLE" || type.startsWith("DECIMAL");
}

/** The column's value as the text the file holds (untrimmed), NULL where missing. */
export function textExpression(source: Source, column: string): string {
  return source.text[column] ?? `CAST(${sqlIdentifier(column)} AS VARCHAR)`;
}

/**
 * The value of a label, decision or sensitive column: its text trimmed of surrounding spaces (so
 * `" >50K"` and `">50K"` are one value); text that is empty after trimming is missing.
 */
export function valueExpression(source: Source, column: string): string {
  return `NULLIF(trim(${textExpression(source, column)}), '')`;
}

/**
 * The expression the counts are grouped by: the untrimmed text (trimming every row costs more
 * than trimming the few distinct values afterwards, in JS, with {@link plainText}).
 */
export function groupExpression(source: Source, column: string): string {
  return textExpression(source, column);
}

/** A grouped text value as fairkit uses it: trimmed, empty as missing (as {@link valueExpression} in SQL). */
export function plainText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const text = String(value).trim();
  return text === "" ? null : text;
}

/** Checks that every named column exists (MISSING_COLUMN naming the option and listing the columns). */
export function checkRoles(source: Pick<Source, "path" | "columns">, roles: ColumnRoles): void {
  const named: { option: string; column: string }[] = [{ option: ROLE_OPTIONS.yTrue, column: roles.yTrue }];
  if (roles.yPred !== undefined) named.push({ option: ROLE_OPTIONS.yPred, column: roles.yPred });
  if (roles.score !== undefined) named.push({ option: ROLE_OPTIONS.score, column: roles.score });
  if (roles.weight !== undefined) named.push({ option: ROLE_OPTIONS.weight, column: roles.weight });
  for (const s of roles.sensitive) named.push({ option: ROLE_OPTIONS.sensitive, column: s });
  if ((roles.yPred === undefined) === (roles.score === undefined)) {
    throw new FairkitError(
      "BAD_ARGUMENT",
      "give the decisions as --y-pred COLUMN, or a score as --score COLUMN with --threshold T (not both)",
      { argument: "yPred" },
    );
  }
  if (roles.score !== undefined && !(typeof roles.threshold === "number" && Number.isFinite(roles.threshold))) {
    throw new FairkitError("BAD_ARGUMENT", "--score needs --threshold T (a row is positive when its score is >= T)", {
      argument: "threshold",
    });
  }
  if (roles.sensitive.length === 0)
    throw new FairkitError("BAD_ARGUMENT", "name at least one sensitive column (--sensitive COLUMN[,COLUMN…])", {
      argument: "sensitive",
    });
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

/**
 * Decides how a label or decision column maps to 0/1 from its distinct values (text, trimmed):
 * with `posLabel`, the column must hold it and at most one other value, and is positive where it
 * equals `posLabel` exactly; without, every value must read as 0/1 or true/false. Returns the
 * reason when neither fits.
 */
export function binaryMapping(
  column: string,
  values: readonly RawValue[],
  posLabel: string | undefined,
): BinaryMapping | { error: "not_binary" | "pos_label_absent" } {
  if (posLabel !== undefined) {
    if (!values.some((v) => String(v) === posLabel))
      return values.length <= 2 ? { error: "pos_label_absent" } : { error: "not_binary" };
    if (values.length > 2) return { error: "not_binary" };
    return { column, values: [...values], positives: values.filter((v) => String(v) === posLabel), rule: "pos_label" };
  }
  if (values.every((v) => naturalBit(v) !== undefined)) {
    return { column, values: [...values], positives: values.filter((v) => naturalBit(v) === 1), rule: "0/1" };
  }
  return { error: "not_binary" };
}

/**
 * How a decision column maps to 0/1: with `predPosLabel`, by it; otherwise values that read as
 * 0/1 or true/false as they read, and any other values by the labels' `posLabel`.
 */
export function decisionMapping(
  column: string,
  values: readonly RawValue[],
  posLabel: string | undefined,
  predPosLabel: string | undefined,
): BinaryMapping | { error: "not_binary" | "pos_label_absent" } {
  if (predPosLabel !== undefined) return binaryMapping(column, values, predPosLabel);
  if (values.every((v) => naturalBit(v) !== undefined)) return binaryMapping(column, values, undefined);
  return binaryMapping(column, values, posLabel);
}

let enumTypes = 0;

/**
 * SQL for the index of a text value among `levels` (0-based), -1 where it is missing and -2 where
 * it is not among them. The levels become a DuckDB ENUM type, so the lookup is a hash probe per
 * row however many levels there are (a list search would cost O(levels) per row).
 */
export async function levelCodeSql(
  connection: DuckDBConnection,
  valueSql: string,
  levels: readonly Level[],
): Promise<string> {
  if (levels.length === 0) return `CAST(CASE WHEN ${valueSql} IS NULL THEN -1 ELSE -2 END AS INTEGER)`;
  const type = sqlIdentifier(`__fairkit_levels_${enumTypes++}`);
  await connection.run(`CREATE TYPE ${type} AS ENUM (${levels.map((v) => sqlString(String(v))).join(", ")})`);
  return `CAST(CASE WHEN ${valueSql} IS NULL THEN -1 ELSE coalesce(CAST(enum_code(TRY_CAST(${valueSql} AS ${type})) AS INTEGER), -2) END AS INTEGER)`;
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
export async function numericExpression(
  connection: DuckDBConnection,
  source: Source,
  column: string,
  option: string,
): Promise<string> {
  const type = columnType(source, column);
  const id = sqlIdentifier(column);
  if (isNumericType(type)) return `CAST(${id} AS DOUBLE)`;
  const asText = `CAST(${id} AS VARCHAR)`;
  const bad = await firstRowWhere(
    connection,
    source,
    `${asText} IS NOT NULL AND TRY_CAST(trim(${asText}) AS DOUBLE) IS NULL`,
    asText,
  );
  if (bad) {
    throw new FairkitError(
      "BAD_SCORE",
      ioMessages.notNumeric(source.path, column, option, String(bad.value), bad.place),
      { file: source.path, argument: column, row: bad.row },
    );
  }
  return `TRY_CAST(trim(${asText}) AS DOUBLE)`;
}

export { naturalBit };

/** `FROM` clause of the filtered rows (re-exported for readers). */
export { filteredFrom };

/**
 * The first checks of every reader, from its aggregate counts: some rows (none at all, or none
 * passing `--where`: the message says which), and every sensitive column with at least one value.
 */
export async function checkRowsAndGroups(
  connection: DuckDBConnection,
  source: Source,
  sensitive: readonly string[],
  nulls: Readonly<Record<string, number>>,
  rows: number,
): Promise<void> {
  const path = source.path;
  if (rows === 0) {
    const total = Number((await connection.runAndReadAll(`SELECT count(*) FROM ${source.relation}`)).getRows()[0][0]);
    if (total === 0) throw new FairkitError("EMPTY_INPUT", ioMessages.headerOnly(path), { file: path });
    throw new FairkitError("EMPTY_INPUT", ioMessages.noRowsMatch(path, source.where ?? "", total), { file: path });
  }
  for (const c of sensitive) {
    if (nulls[c] === rows)
      throw new FairkitError("BAD_ARGUMENT", ioMessages.allNull(path, c, ROLE_OPTIONS.sensitive), {
        file: path,
        argument: c,
      });
  }
}
