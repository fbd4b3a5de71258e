/** Messages of the file readers, in one place so the tests can assert on them. Each names the file. */
import { compareLevels, type Level } from "fairkit/internal";

/** Values in a stable order (the order of group levels: numbers, then text by value), whatever order the database returned them in. */
function sorted(values: readonly unknown[]): unknown[] {
  return [...values].sort((a, b) => compareLevels(a as Level, b as Level));
}

function show(value: unknown): string {
  return typeof value === "string" ? JSON.stringify(value) : String(value);
}

/** Where a row is: "data row 12 (line 13)" for text with a header, "row 12" otherwise. */
export function rowPlace(row: number, headerLines: number, textFile: boolean): string {
  if (!textFile) return `row ${row}`;
  return headerLines > 0 ? `data row ${row} (line ${row + headerLines})` : `line ${row}`;
}

export const ioMessages = {
  noSuchFile: (path: string) => `${path}: no such file`,
  notAFile: (path: string) => `${path}: not a file`,
  emptyFile: (path: string) => `${path}: the file is empty (0 bytes): there are no rows to measure`,
  headerOnly: (path: string) => `${path}: the file has column names but no data rows`,
  noRowsMatch: (path: string, where: string, total: number) =>
    `${path}: no rows match --where ${JSON.stringify(where)} (the file has ${total} rows)`,
  raggedLine: (path: string, line: number, expected: number, found: number) =>
    `${path}: line ${line} has ${found} fields but the file has ${expected} columns (a ragged row; quote fields that contain the delimiter)`,
  badValue: (path: string, column: string, value: string, type: string, line: number | undefined) =>
    `${path}: column ${JSON.stringify(column)} holds ${JSON.stringify(value)}${line !== undefined ? ` at line ${line}` : ""}, which is not a ${type === "DOUBLE" || type === "BIGINT" ? "number" : type} like the values before it`,
  missingColumn: (path: string, column: string, option: string, known: readonly string[]) =>
    `${path}: no column ${JSON.stringify(column)} (given to ${option}); the columns are ${known.map(show).join(", ")}`,
  allNull: (path: string, column: string, option: string) =>
    `${path}: column ${JSON.stringify(column)} (${option}) has no values: every row is missing`,
  missingValues: (path: string, column: string, option: string, count: number, place: string | undefined) =>
    `${path}: column ${JSON.stringify(column)} (${option}) has ${count} missing value${count === 1 ? "" : "s"}${place ? `, the first at ${place}` : ""}: ${option === "--y-true" || option === "--y-pred" ? "labels and decisions" : option === "--score" ? "scores" : "weights"} must be present on every row`,
  notBinary: (path: string, column: string, option: string, found: readonly unknown[], place: string | undefined) =>
    `${path}: column ${JSON.stringify(column)} (${option}) must be binary (0/1 or true/false, or two values with ${option === "--y-pred" ? "--pred-pos-label" : "--pos-label"}); found ${found.length} distinct values (${sorted(
      found,
    )
      .slice(0, 5)
      .map(show)
      .join(
        ", ",
      )}${found.length > 5 ? ", …" : ""})${place ? `, the first that is not 0/1 at ${place}` : ""}${found.length > 2 ? "; an outcome of more than two classes is audited with --task multiclass, a numeric one with --task regression" : ""}`,
  posLabelAbsent: (
    path: string,
    column: string,
    option: string,
    posOption: string,
    posLabel: string,
    found: readonly unknown[],
  ) =>
    `${path}: column ${JSON.stringify(column)} (${option}) never holds ${posOption} ${JSON.stringify(posLabel)}; its values are ${sorted(found).map(show).join(", ")} (compared as text, exactly)`,
  notNumeric: (path: string, column: string, option: string, value: string, place: string | undefined) =>
    `${path}: column ${JSON.stringify(column)} (${option}) must be numeric; found ${JSON.stringify(value)}${place ? ` at ${place}` : ""}`,
  notFinite: (path: string, column: string, option: string, value: number, place: string | undefined) =>
    `${path}: column ${JSON.stringify(column)} (${option}) must be a finite number; found ${value}${place ? ` at ${place}` : ""}`,
  negativeWeight: (path: string, column: string, value: number, place: string | undefined) =>
    `${path}: weight column ${JSON.stringify(column)} must be >= 0; found ${value}${place ? ` at ${place}` : ""}`,
  zeroWeight: (path: string, column: string) =>
    `${path}: weight column ${JSON.stringify(column)} sums to 0: no row carries any weight`,
  whereSyntax: (where: string, message: string, position: number | undefined) =>
    `--where ${JSON.stringify(where)}: ${message}${position !== undefined ? ` (at character ${position + 1}${position < where.length ? `, near ${JSON.stringify(where.slice(position, position + 12))}` : ", the end"})` : ""}`,
  whereNotAllowed: (where: string, what: string) =>
    `--where ${JSON.stringify(where)}: ${what} is not allowed; a filter may use the file's columns, constants, comparisons, AND/OR/NOT, IN, BETWEEN, LIKE, CASE, casts and plain scalar functions (lower, abs, year, …)`,
  whereColumn: (where: string, column: string, known: readonly string[]) =>
    `--where ${JSON.stringify(where)} names ${JSON.stringify(column)}, which is not a column of the file; the columns are ${known.map(show).join(", ")} (quote names with spaces or capitals in double quotes)`,
  whereFailed: (where: string, message: string) => `--where ${JSON.stringify(where)}: ${message}`,
  truncated: (path: string, detail: string) =>
    `${path}: the compressed file is truncated or corrupt (${detail}): it cannot be read in full, so it is not audited`,
  unterminatedQuote: (path: string, line: number) =>
    `${path}: line ${line} opens a quoted field that is never closed (an unterminated quote): close it, or escape a quote inside a field by doubling it`,
  tooManyNames: (path: string, names: number, fields: number) =>
    `${path}: --columns names ${names} columns but the file's lines have ${fields} field${fields === 1 ? "" : "s"}: name at most ${fields} (or check --delimiter)`,
  // The time column of `fairkit monitor` (read-windows.ts).
  timeNotTime: (path: string, column: string, type: string) =>
    `${path}: column ${JSON.stringify(column)} (--time) is ${type}; it must hold dates or timestamps (a DATE or TIMESTAMP column, or ISO 8601 text such as 2013-01-31 or 2013-01-31T14:00:00Z)`,
  timeNotParsed: (path: string, column: string, value: string, place: string | undefined) =>
    `${path}: column ${JSON.stringify(column)} (--time) holds ${JSON.stringify(value)}${place ? ` at ${place}` : ""}, which is not a date or timestamp (use ISO 8601, e.g. 2013-01-31T14:00:00Z)`,
  timeMissing: (path: string, column: string, count: number, place: string | undefined) =>
    `${path}: column ${JSON.stringify(column)} (--time) has ${count} missing value${count === 1 ? "" : "s"}${place ? `, the first at ${place}` : ""}: every row needs a time to fall in a window`,
} as const;
