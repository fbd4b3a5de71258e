import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { FairkitError, calibrationByGroup, demoData } from "../../src/index.js";

const close = (a: number, b: number, tol = 1e-12) => assert.ok(Math.abs(a - b) <= tol, `expected ${b}, got ${a}`);

describe("calibration within groups", () => {
  test("hand-computed reliability table and ECE", () => {
    const report = calibrationByGroup(
      [0.1, 0.1, 0.9, 0.9, 0.2, 0.8],
      [0, 1, 1, 1, 0, 1],
      ["a", "a", "a", "a", "b", "b"],
      { bins: 2, minBinCount: 1 },
    );
    const a = report.groups[0];
    assert.deepEqual(
      a.bins.map((b) => [b.lower, b.upper, b.count, b.meanScore, b.observedRate]),
      [
        [0, 0.5, 2, 0.1, 0.5],
        [0.5, 1, 2, 0.9, 1],
      ],
    );
    // 0.5 · |0.1 − 0.5| + 0.5 · |0.9 − 1| = 0.25
    close(a.ece, 0.25);
    // b: 0.5 · 0.2 + 0.5 · 0.2 = 0.2
    close(report.groups[1].ece, 0.2);
    close(report.eceDifference, 0.05);
    // bin 0: a observes 0.5, b observes 0 → gap 0.5 (the largest)
    assert.deepEqual(report.maxBinGap, { value: 0.5, bin: 0, groups: ["a", "b"] });
    assert.equal(report.overall.n, 6);
  });

  test("weights and quantile bins", () => {
    const report = calibrationByGroup([0.1, 0.3, 0.6, 0.9], [0, 0, 1, 1], ["g", "g", "g", "g"], {
      bins: 2,
      strategy: "quantile",
      sampleWeight: [1, 3, 1, 1],
    });
    assert.deepEqual(report.edges, [0, 0.6, 1]);
    const bin = report.groups[0].bins[0];
    close(bin.meanScore, (0.1 + 0.9) / 4);
    assert.equal(bin.weight, 4);
    assert.equal(bin.count, 2);
  });

  test("scores outside [0, 1] are an error naming the row", () => {
    assert.throws(
      () => calibrationByGroup([0.2, 1.5], [0, 1], ["a", "a"]),
      (e: unknown) =>
        e instanceof FairkitError &&
        e.code === "BAD_SCORE" &&
        e.message === "scores must be a probability in [0, 1]; found 1.5 at index 1",
    );
  });

  test("the demo's scores are calibrated within each group (large sample)", () => {
    const demo = demoData({
      seed: 1,
      groups: [
        { name: "A", size: 40000, baseRate: 0.3, separation: 2 },
        { name: "B", size: 40000, baseRate: 0.5, separation: 1.5 },
      ],
    });
    const report = calibrationByGroup(demo.score, demo.yTrue, { group: demo.group }, { bins: 10 });
    for (const g of report.groups) assert.ok(g.ece < 0.02, `${g.key} ECE ${g.ece}`);
    for (const g of report.groups) {
      for (const bin of g.bins) {
        if (bin.count < 200) continue;
        assert.ok(
          bin.interval[0] - 0.02 <= bin.meanScore && bin.meanScore <= bin.interval[1] + 0.02,
          `${g.key} bin ${bin.lower}`,
        );
      }
    }
  });
});
