/**
 * The cell (Poisson) bootstrap: the Poisson sampler against the exact distribution, the cell
 * bootstrap's intervals against the row bootstrap's on COMPAS within Monte-Carlo error (with and
 * without control features, without and with weights), the automatic choice above
 * DEFAULTS.cellBootstrapRows rows, the bootstrap of MetricFrame.fromCounts (weighted counts
 * included), the measured narrowing where weights vary within a cell, and the inputs it refuses
 * (custom metrics).
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { FairkitError } from "../../src/core/errors.js";
import { DEFAULTS } from "../../src/core/defaults.js";
import { MetricFrame } from "../../src/core/metric-frame.js";
import { confusionFromRows } from "../../src/core/prepare.js";
import { GROUP_STRIDE, SUMS_PER_CELL } from "../../src/core/confusion.js";
import { createRandom } from "../../src/core/random.js";
import { logFactorial } from "../../src/core/significance.js";
import { compasFiltered, skipWithoutData } from "../helpers/data.js";

describe("the Poisson sampler", () => {
  for (const lambda of [0.7, 4, 9.99, 10, 37.5, 400]) {
    test(`lambda ${lambda}: frequencies match the exact probabilities (chi-square, 200,000 draws)`, () => {
      const rng = createRandom(5);
      const N = 200_000;
      const counts = new Map<number, number>();
      for (let i = 0; i < N; i++) {
        const k = rng.poisson(lambda);
        assert.ok(Number.isInteger(k) && k >= 0);
        counts.set(k, (counts.get(k) ?? 0) + 1);
      }
      // Bins with an expected count of at least 20; the rest pooled into the two tails.
      const pmf = (k: number) => Math.exp(-lambda + k * Math.log(lambda) - logFactorial(k));
      let chi2 = 0;
      let bins = 0;
      let lowTail = 0;
      let lowExpected = 0;
      let k = 0;
      let cdf = 0;
      while (cdf < 1 - 1e-12) {
        const p = pmf(k);
        cdf += p;
        const expected = N * p;
        const observed = counts.get(k) ?? 0;
        if (expected >= 20) {
          chi2 += (observed - expected) ** 2 / expected;
          bins++;
        } else {
          lowTail += observed;
          lowExpected += expected;
        }
        k++;
      }
      if (lowExpected > 0) {
        chi2 += (lowTail - lowExpected) ** 2 / lowExpected;
        bins++;
      }
      // The 0.999 quantile of chi-square with df = bins − 1 is below df + 4.5·√(2·df) + 10.
      const df = bins - 1;
      assert.ok(chi2 < df + 4.5 * Math.sqrt(2 * df) + 10, `chi2 ${chi2.toFixed(1)} on ${df} df`);
    });
  }

  test("a very large mean: mean and variance both lambda (1e7, 100,000 draws)", () => {
    const rng = createRandom(8);
    let s = 0;
    let s2 = 0;
    const N = 100_000;
    for (let i = 0; i < N; i++) {
      const k = rng.poisson(1e7);
      s += k;
      s2 += k * k;
    }
    const mean = s / N;
    assert.ok(Math.abs(mean / 1e7 - 1) < (5 * Math.sqrt(1e7 / N)) / 1e7, `mean ${mean}`);
    assert.ok(Math.abs((s2 / N - mean * mean) / 1e7 - 1) < 0.02);
    assert.equal(rng.poisson(0), 0);
    assert.throws(() => rng.poisson(-1), /lambda must be a finite number >= 0; got -1/);
  });
});

describe("the cell bootstrap", { skip: skipWithoutData("compas-scores-two-years.csv") }, () => {
  const rows = compasFiltered();
  const yTrue = rows.map((r) => Number(r.two_year_recid));
  const yPred = rows.map((r) => (Number(r.decile_score) >= 5 ? 1 : 0));
  const race = rows.map((r) => r.race);
  const sex = rows.map((r) => r.sex);
  const metrics = ["false_positive_rate", "selection_rate", "accuracy"];
  const frame = (method: "rows" | "cells", control = false) =>
    new MetricFrame({
      metrics,
      yTrue,
      yPred,
      sensitiveFeatures: { race },
      ...(control ? { controlFeatures: { sex } } : {}),
      intervals: "bootstrap",
      bootstrap: { n: 4000, seed: 11, method },
    });

  test("agrees with the row bootstrap on COMPAS within Monte-Carlo error, per group and for differences", () => {
    const byRows = frame("rows");
    const byCells = frame("cells");
    byRows.byGroup.forEach((g, k) => {
      if (g.n < 300) return; // small groups: both are rough, and their tails differ by a draw or two
      for (const m of metrics) {
        const [a, b] = [g.intervals[m], byCells.byGroup[k].intervals[m]];
        assert.ok(Math.abs(a[0] - b[0]) < 0.01 && Math.abs(a[1] - b[1]) < 0.01, `${g.key} ${m}: ${a} vs ${b}`);
      }
    });
    const [dr, dc] = [byRows.differenceInterval(), byCells.differenceInterval()];
    for (const m of metrics)
      assert.ok(
        Math.abs(dr[m][0] - dc[m][0]) < 0.02 && Math.abs(dr[m][1] - dc[m][1]) < 0.02,
        `${m}: ${dr[m]} vs ${dc[m]}`,
      );
  });

  test("with control features: each control level's intervals agree as well", () => {
    const byRows = frame("rows", true);
    const byCells = frame("cells", true);
    byRows.byControl.forEach((level, l) => {
      level.byGroup.forEach((g, k) => {
        if (g.n < 300) return;
        const [a, b] = [g.intervals.false_positive_rate, byCells.byControl[l].byGroup[k].intervals.false_positive_rate];
        assert.ok(
          Math.abs(a[0] - b[0]) < 0.015 && Math.abs(a[1] - b[1]) < 0.015,
          `${level.controlKey} ${g.key}: ${a} vs ${b}`,
        );
      });
    });
  });

  test("fromCounts bootstraps unweighted counts, the same replicates as the frame's cell bootstrap", () => {
    const counts = confusionFromRows({ yTrue, yPred, sensitiveFeatures: { race } });
    const fromCounts = MetricFrame.fromCounts(counts, {
      metrics,
      intervals: "bootstrap",
      bootstrap: { n: 4000, seed: 11 },
    });
    const byCells = frame("cells");
    fromCounts.byGroup.forEach((g, k) => {
      assert.deepEqual(g.intervals, byCells.byGroup[k].intervals);
    });
    assert.deepEqual(fromCounts.differenceInterval(), byCells.differenceInterval());
  });
});

describe("the automatic choice and the refusals", () => {
  const rng = createRandom(2);
  const n = DEFAULTS.cellBootstrapRows;
  const yTrue = Uint8Array.from({ length: n }, () => (rng.next() < 0.4 ? 1 : 0));
  const yPred = Uint8Array.from({ length: n }, () => (rng.next() < 0.5 ? 1 : 0));
  const g = Array.from({ length: n }, () => (rng.next() < 0.3 ? "a" : "b"));

  test(`from ${n.toLocaleString("en-US")} rows on, auto draws cells; below, rows`, () => {
    const at = (rows: number, method: "auto" | "cells" | "rows") =>
      new MetricFrame({
        metrics: ["selection_rate"],
        yTrue: yTrue.subarray(0, rows),
        yPred: yPred.subarray(0, rows),
        sensitiveFeatures: { g: g.slice(0, rows) },
        intervals: "bootstrap",
        bootstrap: { n: 50, seed: 1, method },
      }).differenceInterval().selection_rate;
    assert.deepEqual(at(n, "auto"), at(n, "cells"));
    assert.deepEqual(at(n - 1, "auto"), at(n - 1, "rows"));
  });

  test("weighted rows stay on rows under auto, however many", () => {
    const at = (method: "auto" | "rows") =>
      new MetricFrame({
        metrics: ["selection_rate"],
        yTrue,
        yPred,
        sensitiveFeatures: { g },
        sampleWeight: Float64Array.from({ length: n }, (_, i) => 1 + (i % 3)),
        intervals: "bootstrap",
        bootstrap: { n: 5, seed: 1, method },
      }).differenceInterval().selection_rate;
    assert.deepEqual(at("auto"), at("rows"));
  });

  test("a custom metric, an unknown method, and the row bootstrap of counts are refused; weights are not", () => {
    const small = { yTrue: [1, 0, 1, 0], yPred: [1, 1, 0, 0], sensitiveFeatures: { g: ["a", "a", "b", "b"] } };
    assert.throws(
      () => new MetricFrame({ ...small, metrics: { f: () => 1 }, bootstrap: { method: "cells" } }),
      /a custom metric cannot be computed from/,
    );
    assert.throws(
      () => new MetricFrame({ ...small, metrics: "accuracy", bootstrap: { method: "poisson" as never } }),
      /bootstrap.method/,
    );
    const weighted = confusionFromRows({ ...small, sampleWeight: [1, 2, 1, 1] });
    assert.throws(
      () => MetricFrame.fromCounts(weighted, { metrics: "accuracy", bootstrap: { method: "rows" } }),
      (e: unknown) => e instanceof FairkitError && e.code === "NEEDS_ROWS" && /the row bootstrap/.test(e.message),
    );
    const frame = new MetricFrame({
      ...small,
      metrics: "accuracy",
      sampleWeight: [1, 2, 1, 1],
      bootstrap: { n: 50, method: "cells" },
    });
    const counts = MetricFrame.fromCounts(weighted, { metrics: "accuracy", bootstrap: { n: 50 } });
    assert.deepEqual(counts.differenceInterval(), frame.differenceInterval());
  });
});

describe("the cell bootstrap of weighted cells", { skip: skipWithoutData("compas-scores-two-years.csv") }, () => {
  const rows = compasFiltered();
  const yTrue = rows.map((r) => Number(r.two_year_recid));
  const yPred = rows.map((r) => (Number(r.decile_score) >= 5 ? 1 : 0));
  const race = rows.map((r) => r.race);
  const sex = rows.map((r) => r.sex);
  const metrics = ["false_positive_rate", "selection_rate", "accuracy"];
  const B = 4000;
  // Reweighing's weights (Kamiran & Calders 2012): P(group) P(label) / P(group, label). They are
  // constant within every (group, label, decision) cell, where the cell bootstrap is exact.
  const reweighing = (() => {
    const n = rows.length;
    const count = new Map<string, number>();
    const add = (k: string) => count.set(k, (count.get(k) ?? 0) + 1);
    rows.forEach((_, i) => {
      add(`g${race[i]}`);
      add(`y${yTrue[i]}`);
      add(`${race[i]}|${yTrue[i]}`);
    });
    return rows.map(
      (_, i) => (count.get(`g${race[i]}`)! * count.get(`y${yTrue[i]}`)!) / (n * count.get(`${race[i]}|${yTrue[i]}`)!),
    );
  })();
  const frame = (method: "rows" | "cells", sampleWeight: number[], control = false) =>
    new MetricFrame({
      metrics,
      yTrue,
      yPred,
      sensitiveFeatures: { race },
      ...(control ? { controlFeatures: { sex } } : {}),
      sampleWeight,
      intervals: "bootstrap",
      bootstrap: { n: B, seed: 11, method },
    });

  test("weights constant within cells (reweighing): agrees with the row bootstrap within Monte-Carlo error", () => {
    // The same tolerances as the unweighted comparison above: 0.01 per group of 300 rows or more
    // and 0.02 for the differences, both about 4 Monte-Carlo standard errors of a 2.5% percentile
    // at B = 4000 (0.04 σ each for the two bootstraps, σ the replicates' spread, at most 0.028 per
    // group and 0.05 for a difference here), so a failure is a real disagreement.
    const byRows = frame("rows", reweighing);
    const byCells = frame("cells", reweighing);
    byRows.byGroup.forEach((g, k) => {
      if (g.n < 300) return;
      for (const m of metrics) {
        const [a, b] = [g.intervals[m], byCells.byGroup[k].intervals[m]];
        assert.ok(Math.abs(a[0] - b[0]) < 0.01 && Math.abs(a[1] - b[1]) < 0.01, `${g.key} ${m}: ${a} vs ${b}`);
      }
    });
    const [dr, dc] = [byRows.differenceInterval(), byCells.differenceInterval()];
    for (const m of metrics)
      assert.ok(
        Math.abs(dr[m][0] - dc[m][0]) < 0.02 && Math.abs(dr[m][1] - dc[m][1]) < 0.02,
        `${m}: ${dr[m]} vs ${dc[m]}`,
      );
    // With control features (sex): each level's groups of 300 rows or more.
    const rowsSex = frame("rows", reweighing, true);
    const cellsSex = frame("cells", reweighing, true);
    rowsSex.byControl.forEach((level, l) => {
      level.byGroup.forEach((g, k) => {
        if (g.n < 300) return;
        const [a, b] = [g.intervals.selection_rate, cellsSex.byControl[l].byGroup[k].intervals.selection_rate];
        assert.ok(
          Math.abs(a[0] - b[0]) < 0.015 && Math.abs(a[1] - b[1]) < 0.015,
          `${level.controlKey} ${g.key}: ${a} vs ${b}`,
        );
      });
    });
  });

  test("fromCounts bootstraps weighted counts: the same replicates as the frame's cell bootstrap", () => {
    const counts = confusionFromRows({ yTrue, yPred, sensitiveFeatures: { race }, sampleWeight: reweighing });
    const fromCounts = MetricFrame.fromCounts(counts, {
      metrics,
      intervals: "bootstrap",
      bootstrap: { n: B, seed: 11 },
    });
    const byCells = frame("cells", reweighing);
    fromCounts.byGroup.forEach((g, k) => {
      assert.deepEqual(g.intervals, byCells.byGroup[k].intervals);
    });
    assert.deepEqual(fromCounts.differenceInterval(), byCells.differenceInterval());
  });

  test("weights that vary within cells: narrower than the row bootstrap, by as much as predicted", () => {
    // Weights uniform on [0.25, 1.75], independent of everything (cv² = 0.1875 within each cell).
    // A drawn row carries its cell's mean weight, so a proportion's replicates vary as if every
    // row of cell c weighed W_c / rows_c: by the delta method their variance is
    // Σ_c (W_c² / rows_c)(y_c − p)² / W² (y_c = 1 for the numerator's cells), where the row
    // bootstrap's is Σ_c Σw²_c (y_c − p)² / W². The widths shrink by the square root of the ratio,
    // about 1 / √(1 + cv²) = 0.92.
    //
    // Tolerance: a 95% percentile end at B = 4000 has a Monte-Carlo error of 0.042 σ (√(0.025 ·
    // 0.975 / B) / φ(1.96)), so a width (3.92 σ) has a relative error of 1.5% and the ratio of two
    // independent widths 2.2%. Each ratio must lie within 4 of those (0.09) of its prediction, and
    // their mean over the 12 (group, metric) pairs within 3 standard errors of the mean
    // (3 · 0.022 / √12 = 0.019) of 1, while the mean ratio itself is clearly below 1.
    const rng = createRandom(3);
    const w = rows.map(() => 0.25 + 1.5 * rng.next());
    const byRows = frame("rows", w);
    const byCells = frame("cells", w);
    // Numerator and denominator cells of each metric (bit c = cell c: TN, FP, FN, TP).
    const masks = {
      false_positive_rate: [0b0010, 0b0011],
      selection_rate: [0b1010, 0b1111],
      accuracy: [0b1001, 0b1111],
    } as const;
    const width = (i: [number, number]) => i[1] - i[0];
    const measuredOverPredicted: number[] = [];
    const measuredRatios: number[] = [];
    byRows.byGroup.forEach((g, k) => {
      if (g.n < 300) return;
      const cells = byRows.counts.data.subarray(k * GROUP_STRIDE, (k + 1) * GROUP_STRIDE);
      const at = (c: number, s: number) => cells[c * SUMS_PER_CELL + s];
      for (const m of metrics) {
        const [num, den] = masks[m as keyof typeof masks];
        let W = 0;
        let Wnum = 0;
        for (let c = 0; c < 4; c++) if (den & (1 << c)) W += at(c, 0);
        for (let c = 0; c < 4; c++) if (num & (1 << c)) Wnum += at(c, 0);
        const p = Wnum / W;
        let rowsVariance = 0;
        let cellsVariance = 0;
        for (let c = 0; c < 4; c++) {
          if (!(den & (1 << c)) || at(c, 2) === 0) continue;
          const d2 = ((num & (1 << c) ? 1 : 0) - p) ** 2;
          rowsVariance += at(c, 1) * d2;
          cellsVariance += ((at(c, 0) * at(c, 0)) / at(c, 2)) * d2;
        }
        const predicted = Math.sqrt(cellsVariance / rowsVariance);
        const measured = width(byCells.byGroup[k].intervals[m]) / width(g.intervals[m]);
        assert.ok(
          Math.abs(measured / predicted - 1) < 0.09,
          `${g.key} ${m}: measured ${measured}, predicted ${predicted}`,
        );
        measuredOverPredicted.push(measured / predicted);
        measuredRatios.push(measured);
      }
    });
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    assert.equal(measuredRatios.length, 12);
    assert.ok(
      Math.abs(mean(measuredOverPredicted) - 1) < 0.019,
      `mean measured / predicted ${mean(measuredOverPredicted)}`,
    );
    assert.ok(mean(measuredRatios) < 0.95, `mean width ratio ${mean(measuredRatios)}`);
  });
});
