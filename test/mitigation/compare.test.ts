import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { cellWeight, countConfusion, groupCells } from "../../src/core/confusion.js";
import { encodeGroups } from "../../src/core/groups.js";
import { type MethodResult, compareMitigations, paretoFront } from "../../src/mitigation/compare.js";
import { expectedConfusion } from "../../src/mitigation/expected-confusion.js";
import { skipWithoutData } from "../helpers/data.js";
import { adultTable } from "./adult-fixture.js";

describe("expectedConfusion", () => {
  it("splits each row between the two decisions by its probability", () => {
    const t = expectedConfusion(Uint8Array.of(1, 0, 1), Float64Array.of(0.75, 0.5, 1), encodeGroups(["a", "a", "b"]));
    const a = groupCells(t, 0);
    assert.deepEqual([cellWeight(a, 0), cellWeight(a, 1), cellWeight(a, 2), cellWeight(a, 3)], [0.5, 0.5, 0.25, 0.75]);
    const b = groupCells(t, 1);
    assert.equal(cellWeight(b, 3), 1);
  });

  it("equals the ordinary counts for 0/1 decisions", () => {
    const y = Uint8Array.of(1, 0, 1, 1, 0);
    const d = Uint8Array.of(1, 1, 0, 1, 0);
    const enc = encodeGroups(["a", "b", "a", "b", "b"]);
    assert.deepEqual(expectedConfusion(y, Float64Array.from(d), enc).data, countConfusion(y, d, enc).data);
  });
});

describe("compareMitigations", () => {
  it("flags groups too small to conclude anything, and rejects unknown methods and columns", () => {
    const n = 400;
    const group = Array.from({ length: n }, (_, i) => (i % 50 === 0 ? "tiny" : i % 2 ? "a" : "b"));
    const x = Array.from({ length: n }, (_, i) => (i * 37) % 101);
    const y = x.map((v, i) => (v + (group[i] === "a" ? 20 : 0) > 60 ? 1 : 0));
    const result = compareMitigations({
      table: { x, group, y },
      yTrue: "y",
      sensitive: ["group"],
      methods: ["reweighing"],
      bootstrap: 0,
      seed: 1,
    });
    assert.deepEqual(
      result.smallGroups.map((g) => g.group),
      ["tiny"],
    );
    assert.ok(result.smallGroups[0].testRows < 30);
    assert.equal(result.features, 1);
    assert.throws(
      () => compareMitigations({ table: { x, group, y }, yTrue: "y", sensitive: ["group"], methods: ["magic"] }),
      /unknown method "magic"/,
    );
    assert.throws(
      () => compareMitigations({ table: { x, group, y }, yTrue: "z", sensitive: ["group"], methods: [] }),
      /no column "z"/,
    );
  });
});

describe("paretoFront", () => {
  it("keeps the methods no other method beats on both accuracy and disparity", () => {
    const point = (method: string, accuracy: number, dp: number) =>
      ({
        method,
        accuracy: { value: accuracy, interval: [0, 1] },
        criteria: { demographic_parity_difference: { value: dp, interval: [0, 1] } },
      }) as unknown as MethodResult;
    const results = [
      point("base", 0.85, 0.18),
      point("rw", 0.846, 0.105),
      point("worse", 0.84, 0.2),
      point("eg", 0.839, 0.037),
      point("same-eg", 0.839, 0.037),
      point("nan", 0.9, Number.NaN),
    ];
    assert.deepEqual(paretoFront(results), ["base", "rw", "eg", "same-eg"]);
  });
});

describe("compareMitigations on Adult (train = first 22,793 rows, sensitive sex, label >50K)", {
  skip: skipWithoutData("adult.data"),
}, () => {
  const table = adultTable();
  const result = compareMitigations({
    table,
    yTrue: "income",
    posLabel: [">50K", ">50K."],
    sensitive: ["sex"],
    methods: ["reweighing", "expgrad-dp", "expgrad-eo"],
    testFraction: 0.3,
    shuffle: false,
    bootstrap: 50,
  });
  const by = Object.fromEntries(result.results.map((r) => [r.method, r]));
  const base = by.baseline;

  it("splits and encodes as the issue fixes it", () => {
    assert.equal(result.trainRows, 22793);
    assert.equal(result.testRows, 9768);
    assert.deepEqual(
      result.groups.map((g) => [g.key, g.values]),
      [
        ["Female", { sex: "Female" }],
        ["Male", { sex: "Male" }],
      ],
    );
    assert.deepEqual(result.smallGroups, []);
  });

  it("baseline: accuracy about 0.85, demographic parity difference near 0.19", () => {
    assert.ok(Math.abs(base.accuracy.value - 0.85) < 0.01, `accuracy ${base.accuracy.value}`);
    const dp = base.criteria.demographic_parity_difference;
    assert.ok(dp.value > 0.16 && dp.value < 0.21, `dp ${dp.value}`);
    assert.ok(dp.interval[0] < dp.value && dp.value < dp.interval[1]);
    assert.ok(base.accuracy.interval[0] < base.accuracy.value && base.accuracy.value < base.accuracy.interval[1]);
  });

  it("ExponentiatedGradient + DemographicParity: difference under 0.05, at most 2 points of accuracy lost", () => {
    const eg = by["expgrad-dp"];
    assert.ok(
      eg.criteria.demographic_parity_difference.value < 0.05,
      `dp ${eg.criteria.demographic_parity_difference.value}`,
    );
    assert.ok(
      eg.accuracy.value >= base.accuracy.value - 0.02,
      `accuracy ${eg.accuracy.value} vs ${base.accuracy.value}`,
    );
    assert.ok(Number(eg.notes.inner_fits) > 10);
  });

  it("ExponentiatedGradient + EqualizedOdds: equalized odds difference under 0.05, at most 2 points lost", () => {
    const eg = by["expgrad-eo"];
    assert.ok(eg.criteria.equalized_odds_difference.value < 0.05, `eo ${eg.criteria.equalized_odds_difference.value}`);
    assert.ok(
      eg.accuracy.value >= base.accuracy.value - 0.02,
      `accuracy ${eg.accuracy.value} vs ${base.accuracy.value}`,
    );
    assert.ok(base.criteria.equalized_odds_difference.value > eg.criteria.equalized_odds_difference.value);
  });

  it("puts the baseline, reweighing and ExponentiatedGradient on the accuracy-vs-DP front", () => {
    assert.deepEqual(paretoFront(result.results, "demographic_parity_difference"), [
      "baseline",
      "reweighing",
      "expgrad-dp",
    ]);
  });

  it("reweighing lowers the demographic parity difference and reports its four weights", () => {
    const rw = by.reweighing;
    const cells = rw.artefacts.weights as { group: string; label: number; weight: number }[];
    assert.equal(cells.length, 4);
    assert.ok(rw.criteria.demographic_parity_difference.value < base.criteria.demographic_parity_difference.value);
  });
});
