/**
 * The HTML report: one self-contained file (inline CSS and SVG, no script, no font, no image, no
 * link that loads anything), dated, carrying the tool version and the SHA-256 of the input data
 * and of the configuration, laid out to print cleanly to PDF (A4, sections kept together where
 * they fit, tables repeat their headers across pages).
 *
 * Every number a reader may check against the audit JSON sits in an element with
 * `data-value` (full precision) beside the rounded text, and `data-metric`/`data-group` naming it.
 */
import type { AuditGroup } from "../audit/audit-result.js";
import type { ReportData } from "../audit/report-data.js";
import { barChart, escapeXml, lineChart } from "../charts/svg.js";
import { groupLabel } from "../core/groups.js";
import { metricSpec } from "../core/metrics.js";
import { FOUR_FIFTHS_WORDS, count, individualTables, interval, levelText, num, pValue, pct } from "./format.js";

const e = escapeXml;

const CSS = `
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
}
`;

function valueCell(value: number | null | undefined, attrs: Record<string, string>, text?: string): string {
  const a = Object.entries(attrs)
    .map(([k, v]) => ` data-${k}="${e(v)}"`)
    .join("");
  const v = value === null || value === undefined || !Number.isFinite(value) ? "" : String(value);
  return `<td class="n"${a} data-value="${v}">${text ?? num(value)}</td>`;
}

function list(items: readonly string[], empty = "none given"): string {
  if (items.length === 0) return `<p class="missing">${e(empty)}</p>`;
  return `<ul>${items.map((t) => `<li>${e(t)}</li>`).join("")}</ul>`;
}

function para(text: string | null | undefined, empty = "not given in the card file"): string {
  if (!text || text.trim() === "") return `<p class="missing">${e(empty)}</p>`;
  return text
    .split(/\n\s*\n/)
    .map((p) => `<p>${e(p.trim())}</p>`)
    .join("");
}

function metricTable(
  groups: readonly AuditGroup[],
  metrics: readonly string[],
  section: string,
  level: number,
  overall?: AuditGroup,
): string {
  const head = `<tr><th>group</th><th>n</th>${metrics.map((m) => `<th>${e(m)}<br><span class="note">${levelText(level)} interval</span></th>`).join("")}</tr>`;
  const row = (g: AuditGroup) =>
    `<tr${g.small ? ' class="small"' : ""}><td>${e(g.label)}${g.small ? " (small)" : ""}</td>${valueCell(g.n, { section, group: g.label, metric: "n" }, count(g.n))}${metrics
      .map(
        (m) =>
          `${valueCell(g.metrics[m], { section, group: g.label, metric: m }, `${num(g.metrics[m])}<br><span class="note">${interval(g.intervals[m])}</span>`)}`,
      )
      .join("")}</tr>`;
  return `<table><thead>${head}</thead><tbody>${overall ? row(overall) : ""}${groups.map(row).join("")}</tbody></table>`;
}

function metricCharts(
  groups: readonly AuditGroup[],
  metrics: readonly string[],
  minGroupSize: number,
  level: number,
): string {
  const shown = metrics.filter((m) =>
    ["selection_rate", "true_positive_rate", "false_positive_rate", "base_rate"].includes(m),
  );
  return `<div class="charts">${shown
    .map((m) =>
      barChart({
        title: `${m} by group (${levelText(level)} Wilson interval)`,
        width: 470,
        bars: groups.map((g) => ({
          label: g.label,
          value: g.metrics[m],
          low: g.intervals[m]?.[0] ?? null,
          high: g.intervals[m]?.[1] ?? null,
          note: `n = ${g.n}`,
          flagged: g.n < minGroupSize,
        })),
      }),
    )
    .join("")}</div>`;
}

/**
 * Renders a report as one self-contained HTML document.
 *
 * @example
 * const html = renderHtml(buildReportData({ ... }));
 */
export function renderHtml(data: ReportData): string {
  const a = data.audit;
  const metrics = a.settings.metrics;
  const card = data.model_card;
  const mc = card.model_card;
  const md = mc.model_details;
  const sections: string[] = [];
  const toc: [string, string][] = [];
  const section = (id: string, title: string, body: string) => {
    toc.push([id, title]);
    sections.push(
      `<section id="${id}"><h2${sections.length === 0 ? ' class="first"' : ""}>${e(title)}</h2>${body}</section>`,
    );
  };

  // Summary.
  section(
    "summary",
    "Summary",
    `<ul class="findings">${data.findings.map((f) => `<li>${e(f)}</li>`).join("")}</ul>
<p class="note">An audit is not a certification: these numbers describe this model on this data, at this date. Intervals are ${levelText(a.settings.level)} Wilson score intervals; "small" marks groups with fewer than ${a.settings.min_group_size} rows.</p>`,
  );

  // Model card.
  const owners = md.owners.map((o) => [o.name, o.contact].filter(Boolean).join(", "));
  const metricDefs = `<table><thead><tr><th>metric</th><th>formula</th><th>what it means</th></tr></thead><tbody>${metrics
    .map((m) => {
      const s = metricSpec(m);
      return `<tr><td>${e(s.name)}</td><td><code>${e(s.formula)}</code></td><td>${e(s.meaning)}</td></tr>`;
    })
    .join("")}</tbody></table>`;
  const criteriaRows = Object.entries(a.checks)
    .map(
      ([name, c]) =>
        `<tr><td>${e(name)}</td>${valueCell(c.value, { section: "criteria", metric: name })}<td>${e(c.rule)} ${c.tolerance}</td><td class="${c.pass === false ? "flag" : c.pass ? "ok" : "small"}">${c.pass === null ? "undefined" : c.pass ? "pass" : "fail"}</td></tr>`,
    )
    .join("");
  section(
    "model-card",
    "Model card",
    `<p class="note">After Mitchell et al. (2019), "Model Cards for Model Reporting". Text comes from the card file; numbers are computed. The JSON report holds this card in Model Card Toolkit schema v0.0.2 form.</p>
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
<p class="note">Evaluation factors measured here: ${e(a.input.sensitive.join(", "))}${a.input.sensitive.length > 1 ? " and their intersection" : ""}.</p>
<h3>Metrics</h3>
${para(card.sections.metrics_rationale, "no rationale given for the choice of metrics")}
${metricDefs}
<p class="note">Decision: ${e(a.input.y_pred ? `column ${a.input.y_pred}` : `${a.input.score} >= ${a.input.threshold}`)}; label: ${e(a.input.y_true)}${a.input.pos_label ? ` (positive = ${e(a.input.pos_label)})` : ""}. Differences and ratios compare groups ${a.settings.disparity.method === "to_reference" ? `to the reference group ${e(groupLabel(a.settings.disparity.reference ?? []))}` : "between groups (max − min, min / max)"}.</p>
<h3>Evaluation data</h3>
${para(card.sections.evaluation_data, "")}
<p>${e(data.provenance.data.map((d) => `${d.name}: ${count(d.rows)} rows`).join("; "))}${a.input.where ? `, filtered by <code>${e(a.input.where)}</code>` : ""}. See the datasheet below.</p>
<h3>Training data</h3>
${para(card.sections.training_data)}
${mc.model_parameters.data.length > 1 ? list(mc.model_parameters.data.slice(0, -1).map((d) => [d.name, d.description, d.link].filter(Boolean).join(" — "))) : ""}
<h3>Quantitative analyses</h3>
<p><strong>Fairness criteria</strong> (tolerances: difference ≤ ${a.settings.tolerances.difference}, ratio ≥ ${a.settings.tolerances.ratio})</p>
<table><thead><tr><th>criterion</th><th>value</th><th>rule</th><th>result</th></tr></thead><tbody>${criteriaRows}</tbody></table>
${a.criteria_excluded.length > 0 ? `<p class="small">The criteria compare the groups with at least ${a.settings.min_group_size} rows; left out as too small: ${e(a.criteria_excluded.map(groupLabel).join("; "))}.</p>` : ""}
${data.unitary
  .map(
    (u) =>
      `<p><strong>Unitary results: ${e(u.column)}</strong></p>${metricTable(u.groups, metrics, `unitary:${u.column}`, a.settings.level)}${metricCharts(u.groups, metrics, a.settings.min_group_size, a.settings.level)}`,
  )
  .join("")}
<p><strong>${a.input.sensitive.length > 1 ? "Intersectional results" : "Results"}: ${e(a.input.sensitive.join(" × "))}</strong></p>
${metricTable(a.groups, metrics, "groups", a.settings.level, a.overall)}
${metricCharts(a.groups, metrics, a.settings.min_group_size, a.settings.level)}
${data.curves.length ? `<div class="charts">${lineChart({ title: "ROC curve by group", xLabel: "false positive rate", yLabel: "true positive rate", diagonal: true, series: data.curves.map((c) => ({ label: `${c.label} (AUC ${num(c.auc)})`, points: c.points })) })}</div>` : ""}
<h3>Ethical considerations</h3>
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
${para(card.sections.monitoring, "no monitoring plan given in the card file")}`,
  );

  // Datasheet.
  const ds = data.datasheet;
  const repTables = ds.representation
    .map((r) => {
      const hasRef = r.groups.some((g) => g.reference_share !== null);
      const base = ds.base_rates.find((b) => b.columns.join() === r.columns.join());
      return `<p><strong>${e(r.columns.join(" × "))}</strong></p><table><thead><tr><th>group</th><th>rows</th><th>share</th>${hasRef ? "<th>reference share</th><th>gap</th>" : ""}<th>base rate</th><th>${levelText(a.settings.level)} interval</th></tr></thead><tbody>${r.groups
        .map((g, i) => {
          const b = base?.groups[i];
          return `<tr><td>${e(g.label)}</td>${valueCell(g.rows, { section: `representation:${r.columns.join("×")}`, group: g.label, metric: "rows" }, count(g.rows))}${valueCell(g.share, { section: `representation:${r.columns.join("×")}`, group: g.label, metric: "share" }, pct(g.share))}${
            hasRef
              ? `<td class="n">${pct(g.reference_share)}</td><td class="n${g.ratio !== null && g.ratio < 0.8 ? " flag" : ""}">${g.gap === null ? "—" : `${g.gap >= 0 ? "+" : ""}${(100 * g.gap).toFixed(1)} pp`}</td>`
              : ""
          }${valueCell(b?.base_rate, { section: `base_rate:${r.columns.join("×")}`, group: g.label, metric: "base_rate" })}<td class="n">${interval(b?.interval)}</td></tr>`;
        })
        .join("")}</tbody></table>`;
    })
    .join("");
  section(
    "datasheet",
    "Datasheet for the evaluation data",
    `<p class="note">After Gebru et al. (2018/2021), "Datasheets for Datasets": counted facts first, then the answers given in the card file.</p>
<p>${count(ds.rows)} rows.</p>
<h3>Columns and missing values</h3>
<table><thead><tr><th>column</th><th>type</th><th>missing</th><th>missing share</th><th>distinct values</th></tr></thead><tbody>${ds.columns
      .map(
        (c) =>
          `<tr><td>${e(c.name)}</td><td>${e(c.type)}</td>${valueCell(c.missing, { section: "columns", group: c.name, metric: "missing" }, count(c.missing))}<td class="n">${pct(c.missing_share)}</td><td class="n">${c.distinct === null ? "—" : count(c.distinct)}</td></tr>`,
      )
      .join("")}</tbody></table>
<h3>Group representation and base rates</h3>
${repTables}
<h3>Answers to the datasheet questions</h3>
${ds.answers.length ? `<table><thead><tr><th>section</th><th>question</th><th>answer</th></tr></thead><tbody>${ds.answers.map((x) => `<tr><td>${e(x.section)}</td><td>${e(x.question ?? "")}</td><td>${e(x.answer)}</td></tr>`).join("")}</tbody></table>` : ""}
${ds.unanswered.length ? `<p class="missing">Unanswered sections: ${e(ds.unanswered.join(", "))}.</p>` : ""}`,
  );

  // NYC LL144.
  if (data.ll144) {
    const ll = data.ll144;
    const tableOf = (result: NonNullable<ReportData["ll144"]>["selection"], label: string) =>
      result.tables
        .map((t) => {
          const included = t.rows.filter((r) => !r.excluded);
          const excluded = t.rows.filter((r) => r.excluded);
          const title =
            t.dimension === "sex"
              ? `Sex (${ll.sex})`
              : t.dimension === "race_ethnicity"
                ? `Race/ethnicity (${ll.race_ethnicity})`
                : `Intersectional: sex × race/ethnicity`;
          const sectionId = `ll144:${result.kind}:${t.dimension}`;
          return `<h3>${e(title)} — ${e(label)}</h3>
<table><thead><tr><th>category</th><th>applicants</th><th>${e(result.outcome)}</th><th>${e(result.rate_name.replace("_", " "))}</th><th>impact ratio</th></tr></thead><tbody>${included
            .map(
              (r) =>
                `<tr><td>${e(r.category)}</td>${valueCell(r.count, { section: sectionId, group: r.category, metric: "count" }, count(r.count))}<td class="n">${count(r.positives)}</td>${valueCell(r.rate, { section: sectionId, group: r.category, metric: result.rate_name })}${valueCell(r.impact_ratio, { section: sectionId, group: r.category, metric: "impact_ratio" }, `<span class="${r.impact_ratio < 0.8 ? "flag" : ""}">${num(r.impact_ratio)}</span>`)}</tr>`,
            )
            .join("")}</tbody></table>
<p class="note">Unknown category (left out of the rates): ${count(t.unknown_count)} individuals. Highest rate: ${e(t.highest ?? "—")} (${num(t.highest_rate)}).</p>
${excluded.length ? `<p><strong>Excluded from the impact ratios (under ${pct(result.exclusion?.share)} of the data).</strong> Justification: ${e(result.exclusion?.justification ?? "")}</p><table><thead><tr><th>category</th><th>applicants</th><th>share of data</th><th>${e(result.rate_name.replace("_", " "))}</th></tr></thead><tbody>${excluded.map((r) => `<tr><td>${e(r.category)}</td>${valueCell(r.count, { section: `${sectionId}:excluded`, group: r.category, metric: "count" }, count(r.count))}<td class="n">${pct(r.share)}</td>${valueCell(r.rate, { section: `${sectionId}:excluded`, group: r.category, metric: result.rate_name })}</tr>`).join("")}</tbody></table>` : ""}
${barChart({ title: `${title}: impact ratio`, bars: included.map((r) => ({ label: r.category, value: r.impact_ratio, note: `n = ${r.count}`, flagged: r.impact_ratio < 0.8 })), reference: { value: 0.8, label: "0.8" }, width: 640 })}`;
        })
        .join("");
    section(
      "ll144",
      "NYC Local Law 144 bias audit",
      `<p class="note">${e(ll.selection.basis)}. ${count(ll.selection.total)} individuals assessed.${ll.scoring ? ` Scoring rate: share scoring above the sample median (${num(ll.scoring.median)}).` : ""}</p>
${tableOf(ll.selection, "selection rate")}
${ll.scoring ? tableOf(ll.scoring, "scoring rate") : ""}`,
    );
  }

  // EEOC four-fifths.
  section(
    "four-fifths",
    "EEOC four-fifths rule",
    `<p class="note">${e(data.four_fifths[0]?.basis ?? "")}. A ratio below 0.8 on small numbers may be chance: each flagged group is tested against the highest group.</p>
${data.four_fifths
  .map(
    (ff) =>
      `<h3>${e(ff.columns.join(" × "))}</h3><table><thead><tr><th>group</th><th>n</th><th>${e(ff.outcome)}</th><th>rate (${e(ff.outcome)})</th><th>impact ratio</th><th>Fisher p</th><th>z-test p</th><th>finding</th></tr></thead><tbody>${ff.rows
        .map(
          (r) =>
            `<tr><td>${e(r.label)}</td>${valueCell(r.count, { section: `four_fifths:${ff.columns.join("×")}`, group: r.label, metric: "count" }, count(r.count))}<td class="n">${count(r.selected)}</td>${valueCell(r.rate, { section: `four_fifths:${ff.columns.join("×")}`, group: r.label, metric: "selection_rate" })}${valueCell(r.impact_ratio, { section: `four_fifths:${ff.columns.join("×")}`, group: r.label, metric: "impact_ratio" })}<td class="n">${pValue(r.fisher_p)}</td><td class="n">${pValue(r.z_p)}</td><td class="${r.status === "adverse_impact" ? "flag" : r.status === "below_threshold_not_significant" ? "small" : ""}">${e(FOUR_FIFTHS_WORDS[r.status])}</td></tr>`,
        )
        .join("")}</tbody></table>`,
  )
  .join("")}`,
  );

  // EU AI Act.
  const eu = data.eu_ai_act;
  section(
    "eu-ai-act",
    "EU AI Act test log",
    `<p class="note">${e(eu.basis)}.</p>
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
<pre><code>${e(JSON.stringify(data.provenance.config, null, 2))}</code></pre>`,
  );

  // Bias sources.
  const b = data.bias_sources;
  const cov = b.coverage;
  section(
    "bias-sources",
    "Sources of bias",
    `<ul class="findings">${b.findings.length ? b.findings.map((f) => `<li>${e(f)}</li>`).join("") : "<li>no source of bias stood out in what the data can show</li>"}</ul>
<h3>Representation</h3><p class="note">Group shares are in the datasheet above${b.representation.some((r) => r.groups.some((g) => g.reference_share !== null)) ? ", with the gap to the reference shares from the card file" : "; give reference_shares in the card file to compare them with a population"}.</p>
<h3>Historical bias: base rates</h3>
<table><thead><tr><th>grouping</th><th>lowest</th><th>highest</th><th>difference</th><th>ratio</th></tr></thead><tbody>${b.historical
      .map((h) => {
        const out = new Set(h.left_out.map(groupLabel));
        const defined = h.groups.filter((g) => Number.isFinite(g.base_rate) && !out.has(g.label));
        const lo = defined.reduce((x, y) => (y.base_rate < x.base_rate ? y : x), defined[0]);
        const hi = defined.reduce((x, y) => (y.base_rate > x.base_rate ? y : x), defined[0]);
        return `<tr><td>${e(h.columns.join(" × "))}</td><td>${e(lo?.label ?? "—")} ${num(lo?.base_rate)}</td><td>${e(hi?.label ?? "—")} ${num(hi?.base_rate)}</td>${valueCell(h.difference, { section: "historical", group: h.columns.join("×"), metric: "difference" })}${valueCell(h.ratio, { section: "historical", group: h.columns.join("×"), metric: "ratio" })}</tr>`;
      })
      .join("")}</tbody></table>
<p class="note">Lowest, highest, difference and ratio are over groups with at least ${cov.min_rows} rows.${b.historical.some((h) => h.left_out.length) ? ` Left out as too small: ${e(b.historical.flatMap((h) => h.left_out.map((k) => `${groupLabel(k)} (${h.columns.join(" × ")})`)).join("; "))}.` : ""}</p>
<h3>Evaluation coverage (${e(cov.columns.join(" × "))})</h3>
<p class="note">Rows in each metric's denominator and the width of its ${levelText(a.settings.level)} interval; flagged when under ${cov.min_rows} rows or wider than ${cov.max_interval_width}.</p>
<table><thead><tr><th>group</th><th>rows</th>${(cov.groups[0]?.cells ?? []).map((c) => `<th>${e(c.metric)}<br><span class="note">rows · width</span></th>`).join("")}</tr></thead><tbody>${cov.groups
      .map(
        (g) =>
          `<tr><td>${e(g.label)}</td><td class="n">${count(g.rows)}</td>${g.cells.map((c) => `<td class="n${c.status === "ok" ? "" : " flag"}">${count(c.rows)} · ${Number.isFinite(c.width) ? c.width.toFixed(2) : "—"}</td>`).join("")}</tr>`,
      )
      .join("")}</tbody></table>
<h3>Aggregation: does one model fit all?</h3>
<p class="note">${e(b.aggregation.note)}.</p>
${b.aggregation.available ? `<table><thead><tr><th>group</th><th>rows</th><th>AUC</th><th>calibration error (ECE)</th></tr></thead><tbody>${b.aggregation.groups.map((g) => `<tr><td>${e(g.label)}</td><td class="n">${count(g.rows)}</td>${valueCell(g.auc, { section: "aggregation", group: g.label, metric: "auc" })}<td class="n">${num(g.ece)}</td></tr>`).join("")}</tbody></table><p>AUC difference across groups: ${num(b.aggregation.auc_difference)}${b.aggregation.ece_difference !== null ? `; ECE difference: ${num(b.aggregation.ece_difference)}` : ""}.${b.aggregation.left_out.length ? ` Left out of the differences as too small: ${e(b.aggregation.left_out.map(groupLabel).join("; "))}.` : ""}</p>` : ""}`,
  );

  // Subgroups.
  const s = data.subgroups;
  const sgRow = (x: (typeof s.top)[number]) =>
    `<tr><td>${e(x.description)}</td>${valueCell(x.size, { section: "subgroups", group: x.description, metric: "size" }, count(x.size))}<td class="n">${count(x.support)}</td>${valueCell(x.value, { section: "subgroups", group: x.description, metric: s.metric })}<td class="n">${interval(x.interval)}</td><td class="n">${num(x.rest_value)}</td><td class="n">${x.gap >= 0 ? "+" : ""}${num(x.gap)}<br><span class="note">${interval(x.gap_interval)}</span></td><td class="n">${pValue(x.adjusted_p)}</td></tr>`;
  const sgHead = `<tr><th>subgroup</th><th>rows</th><th>${e(metricSpec(s.metric).kind === "proportion" ? "denominator rows" : "rows")}</th><th>${e(s.metric)}</th><th>${levelText(a.settings.level)} interval</th><th>rest</th><th>gap (${levelText(a.settings.level)} interval)</th><th>adjusted p</th></tr>`;
  section(
    "subgroups",
    "Subgroup discovery",
    `<p class="note">${e(s.method)}.</p>
<p>${s.tested} subgroups tested, ${s.skipped} skipped (fewer than ${s.min_support} rows, or the metric undefined). ${s.significant_count} significant${s.explained_count ? `, of which ${s.explained_count} are refinements explained by a more general subgroup` : ""}.</p>
${s.top.length ? `<table><thead>${sgHead}</thead><tbody>${s.top.map(sgRow).join("")}</tbody></table>${barChart({ title: `${s.metric}: significant subgroups (${levelText(a.settings.level)} interval)`, bars: s.top.map((x) => ({ label: x.description, value: x.value, low: x.interval[0], high: x.interval[1], note: `n = ${x.size}` })), width: 900 })}<p class="note">Each subgroup is compared with its own rest (everyone outside it); the rest's rates are in the table.</p>` : `<p><strong>No subgroup differs significantly</strong> on ${e(s.metric)} at family-wise alpha ${s.alpha}.</p>`}
<h3>Largest gaps, significant or not</h3>
<table><thead>${sgHead}</thead><tbody>${s.largest_gaps.map(sgRow).join("")}</tbody></table>`,
  );

  // Individual fairness.
  if (data.individual) {
    const t = individualTables(data.individual);
    const grid = (x: { head: string[]; rows: string[][] }) =>
      `<table><thead><tr>${x.head.map((h) => `<th>${e(h)}</th>`).join("")}</tr></thead><tbody>${x.rows.map((r) => `<tr>${r.map((c, j) => `<td${j > 0 && /^[\d—∞.,%()–\s-]+$/.test(c) ? ' class="n"' : ""}>${e(c)}</td>`).join("")}</tr>`).join("")}</tbody></table>`;
    section(
      "individual",
      "Individual fairness",
      `<p class="note">${e(t.note)}</p>
${grid(t.summary)}
${t.groups ? `<h3>By group</h3>${grid(t.groups)}<p class="note">A person's consistency compares them with their nearest neighbours, of any group; the interval is a seeded bootstrap over the group's rows.</p>` : ""}
<h3>Pairs treated most differently for their distance</h3>
${grid(t.worst)}`,
    );
  }

  // Provenance header.
  const dataHashes = data.provenance.data
    .map((d) => `<span>data</span><span>${e(d.name)} · SHA-256 <code>${e(d.sha256 ?? "not computed")}</code></span>`)
    .join("");
  const header = `<header>
<h1>${e(data.title)}</h1>
<div class="meta hash">
<span>generated</span><span><time datetime="${e(data.generated_at)}">${e(data.generated_at)}</time></span>
<span>tool</span><span>fairkit ${e(data.tool.version)}</span>
${dataHashes}
<span>configuration</span><span>SHA-256 <code>${e(data.provenance.config_sha256 ?? "not computed")}</code></span>
${data.provenance.card_file ? `<span>card file</span><span>${e(data.provenance.card_file.name)} · SHA-256 <code>${e(data.provenance.card_file.sha256)}</code></span>` : ""}
</div>
<nav><ol>${toc.map(([id, title]) => `<li><a href="#${id}">${e(title)}</a></li>`).join("")}</ol></nav>
</header>`;

  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="generator" content="fairkit ${e(data.tool.version)}">
<title>${e(data.title)} — fairness audit report</title>
<style>${CSS}</style>
</head>
<body>
${header}
<main>
${sections.join("\n")}
</main>
<footer class="note"><p>Generated by fairkit ${e(data.tool.version)} on ${e(data.generated_at)}. The JSON form of this report carries every number at full precision.</p></footer>
</body>
</html>
`;
}
