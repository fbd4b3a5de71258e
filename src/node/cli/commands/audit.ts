/**
 * `fairkit audit FILE`: per-group metrics with intervals and the fairness criteria with
 * pass/fail, from a file of any size (through DuckDB) or the built-in demo (`--demo`).
 */
import type { Command } from "commander";
import { type AuditResult, buildAuditResult, type DecisionMeaning, DEFAULT_AUDIT_METRICS, DEFAULTS, demoData, gateValues, type IntervalMethod, MetricFrame } from "fairkit/internal";
import { auditFile } from "../../io/audit-file.js";
import { renderAudit } from "../audit-render.js";
import { GateFailedError, runCommand, UsageError } from "../exit.js";
import { checkGates, describeFailures, type Gate, parseGate } from "../fail-on.js";
import { addColumnRoleOptions, addFileReadOptions, addToleranceOptions, collect, type FileReadOptions, parseChoice, parseCount, parseNumber, sourceOptionsOf } from "../options.js";
import { writeOutput } from "../output.js";
import { createProgress } from "../progress.js";
import { OUTPUT_FORMATS, type OutputFormat } from "../table.js";

/** The options of `fairkit audit`, as commander parses them. */
export interface AuditCommandOptions extends FileReadOptions {
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
  ci: IntervalMethod;
  level: number;
  bootstrapN: number;
  seed: number;
  minGroupSize: number;
  includeSmallGroups?: boolean;
  maxDifference: number;
  minRatio: number;
  format: OutputFormat;
  output?: string;
  failOn?: string[];
  progress?: boolean;
}

function auditDemo(options: AuditCommandOptions): AuditResult {
  const demo = demoData();
  const threshold = options.threshold ?? 0.5;
  const yPred = new Uint8Array(demo.score.length);
  for (let i = 0; i < yPred.length; i++) yPred[i] = demo.score[i] >= threshold ? 1 : 0;
  const frame = new MetricFrame({
    yTrue: demo.yTrue,
    yPred,
    sensitiveFeatures: { group: demo.group },
    metrics: options.metrics ?? DEFAULT_AUDIT_METRICS,
    intervals: options.ci,
    level: options.level,
    minGroupSize: options.minGroupSize,
    bootstrap: options.ci === "bootstrap" ? { n: options.bootstrapN, seed: options.seed } : undefined,
  });
  return buildAuditResult(frame, {
    input: {
      source: "demo",
      format: null,
      rows: demo.yTrue.length,
      where: null,
      y_true: "y",
      y_pred: null,
      score: "score",
      threshold,
      sensitive: ["group"],
      weight: null,
      pos_label: null,
      pred_pos_label: null,
      nulls: { group: 0, y: 0, score: 0 },
    },
    intervals: options.ci,
    level: options.level,
    minGroupSize: options.minGroupSize,
    reference: options.reference,
    tolerances: { difference: options.maxDifference, ratio: options.minRatio },
    includeSmallGroups: options.includeSmallGroups,
    positiveDecision: options.positiveDecision,
  });
}

/** Runs the audit described by the options (the command's action, without process concerns). */
export async function runAudit(file: string | undefined, options: AuditCommandOptions): Promise<{ result: AuditResult; text: string; gates: ReturnType<typeof checkGates> }> {
  const gates: Gate[] = (options.failOn ?? []).map(parseGate);
  let result: AuditResult;
  if (options.demo) {
    if (file !== undefined) throw new UsageError("give a FILE or --demo, not both");
    result = auditDemo(options);
  } else {
    if (file === undefined) throw new UsageError("missing FILE (or use --demo for the built-in demo data)");
    if (!options.yTrue) throw new UsageError("missing --y-true COLUMN (the true outcome)");
    if (!options.sensitive || options.sensitive.length === 0) throw new UsageError("missing --sensitive COLUMN[,COLUMN…]");
    if ((options.yPred === undefined) === (options.score === undefined)) throw new UsageError("give --y-pred COLUMN, or --score COLUMN with --threshold T");
    if (options.score !== undefined && options.threshold === undefined) throw new UsageError("--score needs --threshold T (positive when score >= T)");
    if (options.yPred !== undefined && options.threshold !== undefined) throw new UsageError("--threshold goes with --score, not --y-pred");
    const progress = createProgress({ force: options.progress });
    try {
      result = await auditFile(file, {
        yTrue: options.yTrue,
        yPred: options.yPred,
        score: options.score,
        threshold: options.threshold,
        sensitive: options.sensitive,
        weight: options.weight,
        posLabel: options.posLabel,
        predPosLabel: options.predPosLabel,
        positiveDecision: options.positiveDecision,
        ...sourceOptionsOf(options),
        metrics: options.metrics,
        intervals: options.ci,
        bootstrap: { n: options.bootstrapN, seed: options.seed },
        level: options.level,
        minGroupSize: options.minGroupSize,
        reference: options.reference,
        tolerances: { difference: options.maxDifference, ratio: options.minRatio },
        includeSmallGroups: options.includeSmallGroups,
        progress,
      });
    } finally {
      progress.stop();
    }
  }
  const checked = checkGates(gates, gateValues(result));
  const color = options.output === undefined && options.format === "table" && process.stdout.isTTY === true;
  return { result, text: renderAudit(result, options.format, { color }), gates: checked };
}

/** Registers `fairkit audit` on the program. */
export function registerAudit(program: Command): void {
  const command = program.command("audit")
    .summary("per-group metrics and fairness criteria for a file of predictions")
    .description(
      "Audit a file of predictions (CSV, TSV, Parquet, JSON, NDJSON; read in place by DuckDB, any size): per group (and intersection) its size, base rate, selection rate, TPR, FPR, FNR, PPV and accuracy with intervals, small groups flagged; then demographic parity, equal opportunity, equalized odds and predictive parity differences and ratios with pass/fail against the tolerances.\n\nExit codes: 0 ok, 1 a --fail-on gate failed (the output is still written), 2 usage or data error (nothing is written to -o).",
    )
    .argument("[FILE]", "the predictions file (.csv, .tsv, .parquet, .json, .ndjson/.jsonl, optionally .gz; other extensions are read as delimited text)")
    .option("--demo", "audit the built-in demo data instead of a file (two groups A/B, decision = score >= 0.5)");
  addColumnRoleOptions(command, DEFAULT_AUDIT_METRICS)
    .option("--ci <method>", "intervals: wilson (from counts), bootstrap (reads the rows) or none", parseChoice("--ci", ["wilson", "bootstrap", "none"] as const), "wilson")
    .option("--level <p>", "confidence level of the intervals", parseNumber("--level"), DEFAULTS.level)
    .option("--bootstrap-n <n>", "bootstrap replicates (with --ci bootstrap)", parseCount("--bootstrap-n"), 1000)
    .option("--seed <n>", "bootstrap seed", parseCount("--seed"), 0);
  addToleranceOptions(command)
    .option("--format <format>", "table, json, markdown or csv", parseChoice("--format", OUTPUT_FORMATS), "table")
    .option("-o, --output <file>", "write to this file (atomically) instead of stdout")
    .option("--fail-on <expr>", "exit 1 when NAME<OP>NUMBER holds, e.g. \"demographic_parity_ratio<0.8\" (repeatable; names: the criteria and overall.<metric>)", collect);
  addFileReadOptions(command)
    .option("--progress", "show progress on stderr even when it is not a terminal")
    .addHelpText(
      "after",
      `
Examples:
  fairkit audit --demo
  fairkit audit preds.csv --y-true label --score score --threshold 0.5 --sensitive race,sex
  fairkit audit compas-scores-two-years.csv --y-true two_year_recid --score decile_score --threshold 5 \\
    --sensitive race --where "days_b_screening_arrest BETWEEN -30 AND 30 AND is_recid != -1 AND c_charge_degree != 'O' AND score_text != 'N/A'" \\
    --fail-on "demographic_parity_ratio<0.8" --format json -o audit.json`,
    )
    .action((file: string | undefined, options: AuditCommandOptions) =>
      runCommand("audit", async () => {
        const { text, gates } = await runAudit(file, options);
        await writeOutput(text, options.output, { inputs: [file] });
        if (gates.some((g) => g.failed)) throw new GateFailedError(`--fail-on: ${describeFailures(gates)}`);
      }),
    );
}
