/**
 * `fairkit report FILE -o report.html|.md|.json`: the audit of `fairkit audit` plus the model
 * card, the datasheet facts, the NYC LL144 and EEOC four-fifths tables, the EU AI Act test log,
 * the bias sources and the subgroup search, in one self-contained file a compliance team can
 * keep. The audit part is `auditFile` itself (so its numbers equal `fairkit audit --format json`
 * on the same file and columns); the rows for the rest are read with the same DuckDB readers.
 * `--task regression|multiclass` hands over to report-task.ts. `--ll144-summary FILE` also writes
 * the one-page NYC LL144 summary of results (.html or .md) of either report, checked before any
 * work is done and written before the report.
 */
import { stat } from "node:fs/promises";
import { basename, extname, resolve } from "node:path";
import type { Command } from "commander";
import {
  buildReportData,
  type CellValue,
  type CategoricalColumn,
  consistency,
  fitTabular,
  lipschitzAudit,
  type ReportDataInput,
  DEFAULT_AUDIT_METRICS,
  DEFAULTS,
  gateValues,
  multiclassGateValues,
  regressionGateValues,
  type Level,
  renderHtml,
  renderJson,
  renderLL144SummaryHtml,
  renderLL144SummaryMarkdown,
  type LL144SummaryPage,
  renderMarkdown,
  type ReportData,
  VERSION,
} from "fairkit/internal";
import { isDatabaseAddress, connect } from "../../db/connect.js";
import { openRelation, readDatabaseCounts } from "../../db/audit-database.js";
import { readDatabaseRows, relationProfiles } from "../../db/read-database-rows.js";
import { auditFile, auditFromCounts, auditInput } from "../../io/audit-file.js";
import { numericExpression, plainText, textColumnsOf, valueExpression } from "../../io/columns.js";
import { withDuckDB } from "../../io/duckdb.js";
import { readCounts } from "../../io/read-counts.js";
import { readRows } from "../../io/read-rows.js";
import { cellExpression, plainCell } from "../../io/read-table.js";
import { filteredFrom, openSource, requireColumns, runChecked, sourceError } from "../../io/source.js";
import { DEMO_COLUMNS, DEMO_HELP, demoAudit, demoOrFile, demoRows, demoSha256, refuseFileOptions } from "../demo.js";
import { GateFailedError, runCommand, UsageError } from "../exit.js";
import { columnProfilesOf, ll144Columns, provenanceOf, readCardFile, sha256File } from "../report-inputs.js";
import { type ReportTask, renderTaskReport, reportTaskFile } from "./report-task.js";
import { checkGates, describeFailures, parseGate } from "../fail-on.js";
import {
  addColumnRoleOptions,
  addFileReadOptions,
  addFormatOption,
  addToleranceOptions,
  binaryRolesOf,
  collect,
  collectList,
  outputFormat,
  parseChoice,
  parseCount,
  parseList,
  parseNumber,
  sourceOptionsOf,
  type ColumnRoleOptions,
} from "../options.js";
import { inFile } from "../table-model.js";
import { checkNotAnInput, writeOutput } from "../output.js";
import { createProgress } from "../progress.js";

/** Report formats. */
export const REPORT_FORMATS = ["html", "markdown", "json"] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** The options of `fairkit report`, as commander parses them. */
export interface ReportCommandOptions extends ColumnRoleOptions {
  /** With a database address as FILE: the table or the query. */
  table?: string;
  query?: string;
  /** `binary` (default), `regression` or `multiclass`. */
  task?: "binary" | ReportTask;
  level: number;
  minGroupSize: number;
  includeSmallGroups?: boolean;
  maxDifference: number;
  minRatio: number;
  output?: string;
  format?: ReportFormat;
  card?: string;
  title?: string;
  ll144Sex?: string;
  ll144Race?: string;
  /** Also write the one-page NYC LL144 summary of results here (.html or .md). */
  ll144Summary?: string;
  attributes?: string[];
  subgroupMetric: string;
  maxDepth: number;
  minSupport?: number;
  alpha: number;
  top: number;
  individualFeatures?: string[];
  individualK: number;
  lipschitz?: number;
  failOn?: string[];
  progress?: boolean;
}

/** The subgroup search's options, from the command's. */
function subgroupOptions(options: ReportCommandOptions): ReportDataInput["subgroups"] {
  return {
    metric: options.subgroupMetric,
    maxDepth: options.maxDepth,
    minSupport: options.minSupport,
    alpha: options.alpha,
    top: options.top,
  };
}

/**
 * The report's individual-fairness section: the features (read with the rows, in their order), encoded as
 * `fairkit individual` encodes them, then consistency of the decisions and a Lipschitz audit of the
 * scores (of the decisions without a score), both broken down by the sensitive columns.
 */
function individualOf(
  path: string,
  options: ReportCommandOptions,
  picked: Record<string, CellValue[]>,
  yPred: Uint8Array,
  scores: Float64Array | undefined,
  sensitiveFeatures: Readonly<Record<string, CategoricalColumn>>,
  sampleWeight: Float64Array | undefined,
): NonNullable<Parameters<typeof buildReportData>[0]["individual"]> {
  const features = Object.keys(picked);
  for (const f of features) {
    if ((options.sensitive ?? []).includes(f))
      throw new UsageError(
        `--individual-features ${f} is also --sensitive: the distance between people leaves the attribute out`,
      );
  }
  const prep = fitTabular(picked);
  const X = prep.transform(picked);
  const decisions = Float64Array.from(yPred);
  try {
    // Consistency is a mean over people and takes --weight; the Lipschitz audit counts pairs, unweighted.
    const c = consistency({ X, yPred: decisions, k: options.individualK, sensitiveFeatures, sampleWeight });
    const l = lipschitzAudit({
      X,
      scores: scores ?? decisions,
      metric: { kind: "weighted", p: 2 },
      k: options.individualK,
      L: options.lipschitz,
      sensitiveFeatures,
    });
    return {
      consistency: c,
      lipschitz: l,
      about: {
        features,
        encodedFeatures: prep.featureNames.length,
        prediction: options.yPred ?? `${options.score} >= ${options.threshold}`,
        output: scores ? (options.score as string) : (options.yPred as string),
        lipschitzMetric: "l2",
        consistencyMetric: "euclidean",
        values: (i) => Object.fromEntries(features.map((f) => [f, picked[f][i]])),
      },
    };
  } catch (error) {
    throw inFile(path, error, options.where);
  }
}

/** What the report's audit computes (as `fairkit audit` with Wilson intervals), whatever holds the rows. */
function reportAuditOptions(options: ReportCommandOptions, metrics: string[]) {
  return {
    metrics,
    intervals: "wilson" as const,
    level: options.level,
    minGroupSize: options.minGroupSize,
    includeSmallGroups: options.includeSmallGroups,
    reference: options.reference,
    tolerances: { difference: options.maxDifference, ratio: options.minRatio },
    positiveDecision: options.positiveDecision,
  };
}

/**
 * Builds the report data for a file: the audit (as `fairkit audit --format json` computes it), the
 * rows, scores, extra attributes and column profiles.
 */
export async function reportFile(path: string, options: ReportCommandOptions): Promise<ReportData> {
  const roles = binaryRolesOf(options);
  const card = options.card ? await readCardFile(options.card) : undefined;
  const sourceOptions = sourceOptionsOf(options);
  const metrics = options.metrics ?? [...DEFAULT_AUDIT_METRICS];
  const progress = createProgress({ force: options.progress });
  try {
    // The audit exactly as `fairkit audit` computes it.
    const audit = await auditFile(path, { ...sourceOptions, ...roles, ...reportAuditOptions(options, metrics) });
    const [fileHash, fileInfo] = await Promise.all([sha256File(path), stat(path)]);
    const attributes = options.attributes ?? [];
    const rowsData = await withDuckDB(async (connection) => {
      const source = await openSource(connection, path, {
        ...sourceOptions,
        textColumns: [...textColumnsOf(roles), ...attributes],
      });
      const features = options.individualFeatures ?? [];
      requireColumns(source, [
        ...attributes.map((column) => ({ option: "--attributes", column })),
        ...features.map((column) => ({ option: "--individual-features", column })),
      ]);
      const counts = await readCounts(connection, source, roles);
      const rows = await readRows(connection, source, roles, counts, { progress });
      // Scores and extra attributes, in the same row order (DuckDB keeps insertion order).
      const extra: string[] = [];
      if (options.score !== undefined)
        extra.push(`${await numericExpression(connection, source, options.score, "--score")} AS s`);
      attributes.forEach((a, j) => {
        extra.push(`${valueExpression(source, a)} AS a${j}`);
      });
      features.forEach((f, j) => {
        extra.push(`${cellExpression(source, f)} AS f${j}`);
      });
      let scores: Float64Array | undefined;
      const attributeValues: Record<string, (Level | null)[]> = {};
      const featureValues: Record<string, CellValue[]> = {};
      try {
        if (extra.length > 0) {
          const reader = await runChecked(source, () =>
            connection.runAndReadAll(`SELECT ${extra.join(", ")} FROM ${filteredFrom(source)}`),
          );
          const columns = reader.getColumns();
          let c = 0;
          if (options.score !== undefined) scores = Float64Array.from(columns[c++], (v) => Number(v));
          for (const a of attributes) attributeValues[a] = columns[c++].map(plainText);
          for (const f of features) featureValues[f] = columns[c++].map(plainCell);
        }
        const profiles = await columnProfilesOf(connection, source);
        return { rows, scores, attributeValues, featureValues, profiles };
      } catch (error) {
        throw await sourceError(source, error);
      }
    });
    return assembleReport(options, {
      name: basename(path),
      audit,
      card,
      metrics,
      data: { name: basename(path), sha256: fileHash, rows: audit.input.rows, bytes: fileInfo.size },
      ...rowsData,
    });
  } finally {
    progress.stop();
  }
}

/**
 * Builds the report data for a database table or query: the audit pushed down as for `fairkit
 * audit` (the same numbers), then the rows the other sections need (labels, decisions, groups,
 * weights, the score and --attributes; nothing else) and the datasheet's column profiles in one
 * aggregate query. The data's provenance names the database and relation; a table has no file
 * hash.
 */
export async function reportDatabase(address: string, options: ReportCommandOptions): Promise<ReportData> {
  if (options.individualFeatures)
    throw new UsageError(
      "--individual-features reads a file for now (the distances need the feature columns); export the rows, or leave it out",
    );
  const roles = binaryRolesOf(options);
  const card = options.card ? await readCardFile(options.card) : undefined;
  const metrics = options.metrics ?? [...DEFAULT_AUDIT_METRICS];
  const attributes = options.attributes ?? [];
  const engine = await connect(address);
  try {
    const relation = await openRelation(engine, { table: options.table, query: options.query }, options.where);
    requireColumns(
      { path: relation.name, columns: relation.columns },
      attributes.map((column) => ({ option: "--attributes", column })),
    );
    const counts = await readDatabaseCounts(relation, roles);
    const audit = auditFromCounts(
      counts,
      auditInput(relation.name, engine.dialect.name, counts, { ...roles, where: options.where }),
      { ...roles, ...reportAuditOptions(options, metrics) },
    );
    const read = await readDatabaseRows(relation, roles, counts, { score: options.score, attributes });
    return assembleReport(options, {
      name: relation.name,
      audit,
      card,
      metrics,
      data: { name: relation.name, sha256: null, rows: audit.input.rows },
      rows: read.rows,
      scores: read.scores,
      attributeValues: read.attributes,
      featureValues: {},
      profiles: await relationProfiles(relation),
    });
  } finally {
    await engine.close();
  }
}

/** What {@link assembleReport} puts together: the audit, the rows and what was learnt about the data. */
interface ReportInputs {
  /** The data as the report names it (a file's name, or a database's address and relation). */
  name: string;
  audit: Awaited<ReturnType<typeof auditFile>>;
  card: Awaited<ReturnType<typeof readCardFile>> | undefined;
  metrics: string[];
  data: Parameters<typeof provenanceOf>[0];
  rows: Awaited<ReturnType<typeof readRows>>;
  scores: Float64Array | undefined;
  attributeValues: Record<string, (Level | null)[]>;
  featureValues: Record<string, CellValue[]>;
  profiles: Awaited<ReturnType<typeof columnProfilesOf>>;
}

/** The report data from its inputs, whatever held the rows: the configuration, provenance and every section. */
function assembleReport(options: ReportCommandOptions, read: ReportInputs): ReportData {
  const { audit, card, metrics } = read;
  const sensitive = options.sensitive!;
  const attributes = options.attributes ?? [];
  const { sexColumn, raceColumn } = ll144Columns(options.ll144Sex, options.ll144Race, sensitive);
  const config = {
    file: read.name,
    format: audit.input.format,
    where: options.where ?? null,
    y_true: options.yTrue,
    y_pred: options.yPred ?? null,
    score: options.score ?? null,
    threshold: options.threshold ?? null,
    sensitive,
    weight: options.weight ?? null,
    pos_label: options.posLabel ?? null,
    pred_pos_label: options.predPosLabel ?? null,
    positive_decision: options.positiveDecision,
    null_values: options.na ?? [],
    metrics,
    level: options.level,
    min_group_size: options.minGroupSize,
    include_small_groups: options.includeSmallGroups === true,
    tolerances: { difference: options.maxDifference, ratio: options.minRatio },
    reference: options.reference ?? null,
    ll144: sexColumn && raceColumn ? { sex: sexColumn, race_ethnicity: raceColumn } : null,
    individual: options.individualFeatures
      ? { features: options.individualFeatures, k: options.individualK, lipschitz: options.lipschitz ?? null }
      : null,
    subgroups: {
      metric: options.subgroupMetric,
      max_depth: options.maxDepth,
      min_support: options.minSupport ?? options.minGroupSize,
      alpha: options.alpha,
      top: options.top,
      attributes,
    },
    card_sha256: card?.sha256 ?? null,
    tool_version: VERSION,
  };
  const { rows, scores, attributeValues, featureValues, profiles } = read;
  const individual = options.individualFeatures
    ? individualOf(read.name, options, featureValues, rows.yPred, scores, rows.sensitiveFeatures, rows.sampleWeight)
    : undefined;
  return buildReportData({
    title: options.title ?? card?.card.model_details?.name ?? `Fairness audit of ${read.name}`,
    yTrue: rows.yTrue,
    yPred: rows.yPred,
    sensitiveFeatures: rows.sensitiveFeatures as Record<string, CategoricalColumn>,
    sampleWeight: rows.sampleWeight,
    scores,
    attributes: attributeValues,
    audit,
    card: card?.card,
    columnProfiles: profiles,
    provenance: provenanceOf(read.data, config, card, options.card),
    ll144: sexColumn && raceColumn ? { sex: sexColumn, raceEthnicity: raceColumn } : undefined,
    subgroups: subgroupOptions(options),
    individual,
  });
}

/** The report of the built-in demo (`fairkit report --demo`): the audit of `fairkit audit --demo`, with the scores. */
export async function reportDemo(options: ReportCommandOptions): Promise<ReportData> {
  refuseFileOptions([
    ["--y-true", options.yTrue],
    ["--y-pred", options.yPred],
    ["--score", options.score],
    ["--sensitive", options.sensitive],
    ["--weight", options.weight],
    ["--attributes", options.attributes],
    ["--individual-features", options.individualFeatures],
    ["--where", options.where],
    ["--ll144-sex", options.ll144Sex],
    ["--ll144-race", options.ll144Race],
    ["--ll144-summary", options.ll144Summary],
  ]);
  const card = options.card ? await readCardFile(options.card) : undefined;
  const metrics = options.metrics ?? [...DEFAULT_AUDIT_METRICS];
  const tolerances = { difference: options.maxDifference, ratio: options.minRatio };
  const audit = demoAudit({
    threshold: options.threshold,
    metrics,
    intervals: "wilson",
    level: options.level,
    minGroupSize: options.minGroupSize,
    reference: options.reference,
    tolerances,
    includeSmallGroups: options.includeSmallGroups,
    positiveDecision: options.positiveDecision,
  });
  const demo = demoRows(audit.input.threshold ?? undefined);
  const config = {
    file: "demo",
    threshold: demo.threshold,
    metrics,
    level: options.level,
    min_group_size: options.minGroupSize,
    include_small_groups: options.includeSmallGroups === true,
    tolerances,
    reference: options.reference ?? null,
    positive_decision: options.positiveDecision,
    subgroups: {
      metric: options.subgroupMetric,
      max_depth: options.maxDepth,
      min_support: options.minSupport ?? options.minGroupSize,
      alpha: options.alpha,
      top: options.top,
    },
    card_sha256: card?.sha256 ?? null,
    tool_version: VERSION,
  };
  return buildReportData({
    title: options.title ?? card?.card.model_details?.name ?? "Fairness audit of the fairkit demo",
    yTrue: demo.yTrue,
    yPred: demo.yPred,
    scores: demo.score,
    sensitiveFeatures: { [DEMO_COLUMNS.sensitive]: demo.group },
    audit,
    card: card?.card,
    provenance: provenanceOf(
      { name: "demo", sha256: demoSha256(), rows: demo.score.length },
      config,
      card,
      options.card,
    ),
    subgroups: subgroupOptions(options),
  });
}

/** The format of the one-page LL144 summary, from its file's extension (checked before anything is computed). */
export function ll144SummaryFormat(path: string): "html" | "markdown" {
  const ext = extname(path).toLowerCase();
  if (ext === ".html" || ext === ".htm") return "html";
  if (ext === ".md" || ext === ".markdown") return "markdown";
  throw new UsageError(
    `--ll144-summary ${path}: name the file .html or .md (the one-page summary is HTML or Markdown)`,
  );
}

/**
 * Writes the one-page LL144 summary of a report (binary or regression); a usage error when the
 * report has no LL144 section, naming why.
 */
export async function writeLL144Summary(
  page: Omit<LL144SummaryPage, "ll144"> & { ll144: LL144SummaryPage["ll144"] | null },
  path: string,
  inputs: readonly (string | undefined)[],
): Promise<void> {
  if (!page.ll144)
    throw new UsageError(
      "--ll144-summary needs the LL144 tables: name the sex and race/ethnicity columns with --ll144-sex and --ll144-race (or name them sex/gender and race/ethnicity) among --sensitive",
    );
  const format = ll144SummaryFormat(path);
  const full = { ...page, ll144: page.ll144 };
  const text = format === "html" ? renderLL144SummaryHtml(full) : renderLL144SummaryMarkdown(full);
  await writeOutput(text, path, { inputs, option: "--ll144-summary" });
}

/** Renders report data in a format. */
export function renderReport(data: ReportData, format: ReportFormat): string {
  return format === "html" ? renderHtml(data) : format === "markdown" ? renderMarkdown(data) : renderJson(data);
}

/** Registers `fairkit report` on the program. */
export function registerReport(program: Command): void {
  const command = program
    .command("report")
    .summary("audit report: model card, datasheet, NYC LL144, four-fifths, EU AI Act log, bias sources, subgroups")
    .description(
      "Write an audit report for a file of predictions as self-contained HTML (inline SVG charts, no external requests, prints to PDF), Markdown or JSON: the audit of `fairkit audit` (same numbers), a model card (Mitchell et al.; JSON in Model Card Toolkit v0.0.2 fields) and datasheet facts (Gebru et al.) completed from --card, NYC Local Law 144 impact-ratio tables, the EEOC four-fifths rule with Fisher's exact test, the EU AI Act Annex IV 2(g) test log, measured sources of bias, and a search for the subgroups with the largest significant gap. With --score (rather than --y-pred) it also gives per-group ROC/AUC and the LL144 scoring rate.\n\nThe report is dated (SOURCE_DATE_EPOCH fixes the date) and carries the tool version and the SHA-256 of the data file, the card file and the configuration.\n\nExit codes: 0 ok, 1 a --fail-on gate failed (the report is still written), 2 usage or data error (nothing is written).",
    )
    .argument(
      "[FILE]",
      "the predictions file (.csv, .tsv, .parquet, .json, .ndjson/.jsonl, optionally .gz), or a database (postgres://…, duckdb:FILE, @name) with --table or --query",
    )
    .option("--demo", `${DEMO_HELP}; decision score >= 0.5 unless --threshold`)
    .option(
      "--task <task>",
      "what the system outputs: binary (a yes/no decision), regression (a number: --y-pred is the prediction) or multiclass (--y-pred is the decided class); the regression and multiclass reports hold the audit of fairkit audit --task, the model card, datasheet, EU AI Act log and (regression) LL144 scoring rates",
      parseChoice("--task", ["binary", "regression", "multiclass"] as const),
      "binary",
    )
    .option("-o, --output <file>", "the report file: .html, .md or .json (the extension picks the format)");
  addFormatOption(command, REPORT_FORMATS, undefined)
    .option(
      "--card <file>",
      "YAML or JSON card file: model details, intended use, factors, training data, ethical considerations, caveats, monitoring, datasheet answers, reference_shares, and ll144 (exclusion_justification, unknown_values, and the summary of results: audit_date, distribution_date, data_source, data_kind, test_data_reason, auditor, eeo1_mapping)",
    )
    .option("--title <text>", "report title (default: the card's model name)");
  addColumnRoleOptions(command, DEFAULT_AUDIT_METRICS).option(
    "--level <p>",
    "confidence level of the intervals",
    parseNumber("--level"),
    DEFAULTS.level,
  );
  addToleranceOptions(command)
    .option(
      "--fail-on <expr>",
      'exit 1 when NAME<OP>NUMBER holds for the audit, e.g. "demographic_parity_ratio<0.8" (repeatable; the report is still written)',
      collect,
    )
    .option(
      "--ll144-sex <col>",
      "the sensitive column holding sex/gender for NYC LL144 (default: one named sex or gender)",
    )
    .option(
      "--ll144-race <col>",
      "the sensitive column holding race/ethnicity for NYC LL144 (default: one named race or ethnicity)",
    )
    .option(
      "--ll144-summary <file>",
      "also write the one-page NYC LL144 summary of results (6 RCNY §5-303) to FILE, .html (prints on one A4 page) or .md; without -o and --format only the summary is written",
    )
    .option(
      "--attributes <cols>",
      "more columns for the subgroup search (e.g. an age band), comma-separated",
      collectList,
    )
    .option("--subgroup-metric <name>", "metric of the subgroup search", "false_positive_rate")
    .option(
      "--max-depth <k>",
      "subgroups combine up to k attributes (1, 2 or 3)",
      parseCount("--max-depth"),
      DEFAULTS.subgroupDepth,
    )
    .option(
      "--min-support <n>",
      "fewest rows a subgroup needs (default: --min-group-size)",
      parseNumber("--min-support"),
    )
    .option("--alpha <a>", "family-wise significance level of the subgroup search", parseNumber("--alpha"), 0.05)
    .option("--top <n>", "subgroups listed", parseCount("--top"), 10)
    .option(
      "--individual-features <cols>",
      "add an individual-fairness section: consistency and a Lipschitz audit on these columns (as fairkit individual)",
      parseList,
    )
    .option("--individual-k <n>", "neighbours per person in that section", parseCount("--individual-k"), 5)
    .option("--lipschitz <L>", "the Lipschitz constant that section tests", parseNumber("--lipschitz"));
  addFileReadOptions(command)
    .option("--table <name>", "with a database address as FILE: the table or view (see docs/scale.md)")
    .option("--query <sql>", "with a database address as FILE: the rows of this SELECT")
    .option("--progress", "show progress on stderr even when it is not a terminal")
    .addHelpText(
      "after",
      `
Examples:
  fairkit report compas-scores-two-years.csv -o compas.html --card compas-card.yaml \\
    --y-true two_year_recid --score decile_score --threshold 5 --sensitive race,sex --attributes age_cat \\
    --where "days_b_screening_arrest BETWEEN -30 AND 30 AND is_recid != -1 AND c_charge_degree != 'O' AND score_text != 'N/A'"
  fairkit report preds.parquet -o report.json --y-true hired --y-pred selected --sensitive sex,race \\
    --card card.yaml --ll144-summary ll144-summary.html`,
    )
    .action((file: string | undefined, options: ReportCommandOptions) =>
      runCommand("report", async () => {
        const summary = options.ll144Summary;
        // With --ll144-summary alone (no -o, no --format), the summary is the only output.
        const format =
          summary !== undefined && options.output === undefined && options.format === undefined
            ? undefined
            : outputFormat(REPORT_FORMATS, options.format, options.output, undefined);
        if (summary !== undefined) {
          ll144SummaryFormat(summary);
          if (options.output !== undefined && resolve(options.output) === resolve(summary))
            throw new UsageError(`--ll144-summary ${summary} is also -o: give the summary its own file`);
          // Neither output may overwrite an input: checked before either is written.
          checkNotAnInput(summary, { inputs: [file, options.card], option: "--ll144-summary" });
          if (options.output !== undefined && options.output !== "-")
            checkNotAnInput(options.output, { inputs: [file, options.card] });
        }
        const gates = (options.failOn ?? []).map(parseGate);
        const inputs = [file !== undefined && isDatabaseAddress(file) ? undefined : file, options.card];
        const database = file !== undefined && isDatabaseAddress(file);
        if (!database && (options.table !== undefined || options.query !== undefined))
          throw new UsageError("--table and --query go with a database address (postgres://…, duckdb:FILE, @name)");
        if (options.task === "regression" || options.task === "multiclass") {
          if (file === undefined) throw new UsageError(`--task ${options.task} needs a FILE`);
          if (database) throw new UsageError(`--task ${options.task} reports read files for now`);
          if (summary !== undefined && options.task === "multiclass")
            throw new UsageError(
              "--ll144-summary does not apply to --task multiclass (its report has no LL144 tables)",
            );
          const report = await reportTaskFile(file, options.task, options);
          if (summary !== undefined)
            await writeLL144Summary(
              { ...report, ll144: report.ll144 && { selection: null, ...report.ll144 } },
              summary,
              inputs,
            );
          if (format !== undefined) await writeOutput(renderTaskReport(report, format), options.output, { inputs });
          const values =
            report.audit.task === "regression"
              ? regressionGateValues(report.audit)
              : multiclassGateValues(report.audit);
          const checked = checkGates(gates, values);
          if (checked.some((g) => g.failed)) throw new GateFailedError(`--fail-on: ${describeFailures(checked)}`);
          return;
        }
        const data = demoOrFile(file, options.demo)
          ? await reportDemo(options)
          : database
            ? await reportDatabase(file, options)
            : await reportFile(file, options);
        if (summary !== undefined) await writeLL144Summary(data, summary, inputs);
        if (format !== undefined) await writeOutput(renderReport(data, format), options.output, { inputs });
        const checked = checkGates(gates, gateValues(data.audit));
        if (checked.some((g) => g.failed)) throw new GateFailedError(`--fail-on: ${describeFailures(checked)}`);
      }),
    );
}
