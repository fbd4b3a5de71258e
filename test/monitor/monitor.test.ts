/**
 * The monitor document from in-memory windows: its numbers are the engine's (the audit of each
 * window's labelled counts, MetricFrame gaps for demographic parity on every row), windows merge
 * exactly, windows without labels get label-free numbers only, and the alert rules (their
 * errors, their persistence) do what docs/monitoring.md says.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { buildAuditResult, DEFAULT_AUDIT_METRICS } from "../../src/audit/audit-result.js";
import { type ConfusionTable, confusionToJSON, countConfusion } from "../../src/core/confusion.js";
import { FairkitError } from "../../src/core/errors.js";
import { encodeGroups } from "../../src/core/groups.js";
import { MetricFrame } from "../../src/core/metric-frame.js";
import { buildMonitorResult, type MonitorResult } from "../../src/monitor/monitor-result.js";
import { parseRules } from "../../src/monitor/rules.js";
import {
  mergeWindowCounts,
  parseReference,
  parseWindow,
  type WindowCounts,
  windowStart,
} from "../../src/monitor/windows.js";
import { assertValid } from "../helpers/schemas.js";

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 5);

/** A deterministic window: n rows per group, a selection rate and base rate per group, labels on `labelled` of them. */
function windowOf(
  day: number,
  spec: Record<string, { n: number; selected: number; positive: number }>,
  labelled = true,
): WindowCounts {
  const group: string[] = [];
  const yTrue: number[] = [];
  const yPred: number[] = [];
  for (const [g, { n, selected, positive }] of Object.entries(spec)) {
    for (let i = 0; i < n; i++) {
      group.push(g);
      yPred.push(i < selected * n ? 1 : 0);
      // Positives spread over selected and not: every other row first.
      yTrue.push((i * 7) % n < positive * n ? 1 : 0);
    }
  }
  const enc = encodeGroups({ race: group });
  const decisions = countConfusion(new Uint8Array(yPred.length), Uint8Array.from(yPred), enc);
  const all = countConfusion(Uint8Array.from(yTrue), Uint8Array.from(yPred), enc);
  const labelledTable: ConfusionTable = labelled ? all : { columns: ["race"], groups: [], data: new Float64Array(0) };
  return {
    start: T0 + day * DAY,
    decisions,
    labelled: labelledTable,
    scores: Object.fromEntries(Object.keys(spec).map((g) => [g, [10, 10, 10]])),
  };
}

const input = {
  source: "memory",
  format: null,
  rows: 0,
  where: null,
  time: "t",
  y_true: "y",
  y_pred: "p",
  score: null,
  threshold: null,
  sensitive: ["race"],
  weight: null,
  pos_label: null,
};

const steady = { a: { n: 400, selected: 0.5, positive: 0.4 }, b: { n: 400, selected: 0.45, positive: 0.4 } };

test("windows align in UTC: days on the epoch, weeks on Mondays, N days on multiples of N; references parse", () => {
  const t = Date.UTC(2026, 0, 7, 15, 30); // a Wednesday
  assert.equal(new Date(windowStart(parseWindow("day"), t)).toISOString(), "2026-01-07T00:00:00.000Z");
  assert.equal(new Date(windowStart(parseWindow("hour"), t)).toISOString(), "2026-01-07T15:00:00.000Z");
  assert.equal(new Date(windowStart(parseWindow("week"), t)).toISOString(), "2026-01-05T00:00:00.000Z");
  assert.equal(windowStart(parseWindow("7d"), t) % (7 * DAY), 0);
  assert.throws(() => parseWindow("fortnight"), /window "fortnight": use hour, day, week or <N>d/);
  assert.deepEqual(parseReference("FIRST"), { kind: "first" });
  assert.deepEqual(parseReference("2026-01-01..2026-02-01"), {
    kind: "period",
    start: Date.UTC(2026, 0, 1),
    end: Date.UTC(2026, 1, 1),
  });
  assert.throws(() => parseReference("2026-02-01..2026-01-01"), /START before END/);
});

test("each window's criteria are the audit's of its labelled counts; demographic parity is MetricFrame's gap over every row", () => {
  const windows = [windowOf(0, steady), windowOf(1, { ...steady, b: { n: 400, selected: 0.2, positive: 0.4 } })];
  const result = assertValid(
    buildMonitorResult(windows, { input, window: parseWindow("day"), reference: { kind: "first" } }),
    "monitor",
  );
  const w = windows[1];
  const audit = buildAuditResult(MetricFrame.fromCounts(w.labelled, { metrics: DEFAULT_AUDIT_METRICS }), {
    input: { ...input, rows: 800, nulls: {}, pred_pos_label: null },
  });
  for (const name of [
    "equal_opportunity_difference",
    "equalized_odds_ratio",
    "predictive_parity_difference",
  ] as const) {
    assert.equal(result.windows[1].criteria[name].value, audit.criteria[name], name);
    assert.deepEqual(result.windows[1].criteria[name].interval, audit.gaps[name].interval, name);
  }
  const dp = MetricFrame.fromCounts(w.decisions, { metrics: ["selection_rate"] }).gap("selection_rate", {
    groups: "sufficient",
  });
  assert.equal(result.windows[1].criteria.demographic_parity_ratio.value, dp.ratio.value);
  assert.deepEqual(result.windows[1].criteria.demographic_parity_difference.interval, dp.difference.interval);
  assert.equal(result.windows[1].criteria.demographic_parity_difference.rows, "all");
  // 0.5 − 0.2 against the reference's 0.05.
  assert.ok(Math.abs(result.windows[1].criteria.demographic_parity_difference.change! - 0.25) < 1e-12);
  const b = result.windows[1].groups.find((g) => g.label === "b")!;
  assert.ok(Math.abs(b.changes!.selection_rate.value! + 0.25) < 1e-12);
  assert.equal(b.share, 0.5);
  assert.deepEqual(b.drift, { psi: 0, js: 0, ks: 0 });
});

test("a window's counts merge exactly: two halves of a day give the day's numbers", () => {
  const whole = windowOf(0, { a: { n: 200, selected: 0.5, positive: 0.5 } });
  const half = windowOf(0, { a: { n: 100, selected: 0.5, positive: 0.5 } });
  const merged = mergeWindowCounts(half, half);
  assert.deepEqual(confusionToJSON(merged.decisions), confusionToJSON(whole.decisions));
  assert.deepEqual(merged.scores, { a: [20, 20, 20] });
});

test("a window without labels gets the label-free numbers only, and says it has 0 labelled rows", () => {
  const result = buildMonitorResult([windowOf(0, steady), windowOf(1, steady, false)], {
    input,
    window: parseWindow("day"),
    reference: { kind: "first" },
  });
  assertValid(result, "monitor");
  const late = result.windows[1];
  assert.equal(late.labelled_rows, 0);
  assert.equal(late.rows, 800);
  assert.equal(late.criteria.equal_opportunity_difference.value, null);
  assert.notEqual(late.criteria.demographic_parity_ratio.value, null);
  for (const g of late.groups) {
    assert.equal(g.labelled_n, 0);
    assert.equal(g.metrics.base_rate, null);
    assert.equal(g.metrics.selection_rate, g.label === "a" ? 0.5 : 0.45);
    assert.equal(g.changes!.base_rate.value, null);
  }
});

function run(rules: unknown, windows: WindowCounts[]): MonitorResult {
  return buildMonitorResult(windows, {
    input,
    window: parseWindow("day"),
    reference: { kind: "first" },
    rules: parseRules(rules, "rules.yaml"),
  });
}

test("persistence: a rule fires when k of the last m windows breach (this one included), not before", () => {
  const bad = { ...steady, b: { n: 400, selected: 0.15, positive: 0.4 } };
  // Breaches in windows 2, 4 and 5 only.
  const windows = [steady, steady, bad, steady, bad, bad, steady].map((s, d) => windowOf(d, s));
  const result = run(
    { rules: [{ name: "dp", measure: "demographic_parity_ratio", tolerance: 0.8, persistence: { k: 2, m: 3 } }] },
    windows,
  );
  assertValid(result, "monitor");
  // Breaching windows 2, 4, 5 (Jan 7, 9, 10): 2 of the last 3 first at window 4; window 2 alone (1 of 3) never fires.
  assert.deepEqual(
    result.alerts.map((a) => [a.window.slice(0, 10), a.breaches, a.new]),
    [
      ["2026-01-09", 2, true],
      ["2026-01-10", 2, false],
    ],
  );
  const once = run({ rules: [{ measure: "demographic_parity_ratio", tolerance: 0.8 }] }, windows);
  assert.deepEqual(
    once.alerts.map((a) => a.window.slice(0, 10)),
    ["2026-01-07", "2026-01-09", "2026-01-10"],
  );
  assert.equal(once.alerts[0].rule, "demographic_parity_ratio#1");
  // The interval must clear the tolerance: with the tolerance between the value and the interval's
  // upper end, the value alone is below it, but nothing fires.
  const ratio = once.windows[2].criteria.demographic_parity_ratio;
  const tolerance = (ratio.value! + ratio.interval![1]!) / 2;
  assert.ok(ratio.value! < tolerance);
  assert.deepEqual(run({ rules: [{ measure: "demographic_parity_ratio", tolerance }] }, windows).alerts, []);
});

test("bad rules name the file and the rule", () => {
  const bad = (doc: unknown, pattern: RegExp) =>
    assert.throws(
      () => parseRules(doc, "ops/rules.yaml"),
      (e: unknown) => e instanceof FairkitError && e.code === "BAD_FILE" && pattern.test(e.message),
      String(pattern),
    );
  bad([], /^ops\/rules\.yaml: a rules file is a mapping/);
  bad({ rules: [] }, /^ops\/rules\.yaml: no rules/);
  bad({ rule: [] }, /unknown key "rule"/);
  bad(
    { rules: [{ name: "dp", measure: "demographic_parity", tolerance: 0.8 }] },
    /^ops\/rules\.yaml: rule "dp": unknown measure "demographic_parity"; known: demographic_parity_difference/,
  );
  bad(
    { rules: [{ measure: "psi", tolerance: 0.2 }, { measure: "psi" }] },
    /^ops\/rules\.yaml: rule 2: tolerance must be a number >= 0; got undefined/,
  );
  bad(
    { rules: [{ name: "x", measure: "psi", tolerance: 0.2, persistence: { k: 3, m: 2 } }] },
    /rule "x": persistence needs whole numbers 1 <= k <= m; got k 3, m 2/,
  );
  bad(
    { rules: [{ name: "x", measure: "share", tolerance: 0.1, min_count: 0 }] },
    /rule "x": min_count must be a whole number >= 1/,
  );
  bad({ rules: [{ name: "x", measure: "share", tolerance: 0.1, tolerence: 2 }] }, /rule "x": unknown key "tolerence"/);
  bad(
    {
      rules: [
        { name: "x", measure: "share", tolerance: 0.1 },
        { name: "x", measure: "psi", tolerance: 1 },
      ],
    },
    /rule "x": the name is used by an earlier rule/,
  );
  const ok = parseRules(
    { kind: "fairkit.monitor_rules", schema_version: 1, rules: [{ measure: "share", tolerance: 0.1 }] },
    "r.yaml",
  );
  assert.deepEqual(ok, [
    { name: "share#1", measure: "share", tolerance: 0.1, min_count: 30, persistence: { k: 1, m: 1 } },
  ]);
  assertValid({ rules: ok }, "monitor-rules");
});
