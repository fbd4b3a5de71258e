/**
 * The tables of the regression and multiclass audits as text cells, read only from their JSON
 * documents: the command line, the dashboard and the report all render these, so every face shows
 * the same digits and the same columns.
 */
import type { MulticlassAuditResult } from "../audit/multiclass-audit.js";
import type { RegressionAuditResult } from "../audit/regression-audit.js";
import { metricShort } from "../core/metrics.js";
import { REGRESSION_CRITERIA, REGRESSION_METRICS } from "../regression/metrics.js";
import { escapeXml } from "../charts/svg.js";
import { count, levelText, num } from "./format.js";

/** A table of text cells. */
export interface TaskTable {
  /** What the table shows ("" for the main table). */
  title: string;
  headers: string[];
  rows: string[][];
  /** Per column: right-aligned (numbers). */
  alignRight: boolean[];
  /** Per row: the verdict of a checked criterion (`pass`, `fail`, `n/a`), or "" when not checked. */
  verdicts?: string[];
}

type Interval = readonly (number | null)[] | null | undefined;

/**
 * A value with its interval in parentheses (`0.588 (0.535–0.641)`), as the binary audit table
 * shows it; with a negative end the interval reads `(-0.565 to -0.462)`, since an en dash between
 * negative numbers reads as a minus sign.
 */
export function withInterval(value: number | null | undefined, iv: Interval): string {
  const v = num(value);
  if (!iv || iv[0] === null || iv[1] === null || iv[0] === undefined || iv[1] === undefined) return v;
  const [lo, hi] = [num(iv[0]), num(iv[1])];
  return `${v} (${lo.startsWith("-") || hi.startsWith("-") ? `${lo} to ${hi}` : `${lo}–${hi}`})`;
}

function verdict(pass: boolean | null | undefined): string {
  return pass === undefined ? "" : pass === null ? "n/a" : pass ? "pass" : "FAIL";
}

function groupCell(label: string, small: boolean, overall: boolean): string {
  return overall ? "overall" : `${label}${small ? " *" : ""}`;
}

/** What a regression audit says about how it was computed, one line each. */
export function regressionNotes(doc: RegressionAuditResult): string[] {
  const s = doc.settings;
  const i = doc.input;
  const intervals =
    s.intervals === "none"
      ? "no intervals"
      : `${levelText(s.level)} ${s.intervals} intervals in parentheses${s.intervals === "normal" ? " (a gap's interval is the signed difference of its two groups)" : ""}`;
  const method =
    s.disparity.method === "to_reference"
      ? `each group vs ${JSON.stringify(s.disparity.reference)}`
      : "every pair of groups";
  return [
    `outcome ${i.y_true}; prediction ${i.y_pred}; groups by ${i.sensitive.join(" × ")}${i.weight ? `; weights ${i.weight}` : ""}; residual = y − ŷ (positive: under-predicted)`,
    `${intervals}; criteria compare ${method}`,
  ];
}

/**
 * A regression audit's tables: the groups with their metrics, the prediction quantiles, and the
 * criteria with the groups that set them and their checks.
 *
 * @example
 * const [groups, quantiles, criteria] = regressionTables(doc);
 */
export function regressionTables(doc: RegressionAuditResult): TaskTable[] {
  const metrics = doc.settings.metrics;
  const spec = new Map(REGRESSION_METRICS.map((m) => [m.name, m]));
  const entries = [doc.overall, ...doc.groups];
  const quantiles = Object.keys(doc.overall.prediction_quantiles);
  const criteria = REGRESSION_CRITERIA.map((c) => {
    const v = doc.criteria[c.name as keyof typeof doc.criteria];
    const check = doc.checks[c.name as keyof typeof doc.checks];
    return {
      row: [
        c.name,
        withInterval(v.value, v.interval),
        v.labels.join(c.kind === "worst" ? "" : " vs "),
        check ? `${check.rule} ${check.tolerance}` : "--fail-on",
        verdict(check?.pass),
      ],
      verdict: verdict(check?.pass),
    };
  });
  return [
    {
      title: "",
      headers: ["group", "n", ...metrics.map((m) => spec.get(m)?.short ?? m)],
      rows: entries.map((g) => [
        groupCell(g.label, g.small, g === doc.overall),
        count(g.n),
        ...metrics.map((m) => withInterval(g.metrics[m], g.intervals[m])),
      ]),
      alignRight: [false, true, ...metrics.map(() => true)],
    },
    {
      title: "prediction quantiles",
      headers: ["group", ...quantiles],
      rows: entries.map((g) => [
        groupCell(g.label, g.small, g === doc.overall),
        ...quantiles.map((q) => num(g.prediction_quantiles[q])),
      ]),
      alignRight: [false, ...quantiles.map(() => true)],
    },
    {
      title: "criteria",
      headers: ["criterion", "value", "set by", "tolerance", "result"],
      rows: criteria.map((c) => c.row),
      alignRight: [false, true, false, true, false],
      verdicts: criteria.map((c) => c.verdict),
    },
  ];
}

/** What a multiclass audit says about how it was computed, one line each. */
export function multiclassNotes(doc: MulticlassAuditResult): string[] {
  const s = doc.settings;
  const i = doc.input;
  const intervals = s.intervals === "none" ? "no intervals" : `${levelText(s.level)} Wilson intervals in parentheses`;
  const method =
    s.disparity.method === "to_reference"
      ? `each group vs ${JSON.stringify(s.disparity.reference)}`
      : "between groups (max − min, min / max)";
  return [
    `outcome ${i.y_true}; decision ${i.y_pred}; ${doc.classes.length} classes (${doc.per_class.map((p) => p.label).join(", ")}); groups by ${i.sensitive.join(" × ")}${i.weight ? `; weights ${i.weight}` : ""}`,
    `${intervals}; criteria compare ${method}, per class one-vs-rest, and each takes its worst class`,
  ];
}

/**
 * A multiclass audit's tables: the groups (accuracy, macro recall and precision), one table per
 * class (its one-vs-rest rates), and the criteria with their worst class and checks.
 *
 * @example
 * const [groups, ...rest] = multiclassTables(doc);
 */
export function multiclassTables(doc: MulticlassAuditResult): TaskTable[] {
  const metrics = doc.settings.metrics;
  const entries = [doc.overall, ...doc.groups];
  const checks = Object.entries(doc.checks);
  return [
    {
      title: "",
      headers: ["group", "n", "accuracy", "macro recall", "macro precision"],
      rows: entries.map((g) => [
        groupCell(g.label, g.small, g === doc.overall),
        count(g.n),
        withInterval(g.accuracy, g.accuracy_interval),
        num(g.macro_recall),
        num(g.macro_precision),
      ]),
      alignRight: [false, true, true, true, true],
    },
    ...doc.per_class.map(
      (part): TaskTable => ({
        title: `class ${part.label} (one-vs-rest)`,
        headers: ["group", "n", ...metrics.map(metricShort)],
        rows: [part.overall, ...part.groups].map((g) => [
          groupCell(g.label, g.small, g === part.overall),
          count(g.n),
          ...metrics.map((m) => withInterval(g.metrics[m], g.intervals[m])),
        ]),
        alignRight: [false, true, ...metrics.map(() => true)],
      }),
    ),
    {
      title: "criteria (worst class)",
      headers: ["criterion", "value", "worst class", "tolerance", "result"],
      rows: checks.map(([name, check]) => [
        name,
        num(check.value),
        doc.criteria[name as keyof typeof doc.criteria].class ?? "",
        `${check.rule} ${check.tolerance}`,
        verdict(check.pass),
      ]),
      alignRight: [false, true, false, true, false],
      verdicts: checks.map(([, check]) => verdict(check.pass)),
    },
  ];
}

/** The one-line verdict of a task audit. */
export function taskVerdict(passed: boolean | null): string {
  return passed === true
    ? "all checked criteria within tolerance"
    : passed === false
      ? "some criteria outside tolerance"
      : "some criteria undefined";
}

/**
 * A task table as an HTML table (the dashboard and the HTML report show these): the first cell
 * of a row is its header, numbers are right-aligned, a failed check's row is marked.
 */
export function taskTableHtml(t: TaskTable, index: number): string {
  const e = escapeXml;
  const head = `<tr>${t.headers.map((h) => `<th scope="col">${e(h)}</th>`).join("")}</tr>`;
  const body = t.rows
    .map(
      (row, r) =>
        `<tr${t.verdicts?.[r] === "FAIL" ? ' class="fail"' : ""}>${row
          .map((cell, c) => {
            if (c === 0) return `<th scope="row">${e(cell)}</th>`;
            // "value (interval)": the interval on its own line, so wide tables stay narrow.
            const m = /^(\S+) (\(.+\))$/.exec(cell);
            const shown = m ? `${e(m[1])} <br><span class="interval note">${e(m[2])}</span>` : e(cell);
            return `<td${t.alignRight[c] ? ' class="n"' : ""}>${shown}</td>`;
          })
          .join("")}</tr>`,
    )
    .join("");
  return `${t.title ? `<h3>${e(t.title)}</h3>` : ""}<div class="table-wrap"><table class="frame" data-task-table="${index}"><thead>${head}</thead><tbody>${body}</tbody></table></div>`;
}
