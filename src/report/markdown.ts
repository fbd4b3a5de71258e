/**
 * The Markdown report: the same sections and numbers as the HTML report (same rounding, from the
 * same report data), as plain tables for a repository, a wiki or a pull request. Charts are left
 * out; the HTML report has them.
 */
import type { AuditGroup } from "../audit/audit-result.js";
import type { Datasheet } from "../audit/datasheet.js";
import type { LL144Section } from "../audit/ll144-summary.js";
import type { ModelCard } from "../audit/model-card.js";
import type { EuAiActLog, Provenance, ReportData } from "../audit/report-data.js";
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
  pct,
  ll144CategoryRows,
  ll144Facts,
  ll144MappingNotes,
  ll144SmallNote,
  ll144Title,
  ll144UnknownText,
  subgroupCounts,
} from "./format.js";

/** Escapes a table cell. */
function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

/** A Markdown table (cells escaped). */
export function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  return [
    `| ${head.map(cell).join(" | ")} |`,
    `|${head.map(() => " --- ").join("|")}|`,
    ...rows.map((r) => `| ${r.map(cell).join(" | ")} |`),
  ].join("\n");
}

/** A bulleted list, or a note that there is none. */
export function bullets(items: readonly string[], empty = "_none given_"): string {
  return items.length ? items.map((t) => `- ${t}`).join("\n") : empty;
}

function metricRows(groups: readonly AuditGroup[], metrics: readonly string[]): string[][] {
  return groups.map((g) => [
    g.label + (g.small ? " (small)" : ""),
    count(g.n),
    ...metrics.map((m) => `${num(g.metrics[m])} (${interval(g.intervals[m])})`),
  ]);
}

/** The report's title and provenance lines. */
export function headerMarkdown(data: {
  title: string;
  generated_at: string;
  tool: { version: string };
  provenance: Provenance;
}): string[] {
  const out: string[] = [];
  out.push(`# ${data.title}`, "");
  out.push(`- generated: ${data.generated_at}`, `- tool: fairkit ${data.tool.version}`);
  for (const d of data.provenance.data)
    out.push(`- data: ${d.name} (${count(d.rows)} rows), SHA-256 \`${d.sha256 ?? "not computed"}\``);
  out.push(`- configuration SHA-256: \`${data.provenance.config_sha256 ?? "not computed"}\``);
  if (data.provenance.card_file)
    out.push(`- card file: ${data.provenance.card_file.name}, SHA-256 \`${data.provenance.card_file.sha256}\``);
  return out;
}

/** What only the report kind knows, put into its model card. */
export interface ModelCardMarkdownParts {
  /** After "Factors": which sensitive columns were measured. */
  factorsLine: string;
  /** After "Metrics": the definitions table. */
  metricsTable: string;
  /** After "Evaluation data": the data used. */
  evaluationLine: string;
  /** "Quantitative analyses": its lines. */
  quantitative: string[];
}

/** The model card section (Mitchell et al. 2019), from the card and the report kind's parts. */
export function modelCardMarkdown(card: ModelCard, parts: ModelCardMarkdownParts): string[] {
  const out: string[] = [];
  const mc = card.model_card;
  const sec = card.sections;
  const md = mc.model_details;
  out.push("## Model card", "");
  if (card.missing.length) out.push(`_Not given in the card file: ${card.missing.join(", ")}._`, "");
  out.push(
    "### Model details",
    "",
    table(
      ["field", "value"],
      [
        ["name", md.name],
        ["overview", md.overview ?? "—"],
        ["version", [md.version?.name, md.version?.date].filter(Boolean).join(", ") || "—"],
        ["owners", md.owners.map((o) => [o.name, o.contact].filter(Boolean).join(", ")).join("; ") || "—"],
        ["architecture", mc.model_parameters.model_architecture ?? "—"],
      ],
    ),
    "",
  );
  out.push(
    "### Intended use",
    "",
    "**Primary uses**",
    "",
    bullets(mc.considerations.use_cases.map((u) => u.description)),
    "",
    "**Primary users**",
    "",
    bullets(mc.considerations.users.map((u) => u.description)),
    "",
    "**Out-of-scope uses**",
    "",
    bullets(sec.out_of_scope_uses),
    "",
  );
  out.push("### Factors", "", bullets(sec.factors), "", parts.factorsLine, "");
  out.push("### Metrics", "", sec.metrics_rationale ?? "_no rationale given_", "", parts.metricsTable, "");
  out.push("### Evaluation data", "", sec.evaluation_data ?? "", "", parts.evaluationLine, "");
  out.push("### Training data", "", sec.training_data ?? "_not given in the card file_", "");
  out.push(...parts.quantitative);
  out.push(
    "### Ethical considerations",
    "",
    bullets(
      mc.considerations.ethical_considerations.map((r) =>
        r.mitigation_strategy ? `${r.name} — mitigation: ${r.mitigation_strategy}` : r.name,
      ),
    ),
    "",
  );
  out.push(
    "### Caveats and recommendations",
    "",
    bullets([...sec.caveats_and_recommendations, ...mc.considerations.limitations.map((l) => l.description)]),
    "",
  );
  out.push("### Monitoring", "", sec.monitoring ?? "_no monitoring plan given_", "");
  return out;
}

/** The datasheet section (Gebru et al.); a base-rate column when the datasheet has base rates. */
export function datasheetMarkdown(ds: Datasheet): string[] {
  const out: string[] = [];
  const hasBase = ds.base_rates.length > 0;
  out.push("## Datasheet for the evaluation data", "", `${count(ds.rows)} rows.`, "");
  out.push(
    table(
      ["column", "type", "missing", "missing share", "distinct"],
      ds.columns.map((c) => [
        c.name,
        c.type,
        count(c.missing),
        pct(c.missing_share),
        c.distinct === null ? "—" : count(c.distinct),
      ]),
    ),
    "",
  );
  for (const r of ds.representation) {
    const base = ds.base_rates.find((b) => b.columns.join() === r.columns.join());
    out.push(
      `**${r.columns.join(" × ")}**`,
      "",
      table(
        ["group", "rows", "share", "reference share", "gap", ...(hasBase ? ["base rate"] : [])],
        r.groups.map((g, i) => [
          g.label,
          count(g.rows),
          pct(g.share),
          pct(g.reference_share),
          g.gap === null ? "—" : `${(100 * g.gap).toFixed(1)} pp`,
          ...(hasBase ? [num(base?.groups[i]?.base_rate)] : []),
        ]),
      ),
      "",
    );
  }
  if (ds.answers.length)
    out.push(
      table(
        ["section", "question", "answer"],
        ds.answers.map((x) => [x.section, x.question ?? "", x.answer]),
      ),
      "",
    );
  if (ds.unanswered.length) out.push(`_Unanswered sections: ${ds.unanswered.join(", ")}._`, "");
  return out;
}

/** The LL144 summary of results (6 RCNY §5-303): the facts, the counts per table, the values and their categories. */
export function ll144SummaryMarkdown(ll: LL144Section, toolVersion: string): string[] {
  const s = ll.summary;
  const first = (ll.selection ?? ll.scoring)!;
  const out: string[] = ["### Summary of results (6 RCNY §5-303)", "", `_${s.basis}._`, ""];
  out.push(
    table(
      ["field", "value"],
      ll144Facts(s, first.total, toolVersion).map((f) => [f.label, f.missing ? `**${f.text}**` : f.text]),
    ),
    "",
  );
  for (const w of s.warnings) out.push(`**Warning: ${w}.**`, "");
  out.push(
    table(
      ["table", "assessed", "in a category", "unknown category"],
      s.totals.map((t, k) => [
        ll144Title(first.tables[k]),
        count(t.assessed),
        count(t.in_categories),
        count(t.unknown),
      ]),
    ),
    "",
    table(["column", "value in the data", "rows", "counts in (EEO-1 category)"], ll144CategoryRows(s.categories)),
    "",
  );
  for (const n of ll144MappingNotes(s)) out.push(n.missing ? `**${n.text}**` : `_${n.text}_`, "");
  return out;
}

/** The NYC LL144 section: the summary of results, then the selection-rate tables, the scoring-rate tables, or both. */
export function ll144Markdown(ll: LL144Section, toolVersion: string): string[] {
  const out: string[] = [];
  out.push("## NYC Local Law 144 bias audit", "", (ll.selection ?? ll.scoring)!.basis, "");
  out.push(...ll144SummaryMarkdown(ll, toolVersion));
  for (const result of [ll.selection, ll.scoring]) {
    if (!result) continue;
    result.tables.forEach((t, k) => {
      out.push(
        `### ${ll144Title(t)} — ${result.rate_name.replace("_", " ")}`,
        "",
        table(
          ["category", "applicants", result.outcome, result.rate_name, "impact ratio", "excluded"],
          t.rows.map((r) => [
            r.category,
            count(r.count),
            count(r.positives),
            num(r.rate),
            num(r.impact_ratio),
            r.excluded ? `yes (${pct(r.share)} of data)` : "",
          ]),
        ),
        "",
        ll144UnknownText(ll.summary.totals[k], ll.summary.categories),
        "",
      );
      const note = ll144SmallNote(t, result.exclusion !== null);
      if (note) out.push(`_${note}_`, "");
    });
    if (result.exclusion)
      out.push(`Exclusion of categories under ${pct(result.exclusion.share)}: ${result.exclusion.justification}`, "");
  }
  return out;
}

/** The EU AI Act test log section. */
export function euAiActMarkdown(eu: EuAiActLog): string[] {
  const out: string[] = [];
  out.push(
    "## EU AI Act test log",
    "",
    eu.basis,
    "",
    table(
      ["field", "value"],
      [
        ["date", eu.date],
        ["tool", eu.tool],
        ...eu.data.map((d) => ["test data", `${d.name}: ${count(d.rows)} rows, SHA-256 ${d.sha256 ?? "not computed"}`]),
        ["configuration SHA-256", eu.config_sha256 ?? "not computed"],
        ["responsible persons", eu.responsible_persons.join("; ") || "not given"],
        ["signature", eu.signature],
      ],
    ),
    "",
    table(
      ["test", "result"],
      eu.tests.map((t) => [t.name, t.result]),
    ),
    "",
  );
  return out;
}

/**
 * Renders a report as Markdown.
 *
 * @example
 * writeFileSync("report.md", renderMarkdown(data));
 */
export function renderMarkdown(data: ReportData): string {
  const a = data.audit;
  const metrics = a.settings.metrics;
  const _mc = data.model_card.model_card;
  const _sec = data.model_card.sections;
  const out: string[] = [];
  out.push(...headerMarkdown(data));
  out.push(
    "",
    "## Summary",
    "",
    bullets(data.findings),
    "",
    "_An audit is not a certification: these numbers describe this model on this data, at this date._",
    "",
  );

  const quantitativeLines = (): string[] => {
    const out: string[] = [];
    out.push(
      "### Quantitative analyses",
      "",
      table(
        ["criterion", "value", "rule", "result"],
        Object.entries(a.checks).map(([name, c]) => [
          name,
          num(c.value),
          `${c.rule} ${c.tolerance}`,
          c.pass === null ? "undefined" : c.pass ? "pass" : "fail",
        ]),
      ),
      "",
    );
    if (a.criteria_excluded.length > 0)
      out.push(
        `The criteria compare the groups with at least ${a.settings.min_group_size} rows; left out as too small: ${a.criteria_excluded.map(groupLabel).join("; ")}.`,
        "",
      );
    for (const u of data.unitary)
      out.push(
        `**Unitary results: ${u.column}**`,
        "",
        table(["group", "n", ...metrics], metricRows(u.groups, metrics)),
        "",
      );
    out.push(
      `**${a.input.sensitive.length > 1 ? "Intersectional results" : "Results"}: ${a.input.sensitive.join(" × ")}**`,
      "",
      table(["group", "n", ...metrics], metricRows([a.overall, ...a.groups], metrics)),
      "",
    );
    return out;
  };
  out.push(
    ...modelCardMarkdown(data.model_card, {
      factorsLine: `Evaluation factors measured: ${a.input.sensitive.join(", ")}.`,
      metricsTable: table(
        ["metric", "formula", "meaning"],
        metrics.map((m) => {
          const s = metricSpec(m);
          return [s.name, `\`${s.formula}\``, s.meaning];
        }),
      ),
      evaluationLine: data.provenance.data.map((d) => `${d.name}: ${count(d.rows)} rows`).join("; "),
      quantitative: quantitativeLines(),
    }),
  );
  out.push(...datasheetMarkdown(data.datasheet));

  if (data.ll144) out.push(...ll144Markdown(data.ll144, data.tool.version));

  out.push("## EEOC four-fifths rule", "", data.four_fifths[0]?.basis ?? "", "");
  for (const ff of data.four_fifths) {
    out.push(
      `### ${ff.columns.join(" × ")}`,
      "",
      table(
        ["group", "n", ff.outcome, `rate (${ff.outcome})`, "impact ratio", "Fisher p", "z p", "finding"],
        ff.rows.map((r) => [
          r.label,
          count(r.count),
          count(r.selected),
          num(r.rate),
          num(r.impact_ratio),
          pValue(r.fisher_p),
          pValue(r.z_p),
          FOUR_FIFTHS_WORDS[r.status],
        ]),
      ),
      "",
    );
  }

  out.push(...euAiActMarkdown(data.eu_ai_act));

  const b = data.bias_sources;
  out.push(
    "## Sources of bias",
    "",
    bullets(b.findings, "_no source of bias stood out in what the data can show_"),
    "",
  );
  out.push(
    table(
      ["grouping", "base-rate difference", "base-rate ratio"],
      b.historical.map((h) => [h.columns.join(" × "), num(h.difference), num(h.ratio)]),
    ),
    "",
  );
  out.push(
    `Evaluation coverage (${b.coverage.columns.join(" × ")}): ${b.coverage.flagged} group-metric cells under ${b.coverage.min_rows} rows or wider than ${b.coverage.max_interval_width}.`,
    "",
  );
  out.push(`Aggregation: ${b.aggregation.note}.`, "");
  if (b.aggregation.available)
    out.push(
      table(
        ["group", "rows", "AUC", "ECE"],
        b.aggregation.groups.map((g) => [g.label, count(g.rows), num(g.auc), num(g.ece)]),
      ),
      "",
    );

  const s = data.subgroups;
  out.push("## Subgroup discovery", "", `${s.method}.`, "", subgroupCounts(s), "");
  const sgRows = (list: typeof s.top) =>
    list.map((x) => [
      x.description,
      count(x.size),
      num(x.value),
      interval(x.interval),
      num(x.rest_value),
      `${num(x.gap)} (${interval(x.gap_interval)})`,
      pValue(x.adjusted_p),
    ]);
  const lv = levelText(data.audit.settings.level);
  const sgHead = ["subgroup", "rows", s.metric, `${lv} interval`, "rest", `gap (${lv} interval)`, "adjusted p"];
  out.push(
    s.top.length
      ? table(sgHead, sgRows(s.top))
      : `**No subgroup differs significantly** on ${s.metric} at family-wise alpha ${s.alpha}.`,
    "",
  );
  out.push("### Largest gaps, significant or not", "", table(sgHead, sgRows(s.largest_gaps)), "");
  if (data.individual) {
    const t = individualTables(data.individual);
    out.push("## Individual fairness", "", t.note, "", table(t.summary.head, t.summary.rows), "");
    if (t.groups) out.push("### By group", "", table(t.groups.head, t.groups.rows), "");
    out.push("### Pairs treated most differently for their distance", "", table(t.worst.head, t.worst.rows), "");
  }
  return `${out.join("\n")}\n`;
}
