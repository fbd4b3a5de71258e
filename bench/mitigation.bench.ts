/**
 * ExponentiatedGradient (DemographicParity, eps 0.01) fitted on Adult's first 22,793 rows
 * (106 one-hot + standardised features), against one plain logistic regression fit on the same
 * data in the same process. Prints the wall time, the inner (base learner) fits per second, and
 * the same fit with warm starts switched off to show what they save.
 */
import { DemographicParity, ExponentiatedGradient, LogisticRegression, fitTabular } from "../src/index.js";
import { ADULT_COLUMNS, adultRows, dataPath } from "../test/helpers/data.js";
import { medianMs, rate } from "./timing.js";

export default async function bench(): Promise<void> {
  if (!dataPath("adult.data")) {
    console.log("adult.data not found (set FAIRKIT_DATA_DIR): skipped");
    return;
  }
  const rows = adultRows().slice(0, 22793);
  const table = Object.fromEntries(ADULT_COLUMNS.map((c) => [c, rows.map((r) => r[c])]));
  let t = performance.now();
  const prep = fitTabular(table, { exclude: ["sex", "income"] });
  const X = prep.transform(table);
  const y = Uint8Array.from(table.income, (v) => (v.startsWith(">50K") ? 1 : 0));
  console.log(`prepare: ${X.rows} × ${X.cols} in ${(performance.now() - t).toFixed(0)} ms`);

  const lrMs = medianMs(() => new LogisticRegression().fit(X, y), 5);
  console.log(`baseline: one LogisticRegression fit (Newton, cold start): ${lrMs.toFixed(0)} ms`);

  const run = (warmStart: boolean) => {
    t = performance.now();
    const eg = new ExponentiatedGradient(() => new LogisticRegression(), new DemographicParity(), {
      eps: 0.01,
      warmStart,
    });
    eg.fit(X, y, { sensitiveFeatures: table.sex });
    return { ms: performance.now() - t, d: eg.diagnostics! };
  };
  run(true); // warm-up of the JIT
  const warm = run(true);
  const perSecond = (warm.d.oracleCalls / warm.ms) * 1000;
  console.log(
    `ExponentiatedGradient(DemographicParity): ${(warm.ms / 1000).toFixed(2)} s, ${warm.d.iterations} iterations, ${warm.d.oracleCalls} inner fits → ${perSecond.toFixed(1)} inner fits/s (${(warm.ms / warm.d.oracleCalls).toFixed(0)} ms each, ${((100 * warm.d.oracleMs) / warm.ms).toFixed(0)}% of the time in them)`,
  );
  console.log(
    `throughput: ${rate(X.rows * warm.d.oracleCalls, warm.ms)} through the inner fits (rows × fits); one plain fit: ${rate(X.rows, lrMs)}`,
  );
  console.log(`ratio: whole reduction = ${(warm.ms / lrMs).toFixed(1)} × one cold logistic regression fit`);
  const cold = run(false);
  console.log(
    `without warm starts: ${(cold.ms / 1000).toFixed(2)} s (${cold.d.oracleCalls} inner fits, ${((cold.d.oracleCalls / cold.ms) * 1000).toFixed(1)}/s): warm starts are ${(cold.ms / warm.ms).toFixed(1)}× faster`,
  );
}
