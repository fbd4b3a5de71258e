/**
 * Individual fairness: exact k-nearest neighbours (k = 5) on Adult's feature matrix (5 standardised
 * numeric columns and 8 one-hot categoricals, 107 columns). The ball tree on all 32,561 rows must
 * take seconds, and on the same 6,000-row subset it is timed against brute force in the same
 * process (both exact, both the same result index for index; the ratio is what to watch).
 */
import { nearestNeighbors } from "../src/individual/neighbors.js";
import { takeRows } from "../src/models/matrix.js";
import { adultFeatures, dataPath } from "../test/helpers/data.js";
import { medianMs } from "./timing.js";

export default async function bench(): Promise<void> {
  if (!dataPath("adult.data")) {
    console.log("adult.data not found: run `npx fairkit data adult` to benchmark the neighbour search");
    return;
  }
  const X = adultFeatures();
  const step = X.rows / 6000;
  const subset = takeRows(
    X,
    Array.from({ length: 6000 }, (_, i) => Math.floor(i * step)),
  );
  const tree = () => nearestNeighbors(subset, { k: 5, method: "tree" });
  const brute = () => nearestNeighbors(subset, { k: 5, method: "brute" });
  const base = medianMs(brute, 3);
  const t = medianMs(tree, 3);
  const a = tree();
  const b = brute();
  const same = a.index.every((v, i) => v === b.index[i]) && a.distance.every((v, i) => v === b.distance[i]);
  console.log(`Adult, 6,000 rows × ${X.cols} columns, k = 5: brute force (baseline) ${base.toFixed(0)} ms`);
  console.log(
    `  ball tree                                  ${t.toFixed(0).padStart(6)} ms  ratio ${(t / base).toFixed(2)}×  (same neighbours: ${same})`,
  );
  const t0 = performance.now();
  nearestNeighbors(X, { k: 5, method: "tree" });
  const full = (performance.now() - t0) / 1000;
  console.log(`Adult, all ${X.rows.toLocaleString("en")} rows, k = 5: ball tree ${full.toFixed(1)} s`);
}
