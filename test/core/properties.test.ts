// Invariants of the engine, checked on random data by fast-check.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { METRICS, MetricFrame, type ProportionSpec, confusionFromRows, mergeConfusion } from "../../src/internal.js";

const row = fc.record({
  y: fc.integer({ min: 0, max: 1 }),
  p: fc.integer({ min: 0, max: 1 }),
  g: fc.constantFrom("a", "b", "c", "d"),
  h: fc.constantFrom("x", "y"),
  // Weights in quarters keep sums exact in floating point, so merged and one-pass sums compare with ===.
  w: fc.integer({ min: 0, max: 16 }).map((k) => k / 4),
});
const rowsArb = fc.array(row, { minLength: 1, maxLength: 200 }).filter((rows) => rows.some((r) => r.w > 0));

const columns = (rows: { y: number; p: number; g: string; h: string; w: number }[]) => ({
  yTrue: rows.map((r) => r.y),
  yPred: rows.map((r) => r.p),
  sensitiveFeatures: { g: rows.map((r) => r.g), h: rows.map((r) => r.h) },
  sampleWeight: rows.map((r) => r.w),
});

const RATE_METRICS = Object.values(METRICS)
  .filter((s): s is ProportionSpec => s.kind === "proportion")
  .map((s) => s.name);

describe("engine properties", () => {
  test("counts merged from random chunks equal one pass", () => {
    fc.assert(
      fc.property(rowsArb, fc.array(fc.nat(), { maxLength: 5 }), (rows, cuts) => {
        const points = [...new Set(cuts.map((c) => c % (rows.length + 1)))].sort((a, b) => a - b);
        const bounds = [0, ...points, rows.length];
        let merged: ReturnType<typeof confusionFromRows> | undefined;
        for (let k = 0; k + 1 < bounds.length; k++) {
          const chunk = rows.slice(bounds[k], bounds[k + 1]);
          if (chunk.length === 0) continue;
          const c = confusionFromRows(columns(chunk));
          merged = merged ? mergeConfusion(merged, c) : c;
        }
        const one = confusionFromRows(columns(rows));
        const byKey = (t: typeof one) =>
          Object.fromEntries(t.groups.map((g, i) => [g.key, [...t.data.subarray(i * 12, i * 12 + 12)]]));
        assert.deepEqual(byKey(merged!), byKey(one));
      }),
    );
  });

  test("row order does not matter", () => {
    fc.assert(
      fc.property(rowsArb, fc.integer(), (rows, seed) => {
        const shuffled = rows
          .map((r, i) => ({ r, k: Math.sin(seed + i * 12.9898) }))
          .sort((a, b) => a.k - b.k)
          .map((x) => x.r);
        const a = new MetricFrame({ metrics: RATE_METRICS, ...columns(rows) });
        const b = new MetricFrame({ metrics: RATE_METRICS, ...columns(shuffled) });
        assert.deepEqual(
          b.byGroup.map((g) => [g.key, g.metrics]),
          a.byGroup.map((g) => [g.key, g.metrics]),
        );
      }),
    );
  });

  test("renaming groups permutes the results and changes no difference or ratio", () => {
    const rename: Record<string, string> = { a: "zz", b: "yy", c: "xx", d: "ww" };
    fc.assert(
      fc.property(rowsArb, (rows) => {
        const a = new MetricFrame({ metrics: RATE_METRICS, ...columns(rows) });
        const renamed = rows.map((r) => ({ ...r, g: rename[r.g] }));
        const b = new MetricFrame({ metrics: RATE_METRICS, ...columns(renamed) });
        const byValues = (mf: MetricFrame, map: (g: string) => string) =>
          Object.fromEntries(mf.byGroup.map((r) => [`${map(String(r.group.g))}|${r.group.h}`, r.metrics]));
        assert.deepEqual(
          byValues(b, (g) => g),
          byValues(a, (g) => rename[g]),
        );
        assert.deepEqual(b.difference(), a.difference());
        assert.deepEqual(b.ratio(), a.ratio());
      }),
    );
  });

  test("differences >= 0 and ratios in [0, 1] for rate metrics, under every method", () => {
    fc.assert(
      fc.property(rowsArb, (rows) => {
        const mf = new MetricFrame({ metrics: RATE_METRICS, ...columns(rows) });
        for (const method of ["between_groups", "to_overall"] as const) {
          const d = mf.difference({ method });
          const r = mf.ratio({ method });
          for (const name of RATE_METRICS) {
            if (!Number.isNaN(d[name]))
              assert.ok(d[name] >= 0 && d[name] <= 1, `${method} ${name} difference ${d[name]}`);
            if (!Number.isNaN(r[name])) assert.ok(r[name] >= 0 && r[name] <= 1, `${method} ${name} ratio ${r[name]}`);
          }
        }
      }),
    );
  });

  test("bootstrap with the same seed is reproducible", () => {
    fc.assert(
      fc.property(rowsArb, fc.integer({ min: 0, max: 1000 }), (rows, seed) => {
        const make = () =>
          new MetricFrame({ metrics: ["accuracy", "balanced_accuracy"], ...columns(rows), bootstrap: { n: 20, seed } });
        const a = make();
        const b = make();
        assert.deepEqual(
          b.byGroup.map((g) => g.intervals),
          a.byGroup.map((g) => g.intervals),
        );
        assert.deepEqual(b.ratioInterval(), a.ratioInterval());
      }),
      { numRuns: 30 },
    );
  });
});
