/**
 * A DuckDB database file audited in place (`duckdb:FILE`): COMPAS stored as a table audits to the
 * file audit's numbers; the file is opened read-only, and a query cannot reach any other file.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { DuckDBInstance } from "@duckdb/node-api";
import { auditDatabase } from "../../src/node/db/counts-of.js";
import { auditFile } from "../../src/node/io/audit-file.js";
import { dataPath, skipWithoutData } from "../helpers/data.js";

const WHERE =
  "days_b_screening_arrest BETWEEN -30 AND 30 AND is_recid != -1 AND c_charge_degree != 'O' AND score_text != 'N/A'";

describe("auditing a DuckDB database file", { skip: skipWithoutData("compas-scores-two-years.csv") }, () => {
  const compas = dataPath("compas-scores-two-years.csv")!;
  const dir = mkdtempSync(join(tmpdir(), "fairkit-duckdb-"));
  const db = join(dir, "audit.duckdb");
  before(async () => {
    const instance = await DuckDBInstance.create(db);
    const con = await instance.connect();
    await con.run(`CREATE TABLE compas AS SELECT * FROM read_csv('${compas}')`);
    con.closeSync();
    instance.closeSync();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));
  const roles = { yTrue: "two_year_recid", score: "decile_score", threshold: 5, sensitive: ["race", "sex"] };

  test("equals the file audit", async () => {
    const fromDb = await auditDatabase(`duckdb:${db}`, { ...roles, table: "compas", where: WHERE });
    const fromFile = await auditFile(compas, { ...roles, where: WHERE });
    assert.equal(fromDb.input.format, "duckdb");
    assert.deepEqual(fromDb.groups, fromFile.groups);
    assert.deepEqual(fromDb.criteria, fromFile.criteria);
  });

  test("read-only, and confined to the database file", async () => {
    await assert.rejects(
      auditDatabase(`duckdb:${db}`, { ...roles, query: `SELECT * FROM read_csv('${compas}')` }),
      /duckdb:.*the query failed: .*(external access|disabled)/i,
    );
    await assert.rejects(
      auditDatabase(`duckdb:${join(dir, "none.duckdb")}`, { ...roles, table: "compas" }),
      /none\.duckdb: no such database file/,
    );
  });
});
