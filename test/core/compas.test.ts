// COMPAS (ProPublica's filter, 6,172 rows; decision = decile_score >= 5): the classic finding.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { MetricFrame, equalizedOddsDifference, groupCells, predictiveParityDifference } from "../../src/index.js";
import { compasFiltered, skipWithoutData } from "../helpers/data.js";

const skip = skipWithoutData("compas-scores-two-years.csv");

describe("COMPAS", { skip }, () => {
  const rows = skip ? [] : compasFiltered();
  const yTrue = rows.map((r) => Number(r.two_year_recid));
  const yPred = rows.map((r) => (Number(r.decile_score) >= 5 ? 1 : 0));
  const race = rows.map((r) => r.race);

  test("per-race confusion counts are pinned", () => {
    assert.equal(rows.length, 6172);
    const mf = new MetricFrame({ metrics: ["count"], yTrue, yPred, sensitiveFeatures: { race } });
    const counts = Object.fromEntries(
      mf.counts.groups.map((info, g) => {
        const c = groupCells(mf.counts, g);
        return [info.key, { tn: c[2], fp: c[5], fn: c[8], tp: c[11] }];
      }),
    );
    assert.deepEqual(counts, {
      "African-American": { tn: 873, fp: 641, fn: 473, tp: 1188 },
      Asian: { tn: 21, fp: 2, fn: 3, tp: 5 },
      Caucasian: { tn: 999, fp: 282, fn: 408, tp: 414 },
      Hispanic: { tn: 258, fp: 62, fn: 110, tp: 79 },
      "Native American": { tn: 3, fp: 3, fn: 0, tp: 5 },
      Other: { tn: 191, fp: 28, fn: 82, tp: 42 },
    });
    // Small groups are flagged, not hidden.
    assert.deepEqual(
      mf.byGroup.filter((g) => g.small).map((g) => g.key),
      ["Native American"],
    );
  });

  test("FPR about twice as high for African-American defendants, FNR the other way, PPV close", () => {
    const mf = new MetricFrame({
      metrics: ["false_positive_rate", "false_negative_rate", "positive_predictive_value"],
      yTrue,
      yPred,
      sensitiveFeatures: { race },
    });
    const aa = mf.byGroup.find((g) => g.key === "African-American")!.metrics;
    const white = mf.byGroup.find((g) => g.key === "Caucasian")!.metrics;
    assert.ok(Math.abs(aa.false_positive_rate - 641 / 1514) < 1e-12);
    assert.ok(Math.abs(white.false_positive_rate - 282 / 1281) < 1e-12);
    const fprRatio = aa.false_positive_rate / white.false_positive_rate;
    assert.ok(fprRatio > 1.8 && fprRatio < 2.1, `FPR ratio ${fprRatio}`);
    const fnrRatio = white.false_negative_rate / aa.false_negative_rate;
    assert.ok(fnrRatio > 1.6 && fnrRatio < 1.9, `FNR ratio ${fnrRatio}`);
    assert.ok(Math.abs(aa.positive_predictive_value - white.positive_predictive_value) < 0.06);

    const twoGroups = rows.map((_, i) => race[i] === "African-American" || race[i] === "Caucasian");
    const pick = <T>(xs: T[]) => xs.filter((_, i) => twoGroups[i]);
    const options = { sensitiveFeatures: pick(race) };
    const eod = equalizedOddsDifference(pick(yTrue), pick(yPred), options);
    // The worse of the two gaps: TPR 1188/1661 vs 414/822 (0.2116) beats FPR 641/1514 vs 282/1281 (0.2032).
    const expected = Math.max(1188 / 1661 - 414 / 822, 641 / 1514 - 282 / 1281);
    assert.ok(
      Math.abs(eod - expected) < 1e-12 && Math.abs(eod - 0.2115821530429738) < 1e-12,
      `equalized odds difference ${eod}`,
    );
    const ppd = predictiveParityDifference(pick(yTrue), pick(yPred), options);
    assert.ok(Math.abs(ppd - (1188 / 1829 - 414 / 696)) < 1e-12);
  });

  test("intersections of race and sex: only combinations that occur, rows add up", () => {
    const sex = rows.map((r) => r.sex);
    const mf = new MetricFrame({
      metrics: ["count", "selection_rate"],
      yTrue,
      yPred,
      sensitiveFeatures: { race, sex },
    });
    assert.equal(mf.byGroup.length, 12);
    assert.equal(
      mf.byGroup.reduce((s, g) => s + g.n, 0),
      6172,
    );
    assert.equal(mf.byGroup[0].key, "African-American, Female");
  });
});
