/**
 * The flip test and the saved-model reader: planted dependence found with its exact size,
 * a model blind to the attribute moved only through a declared proxy, expected changes of
 * randomised decisions, seeded resampling, errors naming the original row, and on Adult a cross-check
 * against flipping and predicting by hand.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { FairkitError } from "../../src/core/errors.js";
import { flipTest } from "../../src/individual/counterfactual.js";
import { LogisticRegression } from "../../src/models/logistic-regression.js";
import { fitTabular, type Table } from "../../src/models/tabular.js";
import { adultRows, skipWithoutData } from "../helpers/data.js";

const sex = ["F", "F", "F", "M", "M", "M", "M", "M"];
const job = ["a", "b", "c", "a", "b", "c", "a", "b"];
const rel = ["Wife", "Own", "Wife", "Husband", "Own", "Husband", "Husband", "Own"];
const base: Table = { sex, job, rel };

describe("flip test", () => {
  test("a planted +0.4 for M: every F decision flips at 0.5, mean change exactly ±0.4", async () => {
    const predict = (t: Table) => Array.from(t.sex, (s) => (s === "M" ? 0.7 : 0.3));
    const r = await flipTest({ table: base, attribute: "sex", predict });
    assert.deepEqual(r.levels, ["F", "M"]);
    const [fToM, mToF] = r.pairs;
    assert.deepEqual([fToM.from, fToM.to, fToM.rows], ["F", "M", 3]);
    assert.ok(Math.abs(fToM.meanChange - 0.4) < 1e-15);
    assert.equal(fToM.changedDecisions, 1);
    assert.equal(fToM.becamePositive, 1);
    assert.equal(fToM.becameNegative, 0);
    assert.ok(Math.abs(mToF.meanChange + 0.4) < 1e-15);
    assert.equal(mToF.rows, 5);
    assert.equal(mToF.becameNegative, 1);
    // Every row moves by the same amount: no spread, a zero-width interval.
    assert.equal(fToM.sd, 0);
    assert.deepEqual(
      fToM.meanInterval.map((x) => Math.round(x * 1e12) / 1e12),
      [0.4, 0.4],
    );
    assert.equal(r.maxChangedDecisions, 1);
    assert.deepEqual(r.worst, { from: "F", to: "M", meanChange: fToM.meanChange });
  });

  test("a model blind to sex changes only through a swapped proxy: exactly the rows holding a swapped value", async () => {
    const predict = (t: Table) => Array.from(t.rel, (v) => (v === "Husband" ? 0.8 : v === "Wife" ? 0.4 : 0.1));
    const blind = await flipTest({ table: base, attribute: "sex", predict });
    for (const p of blind.pairs) assert.equal(p.changedDecisions, 0);
    const swapped = await flipTest({
      table: base,
      attribute: "sex",
      predict,
      proxies: { rel: { swap: [["Husband", "Wife"]] } },
    });
    assert.deepEqual(swapped.proxies, ["rel"]);
    const [fToM, mToF] = swapped.pairs;
    // F rows: Wife, Own, Wife → Husband, Own, Husband: 2 of 3 decisions become positive (0.4 → 0.8).
    assert.ok(Math.abs(fToM.changedDecisions - 2 / 3) < 1e-15);
    assert.ok(Math.abs(fToM.meanChange - (2 * 0.4) / 3) < 1e-15);
    // M rows: Husband, Own, Husband, Husband, Own → Wife: 3 of 5 become negative (0.8 → 0.4).
    assert.ok(Math.abs(mToF.becameNegative - 3 / 5) < 1e-15);
    // The input is untouched.
    assert.deepEqual(base.rel, rel);
  });

  test("randomised decisions: the expected share of changed decisions is mean |p′ − p|", async () => {
    const predict = (t: Table) => Array.from(t.sex, (s) => (s === "M" ? 0.9 : 0.2));
    const decide = (t: Table) => Array.from(t.sex, (s) => (s === "M" ? 0.75 : 0.25));
    const r = await flipTest({ table: base, attribute: "sex", predict, decide });
    assert.ok(Math.abs(r.pairs[0].changedDecisions - 0.5) < 1e-15);
    assert.ok(Math.abs(r.pairs[0].becamePositive - 0.5) < 1e-15);
  });

  test("weights: a row of weight 2 counts twice", async () => {
    const predict = (t: Table) => Array.from(t.job, (j, i) => (j === "a" && t.sex[i] === "M" ? 0.9 : 0.1));
    const w = [2, 1, 1, 1, 1, 1, 1, 1];
    const r = await flipTest({ table: base, attribute: "sex", predict, sampleWeight: w });
    // F rows (weights 2, 1, 1): only the job-a row (weight 2) flips: 2 / 4.
    assert.ok(Math.abs(r.pairs[0].changedDecisions - 0.5) < 1e-15);
  });

  test("resampled proxies are drawn from the target group and reproducible by seed", async () => {
    const predict = (t: Table) => Array.from(t.rel, (v) => (v === "Husband" ? 1 : 0));
    const one = await flipTest({ table: base, attribute: "sex", predict, proxies: { rel: "resample" }, seed: 5 });
    const two = await flipTest({ table: base, attribute: "sex", predict, proxies: { rel: "resample" }, seed: 5 });
    assert.deepEqual(one.pairs, two.pairs);
    // F rows moved to M draw rel from M rows (3 of 5 are Husband); M rows moved to F draw from F rows: never Husband.
    assert.equal(one.pairs[1].becamePositive, 0);
    assert.equal(one.pairs[1].becameNegative + one.pairs[1].becamePositive, one.pairs[1].changedDecisions);
  });

  test("mistakes: the model's output length, a NaN named by its row in the table, proxies, levels", async () => {
    await assert.rejects(
      flipTest({ table: base, attribute: "sex", predict: () => [0.5] }),
      /the model returned 1 values for 3 rows: it must return one per row, in order/,
    );
    // The model sees the rows of one level at a time; errors name the row of the table, and what was changed in it.
    const nanAt = (level: string, k: number) => (t: Table) =>
      Array.from(t.sex, (s, i) => (s === level && i === k ? Number.NaN : 0.5));
    // The F rows (0, 1, 2) set to M: the 2nd of them is row 1.
    await assert.rejects(
      flipTest({ table: base, attribute: "sex", predict: nanAt("M", 1) }),
      (e: unknown) =>
        e instanceof FairkitError &&
        /returned NaN at index 1 with sex set to "M"/.test(e.message) &&
        e.location.row === 1,
    );
    // The M rows as they are (3…7): the 2nd of them is row 4, unchanged.
    const onlyActual = (t: Table) =>
      Array.from(t.sex, (s, i) => (s === "M" && i === 1 && t.job[0] === "a" ? Number.NaN : 0.5));
    await assert.rejects(
      flipTest({ table: base, attribute: "sex", predict: onlyActual, to: ["F"] }),
      (e: unknown) =>
        e instanceof FairkitError && /returned NaN at index 4: every/.test(e.message) && e.location.row === 4,
    );
    await assert.rejects(
      flipTest({ table: base, attribute: "sex", predict: () => [], to: ["X"] }),
      /sex has no level "X"/,
    );
    await assert.rejects(
      flipTest({ table: { sex: ["F", "F"] }, attribute: "sex", predict: () => [0, 0] }),
      /sex has a single level \("F"\)/,
    );
    await assert.rejects(
      flipTest({ table: base, attribute: "sex", predict: () => [], proxies: { sex: "resample" } }),
      /sex is the attribute itself, not a proxy/,
    );
    await assert.rejects(
      flipTest({ table: base, attribute: "sex", predict: () => [], proxies: { zip: "resample" } }),
      /the table has no column "zip"/,
    );
    await assert.rejects(
      flipTest({ table: base, attribute: "race", predict: () => [] }),
      /the table has no column "race"/,
    );
  });
});

describe("flip test on Adult", { skip: skipWithoutData("adult.data") }, () => {
  test("equals flipping and predicting by hand; a model that reads sex changes decisions, one that does not only via relationship", async () => {
    const rows = adultRows().slice(0, 6000);
    const table: Record<string, string[]> = {};
    for (const c of ["age", "education-num", "hours-per-week", "marital-status", "relationship", "sex", "income"])
      table[c] = rows.map((r) => r[c]);
    const y = table.income.map((v) => (v === ">50K" ? 1 : 0));
    const fitOn = (columns: string[]) => {
      const prep = fitTabular(table, { columns });
      const model = new LogisticRegression().fit(prep.transform(table), y);
      return (t: Table) => model.predictProba(prep.transform(t));
    };
    const withSex = fitOn(["age", "education-num", "hours-per-week", "relationship", "sex"]);
    const r = await flipTest({ table, attribute: "sex", predict: withSex });
    // By hand: the Female rows, with sex set to Male.
    const female = table.sex.map((s, i) => (s === "Female" ? i : -1)).filter((i) => i >= 0);
    const pick = (t: Record<string, string[]>, idx: number[]) =>
      Object.fromEntries(Object.entries(t).map(([k, v]) => [k, idx.map((i) => v[i])]));
    const actual = pick(table, female);
    const flipped = { ...actual, sex: actual.sex.map(() => "Male") };
    const p0 = withSex(actual);
    const p1 = withSex(flipped);
    let changed = 0;
    let mean = 0;
    for (let i = 0; i < female.length; i++) {
      if (p0[i] >= 0.5 !== p1[i] >= 0.5) changed++;
      mean += p1[i] - p0[i];
    }
    const pair = r.pairs.find((p) => p.from === "Female");
    assert.equal(pair?.rows, female.length);
    assert.ok(Math.abs((pair?.changedDecisions ?? 0) - changed / female.length) < 1e-15);
    assert.ok(Math.abs((pair?.meanChange ?? 0) - mean / female.length) < 1e-12);
    // A model without sex: no change from the flip alone, some through relationship.
    const blind = fitOn(["age", "education-num", "hours-per-week", "relationship"]);
    const alone = await flipTest({ table, attribute: "sex", predict: blind });
    for (const p of alone.pairs) assert.equal(p.changedScores, 0);
    const proxied = await flipTest({
      table,
      attribute: "sex",
      predict: blind,
      proxies: { relationship: { swap: [["Husband", "Wife"]] } },
    });
    // Exactly the rows whose relationship is Husband or Wife change (their coefficients differ).
    for (const p of proxied.pairs) {
      const idx = table.sex.map((s, i) => (s === p.from ? i : -1)).filter((i) => i >= 0);
      const married = idx.filter((i) => table.relationship[i] === "Husband" || table.relationship[i] === "Wife").length;
      assert.ok(Math.abs(p.changedScores - married / idx.length) < 1e-15, `${p.from}: ${p.changedScores}`);
    }
  });
});

describe("flip test: values keep their type, and doubtful inputs are refused", () => {
  test("a numerically coded attribute is flipped to the number, not its text", async () => {
    const table = { sex: [1, 2, 1, 2], x: [0, 0, 0, 0] };
    const r = await flipTest({
      table,
      attribute: "sex",
      predict: (t) => Array.from(t.sex, (s) => (s === 2 ? 0.9 : 0.1)),
    });
    assert.ok(Math.abs(r.pairs[0].meanChange - 0.8) < 1e-15, "1 → 2 moves the score by +0.8");
    assert.ok(Math.abs(r.pairs[1].meanChange + 0.8) < 1e-15);
  });

  test("a missing attribute value, a swap of a value no row holds, and a swap of a value with itself are errors", async () => {
    const predict = () => [0, 0, 0, 0];
    await assert.rejects(
      flipTest({ table: { sex: ["F", null, "M", "M"] }, attribute: "sex", predict }),
      (e: unknown) =>
        e instanceof FairkitError && /sex has a missing value at index 1/.test(e.message) && e.location.row === 1,
    );
    await assert.rejects(
      flipTest({ table: base, attribute: "sex", predict, proxies: { rel: { swap: [["Husbnd", "Wife"]] } } }),
      /proxy rel: no row holds "Husbnd" \(values are compared as text, case included\); its values include "Wife", "Own", "Husband"/,
    );
    await assert.rejects(
      flipTest({ table: base, attribute: "sex", predict, proxies: { rel: { swap: [["Wife", "Wife"]] } } }),
      /proxy rel: swapping "Wife" with itself changes nothing/,
    );
  });
});
