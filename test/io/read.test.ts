/**
 * The DuckDB readers: counts pushed down as one GROUP BY must equal the core's countConfusion
 * over the same rows read independently; the rows path (typed arrays, chunk by chunk) must give
 * the same numbers as the counts path; every file format must give the same counts.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import fc from "fast-check";
import { confusionToJSON, countConfusion } from "../../src/core/confusion.js";
import { encodeGroups } from "../../src/core/groups.js";
import { MetricFrame } from "../../src/core/metric-frame.js";
import { binaryMapping, decisionMapping } from "../../src/node/io/columns.js";
import { withDuckDB } from "../../src/node/io/duckdb.js";
import { readCounts } from "../../src/node/io/read-counts.js";
import { readRows } from "../../src/node/io/read-rows.js";
import { openSource } from "../../src/node/io/source.js";
import { compasFiltered, dataPath, skipWithoutData } from "../helpers/data.js";

const dir = mkdtempSync(join(tmpdir(), "fairkit-io-test-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const COMPAS_WHERE =
  "days_b_screening_arrest BETWEEN -30 AND 30 AND is_recid != -1 AND c_charge_degree != 'O' AND score_text != 'N/A'";

describe("readCounts", () => {
  test("equals countConfusion on COMPAS rows parsed by csv-parse", {
    skip: skipWithoutData("compas-scores-two-years.csv"),
  }, async () => {
    const rows = compasFiltered();
    const enc = encodeGroups({ race: rows.map((r) => r.race), sex: rows.map((r) => r.sex) });
    const expected = countConfusion(
      Uint8Array.from(rows, (r) => Number(r.two_year_recid)),
      Uint8Array.from(rows, (r) => (Number(r.decile_score) >= 5 ? 1 : 0)),
      enc,
    );
    const counts = await withDuckDB(async (con) => {
      const source = await openSource(con, dataPath("compas-scores-two-years.csv")!, { where: COMPAS_WHERE });
      return readCounts(con, source, {
        yTrue: "two_year_recid",
        score: "decile_score",
        threshold: 5,
        sensitive: ["race", "sex"],
      });
    });
    assert.equal(counts.rows, 6172);
    assert.deepEqual(confusionToJSON(counts.table), confusionToJSON(expected));
    assert.deepEqual(counts.levels.sex, ["Female", "Male"]);
    assert.deepEqual(counts.nulls, { race: 0, sex: 0, two_year_recid: 0, decile_score: 0 });
  });

  test("property: random rows written as CSV read back to the same counts (with weights and missing groups)", async () => {
    const row = fc.record({
      y: fc.integer({ min: 0, max: 1 }),
      p: fc.integer({ min: 0, max: 1 }),
      g: fc.option(fc.constantFrom("x", "y", "z, w", "10", "9"), { nil: null }),
      h: fc.constantFrom(1, 2, 30),
      w: fc.integer({ min: 0, max: 8 }).map((k) => k / 4),
    });
    {
      let k = 0;
      await fc.assert(
        fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 60 }), async (rows) =>
          withDuckDB(async (con) => {
            fc.pre(rows.some((r) => r.g !== null) && rows.some((r) => r.w > 0));
            const path = join(dir, `prop-${k++}.csv`);
            const quote = (s: string) => (s.includes(",") ? `"${s}"` : s);
            writeFileSync(
              path,
              `y,p,g,h,w\n${rows.map((r) => `${r.y},${r.p},${r.g === null ? "" : quote(r.g)},${r.h},${r.w}`).join("\n")}\n`,
            );
            // Sensitive columns are read as the file's text, even when every value looks like a number.
            const source = await openSource(con, path, { format: "csv" });
            const counts = await readCounts(con, source, {
              yTrue: "y",
              yPred: "p",
              sensitive: ["g", "h"],
              weight: "w",
            });
            const expected = countConfusion(
              Uint8Array.from(rows, (r) => r.y),
              Uint8Array.from(rows, (r) => r.p),
              encodeGroups({ g: rows.map((r) => r.g), h: rows.map((r) => String(r.h)) }),
              Float64Array.from(rows, (r) => r.w),
            );
            assert.deepEqual(confusionToJSON(counts.table), confusionToJSON(expected));
            assert.equal(counts.nulls.g, rows.filter((r) => r.g === null).length);
          }),
        ),
        { numRuns: 40 },
      );
    }
  });

  test("CSV, TSV, Parquet, JSON and NDJSON give the same counts", async () => {
    const csv = join(dir, "same.csv");
    writeFileSync(csv, "label,score,grp,wt\n1,0.9,a,1\n0,0.2,a,2\n1,0.4,b,0.5\n0,0.7,b,1\n1,0.5,b,3\n0,0.1,a,1\n");
    await withDuckDB(async (con) => {
      const formats = {
        tsv: "(HEADER, DELIMITER '\t')",
        parquet: "(FORMAT parquet)",
        json: "(FORMAT json, ARRAY true)",
        ndjson: "(FORMAT json)",
      };
      for (const [ext, options] of Object.entries(formats)) {
        await con.run(`COPY (SELECT * FROM read_csv('${csv}')) TO '${join(dir, `same.${ext}`)}' ${options}`);
      }
    });
    const tables: unknown[] = [];
    for (const ext of ["csv", "tsv", "parquet", "json", "ndjson"]) {
      // One connection per file: a connection is confined to the file it reads.
      await withDuckDB(async (con) => {
        const source = await openSource(con, join(dir, `same.${ext}`));
        assert.equal(source.format, ext);
        const counts = await readCounts(con, source, {
          yTrue: "label",
          score: "score",
          threshold: 0.5,
          sensitive: ["grp"],
          weight: "wt",
        });
        tables.push(confusionToJSON(counts.table));
      });
    }
    const expected = countConfusion(
      Uint8Array.of(1, 0, 1, 0, 1, 0),
      Uint8Array.of(1, 0, 0, 1, 1, 0),
      encodeGroups({ grp: ["a", "a", "b", "b", "b", "a"] }),
      Float64Array.of(1, 2, 0.5, 1, 3, 1),
    );
    for (const t of tables) assert.deepEqual(t, confusionToJSON(expected));
  });
});

describe("readRows", () => {
  test("typed arrays chunk by chunk give the same frame as the counts (COMPAS, two sensitive columns, weights)", {
    skip: skipWithoutData("compas-scores-two-years.csv"),
  }, async () => {
    await withDuckDB(async (con) => {
      const source = await openSource(con, dataPath("compas-scores-two-years.csv")!, { where: COMPAS_WHERE });
      // priors_count + 1 as a weight makes the weighted sums differ from the row counts.
      const roles = {
        yTrue: "two_year_recid",
        yPred: "is_violent_recid",
        sensitive: ["race", "age_cat"],
        weight: "juv_fel_count",
      };
      const counts = await readCounts(con, source, roles);
      const rows = await readRows(con, source, roles, counts);
      assert.equal(rows.n, 6172);
      assert.ok(rows.yTrue instanceof Uint8Array && rows.sampleWeight instanceof Float64Array);
      assert.deepEqual(rows.sensitiveFeatures.age_cat.levels, ["25 - 45", "Greater than 45", "Less than 25"]);
      const metrics = ["selection_rate", "true_positive_rate", "false_positive_rate", "accuracy", "balanced_accuracy"];
      const fromRows = new MetricFrame({ ...rows, metrics });
      const fromCounts = MetricFrame.fromCounts(counts.table, { metrics });
      assert.deepEqual(confusionToJSON(fromRows.counts), confusionToJSON(counts.table));
      assert.deepEqual(
        fromRows.byGroup.map((g) => [g.key, g.n, g.weight, g.metrics, g.intervals]),
        fromCounts.byGroup.map((g) => [g.key, g.n, g.weight, g.metrics, g.intervals]),
      );
      // Independent check of one weighted number: the weighted selection rate overall.
      const data = compasFiltered();
      let num = 0;
      let den = 0;
      for (const r of data) {
        const w = Number(r.juv_fel_count);
        den += w;
        num += w * Number(r.is_violent_recid);
      }
      assert.ok(Math.abs(fromRows.overall.metrics.selection_rate - num / den) < 1e-12);
    });
  });

  test("more rows than one DuckDB chunk (2,048) land in the right places", async () => {
    const path = join(dir, "chunks.csv");
    const n = 5000;
    let text = "y,s,g\n";
    for (let i = 0; i < n; i++) text += `${i % 3 === 0 ? 1 : 0},${(i % 100) / 100},${i % 7 === 0 ? "" : `g${i % 4}`}\n`;
    writeFileSync(path, text);
    await withDuckDB(async (con) => {
      await con.run("SET threads = 1"); // file order, so the arrays can be compared row by row
      const source = await openSource(con, path);
      const roles = { yTrue: "y", score: "s", threshold: 0.5, sensitive: ["g"] };
      const counts = await readCounts(con, source, roles);
      const rows = await readRows(con, source, roles, counts);
      assert.equal(rows.n, n);
      assert.deepEqual(rows.sensitiveFeatures.g.levels, ["g0", "g1", "g2", "g3"]);
      for (let i = 0; i < n; i++) {
        assert.equal(rows.yTrue[i], i % 3 === 0 ? 1 : 0);
        assert.equal(rows.yPred[i], (i % 100) / 100 >= 0.5 ? 1 : 0);
        assert.equal(rows.sensitiveFeatures.g.codes[i], i % 7 === 0 ? -1 : i % 4);
      }
    });
  });
});

describe("binaryMapping", () => {
  test("0/1, booleans and text; --pos-label picks the positive value", () => {
    assert.deepEqual(binaryMapping("y", [0, 1], undefined), {
      column: "y",
      values: [0, 1],
      positives: [1],
      rule: "0/1",
    });
    assert.deepEqual(binaryMapping("y", [true, false], undefined), {
      column: "y",
      values: [true, false],
      positives: [true],
      rule: "0/1",
    });
    assert.deepEqual(binaryMapping("y", ["FALSE", "True"], undefined), {
      column: "y",
      values: ["FALSE", "True"],
      positives: ["True"],
      rule: "0/1",
    });
    assert.deepEqual(binaryMapping("y", ["<=50K", ">50K"], ">50K"), {
      column: "y",
      values: ["<=50K", ">50K"],
      positives: [">50K"],
      rule: "pos_label",
    });
    assert.deepEqual(binaryMapping("y", [0, 1], "0"), {
      column: "y",
      values: [0, 1],
      positives: [0],
      rule: "pos_label",
    });
    // A 0/1 decision column next to a text label: the decision reads as 0/1, --pos-label is the label's.
    assert.deepEqual(decisionMapping("p", ["0", "1"], ">50K", undefined), {
      column: "p",
      values: ["0", "1"],
      positives: ["1"],
      rule: "0/1",
    });
    assert.deepEqual(decisionMapping("p", ["no", "yes"], "yes", undefined), {
      column: "p",
      values: ["no", "yes"],
      positives: ["yes"],
      rule: "pos_label",
    });
    assert.deepEqual(decisionMapping("p", ["no", "yes"], ">50K", "yes"), {
      column: "p",
      values: ["no", "yes"],
      positives: ["yes"],
      rule: "pos_label",
    });
    assert.deepEqual(decisionMapping("p", ["no", "yes"], ">50K", undefined), { error: "pos_label_absent" });
    // Float-written labels read as 0/1; yes/no and t/f need --pos-label.
    assert.deepEqual(binaryMapping("y", ["0.0", "1.0"], undefined), {
      column: "y",
      values: ["0.0", "1.0"],
      positives: ["1.0"],
      rule: "0/1",
    });
    assert.deepEqual(binaryMapping("y", ["yes", "no"], undefined), { error: "not_binary" });
    assert.deepEqual(binaryMapping("y", ["t", "f"], undefined), { error: "not_binary" });
    // A --pos-label that is not in a 0/1 column is an error, not "0/1 as they read".
    assert.deepEqual(binaryMapping("y", [0, 1], "yes"), { error: "pos_label_absent" });
    assert.deepEqual(binaryMapping("y", [0, 1, 2], undefined), { error: "not_binary" });
    assert.deepEqual(binaryMapping("y", ["a", "b", "c"], "a"), { error: "not_binary" });
    assert.deepEqual(binaryMapping("y", ["a", "b"], "A"), { error: "pos_label_absent" });
    assert.deepEqual(binaryMapping("y", ["a", "b"], undefined), { error: "not_binary" });
  });
});
