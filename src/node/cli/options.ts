/**
 * Option parsing helpers for commander, shared by the commands. Each throws commander's
 * InvalidArgumentError naming the option, so a typo gets a message that says which flag was
 * wrong and exit code 2 (main.ts makes commander's own usage errors exit 2 for every command).
 */
import { extname } from "node:path";
import { type Command, InvalidArgumentError } from "commander";
import type { ColumnRoles } from "../io/columns.js";
import type { SourceOptions } from "../io/source.js";
import { UsageError as CommandUsageError } from "./exit.js";
import { DECISION_MEANINGS, type DecisionMeaning, DEFAULTS } from "fairkit/internal";

class UsageError extends InvalidArgumentError {}

/** `a,b , c` → `["a", "b", "c"]`; empty items dropped. */
export function parseList(value: string): string[] {
  return value
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

/** For repeatable list options: `--sensitive race --sensitive sex,age` → `["race", "sex", "age"]`. */
export function collectList(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), ...parseList(value)];
}

/** For repeatable options kept as given: `--fail-on a --fail-on b` → `["a", "b"]`. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** A finite number, or a UsageError naming the option. */
export function parseNumber(option: string): (value: string) => number {
  return (value) => {
    const x = Number(value);
    if (value.trim() === "" || !Number.isFinite(x))
      throw new UsageError(`${option} must be a number; got ${JSON.stringify(value)}`);
    return x;
  };
}

/** A non-negative integer, or a UsageError naming the option. */
export function parseCount(option: string): (value: string) => number {
  return (value) => {
    const x = Number(value);
    if (!(Number.isInteger(x) && x >= 0))
      throw new UsageError(`${option} must be a whole number >= 0; got ${JSON.stringify(value)}`);
    return x;
  };
}

/** One of `choices`, or a UsageError listing them. */
export function parseChoice<T extends string>(option: string, choices: readonly T[]): (value: string) => T {
  return (value) => {
    if (!(choices as readonly string[]).includes(value))
      throw new UsageError(`${option} must be one of ${choices.join(", ")}; got ${JSON.stringify(value)}`);
    return value as T;
  };
}

/** The options of every command that reads a file, as commander parses them. */
export interface FileReadOptions {
  where?: string;
  columns?: string[];
  header: boolean;
  delimiter?: string;
  na?: string[];
}

/** Adds `--where`, `--columns`, `--no-header`, `--delimiter` and `--na` to a command that reads a file. */
export function addFileReadOptions(command: Command): Command {
  return command
    .option("--where <sql>", "only rows where this SQL predicate holds (evaluated by DuckDB)")
    .option(
      "--columns <names>",
      "comma-separated column names (for a file without a header, or to rename the first columns)",
      parseList,
    )
    .option(
      "--no-header",
      "the file has no header line (columns are then named column0, column1, … zero-padded to equal width, e.g. column00 … column14, unless --columns names them)",
    )
    .option("--delimiter <char>", "field delimiter of delimited text (default: from the extension, else detected)")
    .option(
      "--na <value>",
      "a text value that means missing (repeatable; default: the empty field)",
      (v: string, prev: string[] | undefined) => [...(prev ?? []), v],
    );
}

/** The reader's options from {@link FileReadOptions}. */
export function sourceOptionsOf(options: FileReadOptions): SourceOptions {
  return {
    where: options.where,
    columns: options.columns,
    header: options.header,
    delimiter: options.delimiter,
    nullValues: options.na,
  };
}

/**
 * What a regression or multiclass audit reads and compares, from a command's options (`fairkit
 * audit --task` and `fairkit report --task` both take these): the columns, the file options, the
 * level, the small-group rule, the reference and the tolerances. Call after checking that
 * --y-true, --y-pred and --sensitive are given.
 */
export function outcomeAuditOptionsOf(
  options: ColumnRoleOptions & {
    level: number;
    minGroupSize: number;
    maxDifference: number;
    minRatio: number;
    includeSmallGroups?: boolean;
  },
) {
  return {
    yTrue: options.yTrue!,
    yPred: options.yPred!,
    sensitive: options.sensitive!,
    weight: options.weight,
    ...sourceOptionsOf(options),
    level: options.level,
    minGroupSize: options.minGroupSize,
    reference: options.reference,
    tolerances: { difference: options.maxDifference, ratio: options.minRatio },
    includeSmallGroups: options.includeSmallGroups,
  };
}

/** The options {@link addColumnRoleOptions} adds (with `--demo` and the file options), as commander parses them. */
export interface ColumnRoleOptions extends FileReadOptions {
  demo?: boolean;
  yTrue?: string;
  yPred?: string;
  score?: string;
  threshold?: number;
  sensitive?: string[];
  posLabel?: string;
  predPosLabel?: string;
  positiveDecision: DecisionMeaning;
  weight?: string;
  reference?: string;
  metrics?: string[];
}

/**
 * The binary roles a command was given (`fairkit audit`, `report`, `counts`), after checking that
 * the label, the groups and exactly one of decision or score-with-threshold are there.
 */
export function binaryRolesOf(
  options: Pick<
    ColumnRoleOptions,
    "yTrue" | "yPred" | "score" | "threshold" | "sensitive" | "weight" | "posLabel" | "predPosLabel"
  >,
): ColumnRoles {
  const UsageError = CommandUsageError;
  if (!options.yTrue) throw new UsageError("missing --y-true COLUMN (the true outcome)");
  if (!options.sensitive || options.sensitive.length === 0)
    throw new UsageError("missing --sensitive COLUMN[,COLUMN…]");
  if ((options.yPred === undefined) === (options.score === undefined))
    throw new UsageError("give --y-pred COLUMN, or --score COLUMN with --threshold T");
  if (options.score !== undefined && options.threshold === undefined)
    throw new UsageError("--score needs --threshold T (positive when score >= T)");
  if (options.yPred !== undefined && options.threshold !== undefined)
    throw new UsageError("--threshold goes with --score, not --y-pred");
  return {
    yTrue: options.yTrue,
    yPred: options.yPred,
    score: options.score,
    threshold: options.threshold,
    sensitive: options.sensitive,
    weight: options.weight,
    posLabel: options.posLabel,
    predPosLabel: options.predPosLabel,
  };
}

/**
 * Adds the column roles of an audit (`fairkit audit`, `fairkit report`): which column is the
 * outcome, the decision or score, the groups and the weights, and how groups are compared.
 */
export function addColumnRoleOptions(command: Command, defaultMetrics: readonly string[]): Command {
  return command
    .option("--y-true <col>", "column with the true outcome (0/1, true/false, or two values with --pos-label)")
    .option("--y-pred <col>", "column with the decision (0/1, true/false, or two values with --pos-label)")
    .option("--score <col>", "numeric score column; the decision is score >= --threshold")
    .option("--threshold <t>", "threshold for --score (positive when score >= t)", parseNumber("--threshold"))
    .option(
      "--sensitive <cols>",
      "sensitive column(s), comma-separated or repeated; several give their intersections",
      collectList,
    )
    .option(
      "--pos-label <value>",
      'the value of the --y-true column that means positive, when it is not 0/1 or true/false (e.g. ">50K", "yes")',
    )
    .option(
      "--pred-pos-label <value>",
      "the value of the --y-pred column that means positive, when it is not 0/1 or true/false (default: --pos-label)",
    )
    .option(
      "--positive-decision <meaning>",
      "what the positive decision means for the people decided about: favourable (a benefit: a loan, an interview) or unfavourable (a burden: flagged high risk); findings take their direction from it",
      parseChoice("--positive-decision", DECISION_MEANINGS),
      "favourable",
    )
    .option("--weight <col>", "non-negative sample weight column")
    .option(
      "--reference <group>",
      'compare every group to this one (its key, e.g. "Caucasian" or "Caucasian, Male") instead of max − min and min / max',
    )
    .option("--metrics <names>", `comma-separated metrics (default: ${defaultMetrics.join(",")})`, parseList);
}

/** Adds the audit's small-group rule and pass/fail tolerances. */
export function addToleranceOptions(command: Command): Command {
  return command
    .option(
      "--min-group-size <n>",
      "flag groups with fewer rows as too small; the criteria leave them out (and name them)",
      parseCount("--min-group-size"),
      DEFAULTS.minGroupSize,
    )
    .option("--include-small-groups", "compare small groups in the criteria too")
    .option(
      "--max-difference <d>",
      "tolerance: a criterion difference passes when <= d",
      parseNumber("--max-difference"),
      DEFAULTS.maxDifference,
    )
    .option(
      "--min-ratio <r>",
      "tolerance: a criterion ratio passes when >= r",
      parseNumber("--min-ratio"),
      DEFAULTS.minRatio,
    );
}

/** Every format a command writes. */
export type Format = "table" | "json" | "markdown" | "csv" | "html" | "ndjson";

/** The format an output file's extension names. */
const EXTENSION_FORMAT: Readonly<Record<string, Format>> = {
  ".txt": "table",
  ".json": "json",
  ".md": "markdown",
  ".markdown": "markdown",
  ".csv": "csv",
  ".html": "html",
  ".htm": "html",
  ".ndjson": "ndjson",
  ".jsonl": "ndjson",
};
const FORMAT_EXTENSION: Readonly<Record<Format, string>> = {
  table: ".txt",
  json: ".json",
  markdown: ".md",
  csv: ".csv",
  html: ".html",
  ndjson: ".ndjson",
};

/**
 * Adds `--format` (no commander default: {@link outputFormat} decides, from `-o`'s extension
 * when `--format` is not given).
 */
export function addFormatOption(command: Command, formats: readonly Format[], fallback: Format | undefined): Command {
  const otherwise = fallback === undefined ? "" : `, else ${fallback}`;
  return command.option(
    "--format <format>",
    `${formats.join(", ")} (default: from the -o extension${otherwise})`,
    parseChoice("--format", formats),
  );
}

/**
 * The format to write: `--format` when given, else the one `-o`'s extension names (`.json`,
 * `.md`, `.csv`, `.html`, `.txt`, `.ndjson`), else `fallback`. `--format` contradicting the
 * extension is a usage error (a `.json` file holding a text table helps no one), and so is an
 * extension naming a format the command does not write.
 */
export function outputFormat<F extends Format>(
  formats: readonly F[],
  given: F | undefined,
  output: string | undefined,
  fallback: F | undefined,
): F {
  const extension = output === undefined ? "" : extname(output).toLowerCase();
  const implied = EXTENSION_FORMAT[extension] as F | undefined;
  const names = formats.map((f) => FORMAT_EXTENSION[f]).join(", ");
  if (given !== undefined) {
    if (implied !== undefined && implied !== given)
      throw new CommandUsageError(
        `--format ${given} contradicts -o ${output} (a ${extension} file holds ${implied}): drop one, or name the file to match`,
      );
    return given;
  }
  if (implied !== undefined) {
    if (!formats.includes(implied))
      throw new CommandUsageError(
        `-o ${output}: this command writes ${formats.join(", ")}, not ${implied}: name the file ${names}, or give --format`,
      );
    return implied;
  }
  if (fallback === undefined)
    throw new CommandUsageError(
      `cannot tell the format from ${output === undefined ? "standard output" : JSON.stringify(output)}: name the file ${names}, or give --format ${formats.join("|")}`,
    );
  return fallback;
}
