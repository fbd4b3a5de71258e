import assert from "node:assert/strict";
import { test } from "node:test";
import { discoverSubgroups } from "../../src/audit/subgroup-discovery.js";
import { newcombeFromIntervals, wilsonInterval } from "../../src/core/intervals.js";
import { createRandom } from "../../src/core/random.js";

/**
 * Synthetic decisions: four attributes (A: 3 levels, B: 3, C: 2, D: 4), base rate 0.4, TPR 0.7,
 * FPR 0.1 — except, when `planted`, FPR 0.2 (doubled) in the intersection A = a1 ∧ B = b1.
 */
function synthetic(seed: number, planted: boolean, n = 6000) {
  const rng = createRandom(seed);
  const A: string[] = [];
  const B: string[] = [];
  const C: string[] = [];
  const D: string[] = [];
  const yTrue = new Uint8Array(n);
  const yPred = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const a = `a${rng.int(3)}`;
    const b = `b${rng.int(3)}`;
    A.push(a);
    B.push(b);
    C.push(`c${rng.int(2)}`);
    D.push(`d${rng.int(4)}`);
    yTrue[i] = rng.next() < 0.4 ? 1 : 0;
    const fpr = planted && a === "a1" && b === "b1" ? 0.2 : 0.1;
    yPred[i] = rng.next() < (yTrue[i] ? 0.7 : fpr) ? 1 : 0;
  }
  return { yTrue, yPred, attributes: { A, B, C, D } };
}

test("a planted intersection with doubled FPR is the top result (k = 2 and k = 3, several seeds)", () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    for (const maxDepth of [2, 3]) {
      const r = discoverSubgroups({ ...synthetic(seed, true), metric: "false_positive_rate", maxDepth, alpha: 0.05 });
      assert.ok(r.top.length >= 1, `seed ${seed}: nothing found`);
      assert.equal(
        r.top[0].description,
        "A = a1 ∧ B = b1",
        `seed ${seed}, k=${maxDepth}: top is ${r.top[0].description}`,
      );
      assert.ok(r.top[0].gap > 0.06 && r.top[0].gap < 0.16, `gap ${r.top[0].gap}`);
      assert.ok(r.top[0].adjusted_p < 0.05);
      assert.ok(r.top[0].size > 550 && r.top[0].size < 800);
    }
  }
});

test("no planted subgroup: none reported at alpha 0.05 (Holm), across 20 seeds", () => {
  let falseReports = 0;
  let tested = 0;
  for (let seed = 100; seed < 120; seed++) {
    const r = discoverSubgroups({ ...synthetic(seed, false), metric: "false_positive_rate", maxDepth: 3, alpha: 0.05 });
    tested = r.tested;
    if (r.top.length > 0) falseReports++;
    // Without correction some subgroups would look significant: the correction is doing work.
  }
  assert.ok(tested > 100, `tested ${tested}`);
  // Family-wise error at most 5% per seed: 20 seeds give 0 or 1 false reports with probability
  // ≥ 0.73; more than 3 has probability < 0.016 under the bound.
  assert.ok(falseReports <= 3, `${falseReports} of 20 seeds reported a subgroup`);
  console.log(`# null data: ${falseReports} of 20 seeds reported a subgroup (${tested} subgroups tested per seed)`);
});

test("uncorrected p-values would report subgroups in null data, corrected ones do not", () => {
  const r = discoverSubgroups({ ...synthetic(7, false), metric: "false_positive_rate", maxDepth: 3 });
  const raw = r.largest_gaps.filter((s) => s.p_value < 0.05).length;
  assert.ok(raw >= 1, "expected at least one nominally significant gap among the largest");
  assert.equal(r.top.length, 0);
});

test("subgroup numbers equal a direct count", () => {
  const data = synthetic(11, true, 2000);
  const r = discoverSubgroups({ ...data, metric: "false_positive_rate", maxDepth: 2, minSupport: 0.05, top: 1000 });
  assert.equal(r.min_support, 100);
  const s = r.largest_gaps.find((x) => x.description === "A = a1 ∧ B = b1")!;
  assert.equal(r.largest_gaps.length, r.tested);
  let fp = 0;
  let neg = 0;
  let fpRest = 0;
  let negRest = 0;
  let size = 0;
  for (let i = 0; i < 2000; i++) {
    const inside = data.attributes.A[i] === "a1" && data.attributes.B[i] === "b1";
    if (inside) size++;
    if (data.yTrue[i] === 0) {
      if (inside) {
        neg++;
        fp += data.yPred[i];
      } else {
        negRest++;
        fpRest += data.yPred[i];
      }
    }
  }
  assert.equal(s.size, size);
  assert.equal(s.support, neg);
  assert.equal(s.rest_support, negRest);
  assert.equal(s.value, fp / neg);
  assert.equal(s.rest_value, fpRest / negRest);
  assert.deepEqual(s.interval, wilsonInterval(fp / neg, neg));
  assert.deepEqual(
    s.gap_interval,
    newcombeFromIntervals(
      fp / neg,
      wilsonInterval(fp / neg, neg),
      fpRest / negRest,
      wilsonInterval(fpRest / negRest, negRest),
    ),
  );
});

test("Newcombe interval by hand: 56/70 vs 48/80 (Newcombe 1998, table II, method 10)", () => {
  const p1 = 56 / 70;
  const p2 = 48 / 80;
  const [lo, hi] = newcombeFromIntervals(p1, wilsonInterval(p1, 70), p2, wilsonInterval(p2, 80));
  // Newcombe (1998) reports 0.0524 to 0.3339 for this example.
  assert.ok(Math.abs(lo - 0.0524) < 5e-4 && Math.abs(hi - 0.3339) < 5e-4, `${lo} ${hi}`);
});

test("options are checked", () => {
  const data = synthetic(1, false, 100);
  assert.throws(() => discoverSubgroups({ ...data, metric: "balanced_accuracy" }), /needs a proportion metric/);
  assert.throws(() => discoverSubgroups({ ...data, maxDepth: 4 }), /maxDepth must be 1, 2 or 3/);
});
