/**
 * The regression audit in memory: RegressionFrame on 1e6 rows in 10 groups (metrics, normal
 * intervals, exact prediction distributions, every pairwise KS and Wasserstein-1), timed against
 * two floors run in the same process — one pass that sums |e| and e² per group (the least work any
 * MAE/MSE needs) and one sort of all predictions (the least work any exact distribution needs) —
 * and a 200-replicate bootstrap on 1e5 rows against 200 of those one-pass floors.
 */
import { createRandom } from "../src/core/random.js";
import { RegressionFrame } from "../src/regression/regression-frame.js";
import { medianMs } from "./timing.js";

function data(n: number, seed: number): { y: Float64Array; p: Float64Array; codes: Int32Array; levels: string[] } {
  const rng = createRandom(seed);
  const y = new Float64Array(n);
  const p = new Float64Array(n);
  const codes = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    codes[i] = rng.int(10);
    y[i] = 50 + 10 * rng.normal() + codes[i];
    p[i] = Math.round((y[i] + 3 * rng.normal()) * 100) / 100;
  }
  return { y, p, codes, levels: Array.from({ length: 10 }, (_, g) => `g${g}`) };
}

function onePass(y: Float64Array, p: Float64Array, codes: Int32Array): number {
  const abs = new Float64Array(10);
  const sq = new Float64Array(10);
  for (let i = 0; i < y.length; i++) {
    const e = y[i] - p[i];
    abs[codes[i]] += Math.abs(e);
    sq[codes[i]] += e * e;
  }
  return abs[0] + sq[0];
}

export default function bench(): void {
  const n = 1_000_000;
  const { y, p, codes, levels } = data(n, 1);
  const sensitiveFeatures = { group: { codes, levels } };
  const floor = medianMs(() => onePass(y, p, codes));
  const sortFloor = medianMs(() => Float64Array.from(p).sort());
  const frame = medianMs(() => new RegressionFrame({ yTrue: y, yPred: p, sensitiveFeatures }), 3);
  console.log(
    `1e6 rows, 10 groups: one pass of per-group sums (floor) ${floor.toFixed(1)} ms, one sort of the predictions ${sortFloor.toFixed(0)} ms`,
  );
  console.log(
    `  RegressionFrame (metrics, normal intervals, exact distributions, 45 KS + W1 pairs) ${frame.toFixed(0)} ms: ${(frame / floor).toFixed(1)}× the one-pass floor, ${(frame / sortFloor).toFixed(2)}× the sort`,
  );
  const m = 100_000;
  const small = data(m, 2);
  const features = { group: { codes: small.codes, levels: small.levels } };
  const floor200 = medianMs(() => {
    for (let b = 0; b < 200; b++) onePass(small.y, small.p, small.codes);
  }, 3);
  const boot = medianMs(
    () =>
      new RegressionFrame({
        yTrue: small.y,
        yPred: small.p,
        sensitiveFeatures: features,
        intervals: "bootstrap",
        bootstrap: { n: 200 },
      }),
    1,
  );
  console.log(
    `1e5 rows, bootstrap 200 replicates: ${boot.toFixed(0)} ms, ${(boot / floor200).toFixed(1)}× 200 one-pass floors (${floor200.toFixed(0)} ms)`,
  );
}
