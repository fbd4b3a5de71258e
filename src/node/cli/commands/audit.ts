/**
 * `fairkit audit FILE`: per-group metrics with intervals and the fairness criteria with
 * pass/fail, from a file of any size (through DuckDB) or the built-in demo (`--demo`). With
 * `--task regression` or `--task multiclass` the same command audits numeric predictions or
 * decided classes (their own documents, `fairkit.regression_audit` and `fairkit.multiclass_audit`).
 */
import type { Command } from "commander";
import {
  type AuditResult,
  DEFAULT_AUDIT_METRICS,
  DEFAULTS,
  gateValues,
  type MulticlassAuditResult,
  multiclassGateValues,
  type RegressionAuditResult,
  regressionGateValues,
} from "fairkit/internal";
import { isDatabaseAddress } from "../../db/connect.js";
import { auditCounts, printedCellsQuery } from "../../db/counts-of.js";
import { DIALECT_NAMES } from "../../db/dialects.js";
import { auditMulticlassFile, auditRegressionFile } from "../../io/audit-file.js";
import { renderAudit } from "../audit-render.js";
import { renderMulticlassAudit, renderRegressionAudit } from "../task-audit-render.js";
import { GateFailedError, runCommand, UsageError } from "../exit.js";
import { checkGates, describeFailures, type Gate, parseGate } from "../fail-on.js";
import {
  addColumnRoleOptions,
  addFileReadOptions,
  addFormatOption,
  addToleranceOptions,
  binaryRolesOf,
  collect,
  outputFormat,
  parseChoice,
  parseCount,
  parseNumber,
  outcomeAuditOptionsOf,
  sourceOptionsOf,
  type ColumnRoleOptions,
} from "../options.js";
import { writeOutput } from "../output.js";
import { createProgress } from "../progress.js";
import { OUTPUT_FORMATS, type OutputFormat } from "../table.js";
import { DEMO_HELP, demoAudit, demoOrFile } from "../demo.js";

/** The options of `fairkit audit`, as commander parses them. */
export interface AuditCommandOptions extends ColumnRoleOptions {
  task: AuditTask;
  /** Default per task: wilson (binary, multiclass), normal (regression). */
  ci?: "wilson" | "normal" | "bootstrap" | "none";
  level: number;
  bootstrapN: number;
  seed: number;
  minGroupSize: number;
  includeSmallGroups?: boolean;
  maxDifference: number;
  minRatio: number;
  format?: OutputFormat;
  output?: string;
  failOn?: string[];
  progress?: boolean;
  /** A database relation (with a database address as the target). */
  table?: string;
  query?: string;
  /** The target is counts: a fairkit.counts document or the cells query's result. */
  fromCounts?: boolean;
  printSql?: boolean;
  dialect?: string;
}

/** What the audited system outputs: a yes/no decision, a number, or one of several classes. */
export type AuditTask = "binary" | "regression" | "multiclass";

/** The tasks `--task` accepts. */
export const AUDIT_TASKS: readonly AuditTask[] = ["binary", "regression", "multiclass"];

/** The CI methods each task accepts, its default first. */
const TASK_INTERVALS: Readonly<Record<AuditTask, readonly string[]>> = {
  binary: ["wilson", "bootstrap", "none"],
  regression: ["normal", "bootstrap", "none"],
  multiclass: ["wilson", "none"],
};

/** Refuses the options that have no meaning for a regression or multiclass audit, naming them. */
function checkTaskOptions(file: string | undefined, options: AuditCommandOptions): void {
  const task = options.task;
  const allowed = TASK_INTERVALS[task];
  if (options.ci !== undefined && !allowed.includes(options.ci))
    throw new UsageError(`--ci ${options.ci} does not apply to --task ${task}; use ${allowed.join(", ")}`);
  if (task === "binary") return;
  if (
    (file !== undefined && isDatabaseAddress(file)) ||
    options.fromCounts ||
    options.printSql ||
    options.table ||
    options.query
  )
    throw new UsageError(
      `--task ${task} reads files for now; databases, --from-counts and --print-sql audit binary decisions (--task binary)`,
    );
  const refused: [string, unknown][] = [
    ["--demo", options.demo],
    ["--score", options.score],
    ["--threshold", options.threshold],
    ["--pos-label", options.posLabel],
    ["--pred-pos-label", options.predPosLabel],
    ["--positive-decision", options.positiveDecision === "favourable" ? undefined : options.positiveDecision],
    ...(task === "regression" ? ([["--metrics", options.metrics]] as [string, unknown][]) : []),
  ];
  for (const [option, value] of refused) {
    if (value !== undefined && value !== false)
      throw new UsageError(
        `${option} does not apply to --task ${task}${option === "--score" || option === "--threshold" ? ` (give the ${task === "regression" ? "prediction" : "decided class"} as --y-pred COLUMN)` : ""}`,
      );
  }
  if (file === undefined) throw new UsageError(`--task ${task} needs a FILE`);
  if (!options.yTrue)
    throw new UsageError(`missing --y-true COLUMN (the observed ${task === "regression" ? "outcome" : "class"})`);
  if (!options.yPred)
    throw new UsageError(`missing --y-pred COLUMN (the ${task === "regression" ? "prediction" : "decided class"})`);
  if (!options.sensitive || options.sensitive.length === 0)
    throw new UsageError("missing --sensitive COLUMN[,COLUMN…]");
}

/** A regression or multiclass audit (`--task`), rendered. */
async function runTaskAudit(
  file: string,
  options: AuditCommandOptions,
  format: (typeof OUTPUT_FORMATS)[number],
  gates: Gate[],
): Promise<{
  result: RegressionAuditResult | MulticlassAuditResult;
  text: string;
  gates: ReturnType<typeof checkGates>;
}> {
  const color = options.output === undefined && format === "table" && process.stdout.isTTY === true;
  const common = outcomeAuditOptionsOf(options);
  const progress = createProgress({ force: options.progress });
  try {
    if (options.task === "regression") {
      const result = await auditRegressionFile(file, {
        ...common,
        intervals: (options.ci ?? "normal") as "normal" | "bootstrap" | "none",
        bootstrap: { n: options.bootstrapN, seed: options.seed },
        progress,
      });
      return {
        result,
        text: renderRegressionAudit(result, format, { color }),
        gates: checkGates(gates, regressionGateValues(result)),
      };
    }
    const result = await auditMulticlassFile(file, {
      ...common,
      metrics: options.metrics,
      intervals: (options.ci ?? "wilson") as "wilson" | "none",
      progress,
    });
    return {
      result,
      text: renderMulticlassAudit(result, format, { color }),
      gates: checkGates(gates, multiclassGateValues(result)),
    };
  } finally {
    progress.stop();
  }
}

/** Runs the audit described by the options (the command's action, without process concerns). */
export async function runAudit(
  file: string | undefined,
  options: AuditCommandOptions,
): Promise<{
  /** Undefined for --print-sql, which only writes the query. */
  result: AuditResult | RegressionAuditResult | MulticlassAuditResult | undefined;
  text: string;
  gates: ReturnType<typeof checkGates>;
}> {
  const gates: Gate[] = (options.failOn ?? []).map(parseGate);
  const format = outputFormat(OUTPUT_FORMATS, options.format, options.output, "table");
  const task = options.task ?? "binary";
  checkTaskOptions(file, { ...options, task });
  if (task !== "binary") return runTaskAudit(file!, { ...options, task }, format, gates);
  const ci = (options.ci ?? "wilson") as "wilson" | "bootstrap" | "none";
  if (options.printSql) {
    const sql = await printedCellsQuery(file, {
      ...binaryRolesOf(options),
      table: options.table,
      query: options.query,
      where: options.where,
      dialect: options.dialect,
    });
    return { result: undefined, text: sql, gates: [] };
  }
  if (options.dialect !== undefined) throw new UsageError("--dialect goes with --print-sql");
  // What to compute, whatever the rows or counts come from.
  const compute = {
    positiveDecision: options.positiveDecision,
    metrics: options.metrics,
    intervals: ci,
    bootstrap: { n: options.bootstrapN, seed: options.seed },
    level: options.level,
    minGroupSize: options.minGroupSize,
    reference: options.reference,
    tolerances: { difference: options.maxDifference, ratio: options.minRatio },
    includeSmallGroups: options.includeSmallGroups,
  };
  let result: AuditResult;
  if (options.fromCounts) {
    if (file === undefined) throw new UsageError("--from-counts needs the counts FILE");
    for (const [option, value] of [
      ["--y-true", options.yTrue],
      ["--y-pred", options.yPred],
      ["--score", options.score],
      ["--threshold", options.threshold],
      ["--weight", options.weight],
      ["--where", options.where],
      ["--table", options.table],
      ["--query", options.query],
    ] as const) {
      if (value !== undefined)
        throw new UsageError(
          `${option} does not apply to --from-counts: the counts were made with it (the label and decision are the columns fairkit_label and fairkit_decision)`,
        );
    }
    result = await auditCounts(file, {
      fromCounts: true,
      yTrue: "fairkit_label",
      sensitive: options.sensitive ?? [],
      posLabel: options.posLabel,
      predPosLabel: options.predPosLabel,
      ...sourceOptionsOf(options),
      ...compute,
    });
  } else if (demoOrFile(file, options.demo)) {
    result = demoAudit({
      threshold: options.threshold,
      metrics: options.metrics,
      intervals: ci,
      level: options.level,
      bootstrap: { n: options.bootstrapN, seed: options.seed },
      minGroupSize: options.minGroupSize,
      reference: options.reference,
      tolerances: { difference: options.maxDifference, ratio: options.minRatio },
      includeSmallGroups: options.includeSmallGroups,
      positiveDecision: options.positiveDecision,
    });
  } else {
    const roles = binaryRolesOf(options);
    const progress = createProgress({ force: options.progress });
    try {
      result = await auditCounts(file!, {
        ...roles,
        ...sourceOptionsOf(options),
        table: options.table,
        query: options.query,
        ...compute,
        progress,
      });
    } finally {
      progress.stop();
    }
  }
  const checked = checkGates(gates, gateValues(result));
  const color = options.output === undefined && format === "table" && process.stdout.isTTY === true;
  return { result, text: renderAudit(result, format, { color }), gates: checked };
}

/** Registers `fairkit audit` on the program. */
export function registerAudit(program: Command): void {
  const command = program
    .command("audit")
    .summary("per-group metrics and fairness criteria for a file of predictions")
    .description(
      "Audit a file of predictions (CSV, TSV, Parquet, JSON, NDJSON; read in place by DuckDB, any size): per group (and intersection) its size, base rate, selection rate, TPR, FPR, FNR, PPV and accuracy with intervals, small groups flagged; then demographic parity, equal opportunity, equalized odds and predictive parity differences and ratios with pass/fail against the tolerances. With --task regression (a numeric prediction) or --task multiclass (a decided class) the same command writes a regression or multiclass audit.\n\nExit codes: 0 ok, 1 a --fail-on gate failed (the output is still written), 2 usage or data error (nothing is written to -o).",
    )
    .argument(
      "[FILE]",
      "the predictions file (.csv, .tsv, .parquet, .json, .ndjson/.jsonl, optionally .gz; other extensions are read as delimited text), or a database: postgres://user@host:port/db, duckdb:FILE or @name (the address in $FAIRKIT_CONNECTION_NAME), with --table or --query",
    )
    .option("--demo", `${DEMO_HELP}; decision score >= 0.5 unless --threshold`)
    .option(
      "--task <task>",
      "what the system outputs: binary (a yes/no decision), regression (a number: --y-pred is the prediction) or multiclass (one of several classes: --y-pred is the decided class)",
      parseChoice("--task", AUDIT_TASKS),
      "binary",
    );
  addColumnRoleOptions(command, DEFAULT_AUDIT_METRICS)
    .option(
      "--ci <method>",
      'intervals: wilson (from counts), bootstrap (reads the rows) or none; --task regression takes normal (its default), bootstrap or none (default: "wilson")',
      parseChoice("--ci", ["wilson", "normal", "bootstrap", "none"] as const),
    )
    .option("--level <p>", "confidence level of the intervals", parseNumber("--level"), DEFAULTS.level)
    .option("--bootstrap-n <n>", "bootstrap replicates (with --ci bootstrap)", parseCount("--bootstrap-n"), 1000)
    .option("--seed <n>", "bootstrap seed", parseCount("--seed"), 0);
  addFormatOption(addToleranceOptions(command), OUTPUT_FORMATS, "table")
    .option("-o, --output <file>", "write to this file (atomically) instead of stdout; its extension picks the format")
    .option(
      "--fail-on <expr>",
      'exit 1 when NAME<OP>NUMBER holds, e.g. "demographic_parity_ratio<0.8" (repeatable; names: the criteria and overall.<metric>)',
      collect,
    );
  addFileReadOptions(command)
    .option("--table <name>", "with a database: the table or view to audit (schema.table; parts are quoted as given)")
    .option("--query <sql>", "with a database: audit the rows of this SELECT")
    .option(
      "--from-counts",
      "FILE holds counts, not rows: a fairkit.counts document (fairkit counts, fairkit merge) or the result of the --print-sql query run elsewhere (CSV, Parquet, JSON)",
    )
    .option(
      "--print-sql",
      "print the one GROUP BY query the audit runs in the database, and stop (with a database address, or with --dialect and --table/--query)",
    )
    .option(
      "--dialect <name>",
      `with --print-sql and no database: ${DIALECT_NAMES.join(", ")}`,
      parseChoice("--dialect", DIALECT_NAMES),
    )
    .option("--progress", "show progress on stderr even when it is not a terminal")
    .addHelpText(
      "after",
      `
Examples:
  fairkit audit --demo
  fairkit audit preds.csv --y-true label --score score --threshold 0.5 --sensitive race,sex
  fairkit audit compas-scores-two-years.csv --y-true two_year_recid --score decile_score --threshold 5 \\
    --sensitive race --where "days_b_screening_arrest BETWEEN -30 AND 30 AND is_recid != -1 AND c_charge_degree != 'O' AND score_text != 'N/A'" \\
    --fail-on "demographic_parity_ratio<0.8" --format json -o audit.json
  fairkit audit law_predictions.csv --task regression --y-true ZFYA --y-pred predicted --sensitive race,sex \
    --fail-on "mean_residual_difference>0.3"
  fairkit audit grades.csv --task multiclass --y-true grade --y-pred predicted_grade --sensitive sex
  fairkit audit postgres://auditor@db.internal/prod --table decisions --y-true outcome --y-pred approved \
    --sensitive race,sex --where "decided_at >= DATE '2026-01-01'"
  fairkit audit --print-sql --dialect bigquery --table proj.ds.decisions --y-true outcome --y-pred approved --sensitive race
  fairkit audit result.csv --from-counts --sensitive race`,
    )
    .action((file: string | undefined, options: AuditCommandOptions) =>
      runCommand("audit", async () => {
        const { text, gates } = await runAudit(file, options);
        await writeOutput(text, options.output, {
          inputs: file !== undefined && !isDatabaseAddress(file) ? [file] : [],
        });
        if (gates.some((g) => g.failed)) throw new GateFailedError(`--fail-on: ${describeFailures(gates)}`);
      }),
    );
}
