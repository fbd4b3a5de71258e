/**
 * `fairkit mitigate` as a child process on a small synthetic CSV: JSON output, saved models that
 * reproduce the reported numbers, and usage errors with exit code 2.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { createRandom } from "../../src/core/random.js";
import { type LogisticRegressionJSON, LogisticRegression } from "../../src/models/logistic-regression.js";
import { type TabularTransformJSON, TabularTransform } from "../../src/models/tabular.js";
import { trainTestSplit } from "../../src/models/split.js";
import { runCli } from "../cli/run-cli.js";
import { assertValid } from "../helpers/schemas.js";

const dir = mkdtempSync(join(tmpdir(), "fairkit-mitigate-test-"));
after(() => rmSync(dir, { recursive: true, force: true }));

function writeData(): string {
  const rng = createRandom(9);
  const lines = ["age,job,group,hired"];
  for (let i = 0; i < 600; i++) {
    const g = rng.next() < 0.5 ? "a" : "b";
    const age = Math.round(25 + 10 * rng.normal() + (g === "b" ? 5 : 0));
    const job = ["x", "y", "z"][rng.int(3)];
    const hired =
      rng.next() < 1 / (1 + Math.exp(-((age - 30) / 8 + (job === "x" ? 0.5 : 0) + (g === "b" ? 1 : -0.5))))
        ? "yes"
        : "no";
    lines.push(`${age},${job},${g},${hired}`);
  }
  const path = join(dir, "hiring.csv");
  writeFileSync(path, `${lines.join("\n")}\n`);
  return path;
}

describe("fairkit mitigate", () => {
  const file = writeData();

  it("prints JSON for the baseline and each method, and saves models that reproduce the baseline's accuracy", async () => {
    const out = join(dir, "models");
    const run = await runCli([
      "mitigate",
      file,
      "--y-true",
      "hired",
      "--pos-label",
      "yes",
      "--sensitive",
      "group",
      "--methods",
      "reweighing,expgrad-dp,gridsearch-dp",
      "--format",
      "json",
      "--seed",
      "3",
      "--bootstrap",
      "20",
      "--save",
      out,
    ]);
    assert.equal(run.code, 0, run.stderr);
    const json = assertValid(JSON.parse(run.stdout), "mitigation-comparison");
    assert.equal(json.kind, "fairkit.mitigation_comparison");
    assert.deepEqual(
      json.groups.map((g: { group: unknown[]; test_rows: number }) => g.group),
      [["a"], ["b"]],
    );
    assert.equal(json.groups[0].test_rows + json.groups[1].test_rows, 180);
    assert.deepEqual(
      json.results.map((r: { method: string }) => r.method),
      ["baseline", "reweighing", "expgrad-dp", "gridsearch-dp"],
    );
    assert.deepEqual(json.split, { train_rows: 420, test_rows: 180 });
    for (const r of json.results) {
      assert.ok(r.accuracy.value > 0.5 && r.accuracy.value <= 1);
      assert.ok(r.criteria.demographic_parity_difference.interval[0] <= r.criteria.demographic_parity_difference.value);
    }
    for (const name of ["baseline", "reweighing", "expgrad-dp", "gridsearch-dp"])
      assertValid(JSON.parse(readFileSync(join(out, `${name}.json`), "utf8")), "mitigation-model");
    assert.equal(readFileSync(join(out, "comparison.json"), "utf8"), run.stdout.trimEnd());
    const rw = JSON.parse(readFileSync(join(out, "reweighing.json"), "utf8"));
    assert.deepEqual(
      rw.weights.map((c: { group: unknown[]; y: number }) => [c.group, c.y]),
      [
        [["a"], 0],
        [["a"], 1],
        [["b"], 0],
        [["b"], 1],
      ],
    );
    // Reapply the saved transform and model to the file's test rows: same accuracy as reported.
    const saved = JSON.parse(readFileSync(join(out, "baseline.json"), "utf8")) as {
      transform: TabularTransformJSON;
      model: LogisticRegressionJSON;
    };
    const rows = readFileSync(file, "utf8")
      .trim()
      .split("\n")
      .slice(1)
      .map((l) => l.split(","));
    const { test } = trainTestSplit(rows.length, { testFraction: 0.3, seed: 3 });
    const testRows = Array.from(test, (i) => rows[i]);
    const X = TabularTransform.fromJSON(saved.transform).transform({
      age: testRows.map((r) => Number(r[0])),
      job: testRows.map((r) => r[1]),
    });
    const pred = LogisticRegression.fromJSON(saved.model).predict(X);
    const accuracy = testRows.filter((r, i) => (r[3] === "yes" ? 1 : 0) === pred[i]).length / testRows.length;
    assert.ok(
      Math.abs(accuracy - json.results[0].accuracy.value) < 1e-12,
      `${accuracy} vs ${json.results[0].accuracy.value}`,
    );
  });

  it("prints a table by default", async () => {
    const run = await runCli([
      "mitigate",
      file,
      "--y-true",
      "hired",
      "--pos-label",
      "yes",
      "--sensitive",
      "group",
      "--methods",
      "reweighing",
      "--bootstrap",
      "0",
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^fairkit mitigate: .*420 train \/ 180 test rows/);
    assert.match(run.stdout, /\nbaseline\s+none\s+0\.\d{3}/);
    assert.match(run.stdout, /\nreweighing\s+weights\s+0\.\d{3}/);
  });

  it("exits 2 with a clear message on usage errors", async () => {
    const unknown = await runCli([
      "mitigate",
      file,
      "--y-true",
      "hired",
      "--pos-label",
      "yes",
      "--sensitive",
      "group",
      "--methods",
      "magic",
    ]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /--methods: unknown method "magic"; known: baseline, reweighing/);
    const noPos = await runCli(["mitigate", file, "--y-true", "hired", "--sensitive", "group"]);
    assert.equal(noPos.code, 2);
    assert.match(
      noPos.stderr,
      /label "hired" must be 0\/1 or true\/false without posLabel; found "no" at data row 1; pass --pos-label VALUE/,
    );
    const missing = await runCli(["mitigate", file, "--y-true", "salary", "--sensitive", "group"]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /salary/);
  });
});
