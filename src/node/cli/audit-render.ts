/**
 * The audit result as text: a table per group with intervals and small-group flags, then the
 * criteria with pass/fail (text and Markdown); one row per group (CSV). JSON is the result itself.
 */
import pc from "picocolors";
import { type AuditResult, decisionWords, levelText, metricShort, metricSpec } from "fairkit/internal";
import {
  formatCount,
  formatNumber,
  type OutputFormat,
  type TextTable,
  renderCsv,
  renderMarkdown,
  renderText,
} from "./table.js";

function isCount(metric: string): boolean {
  try {
    return metricSpec(metric).kind === "count";
  } catch {
    return false; // a custom metric's name
  }
}

function withInterval(value: number | null, interval: [number | null, number | null] | undefined): string {
  const v = formatNumber(value);
  if (!interval || interval[0] === null || interval[1] === null) return v;
  return `${v} (${formatNumber(interval[0])}–${formatNumber(interval[1])})`;
}

function groupsTable(result: AuditResult): TextTable {
  const metrics = result.settings.metrics;
  const headers = ["group", "n", ...metrics.map(metricShort)];
  const rows = [result.overall, ...result.groups].map((g) => [
    g === result.overall ? "overall" : `${g.label}${g.small ? " *" : ""}`,
    formatCount(g.n),
    ...metrics.map((m) =>
      isCount(m) ? formatCount(g.metrics[m] ?? Number.NaN) : withInterval(g.metrics[m], g.intervals[m]),
    ),
  ]);
  return { headers, rows };
}

function criteriaTable(result: AuditResult, color: boolean): TextTable {
  const rows = Object.entries(result.checks).map(([name, check]) => {
    const verdict = check.pass === null ? "n/a" : check.pass ? "pass" : "FAIL";
    const shown = color
      ? check.pass === false
        ? pc.red(verdict)
        : check.pass
          ? pc.green(verdict)
          : pc.yellow(verdict)
      : verdict;
    return [name, formatNumber(check.value), `${check.rule} ${check.tolerance}`, shown];
  });
  return { headers: ["criterion", "value", "tolerance", "result"], rows, alignRight: [false, true, true, false] };
}

function describeInput(result: AuditResult): string[] {
  const i = result.input;
  const decision = i.score !== null ? `${i.score} >= ${i.threshold}` : (i.y_pred ?? "");
  const lines = [
    `fairkit ${result.tool.version} audit of ${i.source}: ${formatCount(i.rows)} rows${i.where ? ` where ${i.where}` : ""}`,
    `label ${i.y_true}${i.pos_label !== null ? ` (positive = ${JSON.stringify(i.pos_label)})` : ""}; decision ${decision}; groups by ${i.sensitive.join(" × ")}${i.weight ? `; weights ${i.weight}` : ""}`,
  ];
  const s = result.settings;
  const method =
    s.disparity.method === "to_reference"
      ? `each group vs ${JSON.stringify(s.disparity.reference)}`
      : "between groups (max − min, min / max)";
  const intervals =
    s.intervals === "none"
      ? "no intervals"
      : `${levelText(s.level)} ${s.intervals === "wilson" ? "Wilson" : "bootstrap"} intervals in parentheses`;
  lines.push(`${intervals}; criteria compare ${method}`);
  lines.push(`positive decision: ${s.positive_decision}, ${decisionWords(s.positive_decision).summary}`);
  return lines;
}

/**
 * Renders an audit result in a format.
 *
 * @example
 * process.stdout.write(renderAudit(result, "markdown"));
 */
export function renderAudit(result: AuditResult, format: OutputFormat, options: { color?: boolean } = {}): string {
  if (format === "json") return JSON.stringify(result, null, 2);
  if (format === "csv") {
    const metrics = result.settings.metrics;
    const columns = result.input.sensitive;
    const headers = [
      "label",
      ...columns,
      "n",
      "weight",
      "small",
      ...metrics.flatMap((m) => [m, `${m}_low`, `${m}_high`]),
    ];
    const cell = (x: number | null | undefined) => (x === null || x === undefined ? "" : String(x));
    const rows = [result.overall, ...result.groups].map((g) => [
      g.label,
      ...columns.map((_, k) => (g.group[k] === null || g.group[k] === undefined ? "" : String(g.group[k]))),
      String(g.n),
      String(g.weight),
      String(g.small),
      ...metrics.flatMap((m) => [cell(g.metrics[m]), cell(g.intervals[m]?.[0]), cell(g.intervals[m]?.[1])]),
    ]);
    return renderCsv({ headers, rows });
  }
  const small = result.groups.some((g) => g.small)
    ? `* fewer than ${result.settings.min_group_size} rows: too small to conclude anything`
    : "";
  const warnings = result.warnings.filter((w) => w.code !== "SMALL_GROUP").map((w) => `- ${w.message}`);
  const verdict =
    result.passed === true
      ? "all criteria within tolerance"
      : result.passed === false
        ? "some criteria outside tolerance"
        : "some criteria undefined";
  if (format === "markdown") {
    return [
      `## fairkit audit: ${result.input.source}`,
      "",
      ...describeInput(result)
        .slice(1)
        .map((l) => `${l}  `),
      `${formatCount(result.input.rows)} rows${result.input.where ? ` where \`${result.input.where}\`` : ""}`,
      "",
      renderMarkdown(groupsTable(result)),
      ...(small ? ["", small.replace("* ", "\\* ")] : []),
      "",
      "### Criteria",
      "",
      renderMarkdown(criteriaTable(result, false)),
      "",
      `**${verdict}**`,
      ...(warnings.length ? ["", "### Warnings", "", ...warnings] : []),
    ].join("\n");
  }
  const color = options.color ?? false;
  return [
    ...describeInput(result),
    "",
    renderText(groupsTable(result)),
    ...(small ? [small] : []),
    "",
    renderText(criteriaTable(result, color)),
    verdict,
    ...(warnings.length ? ["", "warnings:", ...warnings] : []),
  ].join("\n");
}
