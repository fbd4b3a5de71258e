/**
 * `fairkit postprocess FILE … --constraint equalized_odds -o policy.json`: fits the
 * ThresholdOptimizer (Hardt et al. 2016) on a file's scores, labels and groups and saves the
 * policy (per-group decision rules with their explicit mixing probabilities) as JSON, ready for
 * `fairkit apply` or `ThresholdOptimizer.fromJSON`.
 */
import type { Command } from "commander";
import {
  describeThresholdConstraints,
  documentText,
  thresholdConstraint,
  type ThresholdObjective,
  ThresholdOptimizer,
  type ThresholdPolicyJSON,
} from "fairkit/internal";
import { DEMO_HELP } from "../demo.js";
import { runCommand, UsageError } from "../exit.js";
import { addFormatOption, type FileReadOptions, outputFormat, parseChoice, parseNumber } from "../options.js";
import { writeOutput } from "../output.js";
import { describeRule, scoreFileOptions, scoreTableOf } from "./thresholds.js";

/** A saved policy with the columns it reads (so `fairkit apply` needs no column options). */
export interface PolicyFile extends ThresholdPolicyJSON {
  input: { source: string; rows: number; score: string; sensitive: string[]; where: string | null };
}

/** The options of `fairkit postprocess`. */
export interface PostprocessCommandOptions extends FileReadOptions {
  demo?: boolean;
  score?: string;
  yTrue?: string;
  sensitive?: string[];
  weight?: string;
  posLabel?: string;
  constraint: string;
  objective: ThresholdObjective;
  maxDifference: number;
  flip?: boolean;
  format?: "json";
  output?: string;
}

/** Fits and returns the policy file's content (without writing it). */
export async function runPostprocess(
  file: string | undefined,
  options: PostprocessCommandOptions,
): Promise<{ policy: PolicyFile; summary: string }> {
  outputFormat(["json"], options.format, options.output, "json");
  let constraint: ReturnType<typeof thresholdConstraint>;
  try {
    constraint = thresholdConstraint(options.constraint);
  } catch (error) {
    throw new UsageError((error as Error).message.replace("unknown constraint", "--constraint: unknown constraint"));
  }
  const read = await scoreTableOf(file, options);
  const opt = new ThresholdOptimizer({
    constraint,
    objective: options.objective,
    tolerance: options.maxDifference,
    flip: options.flip ?? false,
  }).fitTable(read.table);
  const { source, rows, score, sensitive, where } = read.input;
  const policy: PolicyFile = { ...opt.toJSON(), input: { source, rows, score, sensitive, where } };
  const t = opt.training;
  const summary = [
    `fairkit postprocess: ${constraint} (${options.objective}${options.maxDifference > 0 ? `, max difference ${options.maxDifference}` : ""}) on ${rows} rows`,
    ...opt.groups.map((g) => `  ${g.key}: ${describeRule(g.rule)}  (FPR ${g.fpr.toFixed(3)}, TPR ${g.tpr.toFixed(3)})`),
    `  expected accuracy ${t.accuracy.toFixed(4)}, balanced accuracy ${t.balancedAccuracy.toFixed(4)}, ${constraint} difference ${t.constraintDifference.toExponential(2)}`,
  ].join("\n");
  return { policy, summary };
}

/** Registers `fairkit postprocess`. */
export function registerPostprocess(program: Command): void {
  const command = program
    .command("postprocess")
    .summary("fit per-group (randomised) thresholds that satisfy a fairness constraint; save the policy")
    .description(
      "Fits the ThresholdOptimizer (Hardt, Price & Srebro 2016) exactly on each group's ROC convex hull: per-group thresholds, mixed with explicit probabilities where the optimum needs it, that satisfy the constraint while maximising the objective. Writes the policy JSON (to -o, or stdout) and a summary to stderr.\n\nExit codes: 0 ok, 2 usage or data error.",
    )
    .argument("[FILE]", "the training file (.csv, .tsv, .parquet, .json, .ndjson)")
    .option("--demo", DEMO_HELP);
  scoreFileOptions(command)
    .option("--constraint <name>", describeThresholdConstraints(), "demographic_parity")
    .option(
      "--objective <name>",
      "accuracy or balanced_accuracy",
      parseChoice("--objective", ["accuracy", "balanced_accuracy"] as const),
      "accuracy",
    )
    .option(
      "--max-difference <d>",
      "allowed difference between groups of the constrained rate(s); 0 asks for exact equality",
      parseNumber("--max-difference"),
      0,
    )
    .option("--flip", "also allow flipped rules (score < t positive) for groups the score ranks backwards");
  addFormatOption(command, ["json"], "json")
    .option("-o, --output <file>", "write the policy JSON here (atomically) instead of stdout")
    .addHelpText(
      "after",
      `
Example:
  fairkit postprocess train.csv --score score --y-true label --sensitive race --constraint equalized_odds -o policy.json
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
