import assert from "node:assert/strict";
import { test } from "node:test";
import { profileColumns } from "../../src/audit/datasheet.js";
import { buildModelCard, checkCardFile } from "../../src/audit/model-card.js";
import { buildReportData, type ReportDataInput } from "../../src/audit/report-data.js";
import { barChart, lineChart, shortLabel } from "../../src/charts/svg.js";
import { buildLL144Section, type LL144Card } from "../../src/audit/ll144-summary.js";
import { ll144Html } from "../../src/report/html-parts.js";
import { ll144Markdown } from "../../src/report/markdown.js";

import { MetricFrame } from "../../src/core/metric-frame.js";
import { createRandom } from "../../src/core/random.js";
import { renderHtml } from "../../src/report/html.js";
import { renderJson } from "../../src/report/json.js";
import { renderMarkdown } from "../../src/report/markdown.js";
import { assertValid } from "../helpers/schemas.js";

/** 2,000 synthetic applicants; one race level is 1% of the data and one name needs escaping. */
function input(): ReportDataInput {
  const rng = createRandom(5);
  const n = 2000;
  const sex: string[] = [];
  const race: (string | null)[] = [];
  const yTrue: number[] = [];
  const yPred: number[] = [];
  const scores: number[] = [];
  for (let i = 0; i < n; i++) {
    sex.push(rng.next() < 0.5 ? "Female" : "Male");
    const r = rng.next();
    race.push(r < 0.01 ? "<b>Tiny</b> & co" : r < 0.5 ? "A" : r < 0.98 ? "B" : null);
    const y = rng.next() < (sex[i] === "Female" ? 0.3 : 0.5) ? 1 : 0;
    const s = 1 / (1 + Math.exp(-(rng.normal() + (y ? 1 : -1))));
    yTrue.push(y);
    scores.push(s);
    yPred.push(s >= 0.5 ? 1 : 0);
  }
  return {
    title: "Synthetic <model>",
    yTrue,
    yPred,
    scores,
    sensitiveFeatures: { sex, race },
    ll144: { sex: "sex", raceEthnicity: "race" },
    card: {
      model_details: { name: "synthetic", owners: [{ name: "QA", contact: "qa@example.org" }] },
      ll144: { exclusion_justification: "1% category: too few applicants for a stable ratio" },
      datasheet: {
        motivation: "test data",
        composition: { "What do the instances represent?": "synthetic applicants" },
      },
      reference_shares: { sex: { Female: 0.5, Male: 0.5 } },
    },
    provenance: {
      generated_at: "2026-01-01T00:00:00.000Z",
      data: [{ name: "synthetic", sha256: "ab".repeat(32), rows: n }],
      config: { seed: 5 },
      config_sha256: "cd".repeat(32),
    },
  };
}

test("without an audit given, the report builds one from a MetricFrame with the same numbers", () => {
  const inp = input();
  const data = buildReportData(inp);
  const mf = new MetricFrame({
    metrics: data.audit.settings.metrics,
    yTrue: inp.yTrue,
    yPred: inp.yPred,
    sensitiveFeatures: inp.sensitiveFeatures,
  });
  assert.deepEqual(
    data.audit.groups.map((g) => g.metrics.selection_rate),
    mf.byGroup.map((g) => g.metrics.selection_rate),
  );
  assert.equal(data.unitary.length, 2);
  // The 1% race category is excluded from LL144's impact ratios with the justification.
  const race = data.ll144!.selection.tables[1];
  const tiny = race.rows.find((r) => r.category === "<b>Tiny</b> & co")!;
  assert.equal(tiny.excluded, true);
  assert.ok(race.unknown_count > 0, "missing race counted as unknown");
  assert.ok(data.ll144!.scoring !== null);
  assert.equal(data.curves.length, data.audit.groups.length);
});

test("HTML is self-contained: no script, no external reference, text escaped, CSP forbids loading", () => {
  const html = renderHtml(buildReportData(input()));
  assert.ok(html.startsWith("<!DOCTYPE html>"));
  assert.doesNotMatch(html, /<script/i);
  assert.doesNotMatch(html, /<link/i);
  assert.doesNotMatch(html, /<img/i);
  assert.doesNotMatch(html, /url\((?!#)/i); // only in-page references (the SVG hatch pattern)
  assert.doesNotMatch(html, /@import/i);
  // Links only to anchors in the page.
  for (const m of html.matchAll(/(?:href|src)="([^"]*)"/g)) assert.ok(m[1].startsWith("#"), `reference ${m[1]}`);
  // The only URL is the SVG namespace (an identifier, never fetched).
  const urls = [...html.matchAll(/https?:\/\/[^\s"'<)]+/g)].map((m) => m[0]);
  assert.deepEqual([...new Set(urls)], ["http://www.w3.org/2000/svg"]);
  assert.match(html, /Content-Security-Policy" content="default-src 'none'/);
  assert.ok(!html.includes("<b>Tiny</b>"));
  assert.ok(html.includes("&lt;b&gt;Tiny&lt;/b&gt; &amp; co"));
  assert.ok(html.includes("Synthetic &lt;model&gt;"));
  assert.match(html, /@media print/);
  assert.ok(html.includes("1% category: too few applicants for a stable ratio"));
});

test("HTML, Markdown and JSON carry the same numbers", () => {
  const data = buildReportData(input());
  const html = renderHtml(data);
  const md = renderMarkdown(data);
  const json = assertValid(JSON.parse(renderJson(data)), "report");
  const female = data.ll144!.selection.tables[0].rows.find((r) => r.category === "Female")!;
  const shown = female.impact_ratio.toFixed(3);
  assert.ok(html.includes(`data-value="${female.impact_ratio}"`));
  assert.ok(html.includes(`>${shown}<`));
  assert.ok(
    md.includes(
      `| Female | ${female.count.toLocaleString("en-US")} | ${female.positives} | ${female.rate.toFixed(3)} | ${shown} |`,
    ),
    "markdown row",
  );
  assert.equal(
    json.ll144.selection.tables[0].rows[0].impact_ratio,
    data.ll144!.selection.tables[0].rows[0].impact_ratio,
  );
  // Undefined numbers become null in JSON, never 0.
  const tinyRow = json.ll144.selection.tables[1].rows.find(
    (r: { category: string }) => r.category === "<b>Tiny</b> & co",
  );
  assert.equal(tinyRow.impact_ratio, null);
  assert.equal(json.model_card.model_card.schema_version, "0.0.2");
});

test("card file checks and the model card's missing fields", () => {
  assert.throws(() => checkCardFile({ modle_details: {} }), /unknown field "modle_details"/);
  assert.throws(
    () => checkCardFile({ reference_shares: { sex: { F: 1.5 } } }, "card.yaml"),
    /^FairkitError: card\.yaml: reference_shares\.sex\.F: must be <= 1; got 1\.5$/,
  );
  assert.throws(
    () => checkCardFile({ considerations: { users: 5 } }, "card.yaml"),
    /card\.yaml: considerations\.users: must be text or an array; got 5/,
  );
  assert.throws(
    () => checkCardFile({ model_details: { owners: [{ nme: "x" }] } }, "card.yaml"),
    /card\.yaml: model_details\.owners\[0\]: unknown field "nme"; known fields: name, contact/,
  );
  assert.throws(() => checkCardFile([1, 2]), /mapping/);
  assert.deepEqual(checkCardFile(null), {});
  const card = buildModelCard(
    { considerations: { use_cases: "screening", ethical_considerations: [{ name: "r", mitigation_strategy: "m" }] } },
    {
      name: "m",
      evaluationData: "e",
      evaluationDataName: "d",
      sensitiveColumns: ["s"],
      performanceMetrics: [],
      computedLimitations: ["small"],
      computedRisks: [{ name: "computed" }],
    },
  );
  assert.deepEqual(card.model_card.considerations.use_cases, [{ description: "screening" }]);
  assert.deepEqual(card.model_card.considerations.ethical_considerations, [
    { name: "r", mitigation_strategy: "m" },
    { name: "computed" },
  ]);
  assert.deepEqual(card.model_card.considerations.limitations, [{ description: "small" }]);
  assert.ok(card.missing.includes("model_details.name") && card.missing.includes("monitoring"));
  assert.ok(!card.missing.includes("considerations.use_cases (intended use)"));
});

test("profileColumns counts missing (null, NaN, empty text) and distinct values", () => {
  assert.deepEqual(profileColumns({ a: [1, null, 2, Number.NaN, 1], b: ["x", "", " ", "y", "x"] }), [
    { name: "a", type: "number", missing: 2, missing_share: 0.4, distinct: 2 },
    { name: "b", type: "string", missing: 2, missing_share: 0.4, distinct: 2 },
  ]);
});

test("charts: deterministic SVG, flagged bars hatched and marked, undefined values said so", () => {
  const opts = {
    title: "Impact ratio",
    bars: [
      { label: "A", value: 1, note: "n = 10" },
      { label: "B", value: 0.5, flagged: true },
      { label: "C", value: null },
    ],
    reference: { value: 0.8, label: "0.8" },
  };
  const svg = barChart(opts);
  assert.equal(svg, barChart(opts));
  assert.match(svg, /^<svg [^>]*role="img"/);
  assert.match(svg, /<title id="[^"]+">Impact ratio<\/title>/);
  assert.match(svg, /fill="url\(#h[0-9a-z]+-hatch\)"/);
  assert.ok(svg.includes("0.500 !"));
  assert.ok(svg.includes(">undefined<"));
  assert.ok(svg.includes('stroke-dasharray="5 3"'));
  const line = lineChart({
    title: "ROC",
    xLabel: "FPR",
    yLabel: "TPR",
    diagonal: true,
    series: [
      {
        label: "A",
        points: [
          [0, 0],
          [0.5, 0.8],
          [1, 1],
        ],
      },
    ],
  });
  assert.match(line, /<path d="M44\.0,332\.0L196\.0,\d+\.\dL348\.0,28\.0"/);
});

test("profileColumns reads categorical columns through their levels", () => {
  assert.deepEqual(profileColumns({ c: { codes: Int32Array.of(0, -1, 1, 1), levels: ["x", "y"] } }), [
    { name: "c", type: "string", missing: 1, missing_share: 0.25, distinct: 2 },
  ]);
});

test("the card file example in docs/reports.md is valid and reaches the report", async () => {
  const { readFileSync } = await import("node:fs");
  const { parse } = await import("yaml");
  const doc = readFileSync(new URL("../../docs/reports.md", import.meta.url), "utf8");
  const block = doc.match(/```yaml\n([\s\S]*?)```/)![1];
  const card = checkCardFile(assertValid(parse(block), "card-file"));
  // The example maps race values such as Black, White and Hispanic to EEO-1 categories: data that has them.
  const base = input();
  const names: Record<string, string> = { A: "Black", B: "White", "<b>Tiny</b> & co": "Hispanic" };
  const race = Array.from(base.sensitiveFeatures.race as (string | null)[], (r) => (r === null ? null : names[r]));
  const data = buildReportData({ ...base, sensitiveFeatures: { ...base.sensitiveFeatures, race }, card });
  const summary = data.ll144!.summary;
  assert.deepEqual(summary.missing, []);
  assert.equal(summary.auditor.independent, true);
  assert.deepEqual(
    data.ll144!.selection.tables[1].rows.map((r) => r.category),
    ["Hispanic or Latino", "White (Not Hispanic or Latino)", "Black or African American (Not Hispanic or Latino)"],
  );
  assert.equal(data.model_card.model_card.model_details.name, "Applicant screening model");
  assert.deepEqual(data.model_card.model_card.model_details.licenses, [{ identifier: "proprietary" }]);
  assert.deepEqual(data.eu_ai_act.responsible_persons, ["A. Auditor, Independent Audits Ltd"]);
  assert.ok(data.datasheet.answers.some((a) => a.question === "Who collected the data?"));
  assert.deepEqual(data.model_card.missing, []);
});

test("a chart label is shortened through the group name, never through a number (issue 20: 'n = 54…' for n = 549)", () => {
  const bar = { label: "African-American, Female", note: "n = 549" };
  for (let room = 1; room <= 40; room++) {
    const shown = shortLabel(bar, room);
    assert.ok(shown.length <= Math.max(room, 1), `${room}: ${shown}`);
    // Whatever is shown of the note is all of it: "n = 549", or none.
    assert.ok(!shown.includes("n = ") || shown.includes("(n = 549)"), `${room}: ${shown}`);
  }
  assert.equal(shortLabel(bar, 40), "African-American, Female (n = 549)");
  assert.equal(shortLabel(bar, 25), "African-Americ… (n = 549)");
  assert.equal(shortLabel(bar, 8), "African…");
  // In the chart itself, at the width the report draws it.
  const svg = barChart({ title: "t", width: 300, bars: [{ ...bar, value: 0.5 }] });
  assert.ok(!/n = 5[0-9]?…/.test(svg));
  assert.match(svg, /\(n = 549\)<\/text>/);
});

test("LL144 without an exclusion says which categories under 2% it still compares, and what the rules allow (issue 20)", () => {
  // 100 people: 1 in category "c" (1%), the rest split between "a" and "b".
  const race = Array.from({ length: 100 }, (_, i) => (i === 0 ? "c" : i % 2 ? "a" : "b"));
  const sex = Array.from({ length: 100 }, (_, i) => (i % 3 ? "F" : "M"));
  const selected = Array.from({ length: 100 }, (_, i) => (i % 4 === 0 ? 1 : 0));
  const section = (card?: LL144Card) =>
    buildLL144Section({
      sensitiveFeatures: { sex, race },
      sensitive: ["sex", "race"],
      columns: { sex: "sex", raceEthnicity: "race" },
      selected,
      card,
      level: 0.95,
      positiveDecision: "favourable",
      generatedAt: "2026-01-01T00:00:00.000Z",
      files: [],
      rows: 100,
    });
  const plain = section();
  const md = ll144Markdown(plain, "0.0.0").join("\n");
  assert.match(
    md,
    /1 category is under 2% of the data and compared here: c \(1, 1\.0%\)\. The rules allow leaving categories under 2% out/,
  );
  const html = ll144Html(plain, "0.0.0");
  assert.match(html, /1 category is under 2% of the data and compared here: c \(1, 1\.0%\)/);
  const md2 = ll144Markdown(section({ exclusion_justification: "too few to rate" }), "0.0.0").join("\n");
  assert.doesNotMatch(md2, /under 2% of the data and compared here/);
  assert.match(md2, /Exclusion of categories under 2\.0%: too few to rate/);
});
