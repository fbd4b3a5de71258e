/**
 * The regression and multiclass audit documents as text, Markdown and CSV (JSON is the document
 * itself). The tables are the core's (`regressionTables`, `multiclassTables`), which the
 * dashboard and the report render too, so every face shows the same cells.
 */
import pc from "picocolors";
import {
  type MulticlassAuditResult,
  multiclassNotes,
  multiclassTables,
  type RegressionAuditResult,
  regressionNotes,
  regressionTables,
  type TaskTable,
  taskVerdict,
} from "fairkit/internal";
import { formatCount, type OutputFormat, renderCsv, renderMarkdown, renderText, type TextTable } from "./table.js";

function colour(table: TaskTable, color: boolean): TextTable {
  const last = table.headers.length - 1;
  const rows =
    color && table.verdicts
      ? table.rows.map((row, r) => {
          const v = table.verdicts![r];
          const shown = v === "FAIL" ? pc.red(v) : v === "pass" ? pc.green(v) : v === "n/a" ? pc.yellow(v) : v;
          return [...row.slice(0, last), shown];
        })
      : table.rows;
  return { headers: table.headers, rows, alignRight: table.alignRight };
}

function page(
  format: "table" | "markdown",
  title: string,
  lines: string[],
  tables: TaskTable[],
  tail: string[],
  color: boolean,
): string {
  if (format === "markdown") {
    return [
      `## ${title}`,
      "",
      ...lines.map((l) => `${l}  `),
      ...tables.flatMap((t) => ["", ...(t.title ? [`### ${t.title}`, ""] : []), renderMarkdown(colour(t, false))]),
      "",
      ...tail.map((l) => (l.startsWith("- ") ? l : `**${l}**`)),
    ].join("\n");
  }
  return [
    title,
    ...lines,
    ...tables.flatMap((t) => ["", ...(t.title ? [`${t.title}:`] : []), renderText(colour(t, color))]),
    "",
    ...tail,
  ].join("\n");
}

function tail(doc: RegressionAuditResult | MulticlassAuditResult): string[] {
  const small = doc.groups.some((g) => g.small)
    ? [`* fewer than ${doc.settings.min_group_size} rows: too small to conclude anything`]
    : [];
  const warnings = doc.warnings.filter((w) => w.code !== "SMALL_GROUP").map((w) => `- ${w.message}`);
  return [...small, taskVerdict(doc.passed), ...(warnings.length ? ["", "warnings:", ...warnings] : [])];
}

function cell(x: unknown): string {
  return x === null || x === undefined ? "" : String(x);
}

function title(doc: RegressionAuditResult | MulticlassAuditResult): string {
  const i = doc.input;
  return `fairkit ${doc.tool.version} ${doc.task} audit of ${i.source}: ${formatCount(i.rows)} rows${i.where ? ` where ${i.where}` : ""}`;
}

/**
 * Renders a regression audit.
 *
 * @example
 * process.stdout.write(renderRegressionAudit(doc, "table"));
 */
export function renderRegressionAudit(
  doc: RegressionAuditResult,
  format: OutputFormat,
  options: { color?: boolean } = {},
): string {
  if (format === "json") return JSON.stringify(doc, null, 2);
  if (format === "csv") {
    const metrics = doc.settings.metrics;
    const columns = doc.input.sensitive;
    const quantiles = Object.keys(doc.overall.prediction_quantiles);
    const headers = [
      "label",
      ...columns,
      "n",
      "weight",
      "small",
      ...metrics.flatMap((m) => [m, `${m}_low`, `${m}_high`]),
      ...quantiles.map((q) => `prediction_${q}`),
    ];
    const rows = [doc.overall, ...doc.groups].map((g) => [
      g.label,
      ...columns.map((_, k) => cell(g.group[k])),
      String(g.n),
      String(g.weight),
      String(g.small),
      ...metrics.flatMap((m) => [cell(g.metrics[m]), cell(g.intervals[m]?.[0]), cell(g.intervals[m]?.[1])]),
      ...quantiles.map((q) => cell(g.prediction_quantiles[q])),
    ]);
    return renderCsv({ headers, rows });
  }
  const color = format === "table" && (options.color ?? false);
  return page(format, title(doc), regressionNotes(doc), regressionTables(doc), tail(doc), color);
}

/**
 * Renders a multiclass audit.
 *
 * @example
 * process.stdout.write(renderMulticlassAudit(doc, "markdown"));
 */
export function renderMulticlassAudit(
  doc: MulticlassAuditResult,
  format: OutputFormat,
  options: { color?: boolean } = {},
): string {
  if (format === "json") return JSON.stringify(doc, null, 2);
  if (format === "csv") {
    const metrics = doc.settings.metrics;
    const columns = doc.input.sensitive;
    const headers = [
      "class",
      "label",
      ...columns,
      "n",
      "weight",
      "small",
      ...metrics.flatMap((m) => [m, `${m}_low`, `${m}_high`]),
    ];
    const rows = doc.per_class.flatMap((part) =>
      [part.overall, ...part.groups].map((g) => [
        part.label,
        g.label,
        ...columns.map((_, k) => cell(g.group[k])),
        String(g.n),
        String(g.weight),
        String(g.small),
        ...metrics.flatMap((m) => [cell(g.metrics[m]), cell(g.intervals[m]?.[0]), cell(g.intervals[m]?.[1])]),
      ]),
    );
    return renderCsv({ headers, rows });
  }
  const color = format === "table" && (options.color ?? false);
  return page(format, title(doc), multiclassNotes(doc), multiclassTables(doc), tail(doc), color);
}
