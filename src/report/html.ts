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
import { barChart, lineChart } from "../charts/svg.js";
import { datasheetHtml, e, euAiActHtml, htmlPage, ll144Html, modelCardHtml, valueCell } from "./html-parts.js";
import { groupLabel } from "../core/groups.js";
import { metricSpec } from "../core/metrics.js";
import {
  FOUR_FIFTHS_WORDS,
  count,
  individualTables,
  interval,
  levelText,
  num,
  pValue,
  subgroupCounts,
} from "./format.js";

function metricTable(
  groups: readonly AuditGroup[],
  metrics: readonly string[],
  section: string,
  level: number,
  overall?: AuditGroup,
): string {
  // Metric names break after their underscores (<wbr>), so a wide table fits a printed page.
  const head = `<tr><th>group</th><th>n</th>${metrics.map((m) => `<th>${e(m).replace(/_/g, "_<wbr>")}<br><span class="note">${levelText(level)} interval</span></th>`).join("")}</tr>`;
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
  const _md = mc.model_details;
  const sections: [string, string, string][] = [];
  const section = (id: string, title: string, body: string) => {
    sections.push([id, title, body]);
  };

  // Summary.
  section(
    "summary",
    "Summary",
    `<ul class="findings">${data.findings.map((f) => `<li>${e(f)}</li>`).join("")}</ul>
<p class="note">An audit is not a certification: these numbers describe this model on this data, at this date. Intervals are ${levelText(a.settings.level)} Wilson score intervals; "small" marks groups with fewer than ${a.settings.min_group_size} rows.</p>`,
  );

  // Model card.
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
    modelCardHtml(card, {
      factorsNote: `<p class="note">Evaluation factors measured here: ${e(a.input.sensitive.join(", "))}${a.input.sensitive.length > 1 ? " and their intersection" : ""}.</p>`,
      metricsHtml: metricDefs,
      decisionNote: `<p class="note">Decision: ${e(a.input.y_pred ? `column ${a.input.y_pred}` : `${a.input.score} >= ${a.input.threshold}`)}; label: ${e(a.input.y_true)}${a.input.pos_label ? ` (positive = ${e(a.input.pos_label)})` : ""}. Differences and ratios compare groups ${a.settings.disparity.method === "to_reference" ? `to the reference group ${e(groupLabel(a.settings.disparity.reference ?? []))}` : "between groups (max − min, min / max)"}.</p>`,
      evaluationNote: `<p>${e(data.provenance.data.map((d) => `${d.name}: ${count(d.rows)} rows`).join("; "))}${a.input.where ? `, filtered by <code>${e(a.input.where)}</code>` : ""}. See the datasheet below.</p>`,
      quantitativeHtml: `<h3>Quantitative analyses</h3>
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
`,
    }),
  );

  // Datasheet.
  section("datasheet", "Datasheet for the evaluation data", datasheetHtml(data.datasheet, a.settings.level));

  // NYC LL144.
  if (data.ll144) section("ll144", "NYC Local Law 144 bias audit", ll144Html(data.ll144, data.tool.version));

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
            `<tr><td>${e(r.label)}</td>${valueCell(r.count, { section: `four_fifths:${ff.columns.join("×")}`, group: r.label, metric: "count" }, count(r.count))}<td class="n">${count(r.selected)}</td>${valueCell(r.rate, { section: `four_fifths:${ff.columns.join("×")}`, group: r.label, metric: "selection_rate" })}${valueCell(r.impact_ratio, { section: `four_fifths:${ff.columns.join("×")}`, group: r.label, metric: "impact_ratio" })}<td class="n">${e(pValue(r.fisher_p))}</td><td class="n">${e(pValue(r.z_p))}</td><td class="${r.status === "adverse_impact" ? "flag" : r.status === "below_threshold_not_significant" ? "small" : ""}">${e(FOUR_FIFTHS_WORDS[r.status])}</td></tr>`,
        )
        .join("")}</tbody></table>`,
  )
  .join("")}`,
  );

  // EU AI Act.
  section("eu-ai-act", "EU AI Act test log", euAiActHtml(data.eu_ai_act, data.provenance.config));

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
    `<tr><td>${e(x.description)}</td>${valueCell(x.size, { section: "subgroups", group: x.description, metric: "size" }, count(x.size))}<td class="n">${count(x.support)}</td>${valueCell(x.value, { section: "subgroups", group: x.description, metric: s.metric })}<td class="n">${interval(x.interval)}</td><td class="n">${num(x.rest_value)}</td><td class="n">${x.gap >= 0 ? "+" : ""}${num(x.gap)}<br><span class="note">${interval(x.gap_interval)}</span></td><td class="n">${e(pValue(x.adjusted_p))}</td></tr>`;
  const sgHead = `<tr><th>subgroup</th><th>rows</th><th>${e(metricSpec(s.metric).kind === "proportion" ? "denominator rows" : "rows")}</th><th>${e(s.metric)}</th><th>${levelText(a.settings.level)} interval</th><th>rest</th><th>gap (${levelText(a.settings.level)} interval)</th><th>adjusted p</th></tr>`;
  section(
    "subgroups",
    "Subgroup discovery",
    `<p class="note">${e(s.method)}.</p>
<p>${e(subgroupCounts(s))}</p>
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

  return htmlPage({
    title: data.title,
    generatedAt: data.generated_at,
    version: data.tool.version,
    provenance: data.provenance,
    sections,
  });
}
