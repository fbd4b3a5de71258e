/**
 * A data file as a DuckDB relation: CSV, TSV, Parquet, JSON and NDJSON (optionally gzipped or
 * zstd-compressed), queried in place. Opening a source checks that the file exists, is not empty,
 * parses and (when compressed) is complete, lists its columns, and checks the `--where` filter;
 * DuckDB's parse errors become {@link FairkitError}s naming the file and line.
 *
 * Input meaning: the columns named in `textColumns` (labels, decisions, sensitive columns) are
 * read as the text the file holds, whatever DuckDB's type sniffer thinks of them — `yes` stays
 * `yes` rather than becoming the boolean true, `01` stays `01` — while `--where` still sees every
 * column with its detected type (so `age >= 18` compares numbers).
 *
 * Confinement: the connection may read this one file and nothing else (`allowed_paths` with
 * external access disabled), so no SQL that reaches DuckDB can open another file.
 */
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import { FairkitError } from "fairkit/internal";
import { integrityCheck } from "./compression.js";
import { ioMessages } from "./messages.js";
import { sqlIdentifier, sqlString } from "./sql.js";
import { INTERNAL_PREFIX, checkWhere, whereSlot } from "./where.js";

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
  /**
   * Columns whose values are read as the text the file holds, whatever they look like (labels,
   * decisions and sensitive columns; codes such as "01"). Names not in the file are ignored here
   * (the readers report them with the option that named them).
   */
  textColumns?: readonly string[];
  /** A SQL predicate over the columns (with their detected types); only rows where it is true are read. */
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
  /** A table expression reading the whole file: every column with its detected type, plus text copies of the text columns. */
  relation: string;
  /** The predicate from {@link SourceOptions.where}, if any (checked). */
  where: string | undefined;
  /** The file's columns with their detected types. */
  columns: SourceColumn[];
  /** SQL of each text column's value as the file writes it (untrimmed; NULL where missing). */
  text: Readonly<Record<string, string>>;
  /** Delimited text with a header: data row r is on line r + 1 (when no quoted field spans lines). */
  headerLines: number;
  /** Resolves when a compressed file proved complete (rejects otherwise); resolves at once for other files. */
  integrity: () => Promise<void>;
  /** How it was opened (for {@link withText}). */
  readonly opened: { absolute: string; format: FileFormat | undefined; options: SourceOptions };
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

function isDelimited(format: FileFormat | undefined): boolean {
  return format === undefined || format === "csv" || format === "tsv";
}

function relationOf(
  path: string,
  format: FileFormat | undefined,
  options: SourceOptions,
  textTypes: readonly string[] = [],
): string {
  const file = sqlString(path);
  if (format === "parquet") return `read_parquet(${file})`;
  if (format === "json") return `read_json(${file})`;
  if (format === "ndjson") return `read_json(${file}, format = 'newline_delimited')`;
  const args = [
    file,
    `header = ${options.header === false ? "false" : "true"}`,
    "strict_mode = true",
    "null_padding = false",
  ];
  const delimiter = options.delimiter ?? (format === "csv" ? "," : format === "tsv" ? "\t" : undefined);
  if (delimiter !== undefined) args.push(`delim = ${sqlString(delimiter)}`, `quote = '"'`, `escape = '"'`);
  if (options.columns && options.columns.length > 0)
    args.push(`names = [${options.columns.map(sqlString).join(", ")}]`);
  if (textTypes.length > 0) args.push(`types = {${textTypes.map((c) => `${sqlString(c)}: 'VARCHAR'`).join(", ")}}`);
  if (options.nullValues && options.nullValues.length > 0)
    args.push(`nullstr = [${options.nullValues.map(sqlString).join(", ")}]`);
  return `read_csv(${args.join(", ")})`;
}

/**
 * Opens a file for reading: checks it exists, is not empty and (when compressed) is complete,
 * lists its columns, sets up the text columns, and checks the `where` filter. One source per
 * connection: the connection is confined to this file.
 *
 * @example
 * const con = await openDuckDB();
 * const source = await openSource(con, "predictions.csv", { where: "age >= 18", textColumns: ["label", "race"] });
 * source.columns; // [{ name: "score", type: "DOUBLE" }, …]
 */
export async function openSource(
  connection: DuckDBConnection,
  path: string,
  options: SourceOptions = {},
): Promise<Source> {
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
  const absolute = resolve(path);
  await confine(connection, absolute);
  const started = await integrityCheck(absolute);
  const integrity = started
    ? () => started().catch((e) => Promise.reject(retarget(e, absolute, path)))
    : () => Promise.resolve();
  const format = options.format ?? formatOf(path);
  const plain = relationOf(absolute, format, options);
  let columns: SourceColumn[];
  try {
    const reader = await connection.runAndReadAll(`DESCRIBE SELECT * FROM ${plain}`);
    columns = reader.getRowObjects().map((r) => ({ name: String(r.column_name), type: String(r.column_type) }));
  } catch (error) {
    await integrity();
    if (isDelimited(format) && options.columns && options.columns.length > 0) {
      // The sniffer gives up on more names than fields; say so rather than "error when sniffing".
      const shape = await scanLines(absolute, options.delimiter ?? (format === "tsv" ? "\t" : ","));
      if (
        shape.unterminated === undefined &&
        !shape.ragged &&
        shape.fields !== undefined &&
        options.columns.length > shape.fields
      ) {
        throw new FairkitError("BAD_ARGUMENT", ioMessages.tooManyNames(path, options.columns.length, shape.fields), {
          file: path,
          argument: "columns",
        });
      }
    }
    throw await translateDuckDBError(error, path, format, undefined, absolute);
  }
  // DuckDB reads a delimited file it cannot split as one column holding whole lines: a ragged row
  // in a small file makes the sniffer give up that way. Find the line rather than report nonsense.
  if (isDelimited(format)) {
    const delimiter = options.delimiter ?? (format === "tsv" ? "\t" : ",");
    if (columns.length === 1 || (options.columns && options.columns.length > 0)) {
      const shape = await scanLines(absolute, delimiter);
      if (shape.unterminated !== undefined)
        throw new FairkitError("BAD_FILE", ioMessages.unterminatedQuote(path, shape.unterminated), {
          file: path,
          row: shape.unterminated,
        });
      if (shape.ragged)
        throw new FairkitError(
          "BAD_FILE",
          ioMessages.raggedLine(path, shape.ragged.line, shape.ragged.expected, shape.ragged.found),
          { file: path, row: shape.ragged.line },
        );
      if (options.columns && shape.fields !== undefined && options.columns.length > shape.fields) {
        throw new FairkitError("BAD_ARGUMENT", ioMessages.tooManyNames(path, options.columns.length, shape.fields), {
          file: path,
          argument: "columns",
        });
      }
    }
  }
  const { relation, text } = textRelation(absolute, format, options, columns, options.textColumns ?? []);
  const where = options.where;
  if (where !== undefined) {
    if (where.trim() === "")
      throw new FairkitError("BAD_ARGUMENT", ioMessages.whereSyntax(where, "the filter is empty", undefined), {
        argument: "where",
      });
    await checkWhere(
      connection,
      where,
      columns.map((c) => c.name),
    );
    try {
      await connection.runAndReadAll(`DESCRIBE SELECT * FROM ${relation} ${whereSlot(where)}`);
    } catch (error) {
      throw new FairkitError("BAD_ARGUMENT", ioMessages.whereFailed(where, firstLine(error)), { argument: "where" });
    }
  }
  const headerLines =
    format !== "parquet" && format !== "json" && format !== "ndjson" && options.header !== false ? 1 : 0;
  return {
    path,
    format: format ?? "csv",
    relation,
    where,
    columns,
    text,
    headerLines,
    integrity,
    opened: { absolute, format, options },
  };
}

/**
 * The relation with text copies of some columns: for delimited text they are read as VARCHAR
 * (the sniffer's type is restored, by TRY_CAST, for every other use of the column), for the
 * typed formats they are cast to text.
 */
function textRelation(
  absolute: string,
  format: FileFormat | undefined,
  options: SourceOptions,
  columns: readonly SourceColumn[],
  names: readonly string[],
): { relation: string; text: Record<string, string> } {
  const wanted = new Set(names);
  const textual = columns.filter((c) => wanted.has(c.name));
  const text: Record<string, string> = {};
  const plain = relationOf(absolute, format, options);
  if (textual.length === 0) return { relation: plain, text };
  if (!isDelimited(format)) {
    for (const c of textual) text[c.name] = `CAST(${sqlIdentifier(c.name)} AS VARCHAR)`;
    return { relation: plain, text };
  }
  const forced = textual.filter((c) => c.type !== "VARCHAR");
  const copies = textual.map((c, i) => {
    text[c.name] = sqlIdentifier(`${INTERNAL_PREFIX}text_${i}`);
    return `${sqlIdentifier(c.name)} AS ${text[c.name]}`;
  });
  const restore = forced.map((c) => `TRY_CAST(${sqlIdentifier(c.name)} AS ${c.type}) AS ${sqlIdentifier(c.name)}`);
  const read = relationOf(
    absolute,
    format,
    options,
    forced.map((c) => c.name),
  );
  return {
    relation: `(SELECT ${copies.join(", ")}, *${restore.length > 0 ? ` REPLACE (${restore.join(", ")})` : ""} FROM ${read})`,
    text,
  };
}

/**
 * The source with these columns (those the file has) also readable as text: itself when they
 * already are. Readers call it for the label, decision and sensitive columns, so a source opened
 * without `textColumns` still reads their values as the file writes them.
 */
export function withText(source: Source, names: readonly string[]): Source {
  const known = new Set(source.columns.map((c) => c.name));
  const missing = names.filter((n) => known.has(n) && source.text[n] === undefined);
  if (missing.length === 0) return source;
  const all = [...Object.keys(source.text), ...missing];
  const { absolute, format, options } = source.opened;
  const { relation, text } = textRelation(absolute, format, { ...options, textColumns: all }, source.columns, all);
  return { ...source, relation, text, opened: { absolute, format, options: { ...options, textColumns: all } } };
}

/** The file each confined connection may read. */
const confinedTo = new WeakMap<DuckDBConnection, string>();

/**
 * Confines a connection to one file: DuckDB may read it and nothing else (no other file, no
 * extension download), whatever SQL runs later. A connection serves one source; open a new one
 * (`openDuckDB`) for another file.
 */
async function confine(connection: DuckDBConnection, absolute: string): Promise<void> {
  const current = confinedTo.get(connection);
  if (current === absolute) return;
  if (current !== undefined) {
    throw new FairkitError(
      "BAD_ARGUMENT",
      `this DuckDB connection reads ${current} only (it is confined to its file); open a new connection with openDuckDB() to read ${absolute}`,
      { argument: "connection" },
    );
  }
  await connection.run(
    `SET allowed_paths = [${sqlString(absolute)}]; SET enable_external_access = false; SET autoinstall_known_extensions = false; SET autoload_known_extensions = false`,
  );
  confinedTo.set(connection, absolute);
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split("\n")[0];
}

/** An error about the absolute path, reworded with the path the user gave. */
function retarget(error: unknown, absolute: string, path: string): unknown {
  if (!(error instanceof FairkitError) || absolute === path) return error;
  return new FairkitError(error.code, error.message.replaceAll(absolute, path), { ...error.location, file: path });
}

/** `FROM …` for the source's rows after the `where` filter. */
export function filteredFrom(source: Source): string {
  return source.where !== undefined ? `(SELECT * FROM ${source.relation} ${whereSlot(source.where)})` : source.relation;
}

/**
 * The error to report for a failed query on a source: the file's incompleteness when it is
 * compressed and cut short (which explains any parse error after it), else DuckDB's error worded
 * for the user (file and line, or `--where`).
 */
export async function sourceError(source: Source, error: unknown): Promise<FairkitError> {
  try {
    await source.integrity();
  } catch (incomplete) {
    return incomplete as FairkitError;
  }
  return translateDuckDBError(error, source.path, source.format, source.where);
}

/**
 * Runs a query on a source and waits for the file's completeness check too: a result from a
 * truncated compressed file is never returned.
 */
export async function runChecked<T>(source: Source, query: () => Promise<T>): Promise<T> {
  // Both settle before anything is thrown: closing the connection while its query still runs
  // would crash DuckDB. An incomplete file explains any query error that came with it.
  const [result, integrity] = await Promise.allSettled([query(), source.integrity()]);
  if (integrity.status === "rejected") throw integrity.reason;
  if (result.status === "rejected") throw result.reason;
  return result.value;
}

/** Throws a MISSING_COLUMN error unless every name is a column of the source. */
export function requireColumns(
  source: Pick<Source, "path" | "columns">,
  names: readonly { option: string; column: string }[],
): void {
  const known = source.columns.map((c) => c.name);
  for (const { option, column } of names) {
    if (!known.includes(column)) {
      throw new FairkitError("MISSING_COLUMN", ioMessages.missingColumn(source.path, column, option, known), {
        file: source.path,
        argument: column,
      });
    }
  }
}

/** The type of a column (it must exist). */
export function columnType(source: Source, name: string): string {
  return source.columns.find((c) => c.name === name)!.type;
}

/** What {@link scanLines} finds: the first ragged line, an unterminated quote, the first line's field count. */
export interface LineShape {
  ragged?: { line: number; expected: number; found: number };
  /** The line where a quoted field opens that the file never closes. */
  unterminated?: number;
  /** Fields on the first non-empty line. */
  fields?: number;
}

/**
 * Scans delimited text for its shape (streaming, quote-aware: a quote opens a field only at its
 * start, and `""` inside a quoted field is a quote): the first line whose field count differs
 * from the first line's, or a quoted field still open at the end of the file.
 */
export async function scanLines(path: string, delimiter: string): Promise<LineShape> {
  const d = delimiter.charCodeAt(0);
  const QUOTE = 34;
  const NL = 10;
  const CR = 13;
  let line = 1;
  let fields = 1;
  let expected = -1;
  let inQuotes = false;
  let quoteLine = 0;
  let atFieldStart = true;
  let lineHasContent = false;
  let pendingQuote = false; // inside quotes, a quote was just seen: closing, or the first of ""
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i];
      if (inQuotes) {
        if (pendingQuote) {
          pendingQuote = false;
          if (c === QUOTE) continue; // an escaped quote
          inQuotes = false; // the quote closed the field; handle c below
        } else {
          if (c === QUOTE) pendingQuote = true;
          else if (c === NL) line++;
          continue;
        }
      }
      if (c === QUOTE && atFieldStart) {
        inQuotes = true;
        quoteLine = line;
        lineHasContent = true;
        atFieldStart = false;
      } else if (c === d) {
        fields++;
        lineHasContent = true;
        atFieldStart = true;
      } else if (c === NL) {
        if (lineHasContent) {
          if (expected < 0) expected = fields;
          else if (fields !== expected) return { ragged: { line, expected, found: fields }, fields: expected };
        }
        line++;
        fields = 1;
        lineHasContent = false;
        atFieldStart = true;
      } else if (c !== CR) {
        lineHasContent = true;
        atFieldStart = false;
      }
    }
  }
  if (inQuotes && !pendingQuote) return { unterminated: quoteLine, fields: expected < 0 ? undefined : expected };
  if (lineHasContent) {
    if (expected < 0) expected = fields;
    else if (fields !== expected) return { ragged: { line, expected, found: fields }, fields: expected };
  }
  return { fields: expected < 0 ? undefined : expected };
}

/**
 * Turns a DuckDB error about a file into a FairkitError naming the file and, where DuckDB gives
 * one, the line and the column.
 */
export async function translateDuckDBError(
  error: unknown,
  path: string,
  format?: FileFormat,
  where?: string,
  absolute: string = resolve(path),
): Promise<FairkitError> {
  if (error instanceof FairkitError) return error;
  const text = (error instanceof Error ? error.message : String(error)).replaceAll(absolute, path);
  const line = /CSV Error on Line: (\d+)/.exec(text);
  const lineNo = line ? Number(line[1]) : undefined;
  const columns = /Expected Number of Columns: (\d+) Found: (\d+)/.exec(text);
  if (lineNo !== undefined && columns) {
    return new FairkitError("BAD_FILE", ioMessages.raggedLine(path, lineNo, Number(columns[1]), Number(columns[2])), {
      file: path,
      row: lineNo,
    });
  }
  const conversion = /Error when converting column "(.+?)"\. Could not convert string "(.*?)" to '(\w+)'/.exec(text);
  if (conversion) {
    return new FairkitError(
      "BAD_FILE",
      ioMessages.badValue(path, conversion[1], conversion[2], conversion[3], lineNo),
      { file: path, argument: conversion[1], row: lineNo },
    );
  }
  if (
    /not possible to automatically detect the CSV|unterminated quote|Value with unterminated quote/i.test(text) &&
    isDelimited(format)
  ) {
    const shape = await scanLines(absolute, format === "tsv" ? "\t" : ",");
    if (shape.unterminated !== undefined)
      return new FairkitError("BAD_FILE", ioMessages.unterminatedQuote(path, shape.unterminated), {
        file: path,
        row: shape.unterminated,
      });
    if (shape.ragged)
      return new FairkitError(
        "BAD_FILE",
        ioMessages.raggedLine(path, shape.ragged.line, shape.ragged.expected, shape.ragged.found),
        { file: path, row: shape.ragged.line },
      );
  }
  // A failure that is not about the file's text, while a filter is in force, is the filter's.
  if (
    where !== undefined &&
    lineNo === undefined &&
    /^(Conversion|Binder|Invalid Input|Out of Range) Error/.test(text)
  ) {
    return new FairkitError("BAD_ARGUMENT", ioMessages.whereFailed(where, text.split("\n")[0]), { argument: "where" });
  }
  if (/No files found|No such file/.test(text))
    return new FairkitError("BAD_FILE", ioMessages.noSuchFile(path), { file: path });
  const first = text.split("\n")[0];
  return new FairkitError(
    "BAD_FILE",
    `${path}: cannot read the file: ${first}${lineNo !== undefined ? ` (line ${lineNo})` : ""}`,
    { file: path, row: lineNo },
  );
}

/** Quotes a column for SQL (re-exported for the readers). */
export const col = sqlIdentifier;
