/**
 * The parts of an HTML report that every report kind shares: the stylesheet, the cell and text
 * helpers, the model card, datasheet, NYC LL144 and EU AI Act sections, and the page with its
 * provenance header and contents. The binary report (html.ts) and the regression and multiclass
 * report (task-report.ts) are both assembled from these, so a model card reads the same in each.
 */
import type { Datasheet } from "../audit/datasheet.js";
import type { LL144Result } from "../audit/ll144.js";
import type { ModelCard } from "../audit/model-card.js";
import type { EuAiActLog, Provenance } from "../audit/report-data.js";
import { barChart, escapeXml } from "../charts/svg.js";
import type { LL144Section } from "../audit/ll144-summary.js";
import {
  count,
  interval,
  levelText,
  ll144CategoryRows,
  ll144Facts,
  ll144MappingNotes,
  ll144SmallNote,
  ll144Title,
  ll144UnknownText,
  num,
  pct,
} from "./format.js";

/** Escapes text for HTML. */
export const e = escapeXml;

/** The report stylesheet (inline: the file loads nothing). */
export const CSS = `
:root { --ink: #1a1a1a; --muted: #555; --rule: #c8c8c8; --flag: #D55E00; --ok: #009E73; --accent: #0072B2; }
* { box-sizing: border-box; }
html { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink); line-height: 1.45; }
body { max-width: 1000px; margin: 0 auto; padding: 24px 32px 64px; font-size: 14px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 19px; border-bottom: 2px solid var(--ink); padding-bottom: 3px; margin-top: 36px; }
h3 { font-size: 15px; margin: 22px 0 6px; }
.meta { color: var(--muted); font-size: 12.5px; }
.meta code, code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 12px; word-break: break-all; }
table { border-collapse: collapse; margin: 8px 0 14px; width: 100%; font-size: 12.5px; }
th, td { border-bottom: 1px solid var(--rule); padding: 3px 6px; text-align: left; vertical-align: top; }
th { background: #f2f2f2; font-weight: 600; }
td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
.flag { color: var(--flag); font-weight: 600; }
.ok { color: var(--ok); }
.small { color: var(--muted); font-style: italic; }
.note { color: var(--muted); font-size: 12.5px; }
.missing { color: var(--flag); }
.findings li { margin: 3px 0; }
.charts { display: flex; flex-wrap: wrap; gap: 12px 24px; }
svg.chart { max-width: 100%; height: auto; }
nav ol { columns: 2; font-size: 13px; }
a { color: var(--accent); }
.hash { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; }
@page { size: A4; margin: 16mm 14mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 11px; }
  h2 { break-before: page; }
  h2.first { break-before: avoid; }
  h3, figure, svg.chart, .keep { break-inside: avoid; break-after: auto; }
  nav { display: none; }
  a { color: inherit; text-decoration: none; }
  th { background: #eee !important; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  svg.chart { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  /* Every table fits the printed width (A4 less margins, 182 mm): smaller type, tighter cells; names break at underscores. */
  table { font-size: 8.5px; }
  th, td { padding: 2px 3px; }
  .note { font-size: 8.5px; }
}
`;

/** A numeric cell: the rounded text, and the full-precision value in `data-value` with `data-*` naming it. */
export function valueCell(value: number | null | undefined, attrs: Record<string, string>, text?: string): string {
  const a = Object.entries(attrs)
    .map(([k, v]) => ` data-${k}="${e(v)}"`)
    .join("");
  const v = value === null || value === undefined || !Number.isFinite(value) ? "" : String(value);
  return `<td class="n"${a} data-value="${v}">${text ?? num(value)}</td>`;
}

/** A bulleted list, or a note that there is none. */
export function list(items: readonly string[], empty = "none given"): string {
  if (items.length === 0) return `<p class="missing">${e(empty)}</p>`;
  return `<ul>${items.map((t) => `<li>${e(t)}</li>`).join("")}</ul>`;
}

/** Paragraphs of card-file text, or a note that it was not given. */
export function para(text: string | null | undefined, empty = "not given in the card file"): string {
  if (!text || text.trim() === "") return `<p class="missing">${e(empty)}</p>`;
  return text
    .split(/\n\s*\n/)
    .map((p) => `<p>${e(p.trim())}</p>`)
    .join("");
}

/** What only the report kind knows, put into its model card. */
export interface ModelCardParts {
  /** After "Factors": which sensitive columns were measured. */
  factorsNote: string;
  /** After "Metrics": the definitions table of the metrics used. */
  metricsHtml: string;
  /** What the decision or prediction is, and how groups are compared. */
  decisionNote: string;
  /** After "Evaluation data": the data used. */
  evaluationNote: string;
  /** "Quantitative analyses": the numbers. */
  quantitativeHtml: string;
}

/** The model card section's body (Mitchell et al. 2019), from the card and the report kind's parts. */
export function modelCardHtml(card: ModelCard, parts: ModelCardParts): string {
  const mc = card.model_card;
  const md = mc.model_details;
  const owners = md.owners.map((o) => [o.name, o.contact].filter(Boolean).join(", "));
  return `<p class="note">After Mitchell et al. (2019), "Model Cards for Model Reporting". Text comes from the card file; numbers are computed. The JSON report holds this card in Model Card Toolkit schema v0.0.2 form.</p>
${card.missing.length ? `<p class="missing">Not given in the card file: ${e(card.missing.join(", "))}.</p>` : ""}
<h3>Model details</h3>
<table class="keep"><tbody>
<tr><th>name</th><td>${e(md.name)}</td></tr>
<tr><th>overview</th><td>${e(md.overview ?? "—")}</td></tr>
<tr><th>version</th><td>${e([md.version?.name, md.version?.date].filter(Boolean).join(", ") || "—")}</td></tr>
<tr><th>owners</th><td>${e(owners.join("; ") || "—")}</td></tr>
<tr><th>architecture</th><td>${e(mc.model_parameters.model_architecture ?? "—")}</td></tr>
<tr><th>licenses</th><td>${e(md.licenses.map((l) => l.identifier ?? l.custom_text ?? "").join(", ") || "—")}</td></tr>
<tr><th>references</th><td>${e(md.references.map((r) => r.reference).join(", ") || "—")}</td></tr>
</tbody></table>
${md.documentation ? para(md.documentation) : ""}
<h3>Intended use</h3>
<p><strong>Primary uses</strong></p>${list(mc.considerations.use_cases.map((u) => u.description))}
<p><strong>Primary users</strong></p>${list(mc.considerations.users.map((u) => u.description))}
<p><strong>Out-of-scope uses</strong></p>${list(card.sections.out_of_scope_uses)}
<h3>Factors</h3>
${list(card.sections.factors)}
${parts.factorsNote}
<h3>Metrics</h3>
${para(card.sections.metrics_rationale, "no rationale given for the choice of metrics")}
${parts.metricsHtml}
${parts.decisionNote}
<h3>Evaluation data</h3>
${para(card.sections.evaluation_data, "")}
${parts.evaluationNote}
<h3>Training data</h3>
${para(card.sections.training_data)}
${mc.model_parameters.data.length > 1 ? list(mc.model_parameters.data.slice(0, -1).map((d) => [d.name, d.description, d.link].filter(Boolean).join(" — "))) : ""}
${parts.quantitativeHtml}<h3>Ethical considerations</h3>
${list(
  mc.considerations.ethical_considerations.map((r) =>
    r.mitigation_strategy ? `${r.name} — mitigation: ${r.mitigation_strategy}` : r.name,
  ),
  "none given and none computed",
)}
<h3>Caveats and recommendations</h3>
${list([...card.sections.caveats_and_recommendations, ...mc.considerations.limitations.map((l) => l.description)], "none given")}
${mc.considerations.tradeoffs.length ? `<p><strong>Trade-offs</strong></p>${list(mc.considerations.tradeoffs.map((t) => t.description))}` : ""}
<h3>Monitoring</h3>
${para(card.sections.monitoring, "no monitoring plan given in the card file")}`;
}

/** The datasheet section's body (Gebru et al.); base-rate columns when the datasheet has base rates. */
export function datasheetHtml(ds: Datasheet, level: number): string {
  const hasBase = ds.base_rates.length > 0;
  const repTables = ds.representation
    .map((r) => {
      const hasRef = r.groups.some((g) => g.reference_share !== null);
      const base = ds.base_rates.find((b) => b.columns.join() === r.columns.join());
      return `<p><strong>${e(r.columns.join(" × "))}</strong></p><table><thead><tr><th>group</th><th>rows</th><th>share</th>${hasRef ? "<th>reference share</th><th>gap</th>" : ""}${hasBase ? `<th>base rate</th><th>${levelText(level)} interval</th>` : ""}</tr></thead><tbody>${r.groups
        .map((g, i) => {
          const b = base?.groups[i];
          return `<tr><td>${e(g.label)}</td>${valueCell(g.rows, { section: `representation:${r.columns.join("×")}`, group: g.label, metric: "rows" }, count(g.rows))}${valueCell(g.share, { section: `representation:${r.columns.join("×")}`, group: g.label, metric: "share" }, pct(g.share))}${
            hasRef
              ? `<td class="n">${pct(g.reference_share)}</td><td class="n${g.ratio !== null && g.ratio < 0.8 ? " flag" : ""}">${g.gap === null ? "—" : `${g.gap >= 0 ? "+" : ""}${(100 * g.gap).toFixed(1)} pp`}</td>`
              : ""
          }${hasBase ? `${valueCell(b?.base_rate, { section: `base_rate:${r.columns.join("×")}`, group: g.label, metric: "base_rate" })}<td class="n">${interval(b?.interval)}</td>` : ""}</tr>`;
        })
        .join("")}</tbody></table>`;
    })
    .join("");
  return `<p class="note">After Gebru et al. (2018/2021), "Datasheets for Datasets": counted facts first, then the answers given in the card file.</p>
<p>${count(ds.rows)} rows.</p>
<h3>Columns and missing values</h3>
<table><thead><tr><th>column</th><th>type</th><th>missing</th><th>missing share</th><th>distinct values</th></tr></thead><tbody>${ds.columns
    .map(
      (c) =>
        `<tr><td>${e(c.name)}</td><td>${e(c.type)}</td>${valueCell(c.missing, { section: "columns", group: c.name, metric: "missing" }, count(c.missing))}<td class="n">${pct(c.missing_share)}</td><td class="n">${c.distinct === null ? "—" : count(c.distinct)}</td></tr>`,
    )
    .join("")}</tbody></table>
<h3>${hasBase ? "Group representation and base rates" : "Group representation"}</h3>
${repTables}
<h3>Answers to the datasheet questions</h3>
${ds.answers.length ? `<table><thead><tr><th>section</th><th>question</th><th>answer</th></tr></thead><tbody>${ds.answers.map((x) => `<tr><td>${e(x.section)}</td><td>${e(x.question ?? "")}</td><td>${e(x.answer)}</td></tr>`).join("")}</tbody></table>` : ""}
${ds.unanswered.length ? `<p class="missing">Unanswered sections: ${e(ds.unanswered.join(", "))}.</p>` : ""}`;
}

/** The LL144 summary of results (6 RCNY §5-303) as HTML: the facts, the counts per table, the values and their categories. */
export function ll144SummaryHtml(ll: LL144Section, toolVersion: string): string {
  const s = ll.summary;
  const first = (ll.selection ?? ll.scoring)!;
  const facts = ll144Facts(s, first.total, toolVersion)
    .map((f) => `<tr><th>${e(f.label)}</th><td${f.missing ? ' class="missing"' : ""}>${e(f.text)}</td></tr>`)
    .join("");
  const totals = s.totals
    .map((t, k) => {
      const id = `ll144:summary:${t.dimension}`;
      return `<tr><td>${e(ll144Title(first.tables[k]))}</td>${valueCell(t.assessed, { section: id, metric: "assessed" }, count(t.assessed))}${valueCell(t.in_categories, { section: id, metric: "in_categories" }, count(t.in_categories))}${valueCell(t.unknown, { section: id, metric: "unknown" }, count(t.unknown))}</tr>`;
    })
    .join("");
  const categories = ll144CategoryRows(s.categories)
    .map(
      ([column, value, rows, category]) =>
        `<tr><td>${e(column)}</td><td>${e(value)}</td><td class="n">${e(rows)}</td><td${category.startsWith("unknown") ? ' class="small"' : ""}>${e(category)}</td></tr>`,
    )
    .join("");
  const notes = ll144MappingNotes(s);
  return `<h3>Summary of results (6 RCNY §5-303)</h3>
<p class="note">${e(s.basis)}.</p>
<table class="keep facts"><tbody>${facts}</tbody></table>
${s.warnings.map((w) => `<p class="flag">${e(w)}</p>`).join("")}
<table class="keep"><thead><tr><th>table</th><th>assessed</th><th>in a category</th><th>unknown category</th></tr></thead><tbody>${totals}</tbody></table>
<table class="keep"><thead><tr><th>column</th><th>value in the data</th><th>rows</th><th>counts in (EEO-1 category)</th></tr></thead><tbody>${categories}</tbody></table>
${notes.map((n) => `<p class="${n.missing ? "missing" : "note"}">${e(n.text)}</p>`).join("")}`;
}

/** The NYC LL144 section's body: the summary of results, then the selection-rate tables, the scoring-rate tables, or both. */
export function ll144Html(ll: LL144Section, toolVersion: string): string {
  const first = (ll.selection ?? ll.scoring)!;
  const tableOf = (result: LL144Result, label: string) =>
    result.tables
      .map((t, k) => {
        const included = t.rows.filter((r) => !r.excluded);
        const excluded = t.rows.filter((r) => r.excluded);
        const title = ll144Title(t);
        const sectionId = `ll144:${result.kind}:${t.dimension}`;
        return `<h3>${e(title)} — ${e(label)}</h3>
<table><thead><tr><th>category</th><th>applicants</th><th>${e(result.outcome)}</th><th>${e(result.rate_name.replace("_", " "))}</th><th>impact ratio</th></tr></thead><tbody>${included
          .map(
            (r) =>
              `<tr><td>${e(r.category)}</td>${valueCell(r.count, { section: sectionId, group: r.category, metric: "count" }, count(r.count))}<td class="n">${count(r.positives)}</td>${valueCell(r.rate, { section: sectionId, group: r.category, metric: result.rate_name })}${valueCell(r.impact_ratio, { section: sectionId, group: r.category, metric: "impact_ratio" }, `<span class="${r.impact_ratio < 0.8 ? "flag" : ""}">${num(r.impact_ratio)}</span>`)}</tr>`,
          )
          .join("")}</tbody></table>
<p class="note">${e(ll144UnknownText(ll.summary.totals[k], ll.summary.categories))} Highest rate: ${e(t.highest ?? "—")} (${num(t.highest_rate)}).</p>
${(() => {
  const note = ll144SmallNote(t, result.exclusion !== null);
  return note ? `<p class="missing">${e(note)}</p>` : "";
})()}
${excluded.length ? `<p><strong>Excluded from the impact ratios (under ${pct(result.exclusion?.share)} of the data).</strong> Justification: ${e(result.exclusion?.justification ?? "")}</p><table><thead><tr><th>category</th><th>applicants</th><th>share of data</th><th>${e(result.rate_name.replace("_", " "))}</th></tr></thead><tbody>${excluded.map((r) => `<tr><td>${e(r.category)}</td>${valueCell(r.count, { section: `${sectionId}:excluded`, group: r.category, metric: "count" }, count(r.count))}<td class="n">${pct(r.share)}</td>${valueCell(r.rate, { section: `${sectionId}:excluded`, group: r.category, metric: result.rate_name })}</tr>`).join("")}</tbody></table>` : ""}
${barChart({ title: `${title}: impact ratio`, bars: included.map((r) => ({ label: r.category, value: r.impact_ratio, note: `n = ${r.count}`, flagged: r.impact_ratio < 0.8 })), reference: { value: 0.8, label: "0.8" }, width: 640 })}`;
      })
      .join("");
  return `<p class="note">${e(first.basis)}. ${count(first.total)} individuals assessed.${ll.scoring ? ` Scoring rate: share ${ll.scoring.outcome.replace("the median", "the sample median")} (${num(ll.scoring.median)}).` : ""}</p>
${ll144SummaryHtml(ll, toolVersion)}
${ll.selection ? tableOf(ll.selection, "selection rate") : ""}
${ll.scoring ? tableOf(ll.scoring, "scoring rate") : ""}`;
}

/** The EU AI Act test log section's body, with the configuration it was run with. */
export function euAiActHtml(eu: EuAiActLog, config: unknown): string {
  return `<p class="note">${e(eu.basis)}.</p>
<table class="keep"><tbody>
<tr><th>date</th><td>${e(eu.date)}</td></tr>
<tr><th>tool and version</th><td>${e(eu.tool)}</td></tr>
${eu.data.map((d) => `<tr><th>test data</th><td>${e(d.name)}: ${count(d.rows)} rows${d.bytes !== undefined ? `, ${count(d.bytes)} bytes` : ""}<br>SHA-256 <code>${e(d.sha256 ?? "not computed")}</code></td></tr>`).join("")}
<tr><th>configuration SHA-256</th><td><code>${e(eu.config_sha256 ?? "not computed")}</code></td></tr>
<tr><th>responsible persons</th><td>${e(eu.responsible_persons.join("; ") || "not given in the card file")}</td></tr>
<tr><th>signature</th><td>${e(eu.signature)}</td></tr>
</tbody></table>
<h3>Metrics used</h3>
<table><thead><tr><th>metric</th><th>formula</th></tr></thead><tbody>${eu.metrics.map((m) => `<tr><td>${e(m.name)}</td><td><code>${e(m.formula)}</code></td></tr>`).join("")}</tbody></table>
<h3>Tests performed</h3>
<table><thead><tr><th>test</th><th>result</th></tr></thead><tbody>${eu.tests.map((t) => `<tr><td>${e(t.name)}</td><td>${e(t.result)}</td></tr>`).join("")}</tbody></table>
<h3>Configuration</h3>
<pre><code>${e(JSON.stringify(config, null, 2))}</code></pre>`;
}

/** A whole report page: the header with provenance and contents, then the sections in order. */
export interface ReportPage {
  title: string;
  generatedAt: string;
  version: string;
  provenance: Provenance;
  /** [id, title, body] per section. */
  sections: [string, string, string][];
}

/** The report page as one self-contained HTML document. */
export function htmlPage(page: ReportPage): string {
  const dataHashes = page.provenance.data
    .map((d) => `<span>data</span><span>${e(d.name)} · SHA-256 <code>${e(d.sha256 ?? "not computed")}</code></span>`)
    .join("");
  const header = `<header>
<h1>${e(page.title)}</h1>
<div class="meta hash">
<span>generated</span><span><time datetime="${e(page.generatedAt)}">${e(page.generatedAt)}</time></span>
<span>tool</span><span>fairkit ${e(page.version)}</span>
${dataHashes}
<span>configuration</span><span>SHA-256 <code>${e(page.provenance.config_sha256 ?? "not computed")}</code></span>
${page.provenance.card_file ? `<span>card file</span><span>${e(page.provenance.card_file.name)} · SHA-256 <code>${e(page.provenance.card_file.sha256)}</code></span>` : ""}
</div>
<nav><ol>${page.sections.map(([id, title]) => `<li><a href="#${id}">${e(title)}</a></li>`).join("")}</ol></nav>
</header>`;

  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="generator" content="fairkit ${e(page.version)}">
<title>${e(page.title)} — fairness audit report</title>
<style>${CSS}</style>
</head>
<body>
${header}
<main>
${page.sections.map(([id, title, body], k) => `<section id="${id}"><h2${k === 0 ? ' class="first"' : ""}>${e(title)}</h2>${body}</section>`).join("\n")}
</main>
<footer class="note"><p>Generated by fairkit ${e(page.version)} on ${e(page.generatedAt)}. The JSON form of this report carries every number at full precision.</p></footer>
</body>
</html>
`;
}
