/**
 * The report of a regression or multiclass audit (`fairkit.task_report`) as HTML and Markdown:
 * the summary, the model card with the audit's tables as its quantitative analyses, the
 * datasheet, NYC LL144 scoring rates (regression) and the EU AI Act test log. The sections are the
 * binary report's own (html-parts.ts, markdown.ts), the tables the core's task tables, so the
 * numbers are the ones `fairkit audit --task` prints.
 */
import type { TaskReport } from "../audit/task-report.js";
import { barChart } from "../charts/svg.js";
import { datasheetHtml, e, euAiActHtml, htmlPage, ll144Html, modelCardHtml } from "./html-parts.js";
import {
  bullets,
  datasheetMarkdown,
  euAiActMarkdown,
  headerMarkdown,
  ll144Markdown,
  modelCardMarkdown,
  table,
} from "./markdown.js";
import { count, levelText } from "./format.js";
import {
  multiclassNotes,
  multiclassTables,
  regressionNotes,
  regressionTables,
  type TaskTable,
  taskTableHtml,
  taskVerdict,
} from "./task-tables.js";

function tablesOf(report: TaskReport): { notes: string[]; tables: TaskTable[] } {
  const doc = report.audit;
  return doc.task === "regression"
    ? { notes: regressionNotes(doc), tables: regressionTables(doc) }
    : { notes: multiclassNotes(doc), tables: multiclassTables(doc) };
}

function intervalsNote(report: TaskReport): string {
  const s = report.audit.settings;
  return s.intervals === "none"
    ? "no intervals"
    : `${levelText(s.level)} ${s.intervals === "wilson" ? "Wilson" : s.intervals === "normal" ? "normal (mean ± z·SE)" : "bootstrap"} intervals`;
}

/** The chart of the audit's headline metric per group, with intervals. */
function chart(report: TaskReport): string {
  const doc = report.audit;
  if (doc.task === "regression") {
    // Residuals are signed: the axis spans every value and interval end, and 0.
    const ends = doc.groups.flatMap((g) => [
      g.metrics.mean_residual,
      g.intervals.mean_residual?.[0] ?? null,
      g.intervals.mean_residual?.[1] ?? null,
    ]);
    const finite = ends.filter((v): v is number => v !== null && Number.isFinite(v));
    const lo = Math.min(0, ...finite);
    const hi = Math.max(0, ...finite);
    const pad = (hi - lo || 1) * 0.05;
    return barChart({
      title: `mean residual (y − ŷ) by group (${intervalsNote(report)})`,
      width: 640,
      domain: [lo - pad, hi + pad],
      reference: { value: 0, label: "0: no systematic error" },
      bars: doc.groups.map((g) => ({
        label: g.label,
        value: g.metrics.mean_residual,
        low: g.intervals.mean_residual?.[0] ?? null,
        high: g.intervals.mean_residual?.[1] ?? null,
        note: `n = ${g.n}`,
        flagged: g.small,
      })),
    });
  }
  return barChart({
    title: `accuracy by group (${intervalsNote(report)})`,
    width: 640,
    bars: doc.groups.map((g) => ({
      label: g.label,
      value: g.accuracy,
      low: g.accuracy_interval?.[0] ?? null,
      high: g.accuracy_interval?.[1] ?? null,
      note: `n = ${g.n}`,
      flagged: g.small,
    })),
  });
}

function decisionNote(report: TaskReport): string {
  const i = report.audit.input;
  return report.task === "regression"
    ? `Outcome: ${i.y_true}; prediction: ${i.y_pred}; residual = y − ŷ (positive: the group is under-predicted).`
    : `True class: ${i.y_true}; decided class: ${i.y_pred}; every criterion per class one-vs-rest, taking the worst class.`;
}

function evaluationLine(report: TaskReport): string {
  const i = report.audit.input;
  return `${report.provenance.data.map((d) => `${d.name}: ${count(d.rows)} rows`).join("; ")}${i.where ? `, filtered by ${i.where}` : ""}`;
}

/**
 * Renders a task report as one self-contained HTML document.
 *
 * @example
 * writeFileSync("report.html", renderTaskReportHtml(buildTaskReport({ ... })));
 */
export function renderTaskReportHtml(report: TaskReport): string {
  const doc = report.audit;
  const { notes, tables } = tablesOf(report);
  const sections: [string, string, string][] = [];
  sections.push([
    "summary",
    "Summary",
    `<ul class="findings">${report.findings.map((f) => `<li>${e(f)}</li>`).join("")}</ul>
<p class="note">An audit is not a certification: these numbers describe this model on this data, at this date. Intervals are ${e(intervalsNote(report))}; "*" marks groups with fewer than ${doc.settings.min_group_size} rows, left out of the criteria.</p>`,
  ]);
  const metricsHtml = `<table><thead><tr><th>metric or criterion</th><th>definition</th><th>what it is</th></tr></thead><tbody>${report.eu_ai_act.metrics
    .map((m) => `<tr><td>${e(m.name)}</td><td>${e(m.formula)}</td><td>${e(m.meaning)}</td></tr>`)
    .join("")}</tbody></table>`;
  sections.push([
    "model-card",
    "Model card",
    modelCardHtml(report.model_card, {
      factorsNote: `<p class="note">Evaluation factors measured here: ${e(doc.input.sensitive.join(", "))}${doc.input.sensitive.length > 1 ? " and their intersection" : ""}.</p>`,
      metricsHtml,
      decisionNote: `<p class="note">${e(decisionNote(report))}</p>`,
      evaluationNote: `<p>${e(evaluationLine(report))}. See the datasheet below.</p>`,
      quantitativeHtml: `<h3>Quantitative analyses</h3>
${notes.map((n) => `<p class="note">${e(n)}</p>`).join("")}
${tables.map(taskTableHtml).join("\n")}
<p><strong>${e(taskVerdict(doc.passed))}</strong></p>
<div class="charts">${chart(report)}</div>
${doc.warnings.length ? `<ul class="note">${doc.warnings.map((w) => `<li>${e(w.message)}</li>`).join("")}</ul>` : ""}
`,
    }),
  ]);
  sections.push([
    "datasheet",
    "Datasheet for the evaluation data",
    datasheetHtml(report.datasheet, doc.settings.level),
  ]);
  if (report.ll144)
    sections.push([
      "ll144",
      "NYC Local Law 144 bias audit",
      ll144Html({ selection: null, ...report.ll144 }, report.tool.version),
    ]);
  sections.push(["eu-ai-act", "EU AI Act test log", euAiActHtml(report.eu_ai_act, report.provenance.config)]);
  return htmlPage({
    title: report.title,
    generatedAt: report.generated_at,
    version: report.tool.version,
    provenance: report.provenance,
    sections,
  });
}

/**
 * Renders a task report as Markdown.
 *
 * @example
 * writeFileSync("report.md", renderTaskReportMarkdown(report));
 */
export function renderTaskReportMarkdown(report: TaskReport): string {
  const doc = report.audit;
  const { notes, tables } = tablesOf(report);
  const out: string[] = [...headerMarkdown(report)];
  out.push(
    "",
    "## Summary",
    "",
    bullets(report.findings),
    "",
    "_An audit is not a certification: these numbers describe this model on this data, at this date._",
    "",
  );
  out.push(
    ...modelCardMarkdown(report.model_card, {
      factorsLine: `Evaluation factors measured: ${doc.input.sensitive.join(", ")}.`,
      metricsTable: table(
        ["metric or criterion", "definition", "what it is"],
        report.eu_ai_act.metrics.map((m) => [m.name, m.formula, m.meaning]),
      ),
      evaluationLine: evaluationLine(report),
      quantitative: [
        "### Quantitative analyses",
        "",
        decisionNote(report),
        "",
        ...notes.map((n) => `${n}  `),
        "",
        ...tables.flatMap((t) => [...(t.title ? [`**${t.title}**`, ""] : []), table(t.headers, t.rows), ""]),
        `**${taskVerdict(doc.passed)}**`,
        "",
        ...doc.warnings.map((w) => `- ${w.message}`),
        ...(doc.warnings.length ? [""] : []),
      ],
    }),
  );
  out.push(...datasheetMarkdown(report.datasheet));
  if (report.ll144) out.push(...ll144Markdown({ selection: null, ...report.ll144 }, report.tool.version));
  out.push(...euAiActMarkdown(report.eu_ai_act));
  return `${out.join("\n").trimEnd()}\n`;
}
