/**
 * `auditFile` with bootstrap intervals on many unweighted rows draws cell counts from the counts
 * alone, without reading the rows: the same intervals as the frame built from the rows (whose
 * "auto" bootstrap draws the same cells with the same seed); weighted files still read the rows.
 */
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { DEFAULTS } from "../../src/core/defaults.js";
import { MetricFrame } from "../../src/core/metric-frame.js";
import { auditFile } from "../../src/node/io/audit-file.js";
import { withDuckDB } from "../../src/node/io/duckdb.js";
import { readCounts } from "../../src/node/io/read-counts.js";
import { readRows } from "../../src/node/io/read-rows.js";
import { openSource } from "../../src/node/io/source.js";

const path = join(tmpdir(), `fairkit-audit-bootstrap-${process.pid}.csv`);
after(() => rmSync(path, { force: true }));

describe("auditFile's bootstrap on many rows", () => {
  test("equals the row-built frame's intervals, and weighted files still work", async () => {
    const n = DEFAULTS.cellBootstrapRows + 5000;
    await withDuckDB(async (con) => {
      await con.run("SELECT setseed(0.25)");
      await con.run(
        `COPY (SELECT CAST(random() < 0.4 AS INTEGER) AS y, CAST(random() < 0.5 AS INTEGER) AS p, CASE WHEN random() < 0.3 THEN 'a' ELSE 'b' END AS g, 1 + CAST(random() * 3 AS INTEGER) AS w FROM range(${n})) TO '${path}' (HEADER)`,
      );
    });
    const roles = { yTrue: "y", yPred: "p", sensitive: ["g"] };
    const audit = await auditFile(path, { ...roles, intervals: "bootstrap", bootstrap: { n: 300, seed: 4 } });
    const fromRows = await withDuckDB(async (con) => {
      const source = await openSource(con, path);
      const counts = await readCounts(con, source, roles);
      const rows = await readRows(con, source, roles, counts);
      return new MetricFrame({
        ...rows,
        metrics: audit.settings.metrics,
        intervals: "bootstrap",
        bootstrap: { n: 300, seed: 4 },
      });
    });
    audit.groups.forEach((g, k) => {
      for (const m of audit.settings.metrics)
        assert.deepEqual(g.intervals[m], fromRows.byGroup[k].intervals[m], `${g.label} ${m}`);
    });
    const weighted = await auditFile(path, {
      ...roles,
      weight: "w",
      intervals: "bootstrap",
      bootstrap: { n: 20, seed: 4 },
    });
    assert.equal(weighted.groups.length, 2);
    assert.ok(weighted.groups.every((g) => g.intervals.selection_rate.every(Number.isFinite)));
  });
});
