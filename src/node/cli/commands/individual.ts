/**
 * `fairkit individual FILE --prediction decision [--score score] [--features …] [--sensitive race]`:
 * individual fairness on a file of decisions. The features are encoded as `fairkit mitigate`
 * encodes them (numeric columns standardised, categorical ones one-hot); then the consistency of
 * each row's decision with its k nearest neighbours' (Zemel et al. 2013) and a Lipschitz audit of
 * the scores over neighbour pairs (Dwork et al. 2012) under a weighted ℓ1/ℓ2 distance or one that
 * ignores the directions predicting the sensitive attribute. Gates for CI with `--fail-on`.
 */
import type { Command } from "commander";
import {
  type CellValue,
  consistency,
  type ConsistencyResult,
  documentText,
  fitTabular,
  individualDocument,
  type LipschitzMetric,
  type LipschitzResult,
  lipschitzAudit,
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
  parseChoice,
  parseCount,
  parseList,
  parseNumber,
  sourceOptionsOf,
} from "../options.js";
import { writeOutput } from "../output.js";
import {
  OUTPUT_FORMATS,
  type OutputFormat,
  type TextTable,
  formatNumber,
  renderCsv,
  renderMarkdown,
  renderText,
} from "../table.js";
import { inFile } from "../table-model.js";

/** The options of `fairkit individual`. */
export interface IndividualCommandOptions extends FileReadOptions {
  prediction?: string;
  predPosLabel?: string;
  score?: string;
  threshold?: number;
  features?: string[];
  exclude?: string[];
  sensitive?: string[];
  k: number;
  excludeSelf?: boolean;
  metric: "l1" | "l2" | "fair";
  featureWeight?: string[];
  lipschitz?: number;
  worst: number;
  failOn?: string[];
  format?: OutputFormat;
  output?: string;
}

const METRICS = ["l1", "l2", "fair"] as const;

/** A column of 0/1 decisions or scores in [0, 1], read from text or numbers; the message names the column and data row. */
function predictionColumn(
  values: readonly CellValue[],
  column: string,
  option: string,
  posLabel?: string,
): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (posLabel !== undefined) {
      out[i] = String(v ?? "").trim() === posLabel ? 1 : 0;
      continue;
    }
    const x =
      typeof v === "boolean"
        ? Number(v)
        : typeof v === "number"
          ? v
          : typeof v === "string" && v.trim() !== ""
            ? Number(v)
            : Number.NaN;
    if (!Number.isFinite(x))
      throw new UsageError(
        `column ${JSON.stringify(column)} (${option}) holds ${JSON.stringify(v)} at data row ${i + 1}: a number is needed${option === "--prediction" ? " (0/1, a score in [0, 1], or pass --pred-pos-label VALUE for text decisions)" : ""}`,
      );
    out[i] = x;
  }
  return out;
}

/** Gate values: consistency, lipschitz_constant, lipschitz_violation_rate, identical_treated_differently. */
export function individualGateValues(c: ConsistencyResult, l: LipschitzResult): Record<string, number | null> {
  const finite = (x: number | undefined) => (x !== undefined && Number.isFinite(x) ? x : null);
  return {
    consistency: finite(c.value),
    lipschitz_constant: finite(l.lipschitzConstant),
    lipschitz_violation_rate: finite(l.violations?.rate),
    identical_treated_differently: l.identicalTreatedDifferently,
  };
}

function summaryRows(c: ConsistencyResult, l: LipschitzResult, metric: string): TextTable {
  const rows: string[][] = [
    [
      "consistency",
      formatNumber(c.value),
      `k ${c.k}${c.includeSelf ? ", the row itself among them (at distance 0, after any duplicate with a lower row number)" : ", the row itself left out"}`,
    ],
    [
      "lipschitz_constant",
      formatNumber(l.lipschitzConstant),
      `largest finite |Δf| / d over ${l.pairs} neighbour pairs (${metric})`,
    ],
    ["ratio_median", formatNumber(l.quantiles.q50), "median |Δf| / d"],
    ["ratio_p99", formatNumber(l.quantiles.q99), "99th percentile"],
    [
      "identical_treated_differently",
      String(l.identicalTreatedDifferently),
      `pairs at distance 0 with different outputs (of ${l.identical} at distance 0)`,
    ],
  ];
  if (l.violations) {
    rows.push([
      "lipschitz_violation_rate",
      `${formatNumber(l.violations.rate)} [${formatNumber(l.violations.interval[0])}, ${formatNumber(l.violations.interval[1])}]`,
      `pairs with |Δf| > ${l.L}·d (${l.violations.violations}), Wilson interval`,
    ]);
  }
  return { headers: ["measure", "value", "meaning"], rows };
}

function groupRows(c: ConsistencyResult, l: LipschitzResult): TextTable | undefined {
  if (!c.groups) return undefined;
  const byKey = new Map((l.groups ?? []).map((g) => [g.group.key, g]));
  return {
    headers: [
      "group",
      "rows",
      "consistency",
      "interval",
      "pairs",
      "lipschitz_constant",
      ...(l.violations ? ["violation_rate"] : []),
    ],
    rows: c.groups.map((g) => {
      const p = byKey.get(g.group.key);
      return [
        g.group.key,
        String(g.n),
        formatNumber(g.consistency),
        // The bootstrap interval is of the inconsistency; the consistency's is its mirror image.
        `[${formatNumber(1 - g.interval[1])}, ${formatNumber(1 - g.interval[0])}]`,
        String(p?.pairs ?? 0),
        formatNumber(p?.lipschitzConstant),
        ...(l.violations ? [formatNumber(p?.violations?.rate)] : []),
      ];
    }),
  };
}

/** Runs `fairkit individual` (without process concerns). */
export async function runIndividual(
  file: string,
  options: IndividualCommandOptions,
): Promise<{ consistency: ConsistencyResult; lipschitz: LipschitzResult; text: string; failures: string | undefined }> {
  const format = outputFormat(OUTPUT_FORMATS, options.format, options.output, "table");
  if (!options.prediction && !(options.score && options.threshold !== undefined))
    throw new UsageError(
      "name the decisions: --prediction COL (0/1), or --score COL with --threshold T (score >= T is positive)",
    );
  if (options.prediction && options.threshold !== undefined)
    throw new UsageError("--threshold makes decisions from --score: give it or --prediction, not both");
  if (!(options.k >= 1)) throw new UsageError(`--k must be a positive integer; got ${options.k}`);
  if (options.lipschitz !== undefined && !(options.lipschitz >= 0))
    throw new UsageError(`--lipschitz must be a number >= 0; got ${options.lipschitz}`);
  const sensitive = options.sensitive ?? [];
  if (options.metric === "fair" && sensitive.length === 0)
    throw new UsageError("--metric fair needs --sensitive: the attribute whose directions the distance ignores");
  const gates = (options.failOn ?? []).map(parseGate);
  const score = (options.score ?? options.prediction) as string;
  const prediction = options.prediction ?? `${score} >= ${options.threshold}`;
  const table = await readTable(file, {
    ...sourceOptionsOf(options),
    textColumns: [
      ...sensitive,
      ...(options.predPosLabel !== undefined && options.prediction ? [options.prediction] : []),
    ],
    required: [
      ...(options.prediction ? [{ option: "--prediction", column: options.prediction }] : []),
      ...(options.score ? [{ option: "--score", column: options.score }] : []),
      ...sensitive.map((column) => ({ option: "--sensitive", column })),
      ...(options.features ?? []).map((column) => ({ option: "--features", column })),
    ],
  });
  const roles = new Set([
    score,
    ...(options.prediction ? [options.prediction] : []),
    ...sensitive,
    ...(options.exclude ?? []),
  ]);
  const features = options.features ?? Object.keys(table).filter((c) => !roles.has(c));
  if (features.length === 0) throw new UsageError("no feature columns left: name them with --features");
  for (const f of features) {
    if (sensitive.includes(f))
      throw new UsageError(`--features ${f} is also --sensitive: the distance between people leaves the attribute out`);
  }
  const weights = new Map<string, number>();
  for (const w of options.featureWeight ?? []) {
    const eq = w.indexOf("=");
    const x = Number(w.slice(eq + 1));
    if (eq <= 0 || !(x >= 0) || !Number.isFinite(x))
      throw new UsageError(
        `--feature-weight ${JSON.stringify(w)} is not COLUMN=WEIGHT with a weight >= 0 (e.g. age=2)`,
      );
    const column = w.slice(0, eq).trim();
    if (!features.includes(column))
      throw new UsageError(`--feature-weight ${column}: not one of the features (${features.join(", ")})`);
    weights.set(column, x);
  }
  if (weights.size > 0 && options.metric === "fair")
    throw new UsageError("--feature-weight weighs the l1 or l2 distance; --metric fair learns its own directions");
  let c: ConsistencyResult;
  let l: LipschitzResult;
  const prep = fitTabular(table, { columns: features });
  try {
    const X = prep.transform(table);
    const scores = options.score ? predictionColumn(table[options.score], options.score, "--score") : undefined;
    const yPred = options.prediction
      ? predictionColumn(table[options.prediction], options.prediction, "--prediction", options.predPosLabel)
      : (scores as Float64Array).map((x) => (x >= (options.threshold as number) ? 1 : 0));
    const groups = sensitive.length > 0 ? Object.fromEntries(sensitive.map((s) => [s, table[s]])) : undefined;
    c = consistency({
      X,
      yPred,
      k: options.k,
      includeSelf: !options.excludeSelf,
      sensitiveFeatures: groups,
      worst: options.worst,
    });
    const columnWeights =
      weights.size === 0
        ? undefined
        : prep.encodings.flatMap((e) => {
            const w = weights.get(e.name) ?? 1;
            return e.kind === "numeric" ? [w] : e.levels.map(() => w);
          });
    const metric: LipschitzMetric =
      options.metric === "fair"
        ? { kind: "fair", sensitive: groups as NonNullable<typeof groups> }
        : { kind: "weighted", p: options.metric === "l1" ? 1 : 2, weights: columnWeights };
    l = lipschitzAudit({
      X,
      scores: scores ?? yPred,
      metric,
      k: options.k,
      L: options.lipschitz,
      worst: options.worst,
      sensitiveFeatures: groups,
    });
  } catch (error) {
    throw inFile(file, error, options.where);
  }
  const doc = individualDocument(c, l, {
    source: file,
    version: VERSION,
    features,
    encodedFeatures: prep.featureNames.length,
    prediction,
    output: score,
    lipschitzMetric: options.metric,
    consistencyMetric: "euclidean",
    values: (i) => Object.fromEntries(features.map((f) => [f, table[f][i]])),
  });
  const summary = summaryRows(c, l, options.metric);
  const groups = groupRows(c, l);
  let text: string;
  if (format === "json") text = documentText(doc);
  else if (format === "markdown")
    text = [renderMarkdown(summary), ...(groups ? [renderMarkdown(groups)] : [])].join("\n");
  else if (format === "csv") text = renderCsv(summary);
  else {
    const worst = l.worst
      .slice(0, options.worst)
      .map((p) => {
        const diff = features.filter((f) => String(table[f][p.a]) !== String(table[f][p.b]));
        const shown =
          diff.length === 0
            ? "identical in every feature"
            : `they differ in ${diff.map((f) => `${f} ${String(table[f][p.a])}/${String(table[f][p.b])}`).join(", ")}`;
        return `  data rows ${p.a + 1} and ${p.b + 1}: ${score} ${formatNumber(Number(table[score][p.a]))} vs ${formatNumber(Number(table[score][p.b]))}, distance ${formatNumber(p.distance)}; ${shown}`;
      })
      .join("\n");
    text = [
      `fairkit individual: ${file}, ${c.n} rows, ${features.length} features (${prep.featureNames.length} after one-hot encoding; numeric ones standardised)${l.directions ? `; the distance ignores ${l.directions.length} direction(s) predicting ${sensitive.join(", ")}` : ""}`,
      renderText(summary),
      ...(groups ? [renderText(groups)] : []),
      `pairs treated most differently for their distance${options.where ? " (data rows counted among the rows that pass --where)" : ""}:\n${worst}`,
    ].join("\n");
  }
  for (const w of l.warnings) process.stderr.write(`fairkit individual: warning: ${w}\n`);
  const results = checkGates(gates, individualGateValues(c, l));
  const failed = results.filter((r) => r.failed);
  return { consistency: c, lipschitz: l, text, failures: failed.length > 0 ? describeFailures(failed) : undefined };
}

/** Registers `fairkit individual`. */
export function registerIndividual(program: Command): void {
  const command = program
    .command("individual")
    .summary("individual fairness: consistency with nearest neighbours, and a Lipschitz audit of the scores")
    .description(
      "Encodes the features as fairkit mitigate does (numeric columns standardised, categorical ones one-hot), then measures the consistency of each row's decision with its k nearest neighbours' (Zemel et al. 2013: 1 − mean |ŷ − neighbours' mean ŷ|; exact neighbours, ties broken by the lower row) and audits |Δf| / d over every neighbour pair (Dwork et al. 2012): its quantiles, the largest finite ratio, identical people treated differently, and the share of pairs above --lipschitz L. With --sensitive, both by group. --metric fair measures distance with the directions that predict the sensitive attribute projected out.\n\nExit codes: 0 ok, 1 a --fail-on gate failed, 2 usage or data error.",
    )
    .argument("<FILE>", "the rows (.csv, .tsv, .parquet, .json, .ndjson)")
    .option("--prediction <col>", "the decisions (0/1, or scores in [0, 1]) whose consistency is measured")
    .option("--pred-pos-label <value>", "the text value of --prediction meaning positive")
    .option("--score <col>", "the output audited for Lipschitz continuity (default: --prediction)")
    .option("--threshold <t>", "decisions are --score >= t (instead of --prediction)", parseNumber("--threshold"))
    .option("--features <cols>", "the columns the distance reads (default: every other column)", parseList)
    .option("--exclude <cols>", "columns that are not features (ids, labels)", collectList)
    .option("--sensitive <cols>", "break both measures down by these columns (not features)", collectList)
    .option("--k <n>", "neighbours per row", parseCount("--k"), 5)
    .option("--exclude-self", "do not count a row as its own neighbour (AIF360 counts it)")
    .option("--metric <m>", "the Lipschitz distance: l2, l1, or fair", parseChoice("--metric", METRICS), "l2")
    .option("--feature-weight <col=w>", "weight of a feature in the l1/l2 distance (repeatable; default 1)", collect)
    .option("--lipschitz <L>", "the constant to test: a pair violates it when |Δf| > L·d", parseNumber("--lipschitz"))
    .option("--worst <n>", "how many of the worst rows and pairs to show", parseCount("--worst"), 5)
    .option(
      "--fail-on <gate>",
      'exit 1 when a gate holds, e.g. "consistency<0.9", "lipschitz_violation_rate>0.05", "identical_treated_differently>0" (repeatable)',
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
Example (COMPAS: are people with similar records given the same risk label?):
  fairkit individual compas-scores-two-years.csv --score decile_score --threshold 5 \\
    --features age,priors_count,juv_fel_count,juv_misd_count,c_charge_degree,sex --sensitive race --lipschitz 1 \\
    --where "days_b_screening_arrest BETWEEN -30 AND 30 AND is_recid != -1 AND c_charge_degree != 'O' AND score_text != 'N/A'"`,
    )
    .action((file: string, options: IndividualCommandOptions) =>
      runCommand("individual", async () => {
        const { text, failures } = await runIndividual(file, options);
        await writeOutput(text, options.output, { inputs: [file] });
        if (failures) throw new GateFailedError(failures);
      }),
    );
}
