/**
 * `fairkit report --task regression|multiclass FILE -o report.html|.md|.json`: the report of a
 * regression or multiclass audit. The audit is `fairkit audit --task`'s own (the same reader on
 * the same connection), and the rest — column profiles, representation, LL144 scoring rates of a
 * regression's predictions — comes from the rows that reader already holds, or one more query.
 */
import { stat } from "node:fs/promises";
import { basename } from "node:path";
import {
  buildTaskReport,
  type CategoricalColumn,
  type Level,
  type MulticlassAuditResult,
  type RegressionAuditResult,
  renderTaskReportHtml,
  renderTaskReportMarkdown,
  documentText,
  type TaskReport,
  VERSION,
} from "fairkit/internal";
import { auditMulticlassSource, auditRegressionSource } from "../../io/audit-file.js";
import { numericExpression, plainText, valueExpression } from "../../io/columns.js";
import { withDuckDB } from "../../io/duckdb.js";
import { filteredFrom, openSource, runChecked, sourceError } from "../../io/source.js";
import { UsageError } from "../exit.js";
import { outcomeAuditOptionsOf } from "../options.js";
import { createProgress } from "../progress.js";
import { columnProfilesOf, ll144Columns, provenanceOf, readCardFile, sha256File } from "../report-inputs.js";
import type { ReportCommandOptions } from "./report.js";

/** The report's tasks besides binary. */
export type ReportTask = "regression" | "multiclass";

/** Refuses the binary report's options, naming them. */
function refuse(task: ReportTask, options: ReportCommandOptions): void {
  const refused: [string, unknown][] = [
    ["--demo", options.demo],
    ["--score", options.score],
    ["--threshold", options.threshold],
    ["--pos-label", options.posLabel],
    ["--pred-pos-label", options.predPosLabel],
    ["--attributes", options.attributes],
    ["--min-support", options.minSupport],
    ["--individual-features", options.individualFeatures],
    ["--lipschitz", options.lipschitz],
    ...(task === "regression" ? ([["--metrics", options.metrics]] as [string, unknown][]) : []),
    ...(task === "multiclass"
      ? ([
          ["--ll144-sex", options.ll144Sex],
          ["--ll144-race", options.ll144Race],
          ["--positive-decision", options.positiveDecision === "favourable" ? undefined : options.positiveDecision],
        ] as [string, unknown][])
      : []),
  ];
  for (const [option, value] of refused)
    if (value !== undefined && value !== false) throw new UsageError(`${option} does not apply to --task ${task}`);
  if (!options.yTrue)
    throw new UsageError(`missing --y-true COLUMN (the observed ${task === "regression" ? "outcome" : "class"})`);
  if (!options.yPred)
    throw new UsageError(`missing --y-pred COLUMN (the ${task === "regression" ? "prediction" : "decided class"})`);
  if (!options.sensitive || options.sensitive.length === 0)
    throw new UsageError("missing --sensitive COLUMN[,COLUMN…]");
}

/**
 * Builds the report of a regression or multiclass audit of a file.
 *
 * @example
 * const report = await reportTaskFile("law_predictions.csv", "regression", { yTrue: "ZFYA", yPred: "predicted", sensitive: ["race"], … });
 */
export async function reportTaskFile(
  path: string,
  task: ReportTask,
  options: ReportCommandOptions,
): Promise<TaskReport> {
  refuse(task, options);
  const sensitive = options.sensitive!;
  const card = options.card ? await readCardFile(options.card) : undefined;
  const { sexColumn, raceColumn } = ll144Columns(options.ll144Sex, options.ll144Race, sensitive);
  const common = outcomeAuditOptionsOf(options);
  const progress = createProgress({ force: options.progress });
  try {
    const read = await withDuckDB(async (connection) => {
      const source = await openSource(connection, path, {
        ...common,
        textColumns: task === "regression" ? [...sensitive] : [...sensitive, common.yTrue, common.yPred],
      });
      let audit: RegressionAuditResult | MulticlassAuditResult;
      let sensitiveFeatures: Record<string, CategoricalColumn | (Level | null)[]>;
      let sampleWeight: Float64Array | undefined;
      let predictions: Float64Array | undefined;
      if (task === "regression") {
        const r = await auditRegressionSource(connection, source, { ...common, intervals: "normal", progress });
        audit = r.audit;
        sensitiveFeatures = r.rows.sensitiveFeatures;
        sampleWeight = r.rows.sampleWeight;
        predictions = r.rows.yPred;
      } else {
        const r = await auditMulticlassSource(connection, source, {
          ...common,
          metrics: options.metrics,
          intervals: "wilson",
          progress,
        });
        audit = r.audit;
        // Representation needs each row's groups (and weight): one more query over the same rows.
        const columns = [
          ...sensitive.map((c, j) => `${valueExpression(source, c)} AS s${j}`),
          ...(options.weight
            ? [`${await numericExpression(connection, source, options.weight, "--weight")} AS w`]
            : []),
        ];
        try {
          const reader = await runChecked(source, () =>
            connection.runAndReadAll(`SELECT ${columns.join(", ")} FROM ${filteredFrom(source)}`),
          );
          const values = reader.getColumns();
          sensitiveFeatures = Object.fromEntries(sensitive.map((c, j) => [c, values[j].map(plainText)]));
          if (options.weight) sampleWeight = Float64Array.from(values[sensitive.length], (v) => Number(v));
        } catch (error) {
          throw await sourceError(source, error);
        }
      }
      const profiles = await columnProfilesOf(connection, source);
      return { audit, sensitiveFeatures, sampleWeight, predictions, profiles };
    });
    const [fileHash, fileInfo] = await Promise.all([sha256File(path), stat(path)]);
    const ll144 =
      task === "regression" && sexColumn && raceColumn ? { sex: sexColumn, raceEthnicity: raceColumn } : undefined;
    const config = {
      file: basename(path),
      task,
      format: read.audit.input.format,
      where: options.where ?? null,
      y_true: options.yTrue,
      y_pred: options.yPred,
      sensitive,
      weight: options.weight ?? null,
      null_values: options.na ?? [],
      ...(task === "multiclass" ? { metrics: read.audit.settings.metrics } : {}),
      level: options.level,
      min_group_size: options.minGroupSize,
      include_small_groups: options.includeSmallGroups === true,
      tolerances: { difference: options.maxDifference, ratio: options.minRatio },
      reference: options.reference ?? null,
      ll144: ll144
        ? { sex: ll144.sex, race_ethnicity: ll144.raceEthnicity, high_prediction: options.positiveDecision }
        : null,
      card_sha256: card?.sha256 ?? null,
      tool_version: VERSION,
    };
    return buildTaskReport({
      title:
        options.title ??
        card?.card.model_details?.name ??
        `${task === "regression" ? "Regression" : "Multiclass"} fairness audit of ${basename(path)}`,
      audit: read.audit,
      sensitiveFeatures: read.sensitiveFeatures,
      sampleWeight: read.sampleWeight,
      predictions: read.predictions,
      positiveDecision: options.positiveDecision,
      card: card?.card,
      columnProfiles: read.profiles,
      provenance: provenanceOf(
        { name: basename(path), sha256: fileHash, rows: read.audit.input.rows, bytes: fileInfo.size },
        config,
        card,
        options.card,
      ),
      ll144,
    });
  } finally {
    progress.stop();
  }
}

/** A task report in a format. */
export function renderTaskReport(report: TaskReport, format: "html" | "markdown" | "json"): string {
  return format === "html"
    ? renderTaskReportHtml(report)
    : format === "markdown"
      ? renderTaskReportMarkdown(report)
      : `${documentText(report)}\n`;
}
