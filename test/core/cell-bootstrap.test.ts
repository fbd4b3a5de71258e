/**
 * The cell (Poisson) bootstrap: the Poisson sampler against the exact distribution, the cell
 * bootstrap's intervals against the row bootstrap's on COMPAS within Monte-Carlo error (with and
 * without control features), the automatic choice above DEFAULTS.cellBootstrapRows rows, the
 * bootstrap of MetricFrame.fromCounts, and the inputs it refuses (weights, custom metrics).
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { FairkitError } from "../../src/core/errors.js";
import { DEFAULTS } from "../../src/core/defaults.js";
import { MetricFrame } from "../../src/core/metric-frame.js";
import { confusionFromRows } from "../../src/core/prepare.js";
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

  test("cells with weights, with a custom metric, an unknown method, and weighted counts are refused", () => {
    const small = { yTrue: [1, 0, 1, 0], yPred: [1, 1, 0, 0], sensitiveFeatures: { g: ["a", "a", "b", "b"] } };
    assert.throws(
      () =>
        new MetricFrame({ ...small, metrics: "accuracy", sampleWeight: [1, 2, 1, 1], bootstrap: { method: "cells" } }),
      /do not carry the weights of the rows drawn/,
    );
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
      () => MetricFrame.fromCounts(weighted, { metrics: "accuracy", intervals: "bootstrap" }),
      (e: unknown) => e instanceof FairkitError && e.code === "NEEDS_ROWS" && /weighted counts/.test(e.message),
    );
  });
});
