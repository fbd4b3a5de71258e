/**
 * MetricFrame with 4 metrics over 10 intersectional groups (5 × 2 levels) on 1e6 and 1e7 rows in
 * memory, against a straightforward filter-per-group implementation run in the same process, and
 * against the floor: one pass that only reads the same bytes. Typed inputs take the fused path of
 * src/core/prepare.ts (fastRowsAndCounts).
 */
import { MetricFrame, createRandom } from "../src/internal.js";
import { medianMs, rate } from "./timing.js";

const METRICS = ["selection_rate", "true_positive_rate", "false_positive_rate", "accuracy"];

function makeRows(n: number) {
  const rng = createRandom(1);
  const yTrue = new Uint8Array(n);
  const yPred = new Uint8Array(n);
  const race = new Int32Array(n);
  const sex = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    race[i] = rng.int(5);
    sex[i] = rng.int(2);
    yTrue[i] = rng.next() < 0.3 + 0.05 * race[i] ? 1 : 0;
    yPred[i] = rng.next() < (yTrue[i] ? 0.7 : 0.2) ? 1 : 0;
  }
  return { yTrue, yPred, race, sex };
}

/** The obvious way: for each group, filter its rows, then compute each metric by counting. */
function naive(rows: ReturnType<typeof makeRows>): Record<string, number[]> {
  const out: Record<string, number[]> = {
    selection_rate: [],
    true_positive_rate: [],
    false_positive_rate: [],
    accuracy: [],
  };
  const index = Array.from(rows.yTrue.keys());
  for (let r = 0; r < 5; r++) {
    for (let s = 0; s < 2; s++) {
      const members = index.filter((i) => rows.race[i] === r && rows.sex[i] === s);
      const t = members.map((i) => rows.yTrue[i]);
      const p = members.map((i) => rows.yPred[i]);
      const pos = t.filter((y) => y === 1).length;
      out.selection_rate.push(p.filter((x) => x === 1).length / p.length);
      out.true_positive_rate.push(t.filter((y, k) => y === 1 && p[k] === 1).length / pos);
      out.false_positive_rate.push(t.filter((y, k) => y === 0 && p[k] === 1).length / (t.length - pos));
      out.accuracy.push(t.filter((y, k) => y === p[k]).length / t.length);
    }
  }
  return out;
}

export default function coreBench(): void {
  for (const n of [1e6, 1e7]) {
    const rows = makeRows(n);
    const frame = () =>
      new MetricFrame({
        metrics: METRICS,
        yTrue: rows.yTrue,
        yPred: rows.yPred,
        sensitiveFeatures: {
          race: { codes: rows.race, levels: ["r0", "r1", "r2", "r3", "r4"] },
          sex: { codes: rows.sex, levels: ["F", "M"] },
        },
      });
    const ours = medianMs(frame, n >= 1e7 ? 3 : 5);
    const baseline = medianMs(() => naive(rows), 1);
    // Same numbers, or the comparison means nothing.
    const check = naive(rows);
    const mf = frame();
    for (const m of METRICS) {
      mf.byGroup.forEach((g, k) => {
        if (Math.abs(g.metrics[m] - check[m][k]) > 1e-12) throw new Error(`mismatch in ${m} for ${g.key}`);
      });
    }
    // The floor: one pass reading the same bytes (1 + 1 + 4 + 4 per row) and adding them up.
    const floor = medianMs(() => {
      let s = 0;
      for (let i = 0; i < n; i++) s += rows.yTrue[i] + rows.yPred[i] + rows.race[i] + rows.sex[i];
      return s;
    }, 5);
    console.log(
      `MetricFrame ${n.toExponential(0)} rows, 10 groups, 4 metrics: ${ours.toFixed(1)} ms (${rate(n, ours)}); ` +
        `filter-per-group ${baseline.toFixed(0)} ms; ours is ${(baseline / ours).toFixed(1)}x faster; ` +
        `one pass over the same bytes ${floor.toFixed(1)} ms: ours is ${(ours / floor).toFixed(1)}x that floor`,
    );
    const plainInts = medianMs(
      () =>
        new MetricFrame({
          metrics: METRICS,
          yTrue: rows.yTrue,
          yPred: rows.yPred,
          sensitiveFeatures: { race: rows.race, sex: rows.sex },
        }),
      n >= 1e7 ? 3 : 5,
    );
    console.log(
      `  the same with plain Int32Array columns (levels found from the values): ${plainInts.toFixed(1)} ms (${(plainInts / floor).toFixed(1)}x the floor)`,
    );
  }
  // The bootstrap on 1e6 rows: resampling rows (B × n) against drawing cell counts (B × cells).
  {
    const rows = makeRows(1e6);
    const boot = (method: "rows" | "cells") => () =>
      new MetricFrame({
        metrics: METRICS,
        yTrue: rows.yTrue,
        yPred: rows.yPred,
        sensitiveFeatures: { race: rows.race, sex: rows.sex },
        intervals: "bootstrap",
        bootstrap: { n: 200, seed: 1, method },
      });
    const byRows = medianMs(boot("rows"), 1);
    const byCells = medianMs(boot("cells"), 3);
    console.log(
      `bootstrap, 200 replicates, 1e6 rows: resampling rows ${byRows.toFixed(0)} ms (baseline), drawing cell counts ${byCells.toFixed(1)} ms: ratio ${(byCells / byRows).toFixed(4)}×`,
    );
  }
  // Plain string columns pay for encoding; measured separately so the cost is visible.
  const n = 1e6;
  const rows = makeRows(n);
  const raceText = Array.from(rows.race, (r) => `race-${r}`);
  const sexText = Array.from(rows.sex, (s) => (s ? "M" : "F"));
  const strings = medianMs(
    () =>
      new MetricFrame({
        metrics: METRICS,
        yTrue: rows.yTrue,
        yPred: rows.yPred,
        sensitiveFeatures: { race: raceText, sex: sexText },
      }),
    3,
  );
  const coded = medianMs(
    () =>
      new MetricFrame({
        metrics: METRICS,
        yTrue: rows.yTrue,
        yPred: rows.yPred,
        sensitiveFeatures: {
          race: { codes: rows.race, levels: ["r0", "r1", "r2", "r3", "r4"] },
          sex: { codes: rows.sex, levels: ["F", "M"] },
        },
      }),
    3,
  );
  console.log(
    `1e6 rows with string sensitive columns: ${strings.toFixed(1)} ms vs categorical codes ${coded.toFixed(1)} ms (${(strings / coded).toFixed(1)}x)`,
  );
}
