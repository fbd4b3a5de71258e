/**
 * Intervals: the normal quantile, Wilson, Newcombe's interval of a difference and MOVER's of a
 * ratio (pinned to published and hand-computed values, and checked for their properties on random
 * counts), Kish's effective n under weights, and percentiles.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import {
  MetricFrame,
  type ProportionSpec,
  type Proportion,
  confusionFromRows,
  groupCells,
  metricSpec,
  moverRatioInterval,
  newcombeInterval,
  normalCdf,
  normalQuantile,
  percentileInterval,
  proportionOfCells,
  quantile,
  twoSidedZ,
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

const of = (x: number, n: number): Proportion => ({ p: x / n, n });

describe("Newcombe's interval of a difference of two proportions (method 10)", () => {
  test("Newcombe (1998), table II, method 10: all eight examples to 4 decimals", () => {
    // [x1, n1, x2, n2, low, high] as the paper prints them.
    const examples: [number, number, number, number, number, number][] = [
      [56, 70, 48, 80, 0.0524, 0.3339],
      [9, 10, 3, 10, 0.1705, 0.809],
      [6, 7, 2, 7, 0.0582, 0.8062],
      [5, 56, 0, 29, -0.0381, 0.1926],
      [0, 10, 0, 20, -0.1611, 0.2775],
      [0, 10, 0, 10, -0.2775, 0.2775],
      [10, 10, 0, 20, 0.6791, 1],
      [10, 10, 0, 10, 0.6075, 1],
    ];
    for (const [x1, n1, x2, n2, lo, hi] of examples) {
      const [l, u] = newcombeInterval(of(x1, n1), of(x2, n2));
      close(l, lo, 5e-5);
      close(u, hi, 5e-5);
    }
  });

  test("by hand from the two Wilson intervals; undefined proportions give NaN", () => {
    // 56/70: Wilson [0.6918, 0.8770]; 48/80: [0.4905, 0.7004] (to 4 places).
    const [l1, u1] = wilsonInterval(0.8, 70);
    const [l2, u2] = wilsonInterval(0.6, 80);
    close(l1, 0.6918, 5e-5);
    close(u1, 0.877, 5e-5);
    close(l2, 0.4905, 5e-5);
    close(u2, 0.7004, 5e-5);
    const [lo, hi] = newcombeInterval(of(56, 70), of(48, 80));
    close(lo, 0.2 - Math.sqrt((0.8 - l1) ** 2 + (u2 - 0.6) ** 2), 1e-15);
    close(hi, 0.2 + Math.sqrt((u1 - 0.8) ** 2 + (0.6 - l2) ** 2), 1e-15);
    assert.ok(newcombeInterval({ p: Number.NaN, n: 0 }, of(1, 2)).every(Number.isNaN));
    assert.ok(newcombeInterval(of(1, 2), { p: 0.5, n: 0 }).every(Number.isNaN));
  });
});

describe("MOVER interval of a ratio of two proportions (Donner & Zou 2012)", () => {
  // Each end solves MOVER's equation: (p1 − θp2)² = (p1 − l1)² + θ²(u2 − p2)² below the estimate,
  // (p1 − θp2)² = (u1 − p1)² + θ²(p2 − l2)² above it.
  const solves = (a: Proportion, b: Proportion) => {
    const [l1, u1] = wilsonInterval(a.p, a.n);
    const [l2, u2] = wilsonInterval(b.p, b.n);
    const [lo, hi] = moverRatioInterval(a, b);
    close((a.p - lo * b.p) ** 2 - (a.p - l1) ** 2 - lo ** 2 * (u2 - b.p) ** 2, 0, 1e-12);
    close((a.p - hi * b.p) ** 2 - (u1 - a.p) ** 2 - hi ** 2 * (b.p - l2) ** 2, 0, 1e-12 * Math.max(1, hi * hi));
    assert.ok(lo <= a.p / b.p && a.p / b.p <= hi);
  };

  test("hand-computed values (Donner & Zou's closed form, computed independently to 4 places)", () => {
    const cases: [number, number, number, number, number, number][] = [
      [56, 70, 48, 80, 1.0783, 1.6629],
      [9, 10, 3, 10, 1.3224, 8.3689],
      // A small-sample case (7/34 vs 1/34): the upper end is far out.
      [7, 34, 1, 34, 1.1537, 41.9763],
    ];
    for (const [x1, n1, x2, n2, lo, hi] of cases) {
      const [l, u] = moverRatioInterval(of(x1, n1), of(x2, n2));
      close(l, lo, 5e-5);
      close(u, hi, 5e-5);
      solves(of(x1, n1), of(x2, n2));
    }
  });

  test("edge cases: a zero numerator, a Wilson interval past twice its estimate, a zero denominator", () => {
    const [lo, hi] = moverRatioInterval(of(0, 34), of(1, 34));
    assert.equal(lo, 0);
    assert.ok(hi > 1 && Number.isFinite(hi));
    // 1/10: Wilson's upper end 0.404 is past 2 × 0.1, where the closed form's denominator is negative.
    assert.ok(wilsonInterval(0.1, 10)[1] > 0.2);
    solves(of(5, 10), of(1, 10));
    // u2 exactly 2·p2 would divide 0 by 0 in the textbook form; the rationalised form is finite.
    solves(of(3, 9), of(1, 9));
    solves(of(10, 10), of(3, 10));
    assert.ok(moverRatioInterval(of(3, 10), of(0, 10)).every(Number.isNaN));
    assert.ok(moverRatioInterval({ p: Number.NaN, n: 0 }, of(3, 10)).every(Number.isNaN));
  });
});

describe("properties of both pair intervals, on random counts", () => {
  const pair = fc
    .record({ n1: fc.integer({ min: 1, max: 400 }), n2: fc.integer({ min: 1, max: 400 }) })
    .chain(({ n1, n2 }) =>
      fc.record({
        a: fc.integer({ min: 0, max: n1 }).map((x) => of(x, n1)),
        b: fc.integer({ min: 0, max: n2 }).map((x) => of(x, n2)),
        level: fc.constantFrom(0.8, 0.9, 0.95, 0.99),
      }),
    );
  const scaled = (q: Proportion, m: number): Proportion => ({ p: q.p, n: q.n * m });

  test("each contains its estimate and stays in range", () => {
    fc.assert(
      fc.property(pair, ({ a, b, level }) => {
        const [lo, hi] = newcombeInterval(a, b, level);
        const d = a.p - b.p;
        assert.ok(lo <= d + 1e-12 && d <= hi + 1e-12 && lo >= -1 - 1e-12 && hi <= 1 + 1e-12, `${lo} ${d} ${hi}`);
        if (b.p > 0) {
          const [rl, rh] = moverRatioInterval(a, b, level);
          const r = a.p / b.p;
          assert.ok(rl >= 0 && rl <= r * (1 + 1e-12) && r <= rh * (1 + 1e-12), `${rl} ${r} ${rh}`);
        }
      }),
      { numRuns: 500 },
    );
  });

  test("narrow as n grows (the same proportions on m times the trials)", () => {
    fc.assert(
      fc.property(pair, fc.integer({ min: 2, max: 50 }), ({ a, b, level }, m) => {
        const width = ([lo, hi]: [number, number]) => hi - lo;
        assert.ok(
          width(newcombeInterval(scaled(a, m), scaled(b, m), level)) <= width(newcombeInterval(a, b, level)) + 1e-12,
        );
        if (b.p > 0) {
          const [rl, rh] = moverRatioInterval(a, b, level);
          const [sl, sh] = moverRatioInterval(scaled(a, m), scaled(b, m), level);
          assert.ok(sl >= rl - 1e-12 && sh <= rh * (1 + 1e-12), `[${sl}, ${sh}] vs [${rl}, ${rh}]`);
        }
      }),
      { numRuns: 500 },
    );
  });

  test("symmetric under swapping the groups: the difference negated, the ratio inverted", () => {
    fc.assert(
      fc.property(pair, ({ a, b, level }) => {
        const [lo, hi] = newcombeInterval(a, b, level);
        const [slo, shi] = newcombeInterval(b, a, level);
        close(slo, -hi, 1e-12);
        close(shi, -lo, 1e-12);
        if (a.p > 0 && b.p > 0) {
          const [rl, rh] = moverRatioInterval(a, b, level);
          const [sl, sh] = moverRatioInterval(b, a, level);
          close(sl * rh, 1, 1e-9);
          close(sh * rl, 1, 1e-9);
        }
      }),
      { numRuns: 500 },
    );
  });

  test("at the normal limit Newcombe's interval is the Wald interval's d ± z·SE", () => {
    const a = of(3000, 10000);
    const b = of(4500, 10000);
    const se = Math.sqrt((0.3 * 0.7) / 10000 + (0.45 * 0.55) / 10000);
    const [lo, hi] = newcombeInterval(a, b);
    close(lo, -0.15 - twoSidedZ(0.95) * se, 2e-4);
    close(hi, -0.15 + twoSidedZ(0.95) * se, 2e-4);
  });
});

describe("Kish's effective n in the pair intervals", () => {
  const spec = metricSpec("selection_rate") as ProportionSpec;
  test("constant weights change nothing; unequal weights use (Σw)² / Σw² trials", () => {
    const yPred = [1, 1, 0, 0, 0, 1, 0, 0, 0, 0];
    const g = ["a", "a", "a", "a", "a", "b", "b", "b", "b", "b"];
    const yTrue = yPred.map(() => 0);
    const plain = confusionFromRows({ yTrue, yPred, sensitiveFeatures: g });
    const doubled = confusionFromRows({ yTrue, yPred, sensitiveFeatures: g, sampleWeight: yPred.map(() => 2) });
    const sides = (t: typeof plain) => [
      proportionOfCells(spec, groupCells(t, 0)),
      proportionOfCells(spec, groupCells(t, 1)),
    ];
    const [a, b] = sides(plain);
    assert.deepEqual(sides(doubled), [a, b]);
    assert.deepEqual(a, { p: 0.4, n: 5 });
    const w = [1, 3, 1, 1, 2, 1, 1, 1, 1, 1];
    const [wa, wb] = sides(confusionFromRows({ yTrue, yPred, sensitiveFeatures: g, sampleWeight: w }));
    // Group a: Σw = 8, Σw² = 16, so 4 effective trials, and p = (1 + 3) / 8.
    assert.deepEqual(wa, { p: 0.5, n: 4 });
    assert.deepEqual(wb, { p: 0.2, n: 5 });
    assert.deepEqual(newcombeInterval(wa, wb), newcombeInterval(of(2, 4), of(1, 5)));
  });
});
