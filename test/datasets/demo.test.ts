import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { FairkitError, MetricFrame, demoData } from "../../src/index.js";

describe("demo data", () => {
  test("deterministic for a seed, different across seeds", () => {
    const a = demoData({ seed: 5 });
    const b = demoData({ seed: 5 });
    assert.deepEqual([...a.score.subarray(0, 50)], [...b.score.subarray(0, 50)]);
    assert.deepEqual([...a.yTrue], [...b.yTrue]);
    assert.notDeepEqual([...demoData({ seed: 6 }).score.subarray(0, 50)], [...a.score.subarray(0, 50)]);
    assert.equal(a.score.length, 4000);
    assert.deepEqual(a.groupNames, ["A", "B"]);
  });

  test("base rates and separation follow the parameters", () => {
    const demo = demoData({
      seed: 2,
      groups: [
        { name: "low", size: 20000, baseRate: 0.2, separation: 3 },
        { name: "high", size: 20000, baseRate: 0.6, separation: 1 },
      ],
    });
    const yPred = Array.from(demo.score, (s) => (s >= 0.5 ? 1 : 0));
    const mf = new MetricFrame({
      metrics: ["base_rate", "accuracy"],
      yTrue: demo.yTrue,
      yPred,
      sensitiveFeatures: { group: demo.group },
    });
    const [low, high] = mf.byGroup;
    assert.ok(Math.abs(low.metrics.base_rate - 0.2) < 0.01, `low base rate ${low.metrics.base_rate}`);
    assert.ok(Math.abs(high.metrics.base_rate - 0.6) < 0.01);
    // Better separation → more accurate decisions.
    assert.ok(low.metrics.accuracy > high.metrics.accuracy + 0.1);
  });

  test("bad parameters are clear errors", () => {
    assert.throws(
      () => demoData({ groups: [{ name: "A", size: 10, baseRate: 1, separation: 1 }] }),
      (e: unknown) => e instanceof FairkitError && /baseRate must be in \(0, 1\)/.test(e.message),
    );
    assert.throws(
      () => demoData({ groups: [{ name: "A", size: 0, baseRate: 0.5, separation: 1 }] }),
      /size must be a positive integer/,
    );
    assert.throws(() => demoData({ groups: [] }), /at least one group/);
  });
});
