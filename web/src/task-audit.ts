/**
 * The dashboard's regression and multiclass audits: the loaded columns checked as the CLI checks a
 * file (numbers where numbers are needed, no missing outcome or prediction, with the first row
 * named), the document built by the core's own builders (so the JSON export is what `fairkit audit
 * --task … --format json` writes), and the core's tables shown as HTML.
 */
import {
  type CategoricalColumn,
  type MulticlassAuditResult,
  MulticlassFrame,
  type RegressionAuditResult,
  RegressionFrame,
  buildMulticlassAudit,
  buildRegressionAudit,
  multiclassNotes,
  multiclassTables,
  regressionNotes,
  regressionTables,
  taskTableHtml,
  taskVerdict,
  toWeights,
} from "../../src/internal.js";
import { sensitiveColumn, textValues } from "./columns.js";
import { escapeHtml } from "./format.js";
import type { LoadedColumn, LoadedTable } from "./table-data.js";

/** What the page asks for. */
export interface TaskConfig {
  task: "regression" | "multiclass";
  /** The observed outcome (a number) or true class. */
  label: string;
  /** The prediction (a number) or decided class. */
  prediction: string;
  sensitive: string[];
  weight: string;
  minGroupSize: number;
}

/** A task audit's document. */
export type TaskAudit = RegressionAuditResult | MulticlassAuditResult;

function firstEmpty(c: LoadedColumn, text: (string | null)[] | null): number {
  for (let i = 0; i < c.numbers.length; i++) if (text ? text[i] === null : Number.isNaN(c.numbers[i])) return i;
  return -1;
}

function place(row: number, format: string | null): string {
  return format === "parquet" ? `row ${row + 1}` : `data row ${row + 1} (line ${row + 2})`;
}

function numbersOf(c: LoadedColumn, role: string, format: string | null): Float64Array {
  if (!c.numeric) {
    const text = textValues(c);
    const bad = text.findIndex((v) => v !== null && Number.isNaN(Number(v)));
    throw new Error(
      `column ${JSON.stringify(c.name)} (the ${role}) must be numeric; found ${JSON.stringify(text[bad])} at ${place(bad, format)}`,
    );
  }
  if (c.empty > 0) {
    throw new Error(
      `column ${JSON.stringify(c.name)} (the ${role}) has ${c.empty} missing value${c.empty === 1 ? "" : "s"}, the first at ${place(firstEmpty(c, null), format)}: every row needs one`,
    );
  }
  return Float64Array.from(c.numbers);
}

function classesOf(c: LoadedColumn, role: string, format: string | null): (string | null)[] {
  const text = textValues(c);
  if (c.empty > 0) {
    throw new Error(
      `column ${JSON.stringify(c.name)} (the ${role}) has ${c.empty} missing value${c.empty === 1 ? "" : "s"}, the first at ${place(firstEmpty(c, text), format)}: every row needs one`,
    );
  }
  return text;
}

/**
 * Audits the loaded table as the CLI's `--task` would.
 *
 * @example
 * const doc = taskAudit(table, "salaries.csv", "csv", { task: "regression", label: "earned", prediction: "offer", sensitive: ["sex"], weight: "", minGroupSize: 30 });
 */
export function taskAudit(
  table: LoadedTable,
  source: string,
  format: string | null,
  config: TaskConfig,
  column: (name: string) => LoadedColumn,
): TaskAudit {
  if (config.sensitive.length === 0) throw new Error("choose at least one sensitive column");
  const sensitiveFeatures: Record<string, CategoricalColumn> = {};
  for (const name of config.sensitive) sensitiveFeatures[name] = sensitiveColumn(column(name));
  const sampleWeight = config.weight
    ? toWeights(Float64Array.from(column(config.weight).numbers), config.weight)
    : undefined;
  const nulls: Record<string, number> = {};
  for (const name of config.sensitive) nulls[name] = column(name).empty;
  const input = {
    source,
    format,
    rows: table.rows,
    where: null,
    y_true: config.label,
    y_pred: config.prediction,
    sensitive: [...config.sensitive],
    weight: config.weight || null,
    nulls,
  };
  if (config.task === "regression") {
    const frame = new RegressionFrame({
      yTrue: numbersOf(column(config.label), "outcome", format),
      yPred: numbersOf(column(config.prediction), "prediction", format),
      sensitiveFeatures,
      sampleWeight,
      minGroupSize: config.minGroupSize,
    });
    return buildRegressionAudit(frame, { input });
  }
  const frame = new MulticlassFrame({
    yTrue: classesOf(column(config.label), "true class", format),
    yPred: classesOf(column(config.prediction), "decided class", format),
    sensitiveFeatures,
    sampleWeight,
    minGroupSize: config.minGroupSize,
  });
  return buildMulticlassAudit(frame, { input });
}

/** The document's title, notes, tables, verdict and warnings, written into the page's task section. */
export function showTaskAudit(doc: TaskAudit, byId: (id: string) => HTMLElement): void {
  const tables = doc.task === "regression" ? regressionTables(doc) : multiclassTables(doc);
  const notes = doc.task === "regression" ? regressionNotes(doc) : multiclassNotes(doc);
  byId("task-title").textContent =
    `${doc.task === "regression" ? "Regression" : "Multiclass"} audit: ${doc.input.rows.toLocaleString("en")} rows`;
  byId("task-notes").innerHTML = notes.map((l) => `<p>${escapeHtml(l)}</p>`).join("");
  byId("task-tables").innerHTML = tables.map(taskTableHtml).join("");
  const small = doc.groups.some((g) => g.small)
    ? ` * fewer than ${doc.settings.min_group_size} rows: too small to conclude anything, and left out of the criteria.`
    : "";
  byId("task-verdict").textContent = `${taskVerdict(doc.passed)}.${small}`;
  byId("task-warnings").innerHTML = doc.warnings
    .filter((w) => w.code !== "SMALL_GROUP")
    .map((w) => `<li>${escapeHtml(w.message)}</li>`)
    .join("");
}
