/**
 * The report's engine parts on synthetic rows, each against a baseline run in the same process:
 *
 * - subgroup discovery (4 attributes, k = 3: 14 attribute combinations) against one confusion-count
 *   pass over the same rows: the search should cost about one counting pass per combination;
 * - the whole report assembly (audit, unitary frames, LL144, four-fifths, bias sources, subgroups,
 *   ROC) and its HTML rendering against one MetricFrame of the same rows;
 * - Fisher's exact test on a 2×2 table of 10^6 people against the z-test on the same table.
 */
import { buildReportData } from "../src/audit/report-data.js";
import { discoverSubgroups } from "../src/audit/subgroup-discovery.js";
import { countConfusion } from "../src/core/confusion.js";
import { encodeGroups } from "../src/core/groups.js";
import { MetricFrame } from "../src/core/metric-frame.js";
import { createRandom } from "../src/core/random.js";
import { fisherExactTest, twoProportionZTest } from "../src/core/significance.js";
import { renderHtml } from "../src/report/html.js";
import { medianMs, rate } from "./timing.js";

function rows(n: number) {
  const rng = createRandom(1);
  const attr = (levels: number) => {
    const codes = new Int32Array(n);
    for (let i = 0; i < n; i++) codes[i] = rng.int(levels);
    return { codes, levels: Array.from({ length: levels }, (_, k) => `v${k}`) };
  };
  const yTrue = new Uint8Array(n);
  const yPred = new Uint8Array(n);
  const scores = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    yTrue[i] = rng.next() < 0.4 ? 1 : 0;
    scores[i] = Math.round(100 * (0.3 * yTrue[i] + 0.7 * rng.next())) / 100;
    yPred[i] = scores[i] >= 0.5 ? 1 : 0;
  }
  return { yTrue, yPred, scores, sex: attr(2), race: attr(5), age: attr(3), region: attr(4) };
}

export default async function bench(): Promise<void> {
  const n = 1_000_000;
  const d = rows(n);
  const attributes = { sex: d.sex, race: d.race, age: d.age, region: d.region };

  const onePass = medianMs(() => countConfusion(d.yTrue, d.yPred, encodeGroups({ sex: d.sex, race: d.race }, n)), 5);
  const search = medianMs(() => discoverSubgroups({ yTrue: d.yTrue, yPred: d.yPred, attributes, maxDepth: 3 }), 3);
  console.log(`one encode + count pass (baseline)  ${onePass.toFixed(1).padStart(8)} ms  ${rate(n, onePass)}`);
  console.log(
    `subgroup search, 4 attrs, k = 3     ${search.toFixed(1).padStart(8)} ms  ${rate(n, search)}  (${(search / onePass).toFixed(1)}× one pass; 14 combinations)`,
  );

  const m = 200_000;
  const small = rows(m);
  const sensitiveFeatures = { sex: small.sex, race: small.race };
  const frame = medianMs(
    () =>
      new MetricFrame({
        metrics: ["selection_rate", "true_positive_rate", "false_positive_rate"],
        yTrue: small.yTrue,
        yPred: small.yPred,
        sensitiveFeatures,
      }),
    5,
  );
  const build = () =>
    buildReportData({
      yTrue: small.yTrue,
      yPred: small.yPred,
      scores: small.scores,
      sensitiveFeatures,
      attributes: { age: small.age },
      ll144: { sex: "sex", raceEthnicity: "race" },
      provenance: {
        generated_at: "2026-01-01T00:00:00Z",
        data: [{ name: "synthetic", sha256: null, rows: m }],
        config: {},
        config_sha256: null,
      },
    });
  const report = medianMs(build, 3);
  const data = build();
  const html = medianMs(() => renderHtml(data), 5);
  console.log(`MetricFrame, 3 metrics (baseline)   ${frame.toFixed(1).padStart(8)} ms  ${rate(m, frame)}`);
  console.log(
    `report data, everything             ${report.toFixed(1).padStart(8)} ms  ${rate(m, report)}  (${(report / frame).toFixed(1)}× one MetricFrame)`,
  );
  console.log(
    `HTML rendering                      ${html.toFixed(1).padStart(8)} ms  (${(renderHtml(data).length / 1024).toFixed(0)} KiB)`,
  );

  const table = { a: 120_000, b: 380_000, c: 100_000, d: 400_000 };
  const z = medianMs(() => {
    for (let k = 0; k < 1000; k++) twoProportionZTest(0.24, 500_000, 0.2, 500_000);
  }, 5);
  const fisher = medianMs(() => fisherExactTest(table), 5);
  console.log(`z-test × 1000 (baseline)            ${z.toFixed(3).padStart(8)} ms`);
  console.log(
    `Fisher exact, n = 10^6, one table   ${fisher.toFixed(3).padStart(8)} ms  (${(fisher / (z / 1000)).toFixed(0)}× one z-test)`,
  );
}
