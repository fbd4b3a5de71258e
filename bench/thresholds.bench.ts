/**
 * Thresholds: an exact sweep (a metric at every distinct threshold) of 1e7 rows in 2 groups, and
 * a ThresholdOptimizer fit (equalized odds) on 1e6 rows with continuous scores, each against a
 * naive O(n × thresholds) recount run in the same process on the same data.
 */
import { ThresholdOptimizer, buildScoreTable, createRandom, sweepMetric } from "../src/internal.js";
import { medianMs, rate } from "./timing.js";

function makeRows(n: number) {
  const rng = createRandom(7);
  const scores = new Float64Array(n);
  const yTrue = new Uint8Array(n);
  const codes = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const g = rng.int(2);
    const y = rng.next() < (g ? 0.5 : 0.3) ? 1 : 0;
    codes[i] = g;
    yTrue[i] = y;
    const x = rng.normal() + (y ? (g ? 0.75 : 1) : -(g ? 0.75 : 1));
    scores[i] = 1 / (1 + Math.exp(-x));
  }
  return {
    scores,
    yTrue,
    codes,
    encoding: {
      columns: ["group"],
      groups: [
        { key: "A", values: { group: "A" } },
        { key: "B", values: { group: "B" } },
      ],
      codes,
    },
  };
}

/** The obvious way: for each threshold, recount every row (TPR per group). */
function naiveTpr(rows: ReturnType<typeof makeRows>, thresholds: Float64Array): Float64Array {
  const out = new Float64Array(thresholds.length * 2);
  const { scores, yTrue, codes } = rows;
  for (let t = 0; t < thresholds.length; t++) {
    const tp = [0, 0];
    const pos = [0, 0];
    for (let i = 0; i < scores.length; i++) {
      if (yTrue[i]) {
        pos[codes[i]]++;
        if (scores[i] >= thresholds[t]) tp[codes[i]]++;
      }
    }
    out[2 * t] = tp[0] / pos[0];
    out[2 * t + 1] = tp[1] / pos[1];
  }
  return out;
}

/**
 * A naive equalized-odds fit: (FPR, TPR) per group recounted at a grid of T thresholds
 * (O(n × T)), then the best common FPR on a 1,000-point grid, each group's TPR read off its
 * piecewise-linear curve, the common TPR the lowest (Fairlearn's approach, without its hull).
 */
function naiveEqualizedOdds(rows: ReturnType<typeof makeRows>, T: number): number {
  const { scores, yTrue, codes } = rows;
  const curves: [number, number][][] = [[], []];
  const P = [0, 0];
  const N = [0, 0];
  for (let i = 0; i < scores.length; i++) (yTrue[i] ? P : N)[codes[i]]++;
  for (let t = 0; t <= T; t++) {
    const th = t / T;
    const tp = [0, 0];
    const fp = [0, 0];
    for (let i = 0; i < scores.length; i++) if (scores[i] >= th) (yTrue[i] ? tp : fp)[codes[i]]++;
    for (let g = 0; g < 2; g++) curves[g].push([fp[g] / N[g], tp[g] / P[g]]);
  }
  for (const c of curves) c.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const tprAt = (c: [number, number][], f: number) => {
    let best = 0;
    for (let k = 0; k + 1 < c.length; k++) {
      const [f0, t0] = c[k];
      const [f1, t1] = c[k + 1];
      if (f0 <= f && f <= f1) best = Math.max(best, f1 === f0 ? t1 : t0 + ((f - f0) / (f1 - f0)) * (t1 - t0));
    }
    return best;
  };
  const W = P[0] + P[1] + N[0] + N[1];
  let bestAcc = 0;
  for (let k = 0; k <= 1000; k++) {
    const f = k / 1000;
    const t = Math.min(tprAt(curves[0], f), tprAt(curves[1], f));
    bestAcc = Math.max(bestAcc, ((P[0] + P[1]) * t + (N[0] + N[1]) * (1 - f)) / W);
  }
  return bestAcc;
}

export default function thresholdsBench(): void {
  {
    const n = 1e7;
    const rows = makeRows(n);
    let distinct = 0;
    const ours = medianMs(() => {
      const table = buildScoreTable(rows.scores, rows.yTrue, rows.encoding);
      const sweeps = sweepMetric(table, "true_positive_rate");
      distinct = sweeps[0].values.length + sweeps[1].values.length - 2;
    }, 3);
    const T = 20;
    const grid = Float64Array.from({ length: T }, (_, t) => (t + 0.5) / T);
    const naive = medianMs(() => naiveTpr(rows, grid), 1);
    // Same numbers at the grid thresholds, or the comparison means nothing.
    const table = buildScoreTable(rows.scores, rows.yTrue, rows.encoding);
    const check = naiveTpr(rows, grid);
    const sweeps = sweepMetric(table, "true_positive_rate");
    grid.forEach((t, k) => {
      for (let g = 0; g < 2; g++) {
        const s = sweeps[g];
        let j = 0;
        while (s.thresholds[j] < t) j++;
        if (Math.abs(s.values[j] - check[2 * k + g]) > 1e-12) throw new Error("sweep and naive recount disagree");
      }
    });
    const perThresholdNaive = naive / T;
    console.log(
      `sweep, ${n.toExponential(0)} rows, 2 groups, ${distinct.toExponential(2)} distinct thresholds (exact TPR at every one): ${ours.toFixed(0)} ms (${rate(n, ours)})`,
    );
    console.log(
      `  naive recount: ${naive.toFixed(0)} ms for ${T} thresholds = ${perThresholdNaive.toFixed(0)} ms per threshold`,
    );
    console.log(
      `  ratio: the exact sweep of all ${distinct.toExponential(2)} thresholds costs as much as ${(ours / perThresholdNaive).toFixed(1)} naive thresholds; at equal work (all thresholds) it is ${((perThresholdNaive * distinct) / ours).toExponential(2)}× faster`,
    );
  }
  {
    const n = 1e6;
    const rows = makeRows(n);
    let accuracy = 0;
    const fit = () => {
      const table = buildScoreTable(rows.scores, rows.yTrue, rows.encoding);
      accuracy = new ThresholdOptimizer({ constraint: "equalized_odds" }).fitTable(table).training.accuracy;
    };
    const ours = medianMs(fit, 5);
    const T = 200;
    let naiveAcc = 0;
    const naive = medianMs(() => {
      naiveAcc = naiveEqualizedOdds(rows, T);
    }, 1);
    if (naiveAcc > accuracy + 1e-9) throw new Error(`naive grid ${naiveAcc} beat the exact fit ${accuracy}`);
    console.log(
      `ThresholdOptimizer.fit (equalized_odds), ${n.toExponential(0)} rows, continuous scores: ${ours.toFixed(0)} ms (${rate(n, ours)}), expected accuracy ${accuracy.toFixed(5)}`,
    );
    console.log(
      `  naive (recount at ${T} thresholds + 1,000-point grid): ${naive.toFixed(0)} ms, accuracy ${naiveAcc.toFixed(5)}`,
    );
    console.log(
      `  ratio: ${(naive / ours).toFixed(1)}× faster, and exact (accuracy +${(accuracy - naiveAcc).toExponential(2)})`,
    );
  }
}
