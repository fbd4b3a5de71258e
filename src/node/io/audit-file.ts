/**
 * Auditing a file end to end: open it in DuckDB, push the counting down as one GROUP BY, build
 * the metric frame from the counts (or, for bootstrap intervals of fewer than 100,000 or weighted
 * rows, from rows fetched into typed arrays; above, the cell bootstrap needs only the counts) and
 * assemble the audit JSON. This is the function `fairkit audit FILE` calls.
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
} from "fairkit/internal";
import { type ColumnRoles, textColumnsOf } from "./columns.js";
import { withDuckDB } from "./duckdb.js";
import type { Progress } from "./progress-sink.js";
import { readCounts } from "./read-counts.js";
import { readRows } from "./read-rows.js";
import { type SourceOptions, openSource } from "./source.js";

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
  const metrics = [...(options.metrics ?? DEFAULT_AUDIT_METRICS)];
  const intervals = options.intervals ?? "wilson";
  return withDuckDB(async (connection) => {
    const source = await openSource(connection, path, { ...options, textColumns: textColumnsOf(options) });
    const counts = await readCounts(connection, source, options, { progress: options.progress });
    const common = { metrics, level: options.level, minGroupSize: options.minGroupSize };
    const warnings: FairkitWarning[] = [];
    let frame: Parameters<typeof buildAuditResult>[0];
    // A bootstrap of many unweighted rows draws cell counts (MetricFrame's "auto"), which the counts
    // alone allow: the same replicates as from the rows, without reading them.
    let rowCount = 0;
    for (let k = 2; k < counts.table.data.length; k += 3) rowCount += counts.table.data[k];
    const byCells = intervals === "bootstrap" && options.weight === undefined && rowCount >= DEFAULTS.cellBootstrapRows;
    if (intervals === "bootstrap" && !byCells) {
      const rows = await readRows(connection, source, options, counts, { progress: options.progress });
      frame = new MetricFrame({ ...rows, ...common, intervals, bootstrap: options.bootstrap ?? {} });
    } else {
      frame = MetricFrame.fromCounts(counts.table, {
        ...common,
        intervals,
        ...(byCells ? { bootstrap: { ...options.bootstrap, method: "cells" as const } } : {}),
      });
      // The row-built frame says this itself; the counts-built one cannot see the rows.
      for (const column of options.sensitive) {
        const count = counts.nulls[column];
        if (count > 0) {
          warnings.push({
            code: "MISSING_GROUP_VALUE",
            message: `${count} rows have no value for ${JSON.stringify(column)}; they form the group ${JSON.stringify(MISSING_LABEL)}`,
          });
        }
      }
    }
    options.progress?.stop();
    return buildAuditResult(frame, {
      input: {
        source: path,
        format: source.format,
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
      },
      intervals,
      level: options.level,
      minGroupSize: options.minGroupSize,
      reference: options.reference,
      tolerances: options.tolerances,
      includeSmallGroups: options.includeSmallGroups,
      positiveDecision: options.positiveDecision,
      warnings,
    });
  });
}
