/**
 * The regression and multiclass audit documents as text, Markdown and CSV (JSON is the document
 * itself). They read only the document, so every number shown is one the JSON holds.
 */
import pc from "picocolors";
import {
  levelText,
  metricShort,
  type MulticlassAuditResult,
  REGRESSION_CRITERIA,
  REGRESSION_METRICS,
  type RegressionAuditResult,
} from "fairkit/internal";
import {
  formatCount,
  formatNumber,
  type OutputFormat,
  renderCsv,
  renderMarkdown,
  renderText,
  type TextTable,
} from "./table.js";

type Interval = [number | null, number | null] | null | undefined;

function withInterval(value: number | null, interval: Interval): string {
  const v = formatNumber(value);
  if (!interval || interval[0] === null || interval[1] === null) return v;
  return `${v} (${formatNumber(interval[0])}–${formatNumber(interval[1])})`;
}

function verdictCell(pass: boolean | null | undefined, color: boolean): string {
  if (pass === undefined) return "";
  const verdict = pass === null ? "n/a" : pass ? "pass" : "FAIL";
  if (!color) return verdict;
  return pass === false ? pc.red(verdict) : pass ? pc.green(verdict) : pc.yellow(verdict);
}

function verdictLine(passed: boolean | null): string {
  return passed === true
    ? "all checked criteria within tolerance"
    : passed === false
      ? "some criteria outside tolerance"
      : "some criteria undefined";
}

function cell(x: number | null | undefined): string {
  return x === null || x === undefined ? "" : String(x);
}

function page(
  format: OutputFormat,
  title: string,
  lines: string[],
  tables: [string, TextTable][],
  tail: string[],
): string {
  if (format === "markdown") {
    return [
      `## ${title}`,
      "",
      ...lines.map((l) => `${l}  `),
      ...tables.flatMap(([heading, t]) => ["", ...(heading ? [`### ${heading}`, ""] : []), renderMarkdown(t)]),
      "",
      ...tail.map((l) => (l.startsWith("- ") ? l : `**${l}**`)),
    ].join("\n");
  }
  return [
    title,
    ...lines,
    ...tables.flatMap(([heading, t]) => ["", ...(heading ? [`${heading}:`] : []), renderText(t)]),
    "",
    ...tail,
  ].join("\n");
}

function warningLines(warnings: { code: string; message: string }[]): string[] {
  const shown = warnings.filter((w) => w.code !== "SMALL_GROUP").map((w) => `- ${w.message}`);
  return shown.length ? ["", "warnings:", ...shown] : [];
}

/**
 * Renders a regression audit.
 *
 * @example
 * process.stdout.write(renderRegressionAudit(doc, "table"));
 */
export function renderRegressionAudit(
  result: RegressionAuditResult,
  format: OutputFormat,
  options: { color?: boolean } = {},
): string {
  if (format === "json") return JSON.stringify(result, null, 2);
  const metrics = result.settings.metrics;
  const spec = new Map(REGRESSION_METRICS.map((m) => [m.name, m]));
  const entries = [result.overall, ...result.groups];
  const quantiles = Object.keys(result.overall.prediction_quantiles);
  if (format === "csv") {
    const columns = result.input.sensitive;
    const headers = [
      "label",
      ...columns,
      "n",
      "weight",
      "small",
      ...metrics.flatMap((m) => [m, `${m}_low`, `${m}_high`]),
      ...quantiles.map((q) => `prediction_${q}`),
    ];
    const rows = entries.map((g) => [
      g.label,
      ...columns.map((_, k) => cell(g.group[k] as number | null)),
      String(g.n),
      String(g.weight),
      String(g.small),
      ...metrics.flatMap((m) => [cell(g.metrics[m]), cell(g.intervals[m]?.[0]), cell(g.intervals[m]?.[1])]),
      ...quantiles.map((q) => cell(g.prediction_quantiles[q])),
    ]);
    return renderCsv({ headers, rows });
  }
  const color = format === "table" && (options.color ?? false);
  const label = (g: (typeof entries)[number]) =>
    g === result.overall ? "overall" : `${g.label}${g.small ? " *" : ""}`;
  const groups: TextTable = {
    headers: ["group", "n", ...metrics.map((m) => spec.get(m)?.short ?? m)],
    rows: entries.map((g) => [
      label(g),
      formatCount(g.n),
      ...metrics.map((m) => withInterval(g.metrics[m], g.intervals[m])),
    ]),
  };
  const distribution: TextTable = {
    headers: ["group", ...quantiles],
    rows: entries.map((g) => [label(g), ...quantiles.map((q) => formatNumber(g.prediction_quantiles[q]))]),
  };
  const criteria: TextTable = {
    headers: ["criterion", "value", "set by", "tolerance", "result"],
    rows: REGRESSION_CRITERIA.map((c) => {
      const v = result.criteria[c.name as keyof typeof result.criteria];
      const check = result.checks[c.name as keyof typeof result.checks];
      return [
        c.name,
        withInterval(v.value, v.interval),
        v.labels.join(c.kind === "worst" ? "" : " vs "),
        check ? `${check.rule} ${check.tolerance}` : "--fail-on",
        verdictCell(check?.pass, color),
      ];
    }),
    alignRight: [false, true, false, true, false],
  };
  const i = result.input;
  const s = result.settings;
  const intervals =
    s.intervals === "none"
      ? "no intervals"
      : `${levelText(s.level)} ${s.intervals === "normal" ? "normal" : "bootstrap"} intervals in parentheses${s.intervals === "normal" ? " (a gap's interval is the signed difference of its two groups)" : ""}`;
  const method =
    s.disparity.method === "to_reference"
      ? `each group vs ${JSON.stringify(s.disparity.reference)}`
      : "every pair of groups";
  const lines = [
    `outcome ${i.y_true}; prediction ${i.y_pred}; groups by ${i.sensitive.join(" × ")}${i.weight ? `; weights ${i.weight}` : ""}; residual = y − ŷ (positive: under-predicted)`,
    `${intervals}; criteria compare ${method}`,
  ];
  const small = result.groups.some((g) => g.small)
    ? [`* fewer than ${s.min_group_size} rows: too small to conclude anything`]
    : [];
  return page(
    format,
    `fairkit ${result.tool.version} regression audit of ${i.source}: ${formatCount(i.rows)} rows${i.where ? ` where ${i.where}` : ""}`,
    lines,
    [
      ["", groups],
      ["prediction quantiles", distribution],
      ["criteria", criteria],
    ],
    [...small, verdictLine(result.passed), ...warningLines(result.warnings)],
  );
}

/**
 * Renders a multiclass audit.
 *
 * @example
 * process.stdout.write(renderMulticlassAudit(doc, "markdown"));
 */
export function renderMulticlassAudit(
  result: MulticlassAuditResult,
  format: OutputFormat,
  options: { color?: boolean } = {},
): string {
  if (format === "json") return JSON.stringify(result, null, 2);
  const metrics = result.settings.metrics;
  if (format === "csv") {
    const columns = result.input.sensitive;
    const headers = [
      "class",
      "label",
      ...columns,
      "n",
      "weight",
      "small",
      ...metrics.flatMap((m) => [m, `${m}_low`, `${m}_high`]),
    ];
    const rows = result.per_class.flatMap((part) =>
      [part.overall, ...part.groups].map((g) => [
        part.label,
        g.label,
        ...columns.map((_, k) => cell(g.group[k] as number | null)),
        String(g.n),
        String(g.weight),
        String(g.small),
        ...metrics.flatMap((m) => [cell(g.metrics[m]), cell(g.intervals[m]?.[0]), cell(g.intervals[m]?.[1])]),
      ]),
    );
    return renderCsv({ headers, rows });
  }
  const color = format === "table" && (options.color ?? false);
  const s = result.settings;
  const entries = [result.overall, ...result.groups];
  const groups: TextTable = {
    headers: ["group", "n", "accuracy", "macro recall", "macro precision"],
    rows: entries.map((g) => [
      g === result.overall ? "overall" : `${g.label}${g.small ? " *" : ""}`,
      formatCount(g.n),
      withInterval(g.accuracy, g.accuracy_interval),
      formatNumber(g.macro_recall),
      formatNumber(g.macro_precision),
    ]),
  };
  const perClass: [string, TextTable][] = result.per_class.map((part) => [
    `class ${part.label} (one-vs-rest)`,
    {
      headers: ["group", "n", ...metrics.map(metricShort)],
      rows: [part.overall, ...part.groups].map((g) => [
        g === part.overall ? "overall" : `${g.label}${g.small ? " *" : ""}`,
        formatCount(g.n),
        ...metrics.map((m) => withInterval(g.metrics[m], g.intervals[m])),
      ]),
    },
  ]);
  const criteria: TextTable = {
    headers: ["criterion", "value", "worst class", "tolerance", "result"],
    rows: Object.entries(result.checks).map(([name, check]) => [
      name,
      formatNumber(check.value),
      result.criteria[name as keyof typeof result.criteria].class ?? "",
      `${check.rule} ${check.tolerance}`,
      verdictCell(check.pass, color),
    ]),
    alignRight: [false, true, false, true, false],
  };
  const i = result.input;
  const intervals = s.intervals === "none" ? "no intervals" : `${levelText(s.level)} Wilson intervals in parentheses`;
  const method =
    s.disparity.method === "to_reference"
      ? `each group vs ${JSON.stringify(s.disparity.reference)}`
      : "between groups (max − min, min / max)";
  const lines = [
    `outcome ${i.y_true}; decision ${i.y_pred}; ${result.classes.length} classes (${result.per_class.map((p) => p.label).join(", ")}); groups by ${i.sensitive.join(" × ")}${i.weight ? `; weights ${i.weight}` : ""}`,
    `${intervals}; criteria compare ${method}, per class one-vs-rest, and each takes its worst class`,
  ];
  const small = result.groups.some((g) => g.small)
    ? [`* fewer than ${s.min_group_size} rows: too small to conclude anything`]
    : [];
  return page(
    format,
    `fairkit ${result.tool.version} multiclass audit of ${i.source}: ${formatCount(i.rows)} rows${i.where ? ` where ${i.where}` : ""}`,
    lines,
    [["", groups], ...perClass, ["criteria (worst class)", criteria]],
    [...small, verdictLine(result.passed), ...warningLines(result.warnings)],
  );
}
