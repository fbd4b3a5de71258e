/**
 * A distributed plan, for real: COMPAS partitioned by sex across two more PostgreSQL servers
 * (each on its own loopback port) and reached from a third through postgres_fdw foreign
 * partitions. fairkit's audit of the partitioned table on the coordinator equals the file audit,
 * and the plan PostgreSQL chose is a federated one (a foreign scan per shard).
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { auditDatabase } from "../../src/node/db/counts-of.js";
import { cellsQuery } from "../../src/node/db/cells-query.js";
import { DIALECTS } from "../../src/node/db/dialects.js";
import { auditFile } from "../../src/node/io/audit-file.js";
import { dataPath, skipWithoutData } from "../helpers/data.js";
import { loadCsv, skipWithoutPostgres, startPostgres, type TestPostgres } from "../helpers/postgres.js";
import { withDuckDB } from "../../src/node/io/duckdb.js";

const WHERE =
  "days_b_screening_arrest BETWEEN -30 AND 30 AND is_recid != -1 AND c_charge_degree != 'O' AND score_text != 'N/A'";

async function columnsOf(path: string): Promise<string[]> {
  return withDuckDB(async (con) => {
    const rows = (await con.runAndReadAll(`DESCRIBE SELECT * FROM read_csv('${path}')`)).getRowObjects();
    const types: Record<string, string> = {
      BIGINT: "bigint",
      DOUBLE: "double precision",
      DATE: "date",
      TIMESTAMP: "timestamp",
    };
    return rows.map((r) => `"${String(r.column_name)}" ${types[String(r.column_type)] ?? "text"}`);
  });
}

const skip = skipWithoutPostgres() || skipWithoutData("compas-scores-two-years.csv");

describe("a federated plan: COMPAS partitioned across two servers with postgres_fdw", { skip }, () => {
  const compas = dataPath("compas-scores-two-years.csv")!;
  let coordinator: TestPostgres;
  const shards: TestPostgres[] = [];
  before(async () => {
    const columns = await columnsOf(compas);
    for (const sex of ["Male", "Female"]) {
      const shard = await startPostgres();
      shards.push(shard);
      loadCsv(shard, "compas_all", compas, columns);
      shard.psql(`CREATE TABLE compas AS SELECT * FROM compas_all WHERE sex = '${sex}'; DROP TABLE compas_all`);
    }
    coordinator = await startPostgres();
    const definitions = columns.join(", ");
    coordinator.psql("CREATE EXTENSION postgres_fdw");
    coordinator.psql(`CREATE TABLE compas (${definitions}) PARTITION BY LIST (sex)`);
    for (const [i, sex] of ["Male", "Female"].entries()) {
      coordinator.psql(
        `CREATE SERVER shard${i} FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host '127.0.0.1', port '${shards[i].port}', dbname 'audit', async_capable 'true')`,
      );
      coordinator.psql(`CREATE USER MAPPING FOR fairkit SERVER shard${i} OPTIONS (user 'fairkit')`);
      coordinator.psql(
        `CREATE FOREIGN TABLE compas_${i} PARTITION OF compas FOR VALUES IN ('${sex}') SERVER shard${i} OPTIONS (table_name 'compas')`,
      );
    }
  });
  after(() => {
    coordinator?.stop();
    for (const shard of shards) shard.stop();
  });

  const roles = { yTrue: "two_year_recid", score: "decile_score", threshold: 5, sensitive: ["race", "sex"] };

  test("the audit through the coordinator equals the file audit", async () => {
    const file = await auditFile(compas, { ...roles, where: WHERE });
    const federated = await auditDatabase(coordinator.url(), { ...roles, table: "compas", where: WHERE });
    assert.equal(federated.input.rows, 6172);
    assert.deepEqual(federated.groups, file.groups);
    assert.deepEqual(federated.criteria, file.criteria);
    assert.deepEqual(federated.overall, file.overall);
  });

  test("the plan scans each shard on its own server", (t) => {
    const sql = cellsQuery(DIALECTS.postgres, '"compas"', roles);
    const plan = coordinator.psql(`SET enable_partitionwise_aggregate = on; EXPLAIN (VERBOSE, COSTS OFF) ${sql}`);
    assert.equal((plan.match(/Foreign Scan/g) ?? []).length >= 2, true, plan);
    assert.match(plan, /public\.compas_0/);
    assert.match(plan, /public\.compas_1/);
    // Whether each shard also aggregates (sex is in the GROUP BY, so it can) is PostgreSQL's choice.
    t.diagnostic(`aggregate pushed to the shards: ${/Relations: Aggregate on/.test(plan)}`);
  });
});
