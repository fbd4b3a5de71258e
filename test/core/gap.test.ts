/**
 * The gap of a metric (GroupSlice.gap): which two groups set each difference and ratio, and its
 * interval — bootstrap percentiles when the frame has replicates, else Newcombe's (differences)
 * and MOVER's (ratios) closed forms for the pair. Hand-computed cases, then a measurement on
 * COMPAS of how the pair interval compares with the row and the cell bootstrap (B = 2000): by
 * sex (two groups, no choosing of the pair) they agree within Monte-Carlo error; by race and by
 * race × sex, where the extreme pair is chosen among many, they do not, and the test says by how
 * much.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  FairkitError,
  MetricFrame,
  type ProportionSpec,
  confusionFromRows,
  disparityGroups,
  groupCells,
  metricSpec,
  moverRatioInterval,
  newcombeInterval,
  proportionOfCells,
  twoSidedZ,
} from "../../src/internal.js";
import { compasFiltered, skipWithoutData } from "../helpers/data.js";

describe("disparityGroups: the pair that sets a difference or ratio", () => {
  test("between groups: [max, min] for a difference, [min, max] for a ratio; undefined values left out", () => {
    assert.deepEqual(disparityGroups([0.2, 0.5, 0.3], Number.NaN, "between_groups", -1, "difference"), [1, 0]);
    assert.deepEqual(disparityGroups([0.2, 0.5, 0.3], Number.NaN, "between_groups", -1, "ratio"), [0, 1]);
    assert.deepEqual(disparityGroups([Number.NaN, 0.5, 0.3], Number.NaN, "between_groups", -1, "difference"), [1, 2]);
    // Ties: the first group in order; all equal still names two groups.
    assert.deepEqual(disparityGroups([0.5, 0.2, 0.5, 0.2], Number.NaN), [0, 1]);
    assert.deepEqual(disparityGroups([0.4, 0.4], Number.NaN), [1, 0]);
    assert.equal(disparityGroups([0.4, Number.NaN], Number.NaN), null);
  });

  test("to the reference or the overall value: the furthest group and the reference, ordered by value", () => {
    // Reference 1 (0.5): group 0 (0.2) is furthest; it is the lower, so the difference is [1, 0].
    assert.deepEqual(disparityGroups([0.2, 0.5, 0.6], Number.NaN, "to_reference", 1, "difference"), [1, 0]);
    assert.deepEqual(disparityGroups([0.2, 0.5, 0.6], Number.NaN, "to_reference", 1, "ratio"), [0, 1]);
    // Group 2 (0.9) above the reference: [2, 1] for the difference, [1, 2] for the ratio.
    assert.deepEqual(disparityGroups([0.4, 0.5, 0.9], Number.NaN, "to_reference", 1, "difference"), [2, 1]);
    assert.deepEqual(disparityGroups([0.4, 0.5, 0.9], Number.NaN, "to_reference", 1, "ratio"), [1, 2]);
    // The reference is never paired with itself; alone, there is no pair.
    assert.equal(disparityGroups([Number.NaN, 0.5], Number.NaN, "to_reference", 1, "difference"), null);
    // -1 is the overall value.
    assert.deepEqual(disparityGroups([0.2, 0.5], 0.4, "to_overall", -1, "difference"), [-1, 0]);
    assert.deepEqual(disparityGroups([0.2, 0.5], 0.4, "to_overall", -1, "ratio"), [0, -1]);
  });
});

describe("GroupSlice.gap", () => {
  // Group a: 6 of 10 selected; b: 2 of 10; c (2 rows, small with minGroupSize 5): 0 of 2.
  const yPred = [1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
  const yTrue = [1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0];
  const g = [...Array(10).fill("a"), ...Array(10).fill("b"), "c", "c"];
  const frame = (extra: object = {}) =>
    new MetricFrame({
      metrics: ["selection_rate", "balanced_accuracy"],
      yTrue,
      yPred,
      sensitiveFeatures: { g },
      minGroupSize: 5,
      ...extra,
    });

  test("without replicates: Newcombe and MOVER for the pair that sets each gap", () => {
    const gap = frame().gap("selection_rate", { groups: "sufficient" });
    assert.equal(gap.method, "between_groups");
    assert.equal(gap.level, 0.95);
    assert.ok(Math.abs(gap.difference.value - 0.4) < 1e-15);
    assert.deepEqual(
      gap.difference.groups?.map((x) => [x.key, x.group, x.value]),
      [
        ["a", { g: "a" }, 0.6],
        ["b", { g: "b" }, 0.2],
      ],
    );
    assert.equal(gap.difference.intervalMethod, "newcombe");
    assert.deepEqual(gap.difference.interval, newcombeInterval({ p: 0.6, n: 10 }, { p: 0.2, n: 10 }));
    assert.ok(Math.abs(gap.ratio.value - 1 / 3) < 1e-15);
    assert.deepEqual(
      gap.ratio.groups?.map((x) => x.key),
      ["b", "a"],
    );
    assert.equal(gap.ratio.intervalMethod, "mover");
    assert.deepEqual(gap.ratio.interval, moverRatioInterval({ p: 0.2, n: 10 }, { p: 0.6, n: 10 }));
    // All groups (the default, as difference() and ratio()): the small group c (0 of 2) sets the minimum.
    const all = frame().gap("selection_rate");
    assert.equal(all.difference.value, frame().difference().selection_rate);
    assert.deepEqual(
      all.difference.groups?.map((x) => x.key),
      ["a", "c"],
    );
    assert.deepEqual(all.ratio.interval, moverRatioInterval({ p: 0, n: 2 }, { p: 0.6, n: 10 }));
  });

  test("to a reference: the furthest group and the reference; to the overall value: no closed form", () => {
    const mf = frame();
    const ref = mf.gap("selection_rate", { method: "to_reference", reference: "b", groups: "sufficient" });
    assert.deepEqual(
      ref.difference.groups?.map((x) => x.key),
      ["a", "b"],
    );
    assert.ok(Math.abs(ref.difference.value - 0.4) < 1e-15);
    assert.equal(ref.difference.intervalMethod, "newcombe");
    // A small reference cannot anchor the sufficient groups' comparison.
    assert.throws(
      () => mf.gap("selection_rate", { method: "to_reference", reference: "c", groups: "sufficient" }),
      /reference group "c" has 2 rows/,
    );
    // Overall 8/22: c (0 of 2) is furthest from it, below it: [overall, c].
    const overall = mf.gap("selection_rate", { method: "to_overall" });
    assert.deepEqual(
      overall.difference.groups?.map((x) => [x.key, x.value]),
      [
        ["overall", 8 / 22],
        ["c", 0],
      ],
    );
    assert.equal(overall.difference.value, 8 / 22);
    assert.equal(overall.difference.interval, null);
    assert.equal(overall.difference.intervalMethod, null);
    assert.throws(() => mf.gap("selection_rate", { groups: "some" as never }), /groups/);
  });

  test("derived metrics have no closed form; metrics outside the frame come from the counts", () => {
    const mf = frame();
    const ba = mf.gap("balanced_accuracy");
    assert.equal(ba.difference.value, mf.difference().balanced_accuracy);
    assert.equal(ba.difference.interval, null);
    const tpr = mf.gap("true_positive_rate", { groups: "sufficient" });
    // a: TP 3 of 5 positives; b: TP 1 of 5.
    assert.ok(Math.abs(tpr.difference.value - 0.4) < 1e-15);
    assert.equal(tpr.difference.intervalMethod, "newcombe");
    assert.throws(
      () => mf.gap("no_such_metric"),
      (e: unknown) => e instanceof FairkitError && e.code === "UNKNOWN_METRIC",
    );
  });

  test("with replicates: the bootstrap interval of the gap itself, as differenceInterval() gives it", () => {
    const mf = frame({ bootstrap: { n: 300, seed: 4 } });
    assert.equal(mf.gap("selection_rate").difference.intervalMethod, "bootstrap");
    assert.deepEqual(mf.gap("selection_rate").difference.interval, mf.differenceInterval().selection_rate);
    assert.deepEqual(mf.gap("selection_rate").ratio.interval, mf.ratioInterval().selection_rate);
    assert.equal(mf.gap("balanced_accuracy").difference.intervalMethod, "bootstrap");
    // Leaving out the small group changes the replicates' gap, not only the observed one.
    assert.notDeepEqual(
      mf.gap("selection_rate", { groups: "sufficient" }).difference.interval,
      mf.differenceInterval().selection_rate,
    );
    // A metric outside the frame has no replicates: the closed form.
    assert.equal(mf.gap("true_positive_rate").difference.intervalMethod, "newcombe");
    // intervals: "none" means none.
    const none = frame({ intervals: "none" }).gap("selection_rate");
    assert.equal(none.difference.interval, null);
    assert.equal(none.difference.intervalMethod, null);
  });

  test("from counts and under weights: Kish's effective n, within each control level too", () => {
    const w = g.map((_, i) => 1 + (i % 3));
    const counts = confusionFromRows({ yTrue, yPred, sensitiveFeatures: { g }, sampleWeight: w });
    const gap = MetricFrame.fromCounts(counts, { metrics: ["selection_rate"] }).gap("selection_rate");
    const spec = metricSpec("selection_rate") as ProportionSpec;
    const [a, c] = [proportionOfCells(spec, groupCells(counts, 0)), proportionOfCells(spec, groupCells(counts, 2))];
    assert.ok(a.n < 10);
    assert.deepEqual(gap.difference.interval, newcombeInterval(a, c));
    const band = g.map((_, i) => (i % 2 ? "odd" : "even"));
    const controlled = new MetricFrame({
      metrics: ["selection_rate"],
      yTrue,
      yPred,
      sensitiveFeatures: { g },
      controlFeatures: { band },
    });
    for (const level of controlled.byControl) {
      const lg = level.gap("selection_rate");
      assert.equal(lg.difference.value, level.difference().selection_rate);
      assert.equal(lg.difference.intervalMethod, "newcombe");
    }
  });
});

describe("the pair interval against the bootstrap on COMPAS", {
  skip: skipWithoutData("compas-scores-two-years.csv"),
}, () => {
  const rows = compasFiltered();
  const yTrue = rows.map((r) => Number(r.two_year_recid));
  const yPred = rows.map((r) => (Number(r.decile_score) >= 5 ? 1 : 0));
  const race = rows.map((r) => r.race);
  const sex = rows.map((r) => r.sex);
  const metrics = ["selection_rate", "false_positive_rate"];
  const B = 2000;
  const frames = (sensitiveFeatures: Record<string, string[]>) => ({
    closed: new MetricFrame({ metrics, yTrue, yPred, sensitiveFeatures }),
    rows: new MetricFrame({ metrics, yTrue, yPred, sensitiveFeatures, bootstrap: { n: B, seed: 7, method: "rows" } }),
    cells: new MetricFrame({ metrics, yTrue, yPred, sensitiveFeatures, bootstrap: { n: B, seed: 7, method: "cells" } }),
  });
  // The Monte-Carlo standard error of a percentile end at B replicates: √(α(1 − α) / B) / f(q),
  // f the replicates' density there; for a normal spread σ, f(q) = φ(z) / σ, so it is about 0.06 σ
  // at B = 2000 and level 0.95. σ is taken from the closed-form interval: its width / (2z).
  const z = twoSidedZ(0.95);
  const phi = Math.exp((-z * z) / 2) / Math.sqrt(2 * Math.PI);
  const mcError = (interval: [number, number]) =>
    (Math.sqrt((0.025 * 0.975) / B) / phi) * ((interval[1] - interval[0]) / (2 * z));
  const show = (i: [number, number] | null) => (i ? `${i[0].toFixed(4)}–${i[1].toFixed(4)}` : "none");
  type Frames = ReturnType<typeof frames>;
  const measure = (
    t: { diagnostic: (s: string) => void },
    name: string,
    f: Frames,
    m: string,
    kind: "difference" | "ratio",
  ) => {
    const [c, r, k] = [f.closed, f.rows, f.cells].map((x) => x.gap(m, { groups: "sufficient" })[kind]);
    assert.equal(c.intervalMethod, kind === "difference" ? "newcombe" : "mover");
    assert.equal(r.intervalMethod, "bootstrap");
    t.diagnostic(
      `${name} ${m} ${kind} ${c.value.toFixed(4)} (${c.groups?.map((x) => x.key).join(" vs ")}): ${c.intervalMethod} ${show(c.interval)}, row bootstrap ${show(r.interval)}, cell bootstrap ${show(k.interval)}`,
    );
    return { closed: c.interval!, rows: r.interval!, cells: k.interval!, value: c.value };
  };

  test("by sex (two groups: no choosing): the selection-rate gap's intervals agree within Monte-Carlo error", (t) => {
    const f = frames({ sex });
    for (const kind of ["difference", "ratio"] as const) {
      const { closed, rows: byRows, cells: byCells } = measure(t, "sex", f, "selection_rate", kind);
      // Tolerance per end: 4 Monte-Carlo standard errors of the bootstrap end, plus what separates
      // two first-order-equivalent intervals at these n: their O(1/n) skewness terms, bounded here
      // by twice the distance between the closed form and the Wald interval (d ± z·SE, or the
      // ratio's exp(±z·SE) on the log scale, where both methods meet at first order). It comes to
      // 0.004 for the difference's ends and 0.010–0.011 for the ratio's (its spread is about twice
      // the difference's); the ends measured lie within 0.0009 and 0.0015.
      const wald = (() => {
        const [male, female] = ["Male", "Female"].map((s) => f.closed.byGroup.find((g) => g.key === s)!);
        const pm = male.metrics.selection_rate;
        const pf = female.metrics.selection_rate;
        if (kind === "difference") {
          const se = Math.sqrt((pm * (1 - pm)) / male.n + (pf * (1 - pf)) / female.n);
          return [pm - pf - z * se, pm - pf + z * se];
        }
        const se = Math.sqrt((1 - pf) / (pf * female.n) + (1 - pm) / (pm * male.n));
        return [(pf / pm) * Math.exp(-z * se), (pf / pm) * Math.exp(z * se)];
      })();
      for (const end of [0, 1]) {
        const tolerance = 4 * mcError(closed) + 2 * Math.abs(closed[end] - wald[end]);
        t.diagnostic(`  end ${end}: tolerance ${tolerance.toFixed(4)}`);
        assert.ok(tolerance < (kind === "difference" ? 0.005 : 0.012), `tolerance ${tolerance}`);
        assert.ok(Math.abs(byRows[end] - closed[end]) < tolerance, `rows ${byRows} vs ${closed}`);
        assert.ok(Math.abs(byCells[end] - closed[end]) < tolerance, `cells ${byCells} vs ${closed}`);
      }
    }
  });

  test("by sex, a false-positive-rate gap near 0: the bootstrap of max − min is folded at 0, the pair interval is not", (t) => {
    // FPR 0.2836 (Male) vs 0.2825 (Female): the pair's difference is as likely to be negative, so
    // its interval straddles 0, while max − min, recomputed per replicate, cannot go below 0.
    const f = frames({ sex });
    const { closed, rows: byRows, cells: byCells } = measure(t, "sex", f, "false_positive_rate", "difference");
    assert.ok(closed[0] < 0 && closed[1] > 0);
    assert.ok(byRows[0] >= 0 && byCells[0] >= 0);
    // The folded distribution's upper end lies near the pair's (|d| below its 97.5% point).
    assert.ok(Math.abs(byRows[1] - closed[1]) < 0.01 && Math.abs(byCells[1] - closed[1]) < 0.01);
  });

  test("by race and race × sex (many groups): the row and cell bootstraps agree; the pair interval does not", (t) => {
    for (const [name, features] of [
      ["race", { race }],
      ["race × sex", { race, sex }],
    ] as const) {
      const f = frames(features);
      for (const m of metrics) {
        for (const kind of ["difference", "ratio"] as const) {
          const { closed, rows: byRows, cells: byCells } = measure(t, name, f, m, kind);
          // Row and cell bootstraps estimate the same distribution: within 4 standard errors of the
          // difference of two independent percentile ends (√2 · 0.06 σ each), σ from the pair's
          // interval (the gap's own spread is not larger), and at least 0.005 for the lumpy ends
          // that a 23-row group's FPR produces.
          const tolerance = Math.max(0.005, 4 * Math.SQRT2 * mcError(closed));
          for (const end of [0, 1])
            assert.ok(Math.abs(byRows[end] - byCells[end]) < tolerance, `${byRows} vs ${byCells}`);
        }
      }
    }
    // Measured (B = 2000, seed 7; the diagnostics list all): on race, Other (343 rows, selection
    // 0.204) sets the minimum selection rate, with Asian (31 rows, 0.226) close behind; the
    // bootstrap's max − min lets whichever is lower in a replicate set it, so its upper end lies
    // about 0.08 above Newcombe's for African-American vs Other. For the FPR, Asian (23 negatives,
    // 0.087) sets the minimum, but Other's 0.128 on 219 negatives bounds the gap from below, so
    // the bootstrap's lower end lies about 0.12 above the pair's.
    const f = frames({ race });
    const dp = f.closed.gap("selection_rate", { groups: "sufficient" }).difference;
    assert.deepEqual(
      dp.groups?.map((x) => x.key),
      ["African-American", "Other"],
    );
    const dpRows = f.rows.gap("selection_rate", { groups: "sufficient" }).difference.interval!;
    assert.ok(dpRows[1] - dp.interval![1] > 10 * mcError(dp.interval!), `${dpRows} vs ${dp.interval}`);
    const fpr = f.closed.gap("false_positive_rate", { groups: "sufficient" }).difference;
    assert.deepEqual(
      fpr.groups?.map((x) => x.key),
      ["African-American", "Asian"],
    );
    const fprRows = f.rows.gap("false_positive_rate", { groups: "sufficient" }).difference.interval!;
    assert.ok(fprRows[0] - fpr.interval![0] > 10 * mcError(fpr.interval!), `${fprRows} vs ${fpr.interval}`);
  });
});
