/**
 * The audit JSON: its documented shape, hand-computed values, undefined values as null, pass/fail,
 * and the gaps: which groups set each criterion and its interval, under the audit's rules (small
 * groups left out, a reference group, equalized odds the worse of its two parts).
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { type AuditInput, DEFAULT_AUDIT_METRICS, buildAuditResult, gateValues } from "../../src/audit/audit-result.js";
import { confusionFromRows } from "../../src/core/prepare.js";
import { MetricFrame } from "../../src/core/metric-frame.js";
import { moverRatioInterval, newcombeInterval } from "../../src/core/intervals.js";
import { compasFiltered, skipWithoutData } from "../helpers/data.js";
import { assertValid } from "../helpers/schemas.js";
import { VERSION } from "../../src/version.js";
import { AUDIT_GAP, AUDIT_GROUP_ENTRY, AUDIT_SCHEMA } from "../../src/schemas/audit.js";

const input: AuditInput = {
  source: "test",
  format: null,
  rows: 7,
  where: null,
  y_true: "y",
  y_pred: "p",
  score: null,
  threshold: null,
  sensitive: ["g"],
  weight: null,
  pos_label: null,
  pred_pos_label: null,
  nulls: { g: 0, y: 0, p: 0 },
};

// Group a: TP, FN, FP, TN. Group b: TP, FP, FP.
const yTrue = [1, 1, 0, 0, 1, 0, 0];
const yPred = [1, 0, 1, 0, 1, 1, 1];
const g = ["a", "a", "a", "a", "b", "b", "b"];

describe("buildAuditResult", () => {
  test("has the documented shape and the hand-computed numbers", () => {
    const frame = new MetricFrame({ yTrue, yPred, sensitiveFeatures: { g }, metrics: DEFAULT_AUDIT_METRICS });
    const r = buildAuditResult(frame, { input, tolerances: { difference: 0.2, ratio: 0.6 }, includeSmallGroups: true });
    assert.deepEqual(Object.keys(r), [
      "kind",
      "schema_version",
      "tool",
      "input",
      "settings",
      "overall",
      "groups",
      "criteria",
      "gaps",
      "criteria_excluded",
      "checks",
      "passed",
      "warnings",
    ]);
    assert.equal(r.kind, "fairkit.audit");
    assert.equal(r.schema_version, 2);
    assert.deepEqual(r.tool, { name: "fairkit", version: VERSION });
    assert.deepEqual(r.input, input);
    assert.deepEqual(r.settings, {
      metrics: [...DEFAULT_AUDIT_METRICS],
      intervals: "wilson",
      level: 0.95,
      min_group_size: 30,
      disparity: { method: "between_groups", reference: null },
      tolerances: { difference: 0.2, ratio: 0.6 },
      equalized_odds_agg: "worst",
      criteria_groups: "all",
      positive_decision: "favourable",
    });
    assert.deepEqual(r.criteria_excluded, []);
    assert.deepEqual(
      r.groups.map((x) => [x.label, x.group, x.n, x.weight, x.small]),
      [
        ["a", ["a"], 4, 4, true],
        ["b", ["b"], 3, 3, true],
      ],
    );
    assert.deepEqual(r.groups[0].metrics, {
      base_rate: 0.5,
      selection_rate: 0.5,
      true_positive_rate: 0.5,
      false_positive_rate: 0.5,
      false_negative_rate: 0.5,
      positive_predictive_value: 0.5,
      accuracy: 0.5,
    });
    assert.equal(r.groups[1].metrics.positive_predictive_value, 1 / 3);
    assert.equal(r.groups[1].metrics.false_positive_rate, 1);
    assert.deepEqual(r.overall.group, []);
    assert.equal(r.overall.label, "overall");
    assert.equal(r.overall.n, 7);
    // Wilson interval of 0.5 on 4 trials, z = 1.959964: centre 0.5, half-width 0.4075.
    const [lo, hi] = r.groups[0].intervals.selection_rate;
    assert.ok(Math.abs(lo! - 0.15) < 1e-3 && Math.abs(hi! - 0.85) < 1e-3, `${lo} ${hi}`);
    assert.deepEqual(r.criteria, {
      demographic_parity_difference: 0.5,
      demographic_parity_ratio: 0.5,
      equal_opportunity_difference: 0.5,
      equal_opportunity_ratio: 0.5,
      equalized_odds_difference: 0.5,
      equalized_odds_ratio: 0.5,
      predictive_parity_difference: 0.5 - 1 / 3,
      predictive_parity_ratio: 1 / 3 / 0.5,
    });
    assert.deepEqual(r.checks.predictive_parity_difference, {
      value: 0.5 - 1 / 3,
      rule: "<=",
      tolerance: 0.2,
      pass: true,
    });
    assert.deepEqual(r.checks.predictive_parity_ratio, { value: 2 / 3, rule: ">=", tolerance: 0.6, pass: true });
    assert.deepEqual(r.checks.demographic_parity_ratio, { value: 0.5, rule: ">=", tolerance: 0.6, pass: false });
    assert.equal(r.passed, false);
    // Selection a 2/4, b 3/3: b − a sets the difference, a / b the ratio, each with its pair interval.
    assert.deepEqual(r.gaps.demographic_parity_difference, {
      metric: "selection_rate",
      value: 0.5,
      groups: [["b"], ["a"]],
      interval: newcombeInterval({ p: 1, n: 3 }, { p: 0.5, n: 4 }),
      interval_method: "newcombe",
    });
    assert.deepEqual(r.gaps.demographic_parity_ratio, {
      metric: "selection_rate",
      value: 0.5,
      groups: [["a"], ["b"]],
      interval: moverRatioInterval({ p: 0.5, n: 4 }, { p: 1, n: 3 }),
      interval_method: "mover",
    });
    // Equalized odds: TPR (1/2 vs 1/1) and FPR (1/2 vs 2/2) tie at 0.5; the first part is named.
    assert.equal(r.gaps.equalized_odds_difference.metric, "true_positive_rate");
    assert.deepEqual(r.gaps.equalized_odds_difference.interval, newcombeInterval({ p: 1, n: 1 }, { p: 0.5, n: 2 }));
    // PPV a 1/2, b 1/3.
    assert.deepEqual(r.gaps.predictive_parity_difference.groups, [["a"], ["b"]]);
    for (const [name, gap] of Object.entries(r.gaps))
      assert.equal(gap.value, r.criteria[name as keyof typeof r.criteria]);
    assert.deepEqual(
      r.warnings.map((w) => w.code),
      ["SMALL_GROUP", "SMALL_GROUP"],
    );
    // The JSON is plain data: it survives a round trip unchanged.
    assert.deepEqual(JSON.parse(JSON.stringify(r)), r);
  });

  test("fromCounts gives the same result as the rows", () => {
    const metrics = DEFAULT_AUDIT_METRICS;
    const a = buildAuditResult(new MetricFrame({ yTrue, yPred, sensitiveFeatures: { g }, metrics }), {
      input,
      includeSmallGroups: true,
    });
    const b = buildAuditResult(
      MetricFrame.fromCounts(confusionFromRows({ yTrue, yPred, sensitiveFeatures: { g } }), { metrics }),
      { input, includeSmallGroups: true },
    );
    assert.deepEqual(b, a);
  });

  test("undefined values are null, and a check that cannot be made is neither pass nor fail", () => {
    // Group b has no true positives: its TPR and FNR are undefined, so are the equal-opportunity numbers.
    const frame = new MetricFrame({
      yTrue: [1, 0, 0, 0],
      yPred: [1, 0, 0, 1],
      sensitiveFeatures: { g: ["a", "a", "b", "b"] },
      metrics: DEFAULT_AUDIT_METRICS,
    });
    const r = buildAuditResult(frame, { input, tolerances: { difference: 1, ratio: 0 }, includeSmallGroups: true });
    assert.equal(r.groups[1].metrics.true_positive_rate, null);
    assert.deepEqual(r.groups[1].intervals.true_positive_rate, [null, null]);
    assert.equal(r.criteria.equal_opportunity_difference, null);
    assert.deepEqual(r.gaps.equal_opportunity_difference, {
      metric: "true_positive_rate",
      value: null,
      groups: null,
      interval: null,
      interval_method: null,
    });
    // Equalized odds is undefined with its TPR part: the gap names that part.
    assert.equal(r.gaps.equalized_odds_ratio.metric, "true_positive_rate");
    assert.equal(r.gaps.equalized_odds_ratio.groups, null);
    assertValid(JSON.parse(JSON.stringify(r)), "audit");
    assert.deepEqual(r.checks.equal_opportunity_difference, { value: null, rule: "<=", tolerance: 1, pass: null });
    assert.equal(r.passed, null);
    assert.ok(
      r.warnings.some(
        (w) =>
          w.code === "UNDEFINED_METRIC" && JSON.stringify(w.group) === '["b"]' && w.metric === "true_positive_rate",
      ),
    );
    assert.equal(gateValues(r).equal_opportunity_difference, null);
    assert.equal(gateValues(r)["overall.accuracy"], 0.75);
  });

  test("a reference group: differences and ratios to it", () => {
    const frame = new MetricFrame({ yTrue, yPred, sensitiveFeatures: { g }, metrics: ["selection_rate"] });
    const r = buildAuditResult(frame, { input, reference: "b", includeSmallGroups: true });
    assert.deepEqual(r.settings.disparity, { method: "to_reference", reference: ["b"] });
    assert.equal(r.criteria.demographic_parity_difference, 0.5);
    assert.equal(r.criteria.demographic_parity_ratio, 0.5);
    // One of the pair is the reference; the criteria's other metrics were not in the frame: from the counts.
    assert.deepEqual(r.gaps.demographic_parity_difference.groups, [["b"], ["a"]]);
    assert.deepEqual(r.gaps.demographic_parity_ratio.groups, [["a"], ["b"]]);
    assert.equal(r.gaps.predictive_parity_ratio.interval_method, "mover");
    // Without includeSmallGroups a small reference group cannot anchor the comparison.
    assert.throws(
      () => buildAuditResult(frame, { input, reference: "b" }),
      /reference group "b" has 3 rows, fewer than the minimum group size 30/,
    );
  });

  test("by default the criteria leave small groups out, name them, and keep them in the table", () => {
    // a: 40 rows, selection 0.5; b: 50 rows, selection 0.4; c: 2 rows, selection 1 (noise).
    const rows = [
      ...Array.from({ length: 40 }, (_, i) => ({ g: "a", y: i % 2, p: i < 20 ? 1 : 0 })),
      ...Array.from({ length: 50 }, (_, i) => ({ g: "b", y: i % 2, p: i < 20 ? 1 : 0 })),
      { g: "c", y: 0, p: 1 },
      { g: "c", y: 1, p: 1 },
    ];
    const frame = new MetricFrame({
      yTrue: rows.map((r) => r.y),
      yPred: rows.map((r) => r.p),
      sensitiveFeatures: { g: rows.map((r) => r.g) },
      metrics: DEFAULT_AUDIT_METRICS,
    });
    const r = buildAuditResult(frame, { input });
    assert.equal(r.settings.criteria_groups, "sufficient");
    assert.deepEqual(r.criteria_excluded, [["c"]]);
    assert.equal(r.groups.length, 3);
    assert.ok(Math.abs(r.criteria.demographic_parity_difference! - 0.1) < 1e-12);
    assert.ok(Math.abs(r.criteria.demographic_parity_ratio! - 0.8) < 1e-12);
    assert.match(
      r.warnings.at(-1)!.message,
      /the criteria compare the 2 groups with at least 30 rows; left out as too small: "c" \(2\)/,
    );
    // The gap names a and b, not the excluded c; with small groups, c (selection 1) sets the maximum.
    assert.deepEqual(r.gaps.demographic_parity_difference.groups, [["a"], ["b"]]);
    assert.deepEqual(
      r.gaps.demographic_parity_difference.interval,
      newcombeInterval({ p: 0.5, n: 40 }, { p: 0.4, n: 50 }),
    );
    const all = buildAuditResult(frame, { input, includeSmallGroups: true });
    assert.ok(Math.abs(all.criteria.demographic_parity_difference! - 0.6) < 1e-12);
    assert.deepEqual(all.criteria_excluded, []);
    assert.deepEqual(all.gaps.demographic_parity_difference.groups, [["c"], ["b"]]);
  });

  test("gaps: bootstrap intervals when the frame has replicates, none with intervals none", () => {
    const rows = Array.from({ length: 120 }, (_, i) => ({ g: i % 3 ? "a" : "b", y: i % 2, p: i % 5 < 2 ? 1 : 0 }));
    const data = {
      yTrue: rows.map((r) => r.y),
      yPred: rows.map((r) => r.p),
      sensitiveFeatures: { g: rows.map((r) => r.g) },
    };
    const boot = new MetricFrame({
      ...data,
      metrics: DEFAULT_AUDIT_METRICS,
      intervals: "bootstrap",
      bootstrap: { n: 200 },
    });
    const r = buildAuditResult(boot, { input, intervals: "bootstrap" });
    for (const gap of Object.values(r.gaps)) assert.equal(gap.interval_method, "bootstrap");
    assert.deepEqual(r.gaps.demographic_parity_difference.interval, boot.differenceInterval().selection_rate);
    assertValid(JSON.parse(JSON.stringify(r)), "audit");
    const none = buildAuditResult(new MetricFrame({ ...data, metrics: DEFAULT_AUDIT_METRICS, intervals: "none" }), {
      input,
      intervals: "none",
    });
    for (const gap of Object.values(none.gaps)) {
      assert.equal(gap.interval, null);
      assert.equal(gap.interval_method, null);
      assert.ok(gap.groups !== null);
    }
  });

  test("gaps on COMPAS by race agree with the criteria and name the groups", {
    skip: skipWithoutData("compas-scores-two-years.csv"),
  }, () => {
    const compas = compasFiltered();
    const frame = new MetricFrame({
      yTrue: compas.map((r) => Number(r.two_year_recid)),
      yPred: compas.map((r) => (Number(r.decile_score) >= 5 ? 1 : 0)),
      sensitiveFeatures: { race: compas.map((r) => r.race) },
      metrics: DEFAULT_AUDIT_METRICS,
    });
    const r = buildAuditResult(frame, { input: { ...input, sensitive: ["race"] } });
    for (const [name, gap] of Object.entries(r.gaps))
      assert.equal(gap.value, r.criteria[name as keyof typeof r.criteria]);
    // Native American (11 rows) is left out: Other sets the lowest selection rate.
    assert.deepEqual(r.gaps.demographic_parity_difference.groups, [["African-American"], ["Other"]]);
    const [lo, hi] = r.gaps.demographic_parity_difference.interval as [number, number];
    assert.ok(Math.abs(lo - 0.323) < 5e-4 && Math.abs(hi - 0.4148) < 5e-4, `${lo} ${hi}`);
    // Equalized odds: the TPR gap (0.377) is worse than the FPR gap (0.336); its ratio is the FPR's.
    assert.equal(r.gaps.equalized_odds_difference.metric, "true_positive_rate");
    assert.equal(r.gaps.equalized_odds_ratio.metric, "false_positive_rate");
    assert.deepEqual(r.gaps.equalized_odds_ratio.groups, [["Asian"], ["African-American"]]);
    const ref = buildAuditResult(frame, { input: { ...input, sensitive: ["race"] }, reference: "Caucasian" });
    assert.deepEqual(ref.gaps.demographic_parity_difference.groups, [["African-American"], ["Caucasian"]]);
    assertValid(JSON.parse(JSON.stringify(ref)), "audit");
  });

  test("is browser-safe: no node: imports", () => {
    const text = readFileSync(new URL("../../src/audit/audit-result.ts", import.meta.url), "utf8");
    assert.doesNotMatch(text, /from "node:/);
  });

  test("docs/cli.md documents every top-level key, group key and gap key of the schema, and no other", () => {
    const doc = readFileSync(new URL("../../docs/cli.md", import.meta.url), "utf8");
    const section = doc.slice(doc.indexOf("## JSON output"), doc.indexOf("## `fairkit data"));
    const tableKeys = (from: number) => {
      const lines = section.slice(from).split("\n");
      const start = lines.findIndex((l) => l.startsWith("| key |"));
      const rows: string[] = [];
      for (const line of lines.slice(start + 2)) {
        const m = /^\| `([a-z_]+)` \|/.exec(line);
        if (!m) break;
        rows.push(m[1]);
      }
      return rows;
    };
    assert.deepEqual(tableKeys(0), Object.keys(AUDIT_SCHEMA.properties!));
    assert.deepEqual(tableKeys(section.indexOf("A group entry")), Object.keys(AUDIT_GROUP_ENTRY.properties!));
    assert.deepEqual(tableKeys(section.indexOf("A gap entry")), Object.keys(AUDIT_GAP.properties!));
  });
});
