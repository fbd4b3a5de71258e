// Fairlearn's public test values, reproduced through MetricFrame and the plain functions.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { MetricFrame, selectionRate } from "../../src/index.js";

const close = (actual: number, expected: number, tol = 1e-9) =>
  assert.ok(Math.abs(actual - expected) <= tol, `expected ${expected}, got ${actual}`);

describe("Fairlearn's public examples", () => {
  test("selection rate and accuracy by sex (F/M)", () => {
    const mf = new MetricFrame({
      metrics: ["selection_rate", "accuracy"],
      yTrue: [1, 1, 1, 1, 1, 0, 0, 1, 1, 0],
      yPred: [0, 1, 1, 1, 1, 0, 0, 0, 1, 1],
      sensitiveFeatures: { sex: ["F", "F", "F", "F", "F", "M", "M", "M", "M", "M"] },
    });
    assert.deepEqual(
      mf.byGroup.map((g) => g.key),
      ["F", "M"],
    );
    close(mf.byGroup[0].metrics.selection_rate, 0.8);
    close(mf.byGroup[1].metrics.selection_rate, 0.4);
    close(mf.byGroup[0].metrics.accuracy, 0.8);
    close(mf.byGroup[1].metrics.accuracy, 0.6);
    close(mf.difference().accuracy, 0.2);
    close(mf.difference().selection_rate, 0.4);
    close(mf.ratio().accuracy, 0.75);
    close(mf.ratio().selection_rate, 0.5);
  });

  test("eighteen rows, alternating groups: between groups and to overall", () => {
    const mf = new MetricFrame({
      metrics: [
        "true_negative_rate",
        "false_positive_rate",
        "false_negative_rate",
        "selection_rate",
        "accuracy",
        "true_positive_rate",
      ],
      yTrue: [0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1],
      yPred: [1, 0, 1, 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1],
      sensitiveFeatures: Array.from({ length: 18 }, (_, i) => i % 2),
    });
    const diff = mf.difference();
    const ratio = mf.ratio();
    close(diff.true_negative_rate, 0.0833333, 1e-7);
    close(diff.false_positive_rate, 0.0833333, 1e-7);
    close(ratio.false_positive_rate, 0.75);
    close(diff.false_negative_rate, 0.4);
    close(diff.selection_rate, 0.1111111, 1e-7);
    close(ratio.selection_rate, 0.8);
    close(ratio.accuracy, 0.857142857, 1e-9);
    close(mf.difference({ method: "to_overall" }).true_positive_rate, 0.25);
    close(mf.ratio({ method: "to_overall" }).true_positive_rate, 0.75);
  });

  test("weighted selection rate", () => {
    const yPred = [0, 1, 1, 0, 0, 0, 0, 0];
    close(selectionRate(yPred, yPred, { sampleWeight: [1, 2, 3, 4, 1, 2, 1, 2] }), 0.3125);
  });
});
