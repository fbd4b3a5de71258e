/**
 * `fairkit mitigate FILE --y-true COL --sensitive COL… --methods reweighing,expgrad-dp,…`: trains
 * the baseline (weighted L2 logistic regression on one-hot + standardised features) and each
 * mitigation on one split of the file, and prints test accuracy and every criterion with
 * intervals: the points of an accuracy-vs-disparity chart. `--save DIR` saves each method's fitted
 * model, feature transform and weights as JSON.
 */
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { Command } from "commander";
import {
  compareMitigations,
  type ComparisonInput,
  comparisonDocument,
  type ComparisonResult,
  DEFAULTS,
  documentText,
  FairkitError,
  levelText,
  methodDocument,
  MITIGATION_METHODS,
  VERSION,
} from "fairkit/internal";
import { readTable } from "../../io/read-table.js";
import { runCommand, UsageError } from "../exit.js";
import {
  addFileReadOptions,
  addFormatOption,
  collectList,
  type FileReadOptions,
  outputFormat,
  parseCount,
  parseList,
  parseNumber,
  sourceOptionsOf,
} from "../options.js";
import { checkNotAnInput, writeAtomic, writeOutput } from "../output.js";
import { createProgress } from "../progress.js";
import { inFile } from "../table-model.js";
import {
  type OutputFormat,
  OUTPUT_FORMATS,
  type TextTable,
  formatNumber,
  renderCsv,
  renderMarkdown,
  renderText,
} from "../table.js";

/** The options of `fairkit mitigate`. */
export interface MitigateCommandOptions extends FileReadOptions {
  yTrue?: string;
  posLabel?: string[];
  sensitive?: string[];
  features?: string[];
  methods: string[];
  testFraction: number;
  shuffle: boolean;
  seed: number;
  eps: number;
  bootstrap: number;
  format?: OutputFormat;
  output?: string;
  save?: string;
  progress?: boolean;
}

function estimateCell(e: { value: number; interval: [number, number] }): string {
  return Number.isNaN(e.interval[0])
    ? formatNumber(e.value)
    : `${formatNumber(e.value)} [${formatNumber(e.interval[0])}, ${formatNumber(e.interval[1])}]`;
}

/** The comparison as a text table: one row per method. */
export function mitigationTable(result: ComparisonResult): TextTable {
  return {
    headers: [
      "method",
      "changes",
      "accuracy",
      "demographic_parity_difference",
      "equalized_odds_difference",
      "equal_opportunity_difference",
      "fit_s",
    ],
    rows: result.results.map((r) => [
      r.method,
      r.stage,
      estimateCell(r.accuracy),
      estimateCell(r.criteria.demographic_parity_difference),
      estimateCell(r.criteria.equalized_odds_difference),
      estimateCell(r.criteria.equal_opportunity_difference),
      (r.fitMs / 1000).toFixed(2),
    ]),
  };
}

/** Runs `fairkit mitigate` (without process concerns): returns the result and the text to print. */
export async function runMitigate(
  file: string,
  options: MitigateCommandOptions,
): Promise<{ result: ComparisonResult; text: string }> {
  const format = outputFormat(OUTPUT_FORMATS, options.format, options.output, "table");
  if (!options.yTrue) throw new UsageError("--y-true is required: the column with the outcome to predict");
  if (!options.sensitive || options.sensitive.length === 0)
    throw new UsageError("--sensitive is required: the column(s) whose groups are compared");
  for (const m of options.methods) {
    if (!MITIGATION_METHODS[m])
      throw new UsageError(
        `--methods: unknown method ${JSON.stringify(m)}; known: ${Object.keys(MITIGATION_METHODS).join(", ")}`,
      );
  }
  const yTrue = options.yTrue;
  // Label and groups as text: DuckDB would read yes/no as booleans and "01" as 1, and --pos-label names text.
  const table = await readTable(file, {
    ...sourceOptionsOf(options),
    textColumns: [yTrue, ...options.sensitive],
    required: [
      { option: "--y-true", column: yTrue },
      ...options.sensitive.map((column) => ({ option: "--sensitive", column })),
      ...(options.features ?? []).map((column) => ({ option: "--features", column })),
    ],
  });
  const progress = createProgress({ force: options.progress });
  let result: ComparisonResult;
  try {
    result = compareMitigations({
      table,
      yTrue,
      posLabel: options.posLabel,
      sensitive: options.sensitive,
      features: options.features,
      methods: options.methods,
      testFraction: options.testFraction,
      shuffle: options.shuffle,
      seed: options.seed,
      eps: options.eps,
      bootstrap: options.bootstrap,
      onMethod: (method, index, total) => progress.update((index + 1) / total, method),
    });
  } catch (error) {
    // The library counts rows of the table from index 0; the user counts the file's data rows from 1.
    const located = inFile(file, error, options.where);
    if (located instanceof FairkitError && located.code === "NOT_BINARY")
      throw new UsageError(`${located.message}; pass --pos-label VALUE`);
    throw located;
  } finally {
    progress.stop();
  }
  const head = `fairkit mitigate: ${file}, ${result.trainRows} train / ${result.testRows} test rows${options.shuffle ? ` (shuffled, seed ${options.seed})` : " (first rows train)"}, ${result.features} features, groups ${result.groups.map((g) => g.key).join(" | ")}`;
  const input: ComparisonInput = {
    source: file,
    yTrue,
    posLabel: options.posLabel,
    sensitive: options.sensitive,
    features: options.features,
    where: options.where,
  };
  const comparison = documentText(comparisonDocument(result, input, VERSION));
  let text: string;
  if (format === "json") text = comparison;
  else {
    const t = mitigationTable(result);
    text =
      format === "markdown"
        ? renderMarkdown(t)
        : format === "csv"
          ? renderCsv(t)
          : `${head}\n${renderText(t)}\nintervals ${levelText(DEFAULTS.level)}: accuracy Wilson${options.bootstrap > 0 ? `, criteria bootstrap (${options.bootstrap} replicates)` : ""}; differences between groups (max − min)\nPareto front, accuracy vs demographic_parity_difference: ${(result.pareto.demographic_parity_difference ?? []).join(", ")}\nPareto front, accuracy vs equalized_odds_difference: ${(result.pareto.equalized_odds_difference ?? []).join(", ")}`;
  }
  for (const w of result.warnings) process.stderr.write(`fairkit mitigate: warning: ${w}\n`);
  if (result.smallGroups.length > 0) {
    process.stderr.write(
      `fairkit mitigate: warning: ${result.smallGroups.length} group(s) have fewer than ${DEFAULTS.minGroupSize} test rows (${result.smallGroups.map((g) => `${g.group}: ${g.testRows}`).join("; ")}): too small to conclude anything, yet they can set the max − min differences and make the constrained methods give up accuracy for them\n`,
    );
  }
  if (options.save) {
    const dir = options.save;
    const files: [string, string][] = result.results.map((r) => [
      join(dir, `${r.method}.json`),
      documentText(methodDocument(result, r, input, VERSION)),
    ]);
    files.push([join(dir, "comparison.json"), comparison]);
    // Every target is checked before the first is written: none may be the input.
    const guard = { inputs: [file], option: "--save" };
    for (const [path] of files) checkNotAnInput(path, guard);
    await mkdir(dir, { recursive: true });
    for (const [path, content] of files) await writeAtomic(path, content, guard);
  }
  return { result, text };
}

/** Registers `fairkit mitigate`. */
export function registerMitigate(program: Command): void {
  const command = program
    .command("mitigate")
    .summary("train the baseline and each mitigation on a split; compare accuracy and disparity on the test rows")
    .description(
      `Trains a weighted L2 logistic regression (one-hot categoricals, standardised numerics, fitted on the training rows) and each mitigation on the same split, and prints test accuracy (Wilson interval) and the fairness criteria (bootstrap intervals). Randomised classifiers (ExponentiatedGradient) are scored exactly by their expected decisions.\n\nMethods: ${Object.entries(
        MITIGATION_METHODS,
      )
        .map(([k, v]) => `\n  ${k}: ${v.description}`)
        .join("")}\n\nExit codes: 0 ok, 2 usage or data error.`,
    )
    .argument("<FILE>", "the data (.csv, .tsv, .parquet, .json, .ndjson)")
    .option("--y-true <col>", "the outcome column to predict (0/1, true/false, or values named by --pos-label)")
    .option(
      "--pos-label <values>",
      "value(s) of the label meaning positive, comma-separated (default: the label is 0/1 or true/false)",
      collectList,
    )
    .option(
      "--sensitive <cols>",
      "sensitive column(s), comma-separated or repeated; groups are their intersections; not used as features",
      collectList,
    )
    .option("--features <cols>", "feature columns (default: every other column)", parseList)
    .option("--methods <list>", "comma-separated methods (the baseline always runs)", parseList, [
      "reweighing",
      "expgrad-dp",
      "expgrad-eo",
    ])
    .option("--test-fraction <f>", "share of rows in the test split", parseNumber("--test-fraction"), 0.3)
    .option("--no-shuffle", "no shuffling: the first rows train, the rest test")
    .option("--seed <n>", "seed of the split, resampling and bootstrap", parseCount("--seed"), 0)
    .option("--eps <d>", "bound of the reductions' constraints", parseNumber("--eps"), 0.01)
    .option(
      "--bootstrap <n>",
      "bootstrap replicates of the criteria intervals (0: none)",
      parseCount("--bootstrap"),
      200,
    );
  addFormatOption(command, OUTPUT_FORMATS, "table")
    .option(
      "-o, --output <file>",
      "write the comparison to this file (atomically) instead of stdout; its extension picks the format",
    )
    .option(
      "--save <dir>",
      "save each method's model, feature transform and weights as <dir>/<method>.json, and comparison.json",
    );
  addFileReadOptions(command)
    .option("--progress", "show progress on stderr even when it is not a terminal")
    .addHelpText(
      "after",
      `
Example (Adult, the issue's split: first 22,793 rows train):
  fairkit mitigate adult.data --no-header --columns age,workclass,fnlwgt,education,education-num,marital-status,occupation,relationship,race,sex,capital-gain,capital-loss,hours-per-week,native-country,income \\
    --y-true income --pos-label '>50K,>50K.' --sensitive sex --methods reweighing,expgrad-dp,expgrad-eo --no-shuffle --save models/`,
    )
    .action((file: string, options: MitigateCommandOptions) =>
      runCommand("mitigate", async () => {
        const { text } = await runMitigate(file, options);
        await writeOutput(text, options.output, { inputs: [file] });
      }),
    );
}
