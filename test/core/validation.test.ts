// Bad input raises a FairkitError with a code and a message that names the argument and row.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { FairkitError, MetricFrame, type MetricFrameOptions, demographicParityDifference } from "../../src/index.js";

const base: MetricFrameOptions = {
  metrics: ["selection_rate"],
  yTrue: [1, 0, 1],
  yPred: [1, 1, 0],
  sensitiveFeatures: ["a", "b", "a"],
};

function fails(options: Partial<MetricFrameOptions>, code: string, message: RegExp | string) {
  assert.throws(
    () => new MetricFrame({ ...base, ...options }),
    (e: unknown) => {
      assert.ok(e instanceof FairkitError, `not a FairkitError: ${e}`);
      assert.equal(e.code, code);
      if (typeof message === "string") assert.equal(e.message, message);
      else assert.match(e.message, message);
      return true;
    },
  );
}

describe("input validation", () => {
  test("arrays of different lengths", () => {
    fails(
      { yPred: [1, 0] },
      "LENGTH_MISMATCH",
      "yPred has 2 rows but yTrue has 3: every column must have one value per row",
    );
    fails(
      { sensitiveFeatures: ["a"] },
      "LENGTH_MISMATCH",
      "group has 1 rows but yTrue has 3: every column must have one value per row",
    );
    fails({ sampleWeight: [1] }, "LENGTH_MISMATCH", /sampleWeight has 1 rows/);
  });

  test("labels that are not binary, unless a positive label is given", () => {
    fails(
      { yTrue: [0, 1, 2] },
      "NOT_BINARY",
      "yTrue must be binary (0/1 or true/false); found 3 distinct values (0, 1, 2), the first that is not 0/1 at index 2. Pass posLabel to say which value is positive",
    );
    fails(
      { yTrue: ["yes", "no", "yes"], yPred: ["yes", "yes", "no"] },
      "NOT_BINARY",
      /found 2 distinct values \("yes", "no"\)/,
    );
    const mf = new MetricFrame({
      ...base,
      yTrue: ["yes", "no", "maybe"],
      yPred: ["yes", "yes", "no"],
      posLabel: "yes",
      metrics: ["base_rate"],
    });
    assert.equal(mf.overall.metrics.base_rate, 1 / 3);
    const withBooleans = new MetricFrame({ ...base, yTrue: [true, false, true], yPred: [true, true, false] });
    assert.equal(withBooleans.overall.metrics.selection_rate, 2 / 3);
  });

  test("NaN or missing in labels", () => {
    fails(
      { yTrue: [1, Number.NaN, 0] },
      "MISSING_LABEL",
      "yTrue has a missing value (NaN) at index 1: labels and decisions must be present on every row",
    );
    fails({ yPred: [1, null, 0] }, "MISSING_LABEL", /yPred has a missing value \(null\) at index 1/);
    fails({ yTrue: ["a", undefined, "b"], posLabel: "a" }, "MISSING_LABEL", /index 1/);
  });

  test("empty input", () => {
    fails(
      { yTrue: [], yPred: [], sensitiveFeatures: [] },
      "EMPTY_INPUT",
      "yTrue is empty: there are no rows to measure",
    );
  });

  test("unknown reference group", () => {
    const mf = new MetricFrame(base);
    assert.throws(
      () => mf.difference({ method: "to_reference", reference: "c" }),
      /unknown reference group "c"; the groups are "a", "b"/,
    );
    assert.throws(() => mf.difference({ method: "to_reference" }), /needs a reference group/);
    assert.throws(
      () =>
        demographicParityDifference([1, 0], [1, 0], {
          sensitiveFeatures: ["a", "b"],
          method: "to_reference",
          reference: "z",
        }),
      (e: unknown) => e instanceof FairkitError && e.code === "UNKNOWN_GROUP",
    );
  });

  test("a weight that is negative or NaN", () => {
    fails({ sampleWeight: [1, -1, 1] }, "BAD_WEIGHT", "sampleWeight must be a finite number >= 0; found -1 at index 1");
    fails(
      { sampleWeight: [1, 1, Number.NaN] },
      "BAD_WEIGHT",
      "sampleWeight must be a finite number >= 0; found NaN at index 2",
    );
    // All-zero weights are allowed (a chunk may carry none) but every rate is then undefined, never 0.
    const zero = new MetricFrame({ ...base, sampleWeight: [0, 0, 0] });
    assert.ok(Number.isNaN(zero.overall.metrics.selection_rate));
  });

  test("bad options", () => {
    fails({ metrics: ["nope"] }, "UNKNOWN_METRIC", /unknown metric "nope"/);
    fails({ level: 1.5 }, "BAD_ARGUMENT", /level must be between 0 and 1/);
    fails({ controlFeatures: { group: ["x", "y", "z"] } }, "BAD_ARGUMENT", /both a sensitive and a control feature/);
    fails({ bootstrap: { n: 0 } }, "BAD_ARGUMENT", /bootstrap.n must be a positive integer/);
  });
});
