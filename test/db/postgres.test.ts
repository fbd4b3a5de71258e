/**
 * Auditing PostgreSQL in place, on a real server started for the test: COMPAS and Adult loaded
 * with psql's \copy, audited through the pushed-down GROUP BY, must equal the file audit of the
 * same CSV exactly (every count, metric, interval and criterion); the filter keeps its meaning;
 * bad inputs get the file audit's errors, naming the table; nothing is written. A 1e7-row table
 * equals the audit of its own CSV export.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { auditFile } from "../../src/node/io/audit-file.js";
import { ADULT_COLUMNS } from "../../src/node/io/datasets.js";
import { withDuckDB } from "../../src/node/io/duckdb.js";
import { auditDatabase } from "../../src/node/db/counts-of.js";
import { runCli } from "../cli/run-cli.js";
import { dataPath, skipWithoutData } from "../helpers/data.js";
import { loadCsv, skipWithoutPostgres, startPostgres, type TestPostgres } from "../helpers/postgres.js";

const COMPAS_WHERE =
  "days_b_screening_arrest BETWEEN -30 AND 30 AND is_recid != -1 AND c_charge_degree != 'O' AND score_text != 'N/A'";

/** PostgreSQL column definitions for a CSV, from DuckDB's reading of it (duplicate names made unique as DuckDB does). */
async function columnsOf(path: string, header = true): Promise<string[]> {
  return withDuckDB(async (con) => {
    const rows = (
      await con.runAndReadAll(
        `DESCRIBE SELECT * FROM read_csv('${path}', header = ${header}${header ? "" : ", delim = ','"})`,
      )
    ).getRowObjects();
    const types: Record<string, string> = {
      BIGINT: "bigint",
      INTEGER: "integer",
      DOUBLE: "double precision",
      DATE: "date",
      TIMESTAMP: "timestamp",
      BOOLEAN: "boolean",
    };
    return rows.map((r) => `"${String(r.column_name)}" ${types[String(r.column_type)] ?? "text"}`);
  });
}

/** The audit without what names the source. */
function comparable(doc: Record<string, unknown>) {
  const { input, ...rest } = doc as { input: Record<string, unknown> };
  const { source: _s, format: _f, ...inputRest } = input;
  return { ...rest, input: inputRest };
}

const skip = skipWithoutPostgres() || skipWithoutData("compas-scores-two-years.csv");

describe("auditing PostgreSQL in place", { skip }, () => {
  let pg: TestPostgres;
  const compas = dataPath("compas-scores-two-years.csv")!;
  before(async () => {
    pg = await startPostgres();
    loadCsv(pg, "compas", compas, await columnsOf(compas));
    pg.psql(`CREATE TABLE "Mixed Case" AS SELECT * FROM compas`);
  });
  after(() => pg?.stop());

  const roles = { yTrue: "two_year_recid", score: "decile_score", threshold: 5, sensitive: ["race", "sex"] };

  test("COMPAS: the database audit equals the file audit exactly, with the filter", async () => {
    const file = await auditFile(compas, { ...roles, where: COMPAS_WHERE });
    const db = await auditDatabase(pg.url(), { ...roles, table: "compas", where: COMPAS_WHERE });
    assert.equal(db.input.rows, 6172);
    assert.equal(db.input.format, "postgres");
    assert.match(db.input.source, /^postgres:\/\/fairkit@127\.0\.0\.1:\d+\/audit, table compas$/);
    assert.deepEqual(comparable(db as never), comparable(file as never));
    // ProPublica's number: the false positive rate of African-American defendants.
    const black = db.groups.find((g) => g.label === "African-American, Male");
    assert.ok(black);
  });

  test("a query, a quoted table name and the decision column give the same counts", async () => {
    const file = await auditFile(compas, { ...roles, where: COMPAS_WHERE });
    const query = await auditDatabase(pg.url(), {
      ...roles,
      query: `SELECT * FROM compas WHERE days_b_screening_arrest BETWEEN -30 AND 30 AND is_recid <> -1 AND c_charge_degree <> 'O' AND score_text <> 'N/A'`,
    });
    assert.deepEqual(
      query.groups.map((g) => [g.label, g.n, g.metrics]),
      file.groups.map((g) => [g.label, g.n, g.metrics]),
    );
    const quoted = await auditDatabase(pg.url(), { ...roles, table: '"Mixed Case"', where: COMPAS_WHERE });
    assert.deepEqual(quoted.criteria, file.criteria);
  });

  test("a filter means in PostgreSQL what it means on the file: / on integers, ILIKE, CASE, dates", async () => {
    for (const where of [
      "decile_score / 2 > 2.2 AND race ILIKE 'african%'",
      "CASE WHEN priors_count > 3 THEN 1 ELSE 0 END = 1 OR lower(sex) = 'female'",
      "c_jail_in IS NOT NULL AND age // 10 = 3",
    ]) {
      const file = await auditFile(compas, { ...roles, where });
      const db = await auditDatabase(pg.url(), { ...roles, table: "compas", where });
      assert.ok(file.input.rows > 0 && file.input.rows < 7214, where);
      assert.deepEqual(db.groups, file.groups, where);
    }
  });

  test("fairkit thresholds on the table equals fairkit thresholds on the file", async () => {
    const args = [
      "--y-true",
      "two_year_recid",
      "--score",
      "decile_score",
      "--threshold",
      "5",
      "--sensitive",
      "race",
      "--where",
      COMPAS_WHERE,
    ];
    const file = await runCli(["thresholds", compas, ...args, "--format", "json"]);
    const db = await runCli(["thresholds", pg.url(), "--table", "compas", ...args, "--format", "json"]);
    assert.equal(file.code, 0, file.stderr);
    assert.equal(db.code, 0, db.stderr);
    const a = JSON.parse(db.stdout);
    const b = JSON.parse(file.stdout);
    assert.match(a.input.source, /, table compas$/);
    a.input.source = b.input.source;
    assert.deepEqual(a, b);
  });

  test("fairkit report on the table: every section equals the file's, but what names the data", async () => {
    const args = [
      ...["--y-true", "two_year_recid", "--score", "decile_score", "--threshold", "5", "--sensitive", "race,sex"],
      ...[
        "--where",
        COMPAS_WHERE,
        "--positive-decision",
        "unfavourable",
        "--attributes",
        "age_cat",
        "--format",
        "json",
      ],
    ];
    const env = { SOURCE_DATE_EPOCH: "1767225600" };
    const file = await runCli(["report", compas, ...args], { env });
    const db = await runCli(["report", pg.url(), "--table", "compas", ...args], { env });
    assert.equal(file.code, 0, file.stderr);
    assert.equal(db.code, 0, db.stderr);
    const a = JSON.parse(file.stdout);
    const b = JSON.parse(db.stdout);
    for (const key of ["unitary", "four_fifths", "bias_sources", "subgroups", "curves", "findings"])
      assert.deepEqual(b[key], a[key], key);
    assert.deepEqual(comparable(b.audit), comparable(a.audit));
    const { summary: sb, ...llb } = b.ll144;
    const { summary: sa, ...lla } = a.ll144;
    assert.deepEqual(llb, lla);
    assert.deepEqual({ ...sb, data: null }, { ...sa, data: null });
    assert.match(sb.data.files[0].name, /, table compas$/);
    assert.equal(sb.data.files[0].sha256, null, "a table has no file hash");
    // The datasheet's facts per column are the same; the types are each engine's names.
    assert.deepEqual(
      b.datasheet.columns.map((c: { name: string; missing: number; distinct: number }) => [
        c.name,
        c.missing,
        c.distinct,
      ]),
      a.datasheet.columns.map((c: { name: string; missing: number; distinct: number }) => [
        c.name,
        c.missing,
        c.distinct,
      ]),
    );
    const html = await runCli(["report", pg.url(), "--table", "compas", ...args.slice(0, -2), "--format", "html"], {
      env,
    });
    assert.equal(html.code, 0, html.stderr);
    assert.match(html.stdout, /<title>Fairness audit of postgres:\/\/fairkit@127\.0\.0\.1:\d+\/audit, table compas/);
    assert.doesNotMatch(html.stdout, /SHA-256 (<code>)?null|bytes: undefined/);
  });

  test("bad inputs: the file audit's errors, naming the table", async () => {
    await assert.rejects(
      auditDatabase(pg.url(), { ...roles, table: "compas", sensitive: ["rac"] }),
      /table compas: no column "rac" \(given to --sensitive\); the columns are/,
    );
    await assert.rejects(
      auditDatabase(pg.url(), { ...roles, table: "compas", score: "race" }),
      /column "race" \(--score\) must be numeric; its type is text/,
    );
    // The same message as the file audit's, but for the name.
    const message = async (p: Promise<unknown>) =>
      p.then(
        () => "",
        (e: Error) => e.message.replace(/^[^:]*(:\/\/[^,]*, table compas)?: /, ""),
      );
    for (const bad of [
      { yTrue: "score_text" },
      { yTrue: "c_charge_degree", posLabel: "X" },
      { yTrue: "priors_count" },
      { yPred: "sex", score: undefined },
    ]) {
      // A table has no row order: the database's message leaves out where the first bad row is.
      const fromFile = (await message(auditFile(compas, { ...roles, ...bad }))).replace(
        /, the first (that is not 0\/1 )?at data row \d+ \(line \d+\)/,
        "",
      );
      assert.notEqual(fromFile, "");
      assert.equal(await message(auditDatabase(pg.url(), { ...roles, ...bad, table: "compas" })), fromFile);
    }
    await assert.rejects(
      auditDatabase(pg.url(), { ...roles, table: "compas", where: "race = 'nobody'" }),
      /no rows match --where "race = 'nobody'" \(it has 7214 rows\)/,
    );
    await assert.rejects(
      auditDatabase(pg.url(), { ...roles, table: "nosuch" }),
      /the query failed: .*"nosuch" does not exist/,
    );
    await assert.rejects(auditDatabase(pg.url(), roles), /--table NAME or --query SQL/);
  });

  test("--where stays confined: no subquery, no function outside the list, no other table", async () => {
    for (const where of [
      "race IN (SELECT usename FROM pg_user)",
      "pg_read_file('/etc/passwd') IS NOT NULL",
      "race = 'a' OR current_setting('data_directory') IS NOT NULL",
      "1=1; DROP TABLE compas",
    ]) {
      await assert.rejects(auditDatabase(pg.url(), { ...roles, table: "compas", where }), (error: Error) => {
        assert.match(error.message, /^--where /);
        return true;
      });
    }
    assert.equal(pg.psql("SELECT count(*) FROM compas").trim(), "7214");
  });

  test("names are quoted, never pasted: a hostile --table or --sensitive is only a name that does not exist", async () => {
    await assert.rejects(
      auditDatabase(pg.url(), { ...roles, table: 'compas"; DROP TABLE compas; --' }),
      /the query failed: .*does not exist/,
    );
    await assert.rejects(
      auditDatabase(pg.url(), { ...roles, table: "compas", sensitive: ['race" FROM compas; DROP TABLE compas; --'] }),
      /no column "race\\" FROM compas; DROP TABLE compas; --" \(given to --sensitive\)/,
    );
    await assert.rejects(
      auditDatabase(pg.url(), {
        ...roles,
        table: "compas",
        yTrue: "sex",
        posLabel: "x'); DROP TABLE compas; --",
      }),
      /never holds --pos-label/,
    );
    assert.equal(pg.psql("SELECT count(*) FROM compas").trim(), "7214");
  });

  test("nothing is written: the audit runs in a read-only transaction", async () => {
    await assert.rejects(
      auditDatabase(pg.url(), { ...roles, query: "INSERT INTO compas (id) VALUES (1) RETURNING *" }),
      /read-only transaction|syntax error/,
    );
    assert.equal(pg.psql("SELECT count(*) FROM compas").trim(), "7214");
  });

  test("the password never appears in messages or the document", async () => {
    const url = pg.url().replace("fairkit@", "fairkit:s3cret-pw@");
    const doc = await auditDatabase(url, { ...roles, table: "compas" });
    assert.doesNotMatch(JSON.stringify(doc), /s3cret-pw/);
    await assert.rejects(
      auditDatabase(url, { ...roles, table: "nosuch" }),
      (error: Error) => !error.message.includes("s3cret-pw"),
    );
  });
});

describe("auditing PostgreSQL in place: Adult, weighted", {
  skip: skipWithoutPostgres() || skipWithoutData("adult.data"),
}, () => {
  let pg: TestPostgres;
  const adult = dataPath("adult.data")!;
  before(async () => {
    pg = await startPostgres();
    const numeric = new Set(["age", "fnlwgt", "education-num", "capital-gain", "capital-loss", "hours-per-week"]);
    loadCsv(
      pg,
      "adult",
      adult,
      ADULT_COLUMNS.map((c) => `"${c}" ${numeric.has(c) ? "integer" : "text"}`),
      { header: false },
    );
  });
  after(() => pg?.stop());

  test("32,561 rows, score and weight columns: the database audit equals the file audit", async () => {
    const roles = {
      yTrue: "income",
      posLabel: ">50K",
      score: "education-num",
      threshold: 13,
      sensitive: ["sex", "race"],
      weight: "fnlwgt",
    };
    const file = await auditFile(adult, { ...roles, header: false, columns: ADULT_COLUMNS });
    const db = await auditDatabase(pg.url(), { ...roles, table: "adult" });
    assert.equal(db.input.rows, 32561);
    assert.deepEqual(
      db.groups.map((g) => [g.label, g.n]),
      file.groups.map((g) => [g.label, g.n]),
    );
    // Sums of weights in another engine may round differently in the last place; nothing more.
    const close = (a: unknown, b: unknown, path: string): void => {
      if (typeof a === "number" && typeof b === "number") {
        assert.ok(Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b)), `${path}: ${a} vs ${b}`);
      } else if (a && typeof a === "object") {
        for (const key of Object.keys(b as object)) close((a as never)[key], (b as never)[key], `${path}.${key}`);
      } else assert.equal(a, b, path);
    };
    close(comparable(db as never), comparable(file as never), "audit");
    // Without the rows, a bootstrap of weighted counts is the cell bootstrap's approximation, and says so.
    const boot = await auditDatabase(pg.url(), {
      ...roles,
      table: "adult",
      intervals: "bootstrap",
      bootstrap: { n: 200 },
    });
    assert.ok(boot.warnings.some((w) => w.code === "APPROXIMATE_INTERVALS"));
    assert.equal(boot.gaps?.demographic_parity_difference?.interval_method, "bootstrap");
  });
});

describe("auditing PostgreSQL in place: a 1e7-row table", { skip: skipWithoutPostgres() }, () => {
  let pg: TestPostgres;
  const dir = mkdtempSync(join(tmpdir(), "fairkit-pg-big-"));
  const csv = join(dir, "big.csv");
  before(async () => {
    pg = await startPostgres();
    // Deterministic rows: 5 × 2 groups, a 30% base rate, a score in [0, 1).
    pg.psql(
      `CREATE TABLE big AS SELECT (ARRAY['Black','White','Hispanic','Asian','Other'])[1 + (i * 7919) % 5] AS race, CASE WHEN (i * 104729) % 2 = 0 THEN 'F' ELSE 'M' END AS sex, ((i * 2654435761) % 100 < 30)::int AS label, ((i * 40503) % 1000) / 1000.0::double precision AS score FROM generate_series(1::bigint, 10000000::bigint) i`,
    );
    pg.psql(`\\copy big TO '${csv}' WITH (FORMAT csv, HEADER true)`);
  });
  after(() => {
    pg?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test("equals the audit of the same rows exported to CSV", async () => {
    const roles = { yTrue: "label", score: "score", threshold: 0.5, sensitive: ["race", "sex"] };
    const db = await auditDatabase(pg.url(), { ...roles, table: "big" });
    const file = await auditFile(csv, roles);
    assert.equal(db.input.rows, 10_000_000);
    assert.deepEqual(comparable(db as never), comparable(file as never));
  });
});
