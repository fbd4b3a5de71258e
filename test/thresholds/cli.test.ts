import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { parse } from "csv-parse/sync";
import { readScoreTableFromFile } from "../../src/node/io/read-scores.js";
import { scoreTable } from "../../src/thresholds/score-table.js";
import { ThresholdOptimizer } from "../../src/thresholds/threshold-optimizer.js";
import { runCli } from "../cli/run-cli.js";
import { compasFiltered, dataPath, skipWithoutData } from "../helpers/data.js";
import { assertValid } from "../helpers/schemas.js";

const skip = skipWithoutData("compas-scores-two-years.csv");
const WHERE =
  "race IN ('African-American','Caucasian') AND days_b_screening_arrest BETWEEN -30 AND 30 AND is_recid != -1 AND c_charge_degree != 'O' AND score_text != 'N/A'";
const dir = mkdtempSync(join(tmpdir(), "fairkit-thresholds-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function compasRows() {
  return compasFiltered().filter((r) => r.race === "African-American" || r.race === "Caucasian");
}

test("score tables read through DuckDB equal the ones built from csv-parse rows", { skip }, async () => {
  const read = await readScoreTableFromFile(dataPath("compas-scores-two-years.csv")!, {
    score: "decile_score",
    yTrue: "two_year_recid",
    sensitive: ["race"],
    where: WHERE,
  });
  const rows = compasRows();
  const direct = scoreTable({
    scores: rows.map((r) => Number(r.decile_score)),
    yTrue: rows.map((r) => Number(r.two_year_recid)),
    sensitiveFeatures: { race: rows.map((r) => r.race) },
  });
  assert.equal(read.rows, 5278);
  assert.deepEqual(
    read.table.groups.map((g) => g.key),
    direct.groups.map((g) => g.key),
  );
  read.table.perGroup.forEach((g, i) => {
    const d = direct.perGroup[i];
    assert.deepEqual([...g.scores], [...d.scores]);
    assert.deepEqual([...g.posWeight], [...d.posWeight]);
    assert.deepEqual([...g.negRows], [...d.negRows]);
  });
});

test("score tables from a weighted CSV (text labels, --pos-label) equal the in-memory ones", async () => {
  const path = join(dir, "weighted.csv");
  const rows = Array.from({ length: 200 }, (_, i) => ({
    s: (i * 7) % 13,
    y: (i * 5) % 3 === 0 ? "yes" : "no",
    g: i % 3 === 0 ? "x" : "y",
    k: i % 7 === 0 ? null : i % 2,
    w: 0.5 + (i % 4),
  }));
  writeFileSync(
    path,
    `score,label,grp,kind,w\n${rows.map((r) => `${r.s / 10},${r.y},${r.g},${r.k ?? ""},${r.w}`).join("\n")}\n`,
  );
  const read = await readScoreTableFromFile(path, {
    score: "score",
    yTrue: "label",
    sensitive: ["grp", "kind"],
    weight: "w",
    posLabel: "yes",
  });
  const direct = scoreTable({
    scores: rows.map((r) => r.s / 10),
    yTrue: rows.map((r) => r.y),
    posLabel: "yes",
    sensitiveFeatures: { grp: rows.map((r) => r.g), kind: rows.map((r) => r.k) },
    sampleWeight: rows.map((r) => r.w),
  });
  assert.deepEqual(
    read.table.groups.map((g) => g.key),
    direct.groups.map((g) => g.key),
  );
  assert.equal(read.table.groups.length, 6);
  read.table.perGroup.forEach((g, i) => {
    const d = direct.perGroup[i];
    assert.deepEqual([...g.scores], [...d.scores]);
    for (const k of ["posWeight", "posWeight2", "posRows", "negWeight", "negWeight2", "negRows"] as const) {
      g[k].forEach((v, j) => {
        assert.ok(Math.abs(v - d[k][j]) < 1e-9, `${k}[${j}]`);
      });
    }
  });
});

test("fairkit thresholds --format json on COMPAS: the impossibility table and suggestions", { skip }, async () => {
  const run = await runCli([
    "thresholds",
    dataPath("compas-scores-two-years.csv")!,
    "--score",
    "decile_score",
    "--y-true",
    "two_year_recid",
    "--sensitive",
    "race",
    "--threshold",
    "5",
    "--where",
    WHERE,
    "--format",
    "json",
  ]);
  assert.equal(run.code, 0, run.stderr);
  const result = assertValid(JSON.parse(run.stdout), "thresholds");
  assert.equal(result.kind, "fairkit.thresholds");
  assert.equal(result.input.rows, 5278);
  assert.deepEqual(
    result.curves.map((c: { group: unknown[] }) => c.group),
    [["African-American"], ["Caucasian"]],
  );
  assert.equal(result.impossibility.max_difference, 0.1);
  const crit = Object.fromEntries(result.impossibility.criteria.map((c: { name: string }) => [c.name, c]));
  assert.equal(crit.predictive_parity.status, "holds"); // 0.055 <= 0.1, the default max difference
  assert.equal(crit.equalized_odds.status, "fails");
  assert.ok(Math.abs(result.curves[0].auc - 0.704) < 1e-3);
  const eo = result.suggestions.find((s: { criterion: string }) => s.criterion === "equalized_odds");
  assert.ok(eo.randomized.difference < 1e-9);
  assert.equal(eo.deterministic, undefined);
  const table = await runCli([
    "thresholds",
    dataPath("compas-scores-two-years.csv")!,
    "--score",
    "decile_score",
    "--y-true",
    "two_year_recid",
    "--sensitive",
    "race",
    "--threshold",
    "5",
    "--where",
    WHERE,
    "--criterion",
    "equalized_odds",
  ]);
  assert.equal(table.code, 0, table.stderr);
  assert.match(table.stdout, /predictive_parity\s+0\.055\s+holds/);
  assert.match(table.stdout, /Kleinberg/);
});

test("fairkit postprocess + apply: decisions equal the library's seeded predict on the same rows", {
  skip,
}, async () => {
  const policyPath = join(dir, "policy.json");
  const decisionsPath = join(dir, "decisions.csv");
  const fit = await runCli([
    "postprocess",
    dataPath("compas-scores-two-years.csv")!,
    "--score",
    "decile_score",
    "--y-true",
    "two_year_recid",
    "--sensitive",
    "race",
    "--where",
    WHERE,
    "--constraint",
    "equalized_odds",
    "-o",
    policyPath,
  ]);
  assert.equal(fit.code, 0, fit.stderr);
  assert.match(fit.stderr, /equalized_odds difference/);
  const policy = JSON.parse(readFileSync(policyPath, "utf8"));
  assert.equal(policy.input.score, "decile_score");
  const rows = compasRows();
  const scores = rows.map((r) => Number(r.decile_score));
  const race = rows.map((r) => r.race);
  const lib = new ThresholdOptimizer({ constraint: "equalized_odds" }).fit(
    scores,
    rows.map((r) => Number(r.two_year_recid)),
    { race },
  );
  assert.deepEqual(policy.groups, JSON.parse(JSON.stringify(lib.toJSON().groups)));
  const apply = await runCli([
    "apply",
    policyPath,
    dataPath("compas-scores-two-years.csv")!,
    "--where",
    WHERE,
    "--seed",
    "5",
    "-o",
    decisionsPath,
  ]);
  assert.equal(apply.code, 0, apply.stderr);
  const out: Record<string, string>[] = parse(readFileSync(decisionsPath), { columns: true });
  assert.equal(out.length, rows.length);
  const expected = lib.predict(scores, race, { seed: 5 });
  const proba = lib.predictProba(scores, race);
  out.forEach((r, i) => {
    assert.equal(r.group, race[i]);
    assert.equal(Number(r.decile_score), scores[i]);
    assert.equal(Number(r.decision), expected[i], `row ${i}`);
    assert.equal(Number(r.probability), proba[i]);
  });
});

test("CLI errors: unknown constraint, unseen group, missing --threshold for non-probability scores (exit 2)", {
  skip,
}, async () => {
  const file = dataPath("compas-scores-two-years.csv")!;
  const bad = await runCli([
    "postprocess",
    file,
    "--score",
    "decile_score",
    "--y-true",
    "two_year_recid",
    "--sensitive",
    "race",
    "--constraint",
    "nope",
  ]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /unknown constraint "nope"/);
  const policyPath = join(dir, "policy2.json");
  const fit = await runCli([
    "postprocess",
    file,
    "--score",
    "decile_score",
    "--y-true",
    "two_year_recid",
    "--sensitive",
    "race",
    "--where",
    WHERE,
    "-o",
    policyPath,
  ]);
  assert.equal(fit.code, 0, fit.stderr);
  const unseen = await runCli(["apply", policyPath, file]);
  assert.equal(unseen.code, 2);
  assert.match(unseen.stderr, /group "Other" at data row 1 \(line 2\) was not seen when the policy was fitted/);
  const noThreshold = await runCli([
    "thresholds",
    file,
    "--score",
    "decile_score",
    "--y-true",
    "two_year_recid",
    "--sensitive",
    "race",
    "--where",
    WHERE,
  ]);
  assert.equal(noThreshold.code, 2);
  assert.match(noThreshold.stderr, /give --threshold T/);
});
