import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  MetricFrame,
  normalCdf,
  normalQuantile,
  percentileInterval,
  quantile,
  wilsonInterval,
} from "../../src/internal.js";

const close = (a: number, b: number, tol: number) => assert.ok(Math.abs(a - b) <= tol, `expected ${b}, got ${a}`);

describe("intervals", () => {
  test("normal quantile and CDF", () => {
    close(normalQuantile(0.975), 1.959963984540054, 1e-8);
    close(normalQuantile(0.5), 0, 1e-12);
    close(normalQuantile(0.001), -3.090232306167813, 1e-8);
    close(normalCdf(1.959963984540054), 0.975, 1e-7);
    close(normalCdf(-1), 0.15865525393145707, 1e-7);
  });

  test("Wilson: textbook values", () => {
    const [lo, hi] = wilsonInterval(0.5, 100);
    close(lo, 0.40383, 1e-5);
    close(hi, 0.59617, 1e-5);
    const [lo0, hi0] = wilsonInterval(0, 10);
    assert.equal(lo0, 0);
    close(hi0, 0.27753, 1e-5);
    const [lo90, hi90] = wilsonInterval(0.5, 100, 0.9);
    assert.ok(lo90 > lo && hi90 < hi);
    assert.ok(wilsonInterval(0.3, 0).every(Number.isNaN));
    assert.equal(wilsonInterval(1, 7)[1], 1);
    for (const n of [1, 3, 17, 1000, 12345.5]) assert.equal(wilsonInterval(0, n)[0], 0);
  });

  test("MetricFrame: Wilson per proportion, effective n under weights", () => {
    const yTrue = Array(100).fill(1);
    const yPred = Array.from({ length: 100 }, (_, i) => (i < 50 ? 1 : 0));
    const mf = new MetricFrame({
      metrics: ["true_positive_rate"],
      yTrue,
      yPred,
      sensitiveFeatures: Array(100).fill("g"),
    });
    close(mf.byGroup[0].intervals.true_positive_rate[0], 0.40383, 1e-5);
    // Doubling every weight changes neither the estimate nor the evidence.
    const doubled = new MetricFrame({
      metrics: ["true_positive_rate"],
      yTrue,
      yPred,
      sensitiveFeatures: Array(100).fill("g"),
      sampleWeight: Array(100).fill(2),
    });
    assert.deepEqual(doubled.byGroup[0].intervals, mf.byGroup[0].intervals);
  });

  test("quantiles ignore NaN", () => {
    assert.equal(quantile([3, Number.NaN, 1, 2], 0.5), 2);
    assert.deepEqual(percentileInterval([1, 2, 3, 4, 5], 0.5), [2, 4]);
    assert.ok(Number.isNaN(quantile([Number.NaN], 0.5)));
  });
});
