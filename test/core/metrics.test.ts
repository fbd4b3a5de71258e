import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  FairkitError,
  METRIC_NAMES,
  MetricFrame,
  accuracy,
  balancedAccuracy,
  baseRate,
  errorRate,
  falseDiscoveryRate,
  falseNegativeRate,
  falseOmissionRate,
  falsePositiveRate,
  metricSpec,
  negativePredictiveValue,
  positivePredictiveValue,
  selectionRate,
  trueNegativeRate,
  truePositiveRate,
} from "../../src/index.js";

// TP = 3, FP = 1, FN = 2, TN = 4 (10 rows)
const yTrue = [1, 1, 1, 1, 1, 0, 0, 0, 0, 0];
const yPred = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0];

describe("metric table", () => {
  test("every formula on a hand-counted confusion matrix", () => {
    assert.equal(selectionRate(yTrue, yPred), 4 / 10);
    assert.equal(truePositiveRate(yTrue, yPred), 3 / 5);
    assert.equal(falsePositiveRate(yTrue, yPred), 1 / 5);
    assert.equal(falseNegativeRate(yTrue, yPred), 2 / 5);
    assert.equal(trueNegativeRate(yTrue, yPred), 4 / 5);
    assert.equal(positivePredictiveValue(yTrue, yPred), 3 / 4);
    assert.equal(negativePredictiveValue(yTrue, yPred), 4 / 6);
    assert.equal(falseDiscoveryRate(yTrue, yPred), 1 / 4);
    assert.equal(falseOmissionRate(yTrue, yPred), 2 / 6);
    assert.equal(accuracy(yTrue, yPred), 7 / 10);
    assert.equal(errorRate(yTrue, yPred), 3 / 10);
    assert.equal(balancedAccuracy(yTrue, yPred), (3 / 5 + 4 / 5) / 2);
    assert.equal(baseRate(yTrue, yPred), 5 / 10);
  });

  test("count and predicted_positives through MetricFrame", () => {
    const mf = new MetricFrame({
      metrics: ["count", "predicted_positives"],
      yTrue,
      yPred,
      sensitiveFeatures: Array(10).fill("g"),
      sampleWeight: [1, 1, 2, 1, 1, 3, 1, 1, 1, 1],
    });
    assert.equal(mf.overall.metrics.count, 10);
    assert.equal(mf.overall.metrics.predicted_positives, 1 + 1 + 2 + 3);
  });

  test("names: snake_case, camelCase and aliases resolve to the same spec", () => {
    assert.equal(metricSpec("truePositiveRate").name, "true_positive_rate");
    assert.equal(metricSpec("recall").name, "true_positive_rate");
    assert.equal(metricSpec("precision").name, "positive_predictive_value");
    assert.equal(METRIC_NAMES.length, 15);
    assert.throws(
      () => metricSpec("f1"),
      (e: unknown) =>
        e instanceof FairkitError &&
        e.code === "UNKNOWN_METRIC" &&
        /known metrics: selection_rate, true_positive_rate/.test(e.message),
    );
  });

  test("empty denominator: NaN with a warning naming group and metric; zeroDivision gives sklearn's convention", () => {
    const input = {
      metrics: ["true_positive_rate", "selection_rate"],
      yTrue: [0, 0, 1, 0],
      yPred: [1, 0, 1, 0],
      sensitiveFeatures: ["a", "a", "b", "b"],
    };
    const mf = new MetricFrame(input);
    assert.ok(Number.isNaN(mf.byGroup[0].metrics.true_positive_rate));
    const warning = mf.warnings.find((w) => w.code === "UNDEFINED_METRIC");
    assert.deepEqual({ group: warning?.group, metric: warning?.metric }, { group: "a", metric: "true_positive_rate" });
    assert.match(warning!.message, /true_positive_rate is undefined for group "a".*reported as NaN/);
    // the undefined group is left out of the difference rather than read as 0
    assert.equal(mf.difference().true_positive_rate, Number.NaN);
    assert.deepEqual(mf.disparity("true_positive_rate").difference.excluded, [0]);
    const zero = new MetricFrame({ ...input, zeroDivision: 0 });
    assert.equal(zero.byGroup[0].metrics.true_positive_rate, 0);
    assert.equal(zero.difference().true_positive_rate, 1);
    assert.match(zero.warnings.find((w) => w.code === "UNDEFINED_METRIC")!.message, /reported as 0/);
  });

  test("weights scale every proportion", () => {
    const w = [2, 2, 2, 2, 2, 1, 1, 1, 1, 1];
    assert.equal(truePositiveRate(yTrue, yPred, { sampleWeight: w }), 3 / 5);
    assert.equal(accuracy(yTrue, yPred, { sampleWeight: w }), (3 * 2 + 4) / 15);
  });
});
