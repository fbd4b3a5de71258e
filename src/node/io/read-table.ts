/**
 * A whole (filtered) file as named columns of plain values, for work that needs every feature of
 * every row in memory, such as training a model (`fairkit mitigate`). Text is trimmed, integers
 * arrive as numbers, missing values as null. A file without rows (or none passing `--where`) is an
 * error naming it. Audits never use this: they push counting down.
 */
import { type CellValue, FairkitError } from "fairkit/internal";
import { ioMessages } from "./messages.js";
import { withDuckDB } from "./duckdb.js";
import { valueExpression } from "./columns.js";
import {
  type Source,
  type SourceOptions,
  filteredFrom,
  openSource,
  requireColumns,
  runChecked,
  sourceError,
} from "./source.js";
import { sqlIdentifier } from "./sql.js";

/** A DuckDB value as a table cell: 64-bit integers as numbers, dates and the like as text, missing as null. */
export function plainCell(v: unknown): CellValue {
  if (v === null || v === undefined) return null;
  if (typeof v === "bigint") return Number(v);
  if (typeof v === "number" || typeof v === "boolean" || typeof v === "string") return v;
  return String(v);
}

/** The select expression of a column read as it is (text trimmed), as {@link readTable} reads it. */
export function cellExpression(source: Source, column: string): string {
  const c = source.columns.find((col) => col.name === column);
  if (source.text[column] !== undefined) return valueExpression(source, column);
  return c?.type === "VARCHAR" ? `trim(${sqlIdentifier(column)})` : sqlIdentifier(column);
}

/** Options of {@link readTable}. */
export interface ReadTableOptions extends SourceOptions {
  /** Columns that must exist, each with the option that named it (for the error message). */
  required?: readonly { option: string; column: string }[];
}

/**
 * Reads every column of a file.
 * @example
 * const table = await readTable("adult.csv", { textColumns: ["income"], required: [{ option: "--label", column: "income" }] });
 * table.income; // ["<=50K", ">50K", …]
 */
export async function readTable(path: string, options: ReadTableOptions = {}): Promise<Record<string, CellValue[]>> {
  return withDuckDB(async (connection) => {
    const source = await openSource(connection, path, options);
    requireColumns(source, options.required ?? []);
    const select = source.columns.map((c) => cellExpression(source, c.name));
    let raw: unknown[][];
    try {
      raw = (
        await runChecked(source, () =>
          connection.runAndReadAll(`SELECT ${select.join(", ")} FROM ${filteredFrom(source)}`),
        )
      ).getColumns();
    } catch (error) {
      throw await sourceError(source, error);
    }
    // No row to read (a header alone, or a --where that keeps nothing): say which, as the audit does.
    if (raw.length === 0 || raw[0].length === 0) {
      const total = Number((await connection.runAndReadAll(`SELECT count(*) FROM ${source.relation}`)).getRows()[0][0]);
      if (total === 0) throw new FairkitError("EMPTY_INPUT", ioMessages.headerOnly(path), { file: path });
      throw new FairkitError("EMPTY_INPUT", ioMessages.noRowsMatch(path, source.where ?? "", total), { file: path });
    }
    const table: Record<string, CellValue[]> = {};
    source.columns.forEach((c, j) => {
      table[c.name] = raw[j].map(plainCell);
    });
    return table;
  });
}
