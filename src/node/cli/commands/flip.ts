/**
 * `fairkit flip FILE --sensitive sex --model models/baseline.json [--swap relationship=Husband:Wife]`:
 * the counterfactual flip test. Each row is scored as it is and with its protected attribute set
 * to each other level (declared proxies swapped or resampled, every other column unchanged); the
 * output gives, per pair of levels, the share of changed decisions and the score change, with
 * intervals. `--fail-on "max_changed_decisions>0.01"` gates CI.
 */
import type { Command } from "commander";
import {
  type CounterfactualResult,
  documentText,
  counterfactualDocument,
  flipTest,
  type ProxySpec,
} from "fairkit/internal";
import { readTable } from "../../io/read-table.js";
import { VERSION } from "../../version.js";
import { GateFailedError, runCommand, UsageError } from "../exit.js";
import { checkGates, describeFailures, parseGate } from "../fail-on.js";
import {
  addFileReadOptions,
  addFormatOption,
  collect,
  collectList,
  type FileReadOptions,
  outputFormat,
  parseCount,
  parseNumber,
  sourceOptionsOf,
} from "../options.js";
import { writeOutput } from "../output.js";
import {
  OUTPUT_FORMATS,
  type OutputFormat,
  type TextTable,
  formatNumber,
  formatSigned,
  renderCsv,
  renderMarkdown,
  renderText,
} from "../table.js";
import { inFile, modelOf } from "../table-model.js";

/** The options of `fairkit flip`. */
export interface FlipCommandOptions extends FileReadOptions {
  sensitive?: string[];
  model?: string;
  modelCommand?: string;
  swap?: string[];
  resample?: string[];
  to?: string[];
  threshold: number;
  seed: number;
  failOn?: string[];
  format?: OutputFormat;
  output?: string;
}

/** Parses the `--swap COLUMN=A:B` options into proxy specs (several pairs per column allowed). */
export function parseSwaps(swaps: readonly string[], resample: readonly string[]): Record<string, ProxySpec> {
  const out: Record<string, { swap: [string, string][] } | "resample"> = {};
  for (const s of swaps) {
    const eq = s.indexOf("=");
    const colon = s.indexOf(":", eq + 1);
    if (eq <= 0 || colon < 0 || colon === eq + 1 || colon === s.length - 1)
      throw new UsageError(`--swap ${JSON.stringify(s)} is not COLUMN=VALUE:VALUE (e.g. relationship=Husband:Wife)`);
    const column = s.slice(0, eq).trim();
    const entry = out[column];
    if (entry === "resample") throw new UsageError(`--swap ${column} and --resample ${column}: choose one`);
    const pair: [string, string] = [s.slice(eq + 1, colon).trim(), s.slice(colon + 1).trim()];
    if (entry) entry.swap.push(pair);
    else out[column] = { swap: [pair] };
  }
  for (const column of resample) {
    if (out[column] !== undefined) throw new UsageError(`--swap ${column} and --resample ${column}: choose one`);
    out[column] = "resample";
  }
  return out;
}

/** The result as a text table: one row per (from, to) pair. */
export function counterfactualTable(result: CounterfactualResult): TextTable {
  return {
    headers: [
      "from",
      "to",
      "rows",
      "changed_decisions",
      "became_positive",
      "became_negative",
      "mean_change",
      "p05_change",
      "p95_change",
    ],
    rows: result.pairs.map((p) => [
      p.from,
      p.to,
      String(p.rows),
      `${formatNumber(p.changedDecisions)} [${formatNumber(p.changedInterval[0])}, ${formatNumber(p.changedInterval[1])}]`,
      formatNumber(p.becamePositive),
      formatNumber(p.becameNegative),
      `${formatSigned(p.meanChange)} [${formatSigned(p.meanInterval[0])}, ${formatSigned(p.meanInterval[1])}]`,
      formatSigned(p.quantiles.p05),
      formatSigned(p.quantiles.p95),
    ]),
  };
}

/** The gate values of a test: `max_changed_decisions` and `max_abs_mean_change`. */
export function counterfactualGateValues(result: CounterfactualResult): Record<string, number | null> {
  const finite = (x: number) => (Number.isFinite(x) ? x : null);
  return {
    max_changed_decisions: finite(result.maxChangedDecisions),
    max_abs_mean_change: result.worst === null ? null : Math.abs(result.worst.meanChange),
  };
}

/** Runs `fairkit flip` (without process concerns): the result, the text to print, and the gates' failures. */
export async function runFlip(
  file: string,
  options: FlipCommandOptions,
): Promise<{ result: CounterfactualResult; text: string; failures: string | undefined }> {
  const format = outputFormat(OUTPUT_FORMATS, options.format, options.output, "table");
  const sensitive = options.sensitive ?? [];
  if (sensitive.length !== 1)
    throw new UsageError("--sensitive names the one column to flip (run once per attribute for several)");
  const gates = (options.failOn ?? []).map(parseGate);
  const proxies = parseSwaps(options.swap ?? [], options.resample ?? []);
  const model = await modelOf(options);
  const attribute = sensitive[0];
  const table = await readTable(file, {
    ...sourceOptionsOf(options),
    textColumns: [attribute, ...Object.keys(proxies)],
    required: [
      { option: "--sensitive", column: attribute },
      ...Object.keys(proxies).map((column) => ({ option: "--swap/--resample", column })),
    ],
  });
  let result: CounterfactualResult;
  try {
    result = await flipTest({
      table,
      attribute,
      predict: model.predict,
      decide: model.decide,
      threshold: options.threshold,
      proxies,
      to: options.to,
      seed: options.seed,
    });
  } catch (error) {
    throw inFile(file, error, options.where);
  }
  const doc = counterfactualDocument(result, { source: file, model: model.description, version: VERSION });
  const t = counterfactualTable(result);
  const text =
    format === "json"
      ? documentText(doc)
      : format === "markdown"
        ? renderMarkdown(t)
        : format === "csv"
          ? renderCsv(t)
          : `fairkit flip: ${file}, ${result.rows} rows, ${attribute} set to each other level${result.proxies && result.proxies.length > 0 ? ` (proxies changed with it: ${result.proxies.join(", ")})` : ""}; model ${model.description}\n${renderText(t)}\n${Math.round(result.level * 100)}% intervals: changed decisions Wilson, mean change normal; a decision is ${model.decide ? "the model's own" : `score >= ${result.threshold}`}. Other columns are unchanged: features caused by ${attribute} keep their actual values (use fairkit counterfactual with a causal model for that).`;
  const results = checkGates(gates, counterfactualGateValues(result));
  const failed = results.filter((r) => r.failed);
  return { result, text, failures: failed.length > 0 ? describeFailures(failed) : undefined };
}

/** Registers `fairkit flip`. */
export function registerFlip(program: Command): void {
  const command = program
    .command("flip")
    .summary("counterfactual flip test: does a model's decision change when only the protected attribute does?")
    .description(
      "Scores every row as it is and with its protected attribute set to each other level (declared proxies swapped or resampled; every other column unchanged), and reports per pair of levels the share of changed decisions (Wilson interval), the shares that became positive and negative, and the score change (mean with a normal interval, 5% and 95% quantiles).\n\nThe model: --model FILE, saved by `fairkit mitigate --save DIR`, or --model-command CMD, run through the shell with the rows as CSV on stdin (header, every column), writing one score per line.\n\nExit codes: 0 ok, 1 a --fail-on gate failed, 2 usage or data error.",
    )
    .argument("<FILE>", "the rows (.csv, .tsv, .parquet, .json, .ndjson)")
    .option("--sensitive <col>", "the protected attribute to flip", collectList)
    .option("--model <file>", "a model saved by fairkit mitigate --save DIR (DIR/METHOD.json)")
    .option("--model-command <cmd>", "a program reading CSV rows on stdin and writing one score per line")
    .option("--swap <col=a:b>", "a proxy changed with the attribute: swap values a and b (repeatable)", collect)
    .option(
      "--resample <cols>",
      "proxies drawn (jointly) from a random row of the target group, seeded by --seed",
      collectList,
    )
    .option("--to <levels>", "only these target levels (default every other level)", collectList)
    .option(
      "--threshold <t>",
      "score >= t is a positive decision (a saved model decides itself)",
      parseNumber("--threshold"),
      0.5,
    )
    .option("--seed <n>", "seed of --resample", parseCount("--seed"), 0)
    .option(
      "--fail-on <gate>",
      'exit 1 when a gate holds, e.g. "max_changed_decisions>0.01" or "max_abs_mean_change>0.05" (repeatable)',
      collect,
    );
  addFormatOption(command, OUTPUT_FORMATS, "table").option(
    "-o, --output <file>",
    "write to this file (atomically) instead of stdout; its extension picks the format",
  );
  addFileReadOptions(command)
    .addHelpText(
      "after",
      `
Example (Adult: does the baseline's decision depend on sex, with relationship swapped too?):
  fairkit mitigate adult.csv --y-true income --pos-label '>50K' --sensitive sex --methods reweighing --save models/
  fairkit flip adult.csv --sensitive sex --model models/baseline.json --swap relationship=Husband:Wife`,
    )
    .action((file: string, options: FlipCommandOptions) =>
      runCommand("flip", async () => {
        const { text, failures } = await runFlip(file, options);
        await writeOutput(text, options.output, { inputs: [file, options.model] });
        if (failures) throw new GateFailedError(failures);
      }),
    );
}
