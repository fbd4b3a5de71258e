/**
 * The audit result as text: a table per group with intervals and small-group flags, then the
 * criteria with pass/fail, the groups that set each and its interval (text and Markdown); one row
 * per group (CSV). JSON is the result itself.
 */
import pc from "picocolors";
import {
  type AuditGap,
  type AuditResult,
  CRITERIA,
  type CriterionSummaryName,
  decisionWords,
  groupLabel,
  levelText,
  metricShort,
  metricSpec,
} from "fairkit/internal";
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

/** "A vs B", with the part for a criterion of two metrics: "A vs B (FPR)". */
function setBy(name: string, gap: AuditGap | undefined): string {
  if (!gap?.groups) return "";
  const criterion = name.replace(/_(difference|ratio)$/, "") as keyof typeof CRITERIA;
  const part = (CRITERIA[criterion]?.length ?? 1) > 1 ? ` (${metricShort(gap.metric)})` : "";
  return `${groupLabel(gap.groups[0])} vs ${groupLabel(gap.groups[1])}${part}`;
}

function gapInterval(gap: AuditGap | undefined): string {
  if (!gap?.interval || gap.interval[0] === null || gap.interval[1] === null) return "";
  // A dash after a negative low end would read as a minus: "-0.039–0.046".
  return `${formatNumber(gap.interval[0])}${gap.interval[0] < 0 ? " to " : "–"}${formatNumber(gap.interval[1])}`;
}

function criteriaTable(result: AuditResult, color: boolean): TextTable {
  // Documents of fairkit 0.3.0 and earlier have no gaps: the columns are left out.
  const gaps = result.gaps;
  const rows = Object.entries(result.checks).map(([name, check]) => {
    const verdict = check.pass === null ? "n/a" : check.pass ? "pass" : "FAIL";
    const shown = color
      ? check.pass === false
        ? pc.red(verdict)
        : check.pass
          ? pc.green(verdict)
          : pc.yellow(verdict)
      : verdict;
    const row = [name, formatNumber(check.value), `${check.rule} ${check.tolerance}`, shown];
    if (!gaps) return row;
    const gap = gaps[name as CriterionSummaryName];
    return [...row, setBy(name, gap), gapInterval(gap)];
  });
  const headers = ["criterion", "value", "tolerance", "result"];
  const alignRight = [false, true, true, false];
  if (!gaps) return { headers, rows, alignRight };
  return {
    headers: [...headers, "set by", `${levelText(result.settings.level)} CI`],
    rows,
    alignRight: [...alignRight, false, false],
  };
}

/** What the criteria's intervals are, in one sentence; empty when there are none. */
function gapNote(result: AuditResult): string {
  const methods = new Set(Object.values(result.gaps ?? {}).map((g) => g.interval_method));
  const parts: string[] = [];
  if (methods.has("bootstrap")) parts.push("bootstrap percentiles of the criterion over the groups compared");
  const closed = [
    ...(methods.has("newcombe") ? ["Newcombe (differences)"] : []),
    ...(methods.has("mover") ? ["MOVER (ratios)"] : []),
  ];
  if (closed.length)
    parts.push(`${closed.join(" and ")} for the two groups named, given that they are the extreme pair`);
  return parts.length ? `criteria intervals: ${parts.join("; ")}` : "";
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
  const note = gapNote(result);
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
      ...(note ? ["", note] : []),
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
    ...(note ? [note] : []),
    verdict,
    ...(warnings.length ? ["", "warnings:", ...warnings] : []),
  ].join("\n");
}
