/**
 * Auditing PostgreSQL in place: a table of `FAIRKIT_BENCH_DB_ROWS` rows (default 1e7; race × sex
 * groups, a label, a score), started and loaded for the run (test/helpers/postgres.ts). fairkit's
 * whole audit (connect, describe, the pushed-down GROUP BY, the checks, the metrics) is timed
 * against PostgreSQL's own run of the same GROUP BY through the same client, in the same process;
 * the bytes of counts that crossed the wire are reported. Skipped without PostgreSQL's server.
 */
import pg from "pg";
import { auditDatabase } from "../src/node/db/counts-of.js";
import { cellsQuery } from "../src/node/db/cells-query.js";
import { DIALECTS } from "../src/node/db/dialects.js";
import { skipWithoutPostgres, startPostgres } from "../test/helpers/postgres.js";
import { medianMsAsync, rate } from "./timing.js";

export default async function database(): Promise<void> {
  const skip = skipWithoutPostgres();
  if (skip) {
    console.log(`skipped: ${skip}`);
    return;
  }
  const rows = Number(process.env.FAIRKIT_BENCH_DB_ROWS ?? 1e7);
  const server = await startPostgres();
  try {
    const t0 = performance.now();
    server.psql(
      `CREATE TABLE decisions AS SELECT (ARRAY['Black','White','Hispanic','Asian','Other'])[1 + (i * 7919) % 5] AS race, CASE WHEN (i * 104729) % 2 = 0 THEN 'F' ELSE 'M' END AS sex, ((i * 2654435761) % 100 < 30)::int AS label, ((i * 40503) % 1000) / 1000.0::double precision AS score FROM generate_series(1::bigint, ${rows}::bigint) i; ANALYZE decisions`,
    );
    console.log(`loaded ${rows.toExponential(0)} rows in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const roles = { yTrue: "label", score: "score", threshold: 0.5, sensitive: ["race", "sex"] };
    const sql = cellsQuery(DIALECTS.postgres, '"decisions"', roles);
    const client = new pg.Client({ connectionString: server.url() });
    await client.connect();
    let bytes = 0;
    const own = await medianMsAsync(async () => {
      const result = await client.query({ text: sql, rowMode: "array" });
      bytes = Buffer.byteLength(JSON.stringify(result.rows));
    });
    await client.end();
    const audit = await medianMsAsync(() => auditDatabase(server.url(), { ...roles, table: "decisions" }));
    console.log(`PostgreSQL's own GROUP BY of the cells: ${own.toFixed(0)} ms (${rate(rows, own)})`);
    console.log(
      `fairkit audit in PostgreSQL:           ${audit.toFixed(0)} ms (${rate(rows, audit)}), ${(audit / own).toFixed(2)}× the GROUP BY`,
    );
    console.log(`counts transferred: about ${bytes} bytes of values for ${rows.toExponential(0)} rows`);
  } finally {
    server.stop();
  }
}
