/**
 * Golden SQL: the exact query `--print-sql` writes for each dialect, for a weighted audit with a
 * score, two sensitive columns, a schema-qualified table and a filter that uses most of what a
 * filter may (test/db/golden/*.sql; FAIRKIT_UPDATE_SNAPSHOTS=1 rewrites them, to be reviewed as a
 * diff). Beside them: the quoting rules each dialect must get right (quotes and backslashes in
 * names and strings), DuckDB's meaning of `/` kept everywhere, and refusals that name the dialect.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { cellsQuery } from "../../src/node/db/cells-query.js";
import { DIALECT_NAMES, DIALECTS } from "../../src/node/db/dialects.js";
import { whereSql } from "../../src/node/db/where-sql.js";
import { withDuckDB } from "../../src/node/io/duckdb.js";

const here = dirname(fileURLToPath(import.meta.url));
const ROLES = { yTrue: "outcome", score: "risk score", threshold: 0.5, sensitive: ["race", "Sex"], weight: "w" };
const WHERE =
  "age BETWEEN 18 AND 65 AND NOT (state IN ('NY', 'it''s')) AND lower(name) LIKE 'a%' AND name ILIKE '%b' AND x / 2 > 1.25 AND day >= DATE '2026-01-01' AND CASE WHEN flag THEN 1 ELSE 0 END = 1 AND y IS NOT NULL AND -z < -3";

for (const name of DIALECT_NAMES) {
  test(`golden SQL: ${name}`, async () => {
    const dialect = DIALECTS[name];
    const where = await withDuckDB((con) => whereSql(con, WHERE, "any", dialect));
    const sql = `${cellsQuery(dialect, dialect.table("analytics.decisions"), ROLES, where)};\n`;
    const path = join(here, "golden", `${name}.sql`);
    if (process.env.FAIRKIT_UPDATE_SNAPSHOTS === "1" || !existsSync(path)) writeFileSync(path, sql);
    assert.equal(
      sql,
      readFileSync(path, "utf8"),
      `${name}: the query changed; review, then FAIRKIT_UPDATE_SNAPSHOTS=1`,
    );
    // No two minus signs meet (`--` would open a comment), whatever the dialect.
    assert.doesNotMatch(sql, /--/);
  });
}

test("quoting: names and strings with quotes and backslashes", () => {
  assert.equal(DIALECTS.postgres.identifier('a"b'), '"a""b"');
  assert.equal(DIALECTS.bigquery.identifier("a`b"), "`a``b`");
  assert.equal(DIALECTS.postgres.string("it's \\"), "'it''s \\'");
  assert.equal(DIALECTS.bigquery.string("it's \\"), "'it\\'s \\\\'");
  assert.equal(DIALECTS.snowflake.string("a\\b"), "'a\\\\b'");
  assert.equal(DIALECTS.postgres.table('public."My.Table"'), '"public"."My.Table"');
  assert.equal(DIALECTS.bigquery.table("proj.ds.t"), "`proj.ds.t`");
  assert.throws(() => DIALECTS.postgres.table("a..b"), /--table "a\.\.b": not a table name \(a part is empty\)/);
});

test("DuckDB's meaning of a filter is kept: / divides as doubles, // as integers", async () => {
  await withDuckDB(async (con) => {
    assert.equal(
      await whereSql(con, "a / 2 > 1", ["a"], DIALECTS.postgres),
      '((CAST("a" AS DOUBLE PRECISION) / CAST(2 AS DOUBLE PRECISION)) > 1)',
    );
    assert.match(await whereSql(con, "a // 2 = 1", ["a"], DIALECTS.postgres), /CAST\(floor\(/);
    assert.equal(
      await whereSql(con, "A = 1", ["a"], DIALECTS.postgres),
      '("a" = 1)',
      "names take the column's own case",
    );
  });
});

test("what a dialect cannot write is refused, naming the dialect", async () => {
  await withDuckDB(async (con) => {
    await assert.rejects(
      whereSql(con, "TRY_CAST(a AS INTEGER) = 1", ["a"], DIALECTS.postgres),
      /TRY_CAST has no equivalent in PostgreSQL/,
    );
    await assert.rejects(
      whereSql(con, "a IS DISTINCT FROM 1", ["a"], DIALECTS.clickhouse),
      /IS DISTINCT FROM has no equivalent in ClickHouse/,
    );
    await assert.rejects(whereSql(con, "strftime(d, '%Y') = '2020'", ["d"], DIALECTS.trino), /the function "strftime"/);
    await assert.rejects(whereSql(con, "b = 1", ["a"], DIALECTS.postgres), /names "b", which is not a column/);
  });
});
