/**
 * `fairkit audit` end to end on a generated 1e7-row CSV (score, label, two sensitive columns),
 * through the library function the CLI calls, against DuckDB's own GROUP BY of the same counts
 * on the same file in the same process. Aim: within 1.5× of DuckDB's time.
 */
import { rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { withDuckDB } from "../src/node/io/duckdb.js";
import { auditFile } from "../src/node/io/audit-file.js";
import { medianMsAsync, rate } from "./timing.js";

const ROWS = 10_000_000;

export default async function bench(): Promise<void> {
  const path = join(tmpdir(), `fairkit-audit-bench-${process.pid}.csv`);
  try {
    const t0 = performance.now();
    await withDuckDB(async (con) => {
      await con.run("SELECT setseed(0.42)");
      await con.run(
        `COPY (SELECT round(s, 4) AS score, CAST(random() < s AS INTEGER) AS label, race, sex FROM (
           SELECT random() AS s, ['a', 'b', 'c', 'd'][1 + (i % 4)] AS race, CASE WHEN i % 3 = 0 THEN 'F' ELSE 'M' END AS sex FROM range(${ROWS}) t(i)
         )) TO '${path}' (HEADER, DELIMITER ',')`,
      );
    });
    console.log(
      `generated ${ROWS.toExponential(0)} rows (${(statSync(path).size / 1e6).toFixed(0)} MB) in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );

    const duckdbOwn = () =>
      withDuckDB(async (con) => {
        const reader = await con.runAndReadAll(
          `SELECT race, sex, 2 * label + CAST(score >= 0.5 AS INTEGER) AS cell, count(*) AS n FROM read_csv('${path}') GROUP BY ALL`,
        );
        return reader.getRows().length;
      });
    const fairkit = () =>
      auditFile(path, { yTrue: "label", score: "score", threshold: 0.5, sensitive: ["race", "sex"] });

    const result = await fairkit();
    if (result.input.rows !== ROWS || result.groups.length !== 8)
      throw new Error(`unexpected audit: ${result.input.rows} rows, ${result.groups.length} groups`);
    const baseline = await medianMsAsync(duckdbOwn, 3);
    const ours = await medianMsAsync(fairkit, 3);
    console.log(`DuckDB GROUP BY (baseline)   ${baseline.toFixed(0).padStart(6)} ms  ${rate(ROWS, baseline)}`);
    console.log(`fairkit audit (end to end)   ${ours.toFixed(0).padStart(6)} ms  ${rate(ROWS, ours)}`);
    console.log(`ratio fairkit / DuckDB: ${(ours / baseline).toFixed(2)}× (aim ≤ 1.5×)`);
  } finally {
    rmSync(path, { force: true });
  }
}
