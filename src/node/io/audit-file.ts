/**
 * Auditing a file end to end: open it in DuckDB, push the counting down as one GROUP BY, build
 * the metric frame from the counts (or, for bootstrap intervals of fewer than 100,000 or weighted
 * rows, from rows fetched into typed arrays; above, the cell bootstrap needs only the counts) and
 * assemble the audit JSON. This is the function `fairkit audit FILE` calls; its regression and
 * multiclass forms (`--task`) are {@link auditRegressionFile} and {@link auditMulticlassFile}.
 */
import {
  type AuditResult,
  type AuditTolerances,
  buildAuditResult,
  type DecisionMeaning,
  DEFAULT_AUDIT_METRICS,
  DEFAULTS,
  type FairkitWarning,
  type IntervalMethod,
  MetricFrame,
  MISSING_LABEL,
  buildMulticlassAudit,
  buildRegressionAudit,
  type GroupReference,
  MulticlassFrame,
  type MulticlassAuditResult,
  RegressionFrame,
  type RegressionAuditResult,
  type RegressionIntervalMethod,
} from "fairkit/internal";
import { type ColumnRoles, textColumnsOf } from "./columns.js";
import { withDuckDB } from "./duckdb.js";
import type { Progress } from "./progress-sink.js";
import { type CountsRead, readCounts } from "./read-counts.js";
import type { DuckDBConnection } from "@duckdb/node-api";
import {
  type MulticlassCountsRead,
  type OutcomeRead,
  type OutcomeRoles,
  type RegressionRowsRead,
  readMulticlassCounts,
  readRegressionRows,
} from "./read-outcomes.js";
import { readRows } from "./read-rows.js";
import { type Source, type SourceOptions, openSource } from "./source.js";

/** Options of {@link auditFile}: how to read the file, which column is which, and what to compute. */
export interface AuditFileOptions extends SourceOptions, ColumnRoles {
  /** Metric names (default {@link DEFAULT_AUDIT_METRICS}). */
  metrics?: readonly string[];
  /** `wilson` (default; from counts alone), `bootstrap` (reads the rows, unless they are many and unweighted) or `none`. */
  intervals?: IntervalMethod;
  /** Bootstrap replicates (default 1000) and seed (default 0). */
  bootstrap?: { n?: number; seed?: number };
  /** Confidence level (default 0.95). */
  level?: number;
  /** Groups with fewer rows are flagged small (default 30). */
  minGroupSize?: number;
  /** Compare groups to this group's key instead of between groups. */
  reference?: string;
  tolerances?: Partial<AuditTolerances>;
  /** Compare small groups in the criteria too (default: they are left out and named). */
  includeSmallGroups?: boolean;
  /** What the positive decision means: `favourable` (default) or `unfavourable`. */
  positiveDecision?: DecisionMeaning;
  progress?: Progress;
}

/**
 * Audits a file of predictions.
 *
 * @example
 * const result = await auditFile("compas.csv", {
 *   yTrue: "two_year_recid", score: "decile_score", threshold: 5, sensitive: ["race"],
 *   where: "days_b_screening_arrest BETWEEN -30 AND 30",
 * });
 * result.criteria.demographic_parity_ratio;
 */
export async function auditFile(path: string, options: AuditFileOptions): Promise<AuditResult> {
  return withDuckDB(async (connection) => {
    const source = await openSource(connection, path, { ...options, textColumns: textColumnsOf(options) });
    const counts = await readCounts(connection, source, options, { progress: options.progress });
    const input = auditInput(path, source.format, counts, options);
    // A bootstrap of few or weighted rows resamples the rows themselves.
    if ((options.intervals ?? "wilson") === "bootstrap" && !cellBootstrapApplies(counts, options)) {
      const rows = await readRows(connection, source, options, counts, { progress: options.progress });
      options.progress?.stop();
      const frame = new MetricFrame({
        ...rows,
        metrics: [...(options.metrics ?? DEFAULT_AUDIT_METRICS)],
        level: options.level,
        minGroupSize: options.minGroupSize,
        intervals: "bootstrap",
        bootstrap: options.bootstrap ?? {},
      });
      return buildAuditResult(frame, { ...resultOptions(options), input, warnings: [] });
    }
    return auditFromCounts(counts, input, options);
  });
}

/** Many unweighted rows: the bootstrap draws cell counts (MetricFrame's "auto"), which the counts alone allow. */
function cellBootstrapApplies(counts: CountsRead, options: AuditFileOptions): boolean {
  return options.weight === undefined && counts.rows >= DEFAULTS.cellBootstrapRows;
}

/** The `input` block of the audit JSON for counts read from `source`. */
export function auditInput(
  source: string,
  format: string | null,
  counts: CountsRead,
  options: Omit<AuditFileOptions, keyof SourceOptions> & { where?: string },
): AuditResult["input"] {
  return {
    source,
    format,
    rows: counts.rows,
    where: options.where ?? null,
    y_true: options.yTrue,
    y_pred: options.yPred ?? null,
    score: options.score ?? null,
    threshold: options.score !== undefined ? (options.threshold ?? null) : null,
    sensitive: [...options.sensitive],
    weight: options.weight ?? null,
    pos_label: options.posLabel ?? null,
    pred_pos_label: options.predPosLabel ?? null,
    nulls: counts.nulls,
  };
}

function resultOptions(options: Omit<AuditFileOptions, keyof SourceOptions>) {
  return {
    intervals: options.intervals ?? "wilson",
    level: options.level,
    minGroupSize: options.minGroupSize,
    reference: options.reference,
    tolerances: options.tolerances,
    includeSmallGroups: options.includeSmallGroups,
    positiveDecision: options.positiveDecision,
  };
}

/**
 * The audit of counts alone (read from a file, pushed down to a database, or merged): Wilson
 * intervals, or the cell bootstrap where the counts allow it (unweighted).
 */
export function auditFromCounts(
  counts: CountsRead,
  input: AuditResult["input"],
  options: Omit<AuditFileOptions, keyof SourceOptions>,
): AuditResult {
  const intervals = options.intervals ?? "wilson";
  const frame = MetricFrame.fromCounts(counts.table, {
    metrics: [...(options.metrics ?? DEFAULT_AUDIT_METRICS)],
    level: options.level,
    minGroupSize: options.minGroupSize,
    intervals,
    ...(intervals === "bootstrap" ? { bootstrap: { ...options.bootstrap, method: "cells" as const } } : {}),
  });
  options.progress?.stop();
  // The row-built frame says this itself; the counts-built one cannot see the rows.
  const warnings: FairkitWarning[] = [];
  if (intervals === "bootstrap" && !counts.unweighted)
    warnings.push({
      code: "APPROXIMATE_INTERVALS",
      message:
        "without the rows, the bootstrap of weighted counts scales each cell's weights by its drawn rows: exact when the weights are constant within a cell, somewhat narrow when they vary (read the rows, from a file, for the row bootstrap)",
    });
  for (const column of input.sensitive) {
    const count = counts.nulls[column] ?? 0;
    if (count > 0) {
      warnings.push({
        code: "MISSING_GROUP_VALUE",
        message: `${count} rows have no value for ${JSON.stringify(column)}; they form the group ${JSON.stringify(MISSING_LABEL)}`,
      });
    }
  }
  return buildAuditResult(frame, { ...resultOptions(options), input, warnings });
}

/** Options of {@link auditRegressionFile} and {@link auditMulticlassFile}. */
export interface OutcomeAuditFileOptions extends SourceOptions, OutcomeRoles {
  level?: number;
  minGroupSize?: number;
  reference?: GroupReference;
  tolerances?: Partial<AuditTolerances>;
  includeSmallGroups?: boolean;
  progress?: Progress;
}

function missingGroupWarnings(read: OutcomeRead): FairkitWarning[] {
  return Object.entries(read.nulls)
    .filter(([, count]) => count > 0)
    .map(([column, count]) => ({
      code: "MISSING_GROUP_VALUE" as const,
      message: `${count} rows have no value for ${JSON.stringify(column)}; they form the group ${JSON.stringify(MISSING_LABEL)}`,
    }));
}

function outcomeInput(path: string, format: string, read: OutcomeRead, options: OutcomeAuditFileOptions) {
  return {
    source: path,
    format,
    rows: read.rows,
    where: options.where ?? null,
    y_true: options.yTrue,
    y_pred: options.yPred,
    sensitive: [...options.sensitive],
    weight: options.weight ?? null,
    nulls: read.nulls,
  };
}

/**
 * Audits a file of numeric outcomes and predictions (`fairkit audit --task regression`): reads
 * the rows into typed arrays and builds the regression audit document.
 *
 * @example
 * const doc = await auditRegressionFile("law.csv", { yTrue: "ZFYA", yPred: "predicted", sensitive: ["race"] });
 * doc.criteria.mean_residual_difference.value;
 */
export async function auditRegressionFile(
  path: string,
  options: OutcomeAuditFileOptions & {
    intervals?: RegressionIntervalMethod;
    bootstrap?: { n?: number; seed?: number };
  },
): Promise<RegressionAuditResult> {
  return withDuckDB(async (connection) => {
    const source = await openSource(connection, path, { ...options, textColumns: [...options.sensitive] });
    return (await auditRegressionSource(connection, source, options)).audit;
  });
}

/** The regression audit of an opened source, with the rows it read (the report uses them too). */
export async function auditRegressionSource(
  connection: DuckDBConnection,
  source: Source,
  options: OutcomeAuditFileOptions & {
    intervals?: RegressionIntervalMethod;
    bootstrap?: { n?: number; seed?: number };
  },
): Promise<{ audit: RegressionAuditResult; rows: RegressionRowsRead }> {
  const rows = await readRegressionRows(connection, source, options, { progress: options.progress });
  options.progress?.update(1, "computing");
  const frame = new RegressionFrame({
    ...rows,
    level: options.level,
    minGroupSize: options.minGroupSize,
    reference: options.reference,
    tolerances: options.tolerances,
    includeSmallGroups: options.includeSmallGroups,
    intervals: options.intervals,
    bootstrap: options.bootstrap,
  });
  options.progress?.stop();
  const audit = buildRegressionAudit(frame, {
    input: outcomeInput(source.path, source.format, rows, options),
    warnings: missingGroupWarnings(rows),
  });
  return { audit, rows };
}

/**
 * Audits a file of class labels and decided classes (`fairkit audit --task multiclass`): one
 * GROUP BY, then per class the binary audit of "this class or not".
 *
 * @example
 * const doc = await auditMulticlassFile("grades.csv", { yTrue: "grade", yPred: "predicted_grade", sensitive: ["sex"] });
 * doc.criteria.demographic_parity_difference; // { value, class }
 */
export async function auditMulticlassFile(
  path: string,
  options: OutcomeAuditFileOptions & { metrics?: readonly string[]; intervals?: "wilson" | "none" },
): Promise<MulticlassAuditResult> {
  return withDuckDB(async (connection) => {
    const source = await openSource(connection, path, {
      ...options,
      textColumns: [...options.sensitive, options.yTrue, options.yPred],
    });
    return (await auditMulticlassSource(connection, source, options)).audit;
  });
}

/** The multiclass audit of an opened source, with the counts it read. */
export async function auditMulticlassSource(
  connection: DuckDBConnection,
  source: Source,
  options: OutcomeAuditFileOptions & { metrics?: readonly string[]; intervals?: "wilson" | "none" },
): Promise<{ audit: MulticlassAuditResult; read: MulticlassCountsRead }> {
  const read = await readMulticlassCounts(connection, source, options, { progress: options.progress });
  options.progress?.stop();
  const frame = MulticlassFrame.fromCounts(read.counts, {
    metrics: options.metrics,
    level: options.level,
    minGroupSize: options.minGroupSize,
    intervals: options.intervals,
  });
  const audit = buildMulticlassAudit(frame, {
    input: outcomeInput(source.path, source.format, read, options),
    reference: options.reference,
    tolerances: options.tolerances,
    includeSmallGroups: options.includeSmallGroups,
    warnings: missingGroupWarnings(read),
  });
  return { audit, read };
}
