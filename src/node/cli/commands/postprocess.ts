/**
 * `fairkit postprocess FILE … [--method threshold|reject-option|calibrated-eo] -o policy.json`:
 * fits a post-processor on a file's scores, labels and groups — the ThresholdOptimizer (Hardt et
 * al. 2016, the default), reject-option classification (Kamiran et al. 2012) or calibrated
 * equalized odds (Pleiss et al. 2017) — and saves the policy (per-group decision rules with their
 * explicit probabilities) as JSON, ready for `fairkit apply` or `policyFromJSON`. Rule: every
 * option belongs to one method, and an option given to another method is a usage error.
 */
import type { Command } from "commander";
import {
  CalibratedEqualizedOdds,
  COST_CONSTRAINTS,
  type CostConstraint,
  DEFAULTS,
  describeThresholdConstraints,
  documentText,
  FairkitError,
  type PolicyJSON,
  REJECT_OPTION_METRICS,
  RejectOptionClassification,
  type RejectOptionComparison,
  type RejectOptionSearch,
  rejectOptionMetric,
  thresholdConstraint,
  type ThresholdObjective,
  ThresholdOptimizer,
} from "fairkit/internal";
import { DEMO_HELP } from "../demo.js";
import { runCommand, UsageError } from "../exit.js";
import {
  addFormatOption,
  collect,
  type FileReadOptions,
  outputFormat,
  parseChoice,
  parseCount,
  parseNumber,
} from "../options.js";
import { writeOutput } from "../output.js";
import { describeRule, scoreFileOptions, scoreTableOf } from "./thresholds.js";

/** A saved policy with the columns it reads (so `fairkit apply` needs no column options). */
export type PolicyFile = PolicyJSON & {
  input: { source: string; rows: number; score: string; sensitive: string[]; where: string | null };
};

/** The methods of `--method`, and the policy method each fits. */
export const POSTPROCESS_METHODS = ["threshold", "reject-option", "calibrated-eo"] as const;
type PostprocessMethod = (typeof POSTPROCESS_METHODS)[number];

/** Which options belong to which method (the others' are refused). */
const METHOD_OPTIONS: Readonly<Record<PostprocessMethod, readonly string[]>> = {
  threshold: ["constraint", "objective", "maxDifference", "flip"],
  "reject-option": [
    "metric",
    "lowerBound",
    "upperBound",
    "privileged",
    "favorable",
    "comparison",
    "search",
    "gridLow",
    "gridHigh",
    "gridThresholds",
    "gridMargins",
  ],
  "calibrated-eo": ["costConstraint", "threshold", "onInfeasible"],
};

const flag = (name: string) => `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/** The options of `fairkit postprocess`. */
export interface PostprocessCommandOptions extends FileReadOptions {
  demo?: boolean;
  score?: string;
  yTrue?: string;
  sensitive?: string[];
  weight?: string;
  posLabel?: string;
  method?: PostprocessMethod;
  constraint?: string;
  objective?: ThresholdObjective;
  maxDifference?: number;
  flip?: boolean;
  metric?: string;
  lowerBound?: number;
  upperBound?: number;
  privileged?: string[];
  favorable?: "positive" | "negative";
  comparison?: RejectOptionComparison;
  search?: RejectOptionSearch;
  gridLow?: number;
  gridHigh?: number;
  gridThresholds?: number;
  gridMargins?: number;
  costConstraint?: CostConstraint;
  threshold?: number;
  onInfeasible?: "error" | "cap";
  format?: "json";
  output?: string;
}

/** A library error about an argument, as a usage error naming the option. */
function asUsage(error: unknown, options: Record<string, string>): never {
  if (error instanceof FairkitError && error.location.argument && options[error.location.argument])
    throw new UsageError(`${options[error.location.argument]}: ${error.message}`);
  throw error;
}

const fixed = (x: number, digits = 4) => (Number.isFinite(x) ? x.toFixed(digits) : "undefined");

/** Fits and returns the policy file's content (without writing it). */
export async function runPostprocess(
  file: string | undefined,
  options: PostprocessCommandOptions,
): Promise<{ policy: PolicyFile; summary: string }> {
  outputFormat(["json"], options.format, options.output, "json");
  const method = options.method ?? "threshold";
  for (const [other, names] of Object.entries(METHOD_OPTIONS)) {
    if (other === method) continue;
    for (const name of names) {
      if ((options as unknown as Record<string, unknown>)[name] !== undefined)
        throw new UsageError(`${flag(name)} applies to --method ${other} only (this run fits --method ${method})`);
    }
  }
  if (method === "threshold") return fitThreshold(file, options);
  if (method === "reject-option") return fitRejectOption(file, options);
  return fitCalibratedEqualizedOdds(file, options);
}

async function fitThreshold(file: string | undefined, options: PostprocessCommandOptions) {
  let constraint: ReturnType<typeof thresholdConstraint>;
  try {
    constraint = thresholdConstraint(options.constraint ?? "demographic_parity");
  } catch (error) {
    throw new UsageError((error as Error).message.replace("unknown constraint", "--constraint: unknown constraint"));
  }
  const objective = options.objective ?? "accuracy";
  const maxDifference = options.maxDifference ?? 0;
  const opt = (() => {
    try {
      return new ThresholdOptimizer({ constraint, objective, tolerance: maxDifference, flip: options.flip ?? false });
    } catch (error) {
      return asUsage(error, { tolerance: "--max-difference" });
    }
  })();
  const read = await scoreTableOf(file, options);
  opt.fitTable(read.table);
  const { source, rows, score, sensitive, where } = read.input;
  const policy: PolicyFile = { ...opt.toJSON(), input: { source, rows, score, sensitive, where } };
  const t = opt.training;
  const summary = [
    `fairkit postprocess: ThresholdOptimizer, ${constraint} (${objective}${maxDifference > 0 ? `, max difference ${maxDifference}` : ""}) on ${rows} rows`,
    ...opt.groups.map((g) => `  ${g.key}: ${describeRule(g.rule)}  (FPR ${g.fpr.toFixed(3)}, TPR ${g.tpr.toFixed(3)})`),
    `  expected accuracy ${t.accuracy.toFixed(4)}, balanced accuracy ${t.balancedAccuracy.toFixed(4)}, ${constraint} difference ${t.constraintDifference.toExponential(2)}`,
  ].join("\n");
  return { policy, summary };
}

async function fitRejectOption(file: string | undefined, options: PostprocessCommandOptions) {
  const d = DEFAULTS.rejectOption;
  const roc = (() => {
    try {
      return new RejectOptionClassification({
        metric: options.metric === undefined ? undefined : rejectOptionMetric(options.metric),
        lowerBound: options.lowerBound,
        upperBound: options.upperBound,
        privileged: options.privileged,
        favorableDecision: options.favorable === "negative" ? 0 : 1,
        comparison: options.comparison,
        search: options.search,
        grid: {
          low: options.gridLow ?? d.grid.low,
          high: options.gridHigh ?? d.grid.high,
          thresholds: options.gridThresholds ?? d.grid.thresholds,
          margins: options.gridMargins ?? d.grid.margins,
        },
      });
    } catch (error) {
      return asUsage(error, {
        metric: "--metric",
        lowerBound: "--lower-bound / --upper-bound",
        privileged: "--privileged",
        "grid.low": "--grid-low",
        "grid.high": "--grid-high",
        "grid.thresholds": "--grid-thresholds",
        "grid.margins": "--grid-margins",
      });
    }
  })();
  const read = await scoreTableOf(file, options);
  try {
    roc.fitTable(read.table);
  } catch (error) {
    asUsage(error, { privileged: "--privileged" });
  }
  const { source, rows, score, sensitive, where } = read.input;
  const policy: PolicyFile = { ...roc.toJSON(), input: { source, rows, score, sensitive, where } };
  const r = roc.result;
  const region =
    Number.isFinite(r.classificationThreshold) && Number.isFinite(r.margin)
      ? `threshold ${fixed(r.classificationThreshold)}, margin ${fixed(r.margin)}`
      : "the region reaches past every score";
  const summary = [
    `fairkit postprocess: reject-option classification, ${roc.metric} in [${roc.lowerBound}, ${roc.upperBound}] (${roc.search} search over ${r.candidates} candidates, ${roc.comparison}), favourable decision ${roc.favorableDecision}, privileged ${roc.privileged.map((p) => JSON.stringify(p)).join(", ")}, on ${rows} rows`,
    `  critical region: ${region}`,
    ...roc.groups.map((g) => `  ${g.key}: ${describeRule(g.rule)}`),
    `  expected balanced accuracy ${fixed(r.balancedAccuracy)}, accuracy ${fixed(r.accuracy)}, ${roc.metric} ${fixed(r.metricValue)}`,
  ].join("\n");
  return { policy, summary };
}

async function fitCalibratedEqualizedOdds(file: string | undefined, options: PostprocessCommandOptions) {
  const ceo = (() => {
    try {
      return new CalibratedEqualizedOdds({
        costConstraint: options.costConstraint,
        threshold: options.threshold,
        onInfeasible: options.onInfeasible,
      });
    } catch (error) {
      return asUsage(error, { costConstraint: "--cost-constraint", threshold: "--threshold" });
    }
  })();
  const read = await scoreTableOf(file, options);
  ceo.fitTable(read.table);
  const { source, rows, score, sensitive, where } = read.input;
  const policy: PolicyFile = { ...ceo.toJSON(), input: { source, rows, score, sensitive, where } };
  const t = ceo.training;
  const summary = [
    `fairkit postprocess: calibrated equalized odds, cost ${ceo.costConstraint}, threshold ${ceo.threshold}, on ${rows} rows`,
    ...ceo.groups.map(
      (g) =>
        `  ${g.key}: base rate ${fixed(g.baseRate)}, mix rate ${fixed(g.mixRate)}, cost ${fixed(g.cost)} → ${fixed(g.costAfter)}; ${describeRule(g.rule)}`,
    ),
    t.costDifference > 1e-12
      ? `  expected accuracy ${fixed(t.accuracy)}, balanced accuracy ${fixed(t.balancedAccuracy)}; costs NOT equal (capped): spread ${fixed(t.costDifference)} below the worst ${fixed(t.cost)}`
      : `  expected accuracy ${fixed(t.accuracy)}, balanced accuracy ${fixed(t.balancedAccuracy)}, common cost ${fixed(t.cost)}`,
  ].join("\n");
  return { policy, summary };
}

/** Registers `fairkit postprocess`. */
export function registerPostprocess(program: Command): void {
  const d = DEFAULTS.rejectOption;
  const command = program
    .command("postprocess")
    .summary("fit a post-processor (per-group thresholds, reject option, calibrated equalized odds); save the policy")
    .description(
      "Fits a post-processor on a file's scores and saves the policy: per-group decision rules of the score with explicit probabilities, applied by `fairkit apply`.\n\n--method threshold (default): the ThresholdOptimizer (Hardt, Price & Srebro 2016), solved exactly on each group's ROC convex hull: per-group thresholds, mixed where the optimum needs it, that satisfy --constraint while maximising --objective.\n--method reject-option: reject-option classification (Kamiran, Karim & Zhang 2012): in a critical region around a classification threshold the unprivileged groups get the favourable decision and the --privileged ones the unfavourable one; the threshold and margin maximise balanced accuracy with --metric in [--lower-bound, --upper-bound], found by an exact search over every pair of cuts (or AIF360's grid).\n--method calibrated-eo: calibrated equalized odds (Pleiss et al. 2017): each group's calibrated probability is replaced by its base rate with a mix rate that equalizes the --cost-constraint generalized cost across groups, then thresholded at --threshold.\n\nWrites the policy JSON (to -o, or stdout) and a summary of what was fitted to stderr.\n\nExit codes: 0 ok, 2 usage or data error.",
    )
    .argument("[FILE]", "the training file (.csv, .tsv, .parquet, .json, .ndjson)")
    .option("--demo", DEMO_HELP);
  scoreFileOptions(command)
    .option(
      "--method <name>",
      `the post-processor: ${POSTPROCESS_METHODS.join(", ")}`,
      parseChoice("--method", POSTPROCESS_METHODS),
      "threshold",
    )
    .option("--constraint <name>", `threshold: ${describeThresholdConstraints()} (default: demographic_parity)`)
    .option(
      "--objective <name>",
      "threshold: accuracy or balanced_accuracy (default: accuracy)",
      parseChoice("--objective", ["accuracy", "balanced_accuracy"] as const),
    )
    .option(
      "--max-difference <d>",
      "threshold: allowed difference between groups of the constrained rate(s); 0 asks for exact equality (default: 0)",
      parseNumber("--max-difference"),
    )
    .option("--flip", "threshold: also allow flipped rules (score < t positive) for groups the score ranks backwards")
    .option(
      "--metric <name>",
      `reject-option: the bounded metric, unprivileged minus privileged: ${REJECT_OPTION_METRICS.join(", ")} (default: ${d.metric})`,
    )
    .option(
      "--lower-bound <x>",
      `reject-option: lowest allowed metric (default: ${d.lowerBound})`,
      parseNumber("--lower-bound"),
    )
    .option(
      "--upper-bound <x>",
      `reject-option: highest allowed metric (default: ${d.upperBound})`,
      parseNumber("--upper-bound"),
    )
    .option(
      "--privileged <group>",
      "reject-option: a privileged group's label as fairkit shows it (repeat for several; default: the group with the highest rate of favourable labels)",
      collect,
    )
    .option(
      "--favorable <decision>",
      "reject-option: which decision is favourable to the person: positive or negative (default: positive)",
      parseChoice("--favorable", ["positive", "negative"] as const),
    )
    .option(
      "--comparison <how>",
      "reject-option: each_pair (every unprivileged group against every privileged one) or pooled (AIF360) (default: each_pair)",
      parseChoice("--comparison", ["each_pair", "pooled"] as const),
    )
    .option(
      "--search <how>",
      `reject-option: exact (every pair of cuts) or grid (AIF360's) (default: ${d.search})`,
      parseChoice("--search", ["exact", "grid"] as const),
    )
    .option(
      "--grid-low <t>",
      `reject-option grid: lowest threshold (default: ${d.grid.low})`,
      parseNumber("--grid-low"),
    )
    .option(
      "--grid-high <t>",
      `reject-option grid: highest threshold (default: ${d.grid.high})`,
      parseNumber("--grid-high"),
    )
    .option(
      "--grid-thresholds <n>",
      `reject-option grid: number of thresholds (default: ${d.grid.thresholds})`,
      parseCount("--grid-thresholds"),
    )
    .option(
      "--grid-margins <n>",
      `reject-option grid: number of margins (default: ${d.grid.margins})`,
      parseCount("--grid-margins"),
    )
    .option(
      "--cost-constraint <cost>",
      `calibrated-eo: the generalized cost to equalize: ${COST_CONSTRAINTS.join(", ")} (default: ${DEFAULTS.calibratedEqualizedOdds.costConstraint})`,
      parseChoice("--cost-constraint", COST_CONSTRAINTS),
    )
    .option(
      "--threshold <t>",
      `calibrated-eo: a (replaced) score >= t is positive (default: ${DEFAULTS.calibratedEqualizedOdds.threshold})`,
      parseNumber("--threshold"),
    )
    .option(
      "--on-infeasible <what>",
      "calibrated-eo: error (default), or cap: mix a group that cannot reach the worst cost fully, as AIF360 does, and report the spread",
      parseChoice("--on-infeasible", ["error", "cap"] as const),
    );
  addFormatOption(command, ["json"], "json")
    .option("-o, --output <file>", "write the policy JSON here (atomically) instead of stdout")
    .addHelpText(
      "after",
      `
Examples:
  fairkit postprocess train.csv --score score --y-true label --sensitive race --constraint equalized_odds -o policy.json
  fairkit postprocess train.csv --score score --y-true label --sensitive race --method reject-option --privileged Caucasian -o roc.json
  fairkit postprocess train.csv --score p --y-true label --sensitive race --method calibrated-eo --cost-constraint fnr -o ceo.json
  fairkit apply policy.json new.csv -o decisions.csv --seed 1`,
    )
    .action((file: string | undefined, options: PostprocessCommandOptions) =>
      runCommand("postprocess", async () => {
        const { policy, summary } = await runPostprocess(file, options);
        await writeOutput(documentText(policy), options.output, { inputs: [file] });
        process.stderr.write(`${summary}\n`);
      }),
    );
}
