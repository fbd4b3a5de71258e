/**
 * `fairkit counterfactual FILE --scm law.scm --target ZFYA --sensitive race,sex`: the
 * counterfactual-fairness study of Kusner et al. 2017 on any declared linear structural causal
 * model. Fits the model on a seeded training split, prints its equations and the path-specific
 * effects of each protected attribute on the target, and compares the predictors (full, unaware,
 * fair-add, latent, paths) by test RMSE and by how much each row's prediction changes in its
 * counterfactual. `--model FILE` or `--model-command CMD` adds a model of one's own to the test.
 */
import type { Command } from "commander";
import {
  type CounterfactualResult,
  documentText,
  FairkitError,
  PREDICTOR_KINDS,
  type PredictorKind,
  type ScmDeclaration,
  type StudyResult,
  counterfactualStudy,
  parsePath,
  parseScm,
  scmFromJSON,
  scmText,
  studyDocument,
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
import { readOptionFile } from "../input-file.js";
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
import { type CommandModel, inFile, modelOf } from "../table-model.js";

/** The options of `fairkit counterfactual`. */
export interface CounterfactualCommandOptions extends FileReadOptions {
  scm?: string;
  target?: string;
  sensitive?: string[];
  predictors?: string[];
  unfairPath?: string[];
  reference?: string[];
  model?: string;
  modelCommand?: string;
  modelPredictsTarget?: boolean;
  testFraction: number;
  seed: number;
  failOn?: string[];
  format?: OutputFormat;
  output?: string;
}

/** Reads a model declaration: JSON (`fairkit.scm`) when the file parses as JSON, else the text syntax. */
export async function readScm(path: string): Promise<ScmDeclaration> {
  const text = await readOptionFile(path, "--scm");
  try {
    return text.trimStart().startsWith("{") ? scmFromJSON(JSON.parse(text), path) : parseScm(text, path);
  } catch (error) {
    if (error instanceof SyntaxError)
      throw new FairkitError("BAD_FILE", `--scm ${path}: not JSON (${error.message})`, { file: path });
    if (error instanceof FairkitError)
      throw new FairkitError("BAD_FILE", `--scm ${error.message}`, { ...error.location, file: path });
    throw error;
  }
}

/** The gate name of a predictor: `fair-add` → `fair_add`. */
function gateName(name: string): string {
  return name.replace(/[^A-Za-z0-9_]/g, "_");
}

/** Gate values: `rmse.NAME` and `max_abs_mean_change.NAME` for each predictor (and `model`). */
export function studyGateValues(study: StudyResult): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const p of study.predictors) {
    out[`rmse.${gateName(p.name)}`] = Number.isFinite(p.rmse) ? p.rmse : null;
    out[`max_abs_mean_change.${gateName(p.name)}`] = p.maxAbsMeanChange;
  }
  return out;
}

function worstPair(result: CounterfactualResult): string {
  if (result.worst === null) return "NaN";
  const p = result.pairs.find((q) => q.from === result.worst?.from && q.to === result.worst?.to);
  if (!p) return "NaN";
  if (Math.abs(p.meanChange) < 1e-12 && Math.abs(p.quantiles.min) < 1e-12 && Math.abs(p.quantiles.max) < 1e-12)
    return "0 (every row, every pair)";
  return `${formatSigned(p.meanChange)} [${formatSigned(p.meanInterval[0])}, ${formatSigned(p.meanInterval[1])}] (${p.from} → ${p.to})`;
}

/** The predictors as a table: test RMSE, then per attribute the largest mean counterfactual change. */
export function studyTable(study: StudyResult): TextTable {
  return {
    headers: ["predictor", "test_rmse", ...study.sensitive.map((s) => `largest_mean_change_${s}`)],
    rows: study.predictors.map((p) => [p.name, formatNumber(p.rmse), ...p.counterfactual.map(worstPair)]),
  };
}

function effectsText(study: StudyResult): string {
  const lines: string[] = [];
  for (const e of study.effects) {
    const parts = e.paths.map((p) => `${p.path.join("→")} ${formatSigned(p.effect)}`).join(", ");
    lines.push(`  ${e.from} ${e.reference} → ${e.level}: total ${formatSigned(e.total)} (${parts})`);
  }
  return lines.join("\n");
}

function equationsText(study: StudyResult): string {
  return [...study.scm.equations.values()]
    .map((e) => {
      const terms = e.terms.map((t, k) => `${formatSigned(e.coef[k])}·${t}`);
      const latent = Object.entries(e.loadings).map(([l, v]) => `${formatSigned(v)}·${l}`);
      return `  ${e.node} = ${formatNumber(e.intercept)} ${[...terms, ...latent].join(" ")} + U (σ ${formatNumber(e.sd)}, R² ${formatNumber(e.rSquared)})`;
    })
    .join("\n");
}

/** Runs `fairkit counterfactual` (without process concerns). */
export async function runCounterfactual(
  file: string,
  options: CounterfactualCommandOptions,
): Promise<{ study: StudyResult; text: string; failures: string | undefined }> {
  const format = outputFormat(OUTPUT_FORMATS, options.format, options.output, "table");
  if (!options.scm) throw new UsageError("--scm FILE is required: the causal model (see docs/individual.md)");
  if (!options.target) throw new UsageError("--target is required: the numeric node to predict");
  const sensitive = options.sensitive ?? [];
  if (sensitive.length === 0) throw new UsageError("--sensitive is required: the protected attribute(s)");
  for (const p of options.predictors ?? []) {
    if (!(PREDICTOR_KINDS as readonly string[]).includes(p))
      throw new UsageError(
        `--predictors: unknown predictor ${JSON.stringify(p)}; known: ${PREDICTOR_KINDS.join(", ")}`,
      );
  }
  if ((options.predictors ?? []).includes("paths") && (options.unfairPath ?? []).length === 0)
    throw new UsageError("--predictors paths needs --unfair-path (e.g. --unfair-path 'race->ZFYA')");
  if ((options.unfairPath ?? []).length > 0 && options.predictors && !options.predictors.includes("paths"))
    throw new UsageError(
      "--unfair-path is for the paths predictor: add paths to --predictors (or leave --predictors out)",
    );
  if (!(options.testFraction > 0 && options.testFraction < 1))
    throw new UsageError(`--test-fraction must be between 0 and 1; got ${options.testFraction}`);
  const reference: Record<string, string> = {};
  for (const r of options.reference ?? []) {
    const eq = r.indexOf("=");
    if (eq <= 0) throw new UsageError(`--reference ${JSON.stringify(r)} is not ATTRIBUTE=LEVEL (e.g. race=White)`);
    const attribute = r.slice(0, eq).trim();
    if (!sensitive.includes(attribute))
      throw new UsageError(`--reference ${attribute}: not one of the --sensitive attributes (${sensitive.join(", ")})`);
    reference[attribute] = r.slice(eq + 1).trim();
  }
  const gates = (options.failOn ?? []).map(parseGate);
  const declaration = await readScm(options.scm);
  let model: CommandModel | undefined;
  if (options.model !== undefined || options.modelCommand !== undefined) model = await modelOf(options);
  const observed = declaration.nodes.filter((n) => n.kind !== "latent").map((n) => n.name);
  const table = await readTable(file, {
    ...sourceOptionsOf(options),
    required: observed.map((column) => ({ option: "--scm", column })),
  });
  let study: StudyResult;
  try {
    study = await counterfactualStudy({
      model: declaration,
      table,
      target: options.target,
      sensitive,
      predictors: options.predictors as PredictorKind[] | undefined,
      unfairPaths: (options.unfairPath ?? []).map(parsePath),
      reference,
      models: model ? { model: model.predict } : undefined,
      modelsPredictTarget: options.modelPredictsTarget === true,
      testFraction: options.testFraction,
      seed: options.seed,
    });
  } catch (error) {
    throw inFile(file, error, options.where);
  }
  const doc = studyDocument(study, { source: file, version: VERSION });
  const t = studyTable(study);
  const text =
    format === "json"
      ? documentText(doc)
      : format === "markdown"
        ? renderMarkdown(t)
        : format === "csv"
          ? renderCsv(t)
          : [
              `fairkit counterfactual: ${file}, ${study.trainRows} train / ${study.testRows} test rows (seed ${study.seed}); target ${study.target} (test SD ${formatNumber(study.targetSd)}); protected ${sensitive.join(", ")}${model ? `; model ${model.description}` : ""}`,
              `model (fitted on the training rows${study.scm.iterations > 0 ? `, EM ${study.scm.iterations} iterations` : ""}):`,
              scmText(study.scm.declaration)
                .trim()
                .split("\n")
                .map((l) => `  ${l}`)
                .join("\n"),
              "equations:",
              equationsText(study),
              `path-specific effects on ${study.target} (product of the edge coefficients along each path):`,
              effectsText(study),
              renderText(t),
              `largest_mean_change: the mean over test rows of prediction(counterfactual) − prediction, for the pair of levels where it is largest, with a ${Math.round((study.predictors[0]?.counterfactual[0]?.level ?? 0.95) * 100)}% normal interval; 0 for every row means counterfactually fair under this model. The counterfactuals are only as right as the model: docs/individual.md says what it assumes.`,
            ].join("\n");
  const results = checkGates(gates, studyGateValues(study));
  const failed = results.filter((r) => r.failed);
  return { study, text, failures: failed.length > 0 ? describeFailures(failed) : undefined };
}

/** Registers `fairkit counterfactual`. */
export function registerCounterfactual(program: Command): void {
  const command = program
    .command("counterfactual")
    .summary("counterfactual fairness with a causal model: predictors compared by error and counterfactual change")
    .description(
      `Fits a linear structural causal model (--scm FILE, the text syntax of docs/individual.md or its JSON) on a seeded training split, prints its equations and the path-specific effects of each protected attribute on the target, and compares predictors of the target on the test rows by RMSE and by the change of each row's prediction in its counterfactual (abduction, action, prediction).\n\nPredictors: full (every feature), unaware (no protected attribute), fair-add (residuals of the protected attributes' descendants: Kusner et al.'s Fair Add), latent (the posterior mean of the latent nodes), paths (the target's equation with the --unfair-path effects removed). --model FILE or --model-command CMD tests a model of your own as well.\n\nExit codes: 0 ok, 1 a --fail-on gate failed, 2 usage or data error.`,
    )
    .argument("<FILE>", "the rows (.csv, .tsv, .parquet, .json, .ndjson)")
    .option("--scm <file>", "the causal model: lines like `race: categorical` and `LSAT <- race + sex`")
    .option("--target <node>", "the numeric node to predict")
    .option("--sensitive <cols>", "the protected attribute(s): categorical roots of the model", collectList)
    .option(
      "--predictors <list>",
      `predictors to compare (default: those the model allows): ${PREDICTOR_KINDS.join(", ")}`,
      collectList,
    )
    .option("--unfair-path <path>", "a path declared unfair, e.g. 'race->ZFYA' (repeatable; enables paths)", collect)
    .option(
      "--reference <attr=level>",
      "reference level of an attribute for path effects (default its most frequent level)",
      collect,
    )
    .option("--model <file>", "also test a model saved by fairkit mitigate --save DIR")
    .option("--model-command <cmd>", "also test a program reading CSV rows on stdin and writing one score per line")
    .option("--model-predicts-target", "the --model predicts the target: report its test RMSE too")
    .option("--test-fraction <f>", "share of rows held out for testing", parseNumber("--test-fraction"), 0.2)
    .option("--seed <n>", "seed of the split", parseCount("--seed"), 0)
    .option(
      "--fail-on <gate>",
      'exit 1 when a gate holds, e.g. "max_abs_mean_change.fair_add>1e-9" or "rmse.full>0.9" (repeatable)',
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
Example (the law-school data of Kusner et al. 2017; law.scm holds the model):
  fairkit data law
  fairkit counterfactual ~/.cache/fairkit/law_data.csv --where "region_first != 'PO'" --scm law.scm --target ZFYA --sensitive race,sex`,
    )
    .action((file: string, options: CounterfactualCommandOptions) =>
      runCommand("counterfactual", async () => {
        const { text, failures } = await runCounterfactual(file, options);
        await writeOutput(text, options.output, { inputs: [file, options.scm, options.model] });
        if (failures) throw new GateFailedError(failures);
      }),
    );
}
