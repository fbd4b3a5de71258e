/**
 * Counts as artefacts, on COMPAS through the command line: `fairkit counts` of two disjoint
 * shards, `fairkit merge`, and `fairkit audit --from-counts` of the merged document equal the
 * audit of the whole file; the `--print-sql` query run by hand in DuckDB over the same CSV,
 * saved as CSV and audited with `--from-counts`, equals it too (the warehouse-console path, run
 * for real). Bad counts files are refused naming the file.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { withDuckDB } from "../../src/node/io/duckdb.js";
import { runCli } from "../cli/run-cli.js";
import { assertValid } from "../helpers/schemas.js";
import { dataPath, skipWithoutData } from "../helpers/data.js";

const WHERE =
  "days_b_screening_arrest BETWEEN -30 AND 30 AND is_recid != -1 AND c_charge_degree != 'O' AND score_text != 'N/A'";
const ROLES = ["--y-true", "two_year_recid", "--score", "decile_score", "--threshold", "5", "--sensitive", "race,sex"];

/** The parts of an audit that must not depend on where the counts came from. */
function numbers(doc: { groups: unknown[]; overall: unknown; criteria: unknown; checks?: unknown }) {
  return { groups: doc.groups, overall: doc.overall, criteria: doc.criteria, checks: doc.checks };
}

describe("counts, merge and --from-counts", { skip: skipWithoutData("compas-scores-two-years.csv") }, () => {
  const compas = dataPath("compas-scores-two-years.csv")!;
  const dir = mkdtempSync(join(tmpdir(), "fairkit-counts-"));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test("the audit of merged shard counts equals the audit of the file", async () => {
    const whole = await runCli(["audit", compas, ...ROLES, "--where", WHERE, "--format", "json"]);
    assert.equal(whole.code, 0, whole.stderr);
    for (const [name, sex] of [
      ["male", "Male"],
      ["female", "Female"],
    ]) {
      const run = await runCli([
        "counts",
        compas,
        ...ROLES,
        "--where",
        `${WHERE} AND sex = '${sex}'`,
        "-o",
        join(dir, `${name}.json`),
      ]);
      assert.equal(run.code, 0, run.stderr);
      const doc = JSON.parse(readFileSync(join(dir, `${name}.json`), "utf8"));
      assertValid(doc, "counts");
      assert.equal(doc.kind, "fairkit.counts");
    }
    const merged = await runCli([
      "merge",
      join(dir, "male.json"),
      join(dir, "female.json"),
      "-o",
      join(dir, "all.json"),
    ]);
    assert.equal(merged.code, 0, merged.stderr);
    const all = JSON.parse(readFileSync(join(dir, "all.json"), "utf8"));
    assertValid(all, "counts");
    assert.equal(all.input.rows, 6172);
    const fromCounts = await runCli(["audit", join(dir, "all.json"), "--from-counts", "--format", "json"]);
    assert.equal(fromCounts.code, 0, fromCounts.stderr);
    const a = JSON.parse(fromCounts.stdout);
    const b = JSON.parse(whole.stdout);
    assert.deepEqual(numbers(a), numbers(b));
    assert.equal(a.input.rows, 6172);
  });

  test("the --print-sql query, run by hand in DuckDB and saved as CSV, audits to the same numbers", async () => {
    const printed = await runCli([
      "audit",
      "--print-sql",
      "--dialect",
      "duckdb",
      "--query",
      `SELECT * FROM read_csv('${compas}')`,
      ...ROLES,
      "--where",
      WHERE,
    ]);
    assert.equal(printed.code, 0, printed.stderr);
    assert.match(printed.stdout, /GROUP BY "race", "sex", fairkit_label, fairkit_decision;/);
    const result = join(dir, "result.csv");
    await withDuckDB(async (con) => {
      await con.run(`COPY (${printed.stdout.trim().replace(/;$/, "")}) TO '${result}' (HEADER, DELIMITER ',')`);
    });
    const fromCounts = await runCli(["audit", result, "--from-counts", "--sensitive", "race,sex", "--format", "json"]);
    assert.equal(fromCounts.code, 0, fromCounts.stderr);
    const whole = await runCli(["audit", compas, ...ROLES, "--where", WHERE, "--format", "json"]);
    const a = JSON.parse(fromCounts.stdout);
    const b = JSON.parse(whole.stdout);
    assert.deepEqual(a.groups, b.groups);
    assert.deepEqual(a.criteria, b.criteria);
  });

  test("bad counts are refused, naming the file", async () => {
    const bad = join(dir, "bad.csv");
    writeFileSync(bad, "race,fairkit_label,fairkit_decision,fairkit_rows\na,1,1,2.5\n");
    const run = await runCli(["audit", bad, "--from-counts", "--sensitive", "race"]);
    assert.equal(run.code, 2);
    assert.match(
      run.stderr,
      /bad\.csv: fairkit_rows must be a count \(a whole number >= 0\); found "2\.5" on result row 1/,
    );
    const missing = join(dir, "missing.csv");
    writeFileSync(missing, "race,fairkit_label,fairkit_rows\na,1,2\n");
    const run2 = await runCli(["audit", missing, "--from-counts", "--sensitive", "race"]);
    assert.equal(run2.code, 2);
    assert.match(run2.stderr, /missing\.csv: no column "fairkit_decision" \(given to --from-counts\)/);
    const run3 = await runCli(["audit", join(dir, "all.json"), "--from-counts", "--y-true", "x"]);
    assert.equal(run3.code, 2);
    assert.match(run3.stderr, /--y-true does not apply to --from-counts/);
    writeFileSync(
      join(dir, "other.json"),
      JSON.stringify({ ...JSON.parse(readFileSync(join(dir, "all.json"), "utf8")), columns: ["race"], groups: [] }),
    );
    const run4 = await runCli(["merge", join(dir, "all.json"), join(dir, "other.json")]);
    assert.equal(run4.code, 2);
    assert.match(run4.stderr, /other\.json: its groups are by race but .*all\.json's are by race, sex/);
  });
});
