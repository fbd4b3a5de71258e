/**
 * Errors and warnings. Every message is built here, in one place, so that the tests can assert
 * on them and every face (library, CLI, web) says the same thing about the same mistake.
 */

/** Machine-readable reason for a {@link FairkitError}. */
export type FairkitErrorCode =
  | "EMPTY_INPUT"
  | "LENGTH_MISMATCH"
  | "NOT_BINARY"
  | "MISSING_LABEL"
  | "BAD_WEIGHT"
  | "BAD_SCORE"
  | "UNKNOWN_GROUP"
  | "UNKNOWN_METRIC"
  | "BAD_ARGUMENT"
  | "NEEDS_ROWS"
  | "BAD_FILE"
  | "MISSING_COLUMN";

/** Where an error was found: the argument (or column), and the row when one row is to blame. */
export interface ErrorLocation {
  argument?: string;
  /**
   * The row to blame: a 0-based index into the arrays given to a library function (messages say
   * "at index N"); for a file read by `@fairkit/node`, the 1-based data row the message names.
   */
  row?: number;
  file?: string;
}

/** The one error type fairkit throws for bad input. `code` says why; `location` says where. */
export class FairkitError extends Error {
  readonly code: FairkitErrorCode;
  readonly location: ErrorLocation;
  constructor(code: FairkitErrorCode, message: string, location: ErrorLocation = {}) {
    super(message);
    this.name = "FairkitError";
    this.code = code;
    this.location = location;
  }
}

function show(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" && Number.isNaN(value)) return "NaN";
  return String(value);
}

/** Message builders (constants with holes), shared by the engine and asserted by the tests. */
export const messages = {
  empty: (argument: string) => `${argument} is empty: there are no rows to measure`,
  lengthMismatch: (argument: string, length: number, expectedArgument: string, expected: number) =>
    `${argument} has ${length} rows but ${expectedArgument} has ${expected}: every column must have one value per row`,
  notBinary: (argument: string, found: readonly unknown[], row: number) =>
    `${argument} must be binary (0/1 or true/false); found ${found.length} distinct values (${found
      .slice(0, 5)
      .map(show)
      .join(", ")}${found.length > 5 ? ", …" : ""}), the first that is not 0/1 at index ${row}. Pass posLabel to say which value is positive`,
  posLabelAbsent: (argument: string, posArgument: string, posLabel: unknown, found: readonly unknown[]) =>
    `${argument} never holds ${posArgument} ${show(posLabel)}; its values include ${found
      .slice(0, 5)
      .map(show)
      .join(", ")}${found.length > 5 ? ", …" : ""}: name a value that occurs (values are compared exactly, case included)`,
  missingLabel: (argument: string, row: number, value: unknown) =>
    `${argument} has a missing value (${show(value)}) at index ${row}: labels and decisions must be present on every row`,
  badWeight: (argument: string, row: number, value: unknown) =>
    `${argument} must be a finite number >= 0; found ${show(value)} at index ${row}`,
  badScore: (argument: string, row: number, value: unknown) =>
    `${argument} must be a finite number; found ${show(value)} at index ${row}`,
  unknownGroup: (reference: string, known: readonly string[]) =>
    `unknown reference group ${show(reference)}; the groups are ${known.map(show).join(", ")}`,
  unknownMetric: (name: string, known: readonly string[]) =>
    `unknown metric ${show(name)}; known metrics: ${known.join(", ")}`,
  needsRows: (what: string) =>
    `${what} needs row-level data, but this result was built from aggregated counts`,
  singleGroup: (label: string) =>
    `every row is in one group (${show(label)}): there is nothing to compare, so every criterion is undefined; check the sensitive column(s) and the filter`,
  singleLevel: (column: string, label: string) =>
    `sensitive column ${show(column)} has one value (${show(label)}) in these rows: it splits no one, so it compares nothing`,
  sameLabel: (argument: string, first: string, second: string, label: string) =>
    `sensitive feature ${show(argument)} holds both ${first} and ${second}, different values that would show as the same group ${show(label)}: give the column one type (e.g. all text)`,
  badLevel: (argument: string, index: number, value: unknown) =>
    `sensitive feature ${show(argument)} has level ${show(value)} at levels[${index}]: levels must be text, numbers or booleans (mark a missing value with a negative code)`,
  duplicateLevel: (argument: string, label: string, first: number, second: number) =>
    `sensitive feature ${show(argument)} lists the level ${show(label)} twice (levels[${first}] and levels[${second}]): each level must be distinct`,
  badValue: (argument: string, value: unknown) =>
    `sensitive feature ${show(argument)} holds ${typeof value === "bigint" ? `the bigint ${value}` : `a value of type ${value === null ? "null" : typeof value}`}: values must be text, numbers or booleans`,
  referenceColumns: (given: readonly string[], columns: readonly string[]) =>
    `the reference group names the columns ${given.map(show).join(", ")}, but the groups are over ${columns.map(show).join(", ")}`,
  mixedTypes: (label: string, column: string, first: string, second: string) =>
    `group ${show(label)} has ${first} for ${show(column)} in one table and ${second} in the other: counts can only be merged when a column's values have one type`,
} as const;

/** A non-fatal finding: an undefined metric, a small group, rows with a missing group value. */
export interface FairkitWarning {
  code: "UNDEFINED_METRIC" | "SMALL_GROUP" | "MISSING_GROUP_VALUE" | "EXCLUDED_FROM_DISPARITY" | "SINGLE_GROUP";
  message: string;
  group?: string;
  metric?: string;
}
