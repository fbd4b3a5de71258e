/**
 * A data file as a DuckDB relation: CSV, TSV, Parquet, JSON and NDJSON (optionally gzipped),
 * queried in place. Opening a source checks that the file exists, is not empty and parses, and
 * lists its columns; DuckDB's parse errors become {@link FairkitError}s naming the file and line.
 */
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import type { DuckDBConnection } from "@duckdb/node-api";
import { FairkitError } from "../core/errors.js";
import { ioMessages } from "./messages.js";
import { sqlIdentifier, sqlString } from "./sql.js";

/** File formats fairkit reads. */
export type FileFormat = "csv" | "tsv" | "parquet" | "json" | "ndjson";

/** How to read a file. Every option has a default that fits the usual file. */
export interface SourceOptions {
  /** Default: from the extension (`.csv`, `.tsv`/`.tab`, `.parquet`, `.json`, `.ndjson`/`.jsonl`, each optionally `.gz`); other extensions are read as delimited text with the delimiter detected. */
  format?: FileFormat;
  /** Delimited text only: does the first line hold column names? Default true. */
  header?: boolean;
  /** Column names to use (delimited text): with `header: false` they name the columns; with a header they replace the first names. */
  columns?: readonly string[];
  /** Delimited text only: the field delimiter (default: `,` for .csv, tab for .tsv, detected otherwise). */
  delimiter?: string;
  /** Delimited text only: values read as missing (default: the empty field). */
  nullValues?: readonly string[];
  /** Delimited text only: columns to read as text whatever they look like (e.g. codes such as "01"). */
  textColumns?: readonly string[];
  /** A SQL predicate over the columns; only rows where it is true are read. */
  where?: string;
}

/** One column of a source: its name and DuckDB type. */
export interface SourceColumn {
  name: string;
  type: string;
}

/** An opened file: the SQL to read it from, its columns, and how to describe rows in messages. */
export interface Source {
  path: string;
  format: FileFormat;
  /** A table expression (`read_csv(…)`) reading the whole file. */
  relation: string;
  /** The predicate from {@link SourceOptions.where}, if any. */
  where: string | undefined;
  columns: SourceColumn[];
  /** Delimited text with a header: data row r is on line r + 1 (when no quoted field spans lines). */
  headerLines: number;
}

function formatOf(path: string): FileFormat | undefined {
  const name = path.toLowerCase().replace(/\.(gz|zst)$/, "");
  if (name.endsWith(".csv")) return "csv";
  if (name.endsWith(".tsv") || name.endsWith(".tab")) return "tsv";
  if (name.endsWith(".parquet") || name.endsWith(".pq")) return "parquet";
  if (name.endsWith(".ndjson") || name.endsWith(".jsonl")) return "ndjson";
  if (name.endsWith(".json")) return "json";
  return undefined;
}

function relationOf(path: string, format: FileFormat | undefined, options: SourceOptions): string {
  const file = sqlString(path);
  if (format === "parquet") return `read_parquet(${file})`;
  if (format === "json") return `read_json(${file})`;
  if (format === "ndjson") return `read_json(${file}, format = 'newline_delimited')`;
  const args = [file, `header = ${options.header === false ? "false" : "true"}`, "strict_mode = true", "null_padding = false"];
  const delimiter = options.delimiter ?? (format === "csv" ? "," : format === "tsv" ? "\t" : undefined);
  if (delimiter !== undefined) args.push(`delim = ${sqlString(delimiter)}`, `quote = '"'`, `escape = '"'`);
  if (options.columns && options.columns.length > 0) args.push(`names = [${options.columns.map(sqlString).join(", ")}]`);
  if (options.textColumns && options.textColumns.length > 0) args.push(`types = {${options.textColumns.map((c) => `${sqlString(c)}: 'VARCHAR'`).join(", ")}}`);
  if (options.nullValues && options.nullValues.length > 0) args.push(`nullstr = [${options.nullValues.map(sqlString).join(", ")}]`);
  return `read_csv(${args.join(", ")})`;
}

/**
 * Opens a file for reading: checks it exists and is not empty, and lists its columns.
 *
 * @example
 * const con = await openDuckDB();
 * const source = await openSource(con, "predictions.csv", { where: "age >= 18" });
 * source.columns; // [{ name: "score", type: "DOUBLE" }, …]
 */
export async function openSource(connection: DuckDBConnection, path: string, options: SourceOptions = {}): Promise<Source> {
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new FairkitError("BAD_FILE", ioMessages.notAFile(path), { file: path });
    size = info.size;
  } catch (error) {
    if (error instanceof FairkitError) throw error;
    throw new FairkitError("BAD_FILE", ioMessages.noSuchFile(path), { file: path });
  }
  if (size === 0) throw new FairkitError("EMPTY_INPUT", ioMessages.emptyFile(path), { file: path });
  const format = options.format ?? formatOf(path);
  const relation = relationOf(path, format, options);
  let columns: SourceColumn[];
  try {
    const reader = await connection.runAndReadAll(`DESCRIBE SELECT * FROM ${relation}`);
    columns = reader.getRowObjects().map((r) => ({ name: String(r.column_name), type: String(r.column_type) }));
  } catch (error) {
    throw await translateDuckDBError(error, path, format);
  }
  // DuckDB reads a delimited file it cannot split as one column holding whole lines: a ragged row
  // in a small file makes the sniffer give up that way. Find the line rather than report nonsense.
  if ((format === undefined || format === "csv" || format === "tsv") && columns.length === 1) {
    const delimiter = options.delimiter ?? (format === "tsv" ? "\t" : ",");
    const ragged = await findRaggedLine(path, delimiter);
    if (ragged) throw new FairkitError("BAD_FILE", ioMessages.raggedLine(path, ragged.line, ragged.expected, ragged.found), { file: path, row: ragged.line });
  }
  const headerLines = format !== "parquet" && format !== "json" && format !== "ndjson" && options.header !== false ? 1 : 0;
  return { path, format: format ?? "csv", relation, where: options.where, columns, headerLines };
}

/** `FROM …` for the source's rows after the `where` filter. */
export function filteredFrom(source: Source): string {
  return source.where ? `(SELECT * FROM ${source.relation} WHERE (${source.where}))` : source.relation;
}

/** Throws a MISSING_COLUMN error unless every name is a column of the source. */
export function requireColumns(source: Source, names: readonly { option: string; column: string }[]): void {
  const known = source.columns.map((c) => c.name);
  for (const { option, column } of names) {
    if (!known.includes(column)) {
      throw new FairkitError("MISSING_COLUMN", ioMessages.missingColumn(source.path, column, option, known), { file: source.path, argument: column });
    }
  }
}

/** The type of a column (it must exist). */
export function columnType(source: Source, name: string): string {
  return source.columns.find((c) => c.name === name)!.type;
}

/** Finds the first line whose field count differs from the first line's (quote-aware, streaming). */
export async function findRaggedLine(path: string, delimiter: string): Promise<{ line: number; expected: number; found: number } | undefined> {
  const d = delimiter.charCodeAt(0);
  const QUOTE = 34;
  const NL = 10;
  const CR = 13;
  let line = 1;
  let fields = 1;
  let expected = -1;
  let inQuotes = false;
  let lineHasContent = false;
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i];
      if (inQuotes) {
        if (c === QUOTE) inQuotes = false;
        else if (c === NL) line++;
        continue;
      }
      if (c === QUOTE) {
        inQuotes = true;
        lineHasContent = true;
      } else if (c === d) {
        fields++;
        lineHasContent = true;
      } else if (c === NL) {
        if (lineHasContent) {
          if (expected < 0) expected = fields;
          else if (fields !== expected) return { line, expected, found: fields };
        }
        line++;
        fields = 1;
        lineHasContent = false;
      } else if (c !== CR) lineHasContent = true;
    }
  }
  if (lineHasContent && expected >= 0 && fields !== expected) return { line, expected, found: fields };
  return undefined;
}

/**
 * Turns a DuckDB error about a file into a FairkitError naming the file and, where DuckDB gives
 * one, the line and the column.
 */
export async function translateDuckDBError(error: unknown, path: string, format?: FileFormat): Promise<FairkitError> {
  if (error instanceof FairkitError) return error;
  const text = error instanceof Error ? error.message : String(error);
  const line = /CSV Error on Line: (\d+)/.exec(text);
  const lineNo = line ? Number(line[1]) : undefined;
  const columns = /Expected Number of Columns: (\d+) Found: (\d+)/.exec(text);
  if (lineNo !== undefined && columns) {
    return new FairkitError("BAD_FILE", ioMessages.raggedLine(path, lineNo, Number(columns[1]), Number(columns[2])), { file: path, row: lineNo });
  }
  const conversion = /Error when converting column "(.+?)"\. Could not convert string "(.*?)" to '(\w+)'/.exec(text);
  if (conversion) {
    return new FairkitError("BAD_FILE", ioMessages.badValue(path, conversion[1], conversion[2], conversion[3], lineNo), { file: path, argument: conversion[1], row: lineNo });
  }
  if (/not possible to automatically detect the CSV/.test(text) && (format === undefined || format === "csv" || format === "tsv")) {
    const ragged = await findRaggedLine(path, format === "tsv" ? "\t" : ",");
    if (ragged) return new FairkitError("BAD_FILE", ioMessages.raggedLine(path, ragged.line, ragged.expected, ragged.found), { file: path, row: ragged.line });
  }
  if (/No files found|No such file/.test(text)) return new FairkitError("BAD_FILE", ioMessages.noSuchFile(path), { file: path });
  const first = text.split("\n")[0];
  return new FairkitError("BAD_FILE", `${path}: cannot read the file: ${first}${lineNo !== undefined ? ` (line ${lineNo})` : ""}`, { file: path, row: lineNo });
}

/** Quotes a column for SQL (re-exported for the readers). */
export const col = sqlIdentifier;
